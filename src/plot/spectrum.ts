// spectrumPlot: a sorted spectrum on a log axis with its trust floor(s), the untrusted band shaded,
// λ⁺_min ringed, and every text label (floor values, λ⁺_min, the below-floor count) in the legend
// under the plot so none can overprint a point. Floors and margins: docs/report-schema.md.

import { checkSpectrumInput } from "./args.js";
import { esc, fmt, niceRange, project, type Scale } from "./axis.js";
import { lineSwatch, ringSwatch, type LegendItem } from "./legend.js";
import { box, COLORS, frame } from "./svg.js";

/** An extra floor line drawn besides the main one (e.g. the input-rounding floor of a float32 tensor). */
export interface SpectrumFloor {
  /** Floor value in the same units as `values`; drawn only when positive and finite. */
  readonly value: number;
  /** Legend text, e.g. "float32 input rounding floor". */
  readonly label: string;
  /** Machine-readable kind, written to the line's data-kind (e.g. "arithmetic", "input"). */
  readonly kind?: string;
}

export interface SpectrumPlotInput {
  /** Eigenvalues (or singular values), any order; non-positive ones are drawn at the bottom edge. */
  readonly values: ArrayLike<number>;
  /**
   * Trust floor in the same units: drawn as a line, the band below it shaded (untrusted); values at
   * or below it are grey and counted in the legend as not counted. Pass the floor that binds (the
   * larger one); further floors go in `floors`.
   */
  readonly floor?: number;
  /**
   * Extra floor lines, each dashed in its own style with its own legend row (label, value, how many
   * values are at or below it). They do not change the shaded band or the below-floor count, which
   * follow `floor`.
   */
  readonly floors?: readonly SpectrumFloor[];
  /** Legend name of the main floor (default "floor"), e.g. "floor (F32 input rounding)". */
  readonly floorLabel?: string;
  /** λ⁺_min to mark. */
  readonly lambdaMinPos?: number;
  readonly title?: string;
  /** y-axis label (default "eigenvalue"). */
  readonly valueLabel?: string;
  /** Label of the ringed value (default "λ⁺min"; e.g. "σmin" for singular values). */
  readonly markLabel?: string;
}

const FLOOR_COLOR = "#c0392b";
const MARK_COLOR = "#e67e22";
const BELOW_COLOR = "#999";
/** Styles of the extra floor lines, distinct from the main floor's red "6 4" dash. */
const EXTRA = [
  { color: "#7d3c98", dash: "2 3" },
  { color: "#1a5276", dash: "9 3 2 3" },
  { color: "#117a65", dash: "1 2" },
  { color: "#6e2c00", dash: "12 3" },
];

const positive = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v) && v > 0;
const directions = (n: number): string => `${n} direction${n === 1 ? "" : "s"}`;

/** Legend text of the below-floor count: "3 of 20 directions at or below the floor (not counted)". */
function countText(below: number, n: number, bound: string): string {
  if (n === 0) return "no values";
  if (below === 0) return n === 1 ? `the only direction is above ${bound}` : `all ${directions(n)} above ${bound}`;
  return `${below} of ${directions(n)} at or below ${bound} (not counted)`;
}

/**
 * Sorted spectrum on a log axis: values in descending order against their rank, the floor as a
 * dashed line with the untrusted band below it shaded, extra floors as further dashed lines,
 * λ⁺_min ringed; the labels and the count of values at or below the floor in the legend.
 */
export function spectrumPlot(p: SpectrumPlotInput): string {
  checkSpectrumInput("spectrumPlot", p);
  const vals = Array.from(p.values).sort((a, b) => b - a);
  const pos = vals.filter((v) => v > 0);
  const extras = (p.floors ?? []).filter((f) => positive(f.value));
  const floors = [...(positive(p.floor) ? [p.floor] : []), ...extras.map((f) => f.value)];
  const { px, py, pw, ph } = box();
  let [lo, hi] = niceRange([...pos, ...floors], true);
  if (floors.length > 0) lo = Math.max(1e-307, Math.min(lo, 10 ** (Math.floor(Math.log10(floors.reduce((a, b) => Math.min(a, b)))) - 1))); // room for the band
  const xs: Scale = { log: false, min: 0.5, max: Math.max(vals.length, 1) + 0.5, from: px, to: px + pw };
  const ys: Scale = { log: true, min: lo, max: hi, from: py + ph, to: py };
  const atOrBelow = (f: number): number => vals.filter((v) => !(v > f)).length;
  const lines: string[] = [];
  const marks: string[] = [];
  const legend: LegendItem[] = [];
  const hline = (cls: string, y: number, stroke: string, dash: string, data: string): string =>
    `<line class="${cls}"${data} x1="${px}" x2="${px + pw}" y1="${y.toFixed(2)}" y2="${y.toFixed(2)}" stroke="${stroke}" stroke-dasharray="${dash}" stroke-width="1.3"/>`;
  if (positive(p.floor)) {
    const yf = project(ys, p.floor);
    lines.push(`<rect class="untrusted-band" x="${px}" y="${yf.toFixed(2)}" width="${pw}" height="${(py + ph - yf).toFixed(2)}" fill="#f4c7c3" fill-opacity="0.45"/>`);
    lines.push(hline("floor", yf, FLOOR_COLOR, "6 4", ` data-value="${p.floor}"`));
    legend.push({ swatch: lineSwatch(FLOOR_COLOR, "6 4"), cls: "floor-label", data: { value: p.floor }, text: `${p.floorLabel ?? "floor"} ${fmt(p.floor)}: values at or below it count as zero (shaded)` });
  }
  const bound = positive(p.floor) ? p.floor : 0;
  const below = atOrBelow(bound);
  legend.push({
    swatch: (cx, cy) => `<circle class="legend-swatch" cx="${cx}" cy="${cy}" r="3.2" fill="${below > 0 ? BELOW_COLOR : COLORS[0]}"/>`,
    cls: "below-floor-count", data: { count: below, total: vals.length },
    text: countText(below, vals.length, positive(p.floor) ? "the floor" : "0"),
  });
  extras.forEach((f, k) => {
    const s = EXTRA[k % EXTRA.length]!;
    const data = { kind: f.kind ?? "", value: f.value };
    lines.push(hline("floor-extra", project(ys, f.value), s.color, s.dash, ` data-kind="${esc(f.kind ?? "")}" data-value="${f.value}"`));
    legend.push({ swatch: lineSwatch(s.color, s.dash), cls: "floor-extra-label", data, text: `${f.label} ${fmt(f.value)} (${atOrBelow(f.value)} at or below)` });
  });
  vals.forEach((v, i) => {
    const x = project(xs, i + 1).toFixed(2);
    const y = (v > 0 ? Math.max(project(ys, v), py) : py + ph).toFixed(2);
    const trusted = v > bound;
    marks.push(`<circle class="point${trusted ? "" : " below-floor"}" data-rank="${i + 1}" data-value="${v}" cx="${x}" cy="${y}" r="3.2" fill="${trusted ? COLORS[0] : BELOW_COLOR}"/>`);
  });
  if (positive(p.lambdaMinPos)) {
    const m = p.lambdaMinPos;
    const i = vals.findIndex((v) => v === m);
    const x = project(xs, (i < 0 ? pos.length - 1 : i) + 1);
    marks.push(`<circle class="lambda-min" data-value="${m}" cx="${x.toFixed(2)}" cy="${project(ys, m).toFixed(2)}" r="7" fill="none" stroke="${MARK_COLOR}" stroke-width="2"/>`);
    // margin in decades above the floor, as in docs/report-schema.md (dds/margin_decades; < 0 untrusted)
    const margin = positive(p.floor) ? (m > p.floor ? `, ${Math.log10(m / p.floor).toFixed(2)} decades above the floor` : ", at or below the floor: untrusted") : "";
    legend.push({ swatch: ringSwatch(MARK_COLOR), cls: "lambda-min-label", data: { value: m }, text: `${p.markLabel ?? "λ⁺min"} ${fmt(m)}${margin}` });
  }
  return frame(p.title ?? "spectrum", xs, ys, "rank", p.valueLabel ?? "eigenvalue", { lines, marks, legend });
}

// scatterPlot: one observable against a swept quantity across many readings (docs/sweep.md), with
// untrusted readings ringed, log axes where the values allow them, and the rank correlation in the
// legend. Text lives in the legend under the plot, as in the other plots.

import { checkScatterInput } from "./args.js";
import { esc, niceRange, project, type Scale } from "./axis.js";
import { ringSwatch, type LegendItem } from "./legend.js";
import { marker } from "./markers.js";
import { box, COLORS, frame } from "./svg.js";

export interface ScatterPlotInput {
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  /** Per point: false rings it red (an untrusted reading). */
  readonly trusted?: readonly boolean[];
  /** Per point labels (e.g. file names), written to data-label. */
  readonly labels?: readonly string[];
  readonly title?: string;
  readonly xLabel?: string;
  readonly yLabel?: string;
  /** Axis scales; "auto" (default) takes log when every value is positive and they span more than 2 decades. */
  readonly logX?: boolean | "auto";
  readonly logY?: boolean | "auto";
  /** Legend lines, e.g. "Spearman ρ = −0.97, p = 0.0003 (exact)". */
  readonly notes?: readonly string[];
}

const UNTRUSTED = "#c0392b";

function autoLog(v: readonly number[], want: boolean | "auto" | undefined): boolean {
  if (want !== undefined && want !== "auto") return want;
  const f = v.filter(Number.isFinite);
  if (f.length === 0 || f.some((x) => !(x > 0))) return false;
  return Math.max(...f) / Math.min(...f) > 100;
}

/** Points (x, y), untrusted ones ringed, on log or linear axes chosen from the data. */
export function scatterPlot(p: ScatterPlotInput): string {
  checkScatterInput("scatterPlot", p);
  const xv = Array.from(p.x);
  const yv = Array.from(p.y);
  const logX = autoLog(xv, p.logX);
  const logY = autoLog(yv, p.logY);
  const ok = (v: number, log: boolean): boolean => Number.isFinite(v) && (!log || v > 0);
  const { px, py, pw, ph } = box();
  const [x0, x1] = niceRange(xv.filter((v) => ok(v, logX)), logX);
  const [y0, y1] = niceRange(yv.filter((v) => ok(v, logY)), logY);
  const xs: Scale = { log: logX, min: x0, max: x1, from: px, to: px + pw };
  const ys: Scale = { log: logY, min: y0, max: y1, from: py + ph, to: py };
  const marks: string[] = [];
  let hidden = 0;
  let bad = 0;
  xv.forEach((x, i) => {
    const y = yv[i]!;
    if (!ok(x, logX) || !ok(y, logY)) {
      hidden++;
      return;
    }
    const [cx, cy] = [project(xs, x), project(ys, y)];
    const trusted = p.trusted?.[i] !== false;
    const label = p.labels?.[i] !== undefined ? ` data-label="${esc(p.labels[i]!)}"` : "";
    marks.push(marker("circle", cx, cy, 3.6, `class="point${trusted ? "" : " untrusted"}" data-x="${x}" data-y="${y}"${label} fill="${COLORS[0]}" fill-opacity="0.8" stroke="${COLORS[0]}"`));
    if (!trusted) {
      bad++;
      marks.push(`<circle class="untrusted-mark" cx="${cx.toFixed(2)}" cy="${cy.toFixed(2)}" r="6.4" fill="none" stroke="${UNTRUSTED}" stroke-width="1.5"/>`);
    }
  });
  const legend: LegendItem[] = (p.notes ?? []).map((text) => ({ swatch: () => "", text, cls: "scatter-note" }));
  if (bad > 0) legend.push({ swatch: ringSwatch(UNTRUSTED, 5, 1.5), cls: "legend-key", data: { count: bad }, text: `red ring: untrusted reading (${bad})` });
  if (hidden > 0) legend.push({ swatch: () => "", cls: "hidden-count", data: { count: hidden }, text: `${hidden} not drawn (${logX || logY ? "≤ 0 on a log axis, or " : ""}not finite)` });
  return frame(p.title ?? "sweep", xs, ys, p.xLabel ?? "x", p.yLabel ?? "y", { lines: [], marks, legend });
}



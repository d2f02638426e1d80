// SVG plots as pure functions returning strings: no DOM, no dependency. Every mark carries a class
// and data-* attributes so tests (and users' scripts) can check what was drawn.

import { esc, fmt, formatTick, niceRange, project, ticks, type Scale } from "./axis.js";

const W = 640;
const H = 400;
const BOX = { left: 78, right: 24, top: 40, bottom: 56 };
const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];

function frame(title: string, xs: Scale, ys: Scale, xLabel: string, yLabel: string, body: string[], extra = 0): string {
  const px = BOX.left, py = BOX.top, pw = W - BOX.left - BOX.right, ph = H - BOX.top - BOX.bottom;
  const total = H + extra;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${total}" viewBox="0 0 ${W} ${total}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="${W}" height="${total}" fill="#ffffff"/>`,
    `<text class="title" x="${W / 2}" y="22" text-anchor="middle" font-size="15">${esc(title)}</text>`,
    `<rect class="plot-box" x="${px}" y="${py}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`,
  ];
  for (const t of ticks(xs)) {
    const x = project(xs, t).toFixed(2);
    out.push(`<line class="tick x-tick" x1="${x}" x2="${x}" y1="${py + ph}" y2="${py + ph + 5}" stroke="#333"/>`);
    out.push(`<text class="tick-label x-tick-label" x="${x}" y="${py + ph + 19}" text-anchor="middle">${esc(formatTick(t, xs.log))}</text>`);
  }
  for (const t of ticks(ys)) {
    const y = project(ys, t).toFixed(2);
    out.push(`<line class="tick y-tick" x1="${px - 5}" x2="${px}" y1="${y}" y2="${y}" stroke="#333"/>`);
    out.push(`<line class="grid" x1="${px}" x2="${px + pw}" y1="${y}" y2="${y}" stroke="#eee"/>`);
    out.push(`<text class="tick-label y-tick-label" x="${px - 8}" y="${y}" dy="0.32em" text-anchor="end">${esc(formatTick(t, ys.log))}</text>`);
  }
  out.push(`<text class="axis-label x-label" x="${px + pw / 2}" y="${H - 14}" text-anchor="middle">${esc(xLabel)}</text>`);
  out.push(`<text class="axis-label y-label" transform="translate(18 ${py + ph / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`);
  return [...out, ...body, "</svg>"].join("\n");
}

function box(): { px: number; py: number; pw: number; ph: number } {
  return { px: BOX.left, py: BOX.top, pw: W - BOX.left - BOX.right, ph: H - BOX.top - BOX.bottom };
}

export interface SpectrumPlotInput {
  /** Eigenvalues (or singular values), any order; non-positive ones are drawn at the bottom edge. */
  readonly values: ArrayLike<number>;
  /** Trust floor in the same units: drawn as a line, the band below it shaded (untrusted). */
  readonly floor?: number;
  /** λ⁺_min to mark. */
  readonly lambdaMinPos?: number;
  readonly title?: string;
  /** y-axis label (default "eigenvalue"). */
  readonly valueLabel?: string;
  /** Label of the ringed value (default "λ⁺min"; e.g. "σmin" for singular values). */
  readonly markLabel?: string;
}

/**
 * Sorted spectrum on a log axis: values in descending order against their rank, the floor as a
 * dashed line with the untrusted band below it shaded, λ⁺_min ringed.
 */
export function spectrumPlot(p: SpectrumPlotInput): string {
  const vals = Array.from(p.values).sort((a, b) => b - a);
  const pos = vals.filter((v) => v > 0);
  const { px, py, pw, ph } = box();
  let [lo, hi] = niceRange([...pos, ...(p.floor && p.floor > 0 ? [p.floor] : [])], true);
  if (p.floor && p.floor > 0) lo = Math.min(lo, 10 ** (Math.floor(Math.log10(p.floor)) - 1));
  const xs: Scale = { log: false, min: 0.5, max: Math.max(vals.length, 1) + 0.5, from: px, to: px + pw };
  const ys: Scale = { log: true, min: lo, max: hi, from: py + ph, to: py };
  const body: string[] = [];
  if (p.floor !== undefined && p.floor > 0) {
    const yf = project(ys, p.floor);
    body.push(`<rect class="untrusted-band" x="${px}" y="${yf.toFixed(2)}" width="${pw}" height="${(py + ph - yf).toFixed(2)}" fill="#f4c7c3" fill-opacity="0.45"/>`);
    body.push(`<line class="floor" data-value="${p.floor}" x1="${px}" x2="${px + pw}" y1="${yf.toFixed(2)}" y2="${yf.toFixed(2)}" stroke="#c0392b" stroke-dasharray="6 4"/>`);
    body.push(`<text class="floor-label" x="${px + pw - 4}" y="${(yf - 5).toFixed(2)}" text-anchor="end" fill="#c0392b">floor ${esc(fmt(p.floor))}</text>`);
  }
  vals.forEach((v, i) => {
    const x = project(xs, i + 1).toFixed(2);
    const y = (v > 0 ? Math.max(project(ys, v), py) : py + ph).toFixed(2);
    const trusted = p.floor === undefined || v > p.floor;
    body.push(`<circle class="point${trusted ? "" : " below-floor"}" data-rank="${i + 1}" data-value="${v}" cx="${x}" cy="${y}" r="3.2" fill="${trusted ? COLORS[0] : "#999"}"/>`);
  });
  if (p.lambdaMinPos !== undefined && Number.isFinite(p.lambdaMinPos) && p.lambdaMinPos > 0) {
    const i = vals.findIndex((v) => v === p.lambdaMinPos);
    const x = project(xs, (i < 0 ? pos.length - 1 : i) + 1);
    const y = project(ys, p.lambdaMinPos);
    body.push(`<circle class="lambda-min" data-value="${p.lambdaMinPos}" cx="${x.toFixed(2)}" cy="${y.toFixed(2)}" r="7" fill="none" stroke="#e67e22" stroke-width="2"/>`);
    body.push(`<text class="lambda-min-label" x="${(x - 9).toFixed(2)}" y="${(y - 9).toFixed(2)}" text-anchor="end" fill="#e67e22">${esc(p.markLabel ?? "λ⁺min")} ${esc(fmt(p.lambdaMinPos))}</text>`);
  }
  return frame(p.title ?? "spectrum", xs, ys, "rank", p.valueLabel ?? "eigenvalue", body);
}

export interface PathSeriesPlot {
  readonly name: string;
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  /** Points used by the fit (others drawn hollow). */
  readonly mask?: readonly boolean[];
  /** OLS fit in (ln x, y) or (ln x, ln y) space: y = intercept + slope·ln x. */
  readonly fit?: { readonly slope: number; readonly intercept: number; readonly seSlope: number; readonly r2: number };
}

export interface PathPlotInput {
  readonly series: readonly PathSeriesPlot[];
  readonly title?: string;
  readonly xLabel?: string;
  readonly yLabel?: string;
  /** y values are positive readings drawn on a log axis (λ⁺_min); false for log det⁺ (already a log). */
  readonly logY?: boolean;
}

/** Log-log (or log-linear) path plot: points per series, the OLS line over its fit window, slope ± SE and R² in the legend. */
export function pathPlot(p: PathPlotInput): string {
  const logY = p.logY ?? true;
  const allX = p.series.flatMap((s) => Array.from(s.x));
  const allY = p.series.flatMap((s) => Array.from(s.y));
  const { px, py, pw, ph } = box();
  const [x0, x1] = niceRange(allX, true);
  const [y0, y1] = niceRange(allY, logY);
  const xs: Scale = { log: true, min: x0, max: x1, from: px, to: px + pw };
  const ys: Scale = { log: logY, min: y0, max: y1, from: py + ph, to: py };
  const body: string[] = [];
  p.series.forEach((s, k) => {
    const color = COLORS[k % COLORS.length]!;
    const used: number[] = [];
    for (let i = 0; i < s.x.length; i++) {
      const inFit = !s.mask || s.mask[i];
      if (inFit) used.push(s.x[i]!);
      const y = s.y[i]!;
      if (!Number.isFinite(y) || (logY && !(y > 0))) continue;
      body.push(`<circle class="point" data-series="${esc(s.name)}" data-x="${s.x[i]}" data-y="${y}" cx="${project(xs, s.x[i]!).toFixed(2)}" cy="${project(ys, y).toFixed(2)}" r="3.5" fill="${inFit ? color : "#fff"}" stroke="${color}"/>`);
    }
    if (s.fit && used.length >= 2) {
      const at = (x: number): number => (logY ? Math.exp(s.fit!.intercept + s.fit!.slope * Math.log(x)) : s.fit!.intercept + s.fit!.slope * Math.log(x));
      const [a, b] = [Math.min(...used), Math.max(...used)];
      body.push(`<line class="fit-line" data-series="${esc(s.name)}" data-slope="${s.fit.slope}" x1="${project(xs, a).toFixed(2)}" y1="${project(ys, at(a)).toFixed(2)}" x2="${project(xs, b).toFixed(2)}" y2="${project(ys, at(b)).toFixed(2)}" stroke="${color}" stroke-width="1.6"/>`);
    }
    const ly = H + 8 + 18 * k; // legend rows below the x-axis label
    const label = s.fit ? `${s.name}: slope ${fmt(s.fit.slope)} ± ${fmt(s.fit.seSlope)}, R² ${s.fit.r2.toFixed(4)}` : s.name;
    body.push(`<rect class="legend-swatch" x="${px + 10}" y="${ly - 9}" width="12" height="12" fill="${color}"/>`);
    body.push(`<text class="legend" x="${px + 28}" y="${ly + 1}">${esc(label)}</text>`);
  });
  return frame(p.title ?? "path", xs, ys, p.xLabel ?? "t", p.yLabel ?? (logY ? "reading" : "log det⁺"), body, 18 * p.series.length + 8);
}

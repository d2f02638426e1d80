// pathPlot: readings along a path (log-log or log-linear) with one marker shape per series, the OLS
// fit over its window clipped to the plot box, per-point trust floors and untrusted points marked,
// and every text label in the legend under the plot. Fit window and trust: docs/report-schema.md.

import { checkPathInput } from "./args.js";
import { esc, fmt, niceRange, project, projectAxis, type Scale } from "./axis.js";
import { clipSegment } from "./clip.js";
import { lineSwatch, ringSwatch, type LegendItem, type LegendNote } from "./legend.js";
import { extent, marker, shapeOf, type Shape } from "./markers.js";
import { box, COLORS, frame, type Box, type RightAxis } from "./svg.js";

export interface PathSeriesPlot {
  readonly name: string;
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  /** Points used by the fit (others drawn hollow). */
  readonly mask?: readonly boolean[];
  /** OLS fit in (ln x, y) or (ln x, ln y) space: y = intercept + slope·ln x. */
  readonly fit?: { readonly slope: number; readonly intercept: number; readonly seSlope: number; readonly r2: number };
  /**
   * Each point's trust floor, in the y units (e.g. the floor of the reading that gave λ⁺_min): drawn
   * as a short dashed tick at the floor under each point, joined by a dotted line. Meaningful on
   * log-y plots of eigenvalues; non-finite entries (and non-positive ones on a log y axis) are skipped.
   */
  readonly floor?: ArrayLike<number>;
  /**
   * Each point's verdict: false marks the point untrusted (red ring, class "point untrusted",
   * counted in the legend). Missing entries count as trusted. When `trusted` is absent and `floor`
   * is given, a point at or below its floor is untrusted (margin < 0, docs/report-schema.md).
   */
  readonly trusted?: readonly boolean[];
}

export interface PathPlotInput {
  readonly series: readonly PathSeriesPlot[];
  readonly title?: string;
  /** x-axis label, used verbatim (e.g. a metadata key such as "step"); default "t". */
  readonly xLabel?: string;
  readonly yLabel?: string;
  /** y values are positive readings drawn on a log axis (λ⁺_min); false for log det⁺ (already a log). */
  readonly logY?: boolean;
  /**
   * x on a log axis (default true). false draws a linear x axis (e.g. training steps from 0); the
   * fit, which is in ln x, is then drawn as a curve, and points with x ≤ 0 are drawn but not fitted.
   */
  readonly logX?: boolean;
  /** A series of another quantity (e.g. test accuracy from the checkpoints' metadata) on a second y axis, on the right. */
  readonly overlay?: { readonly name: string; readonly x: ArrayLike<number>; readonly y: ArrayLike<number>; readonly logY?: boolean };
}

interface Pt {
  readonly x: number;
  readonly y: number;
  readonly cx: number;
  readonly cy: number;
  readonly inFit: boolean;
  readonly trusted: boolean;
  readonly floor: number | undefined;
}

const UNTRUSTED = "#c0392b";
const SIZE = 3.5; // nominal marker radius
const NEAR = 1.5; // px: a series whose points all lie this close to an earlier series' points coincides with it
const GROUP_EXTENT = 4.5; // px: extent of the last (smallest) marker of a coincident group
const GROW = 2.4; // px: how much further the first marker of a coincident group may reach (its ring then stays clear of tick labels)
const RING_GAP = 2.2; // px between a marker and its red ring

/** The fit over [a, b] clipped to the plot box in (ln x, pixel y), where it is a straight segment; null when no part is inside. */
function fitMark(s: PathSeriesPlot, color: string, a: number, b: number, xs: Scale, ys: Scale, bx: Box): string | null {
  const { intercept: A, slope: B } = s.fit!;
  const Y = (u: number): number => projectAxis(ys, ys.log ? (A + B * u) / Math.LN10 : A + B * u);
  const [ua, ub] = [Math.log(a), Math.log(b)];
  const lnOr = (v: number): number => (v > 0 ? Math.log(v) : -Infinity);
  const t = clipSegment(ua, Y(ua), ub, Y(ub), { x0: lnOr(xs.min), x1: lnOr(xs.max), y0: bx.py, y1: bx.py + bx.ph });
  if (!t) return null;
  const [u0, u1] = [ua + t[0] * (ub - ua), ua + t[1] * (ub - ua)];
  const [xd0, xd1] = [t[0] === 0 ? a : Math.exp(u0), t[1] === 1 ? b : Math.exp(u1)]; // unclipped ends keep their exact x
  const X = (u: number): number => (xs.log ? projectAxis(xs, u / Math.LN10) : project(xs, Math.exp(u)));
  const yd = (u: number): number => (ys.log ? Math.exp(A + B * u) : A + B * u);
  const head = `class="fit-line" data-series="${esc(s.name)}" data-slope="${B}" data-x1="${xd0}" data-y1="${yd(u0)}" data-x2="${xd1}" data-y2="${yd(u1)}"`;
  const tail = `stroke="${color}" stroke-width="1.6" fill="none"`;
  if (xs.log) return `<line ${head} x1="${X(u0).toFixed(2)}" y1="${Y(u0).toFixed(2)}" x2="${X(u1).toFixed(2)}" y2="${Y(u1).toFixed(2)}" ${tail}/>`;
  // linear x: the ln-x fit is a curve; sample it evenly in ln x (denser where it bends most)
  const pts = Array.from({ length: 49 }, (_, i) => u0 + ((u1 - u0) * i) / 48).map((u) => `${X(u).toFixed(2)},${Y(u).toFixed(2)}`);
  return `<polyline ${head} points="${pts.join(" ")}" ${tail}/>`;
}

/** For each series, the first earlier series with a point within NEAR px of every one of its points; -1 if none. */
function twins(pts: readonly (readonly Pt[])[]): number[] {
  const close = (a: readonly Pt[], b: readonly Pt[]): boolean => a.length > 0 && a.every((q) => b.some((r) => Math.hypot(q.cx - r.cx, q.cy - r.cy) <= NEAR));
  return pts.map((a, k) => pts.slice(0, k).findIndex((b) => close(a, b)));
}

/**
 * Log-log (or log-linear, or linear-x) path plot: points per series, one marker shape per series,
 * the OLS fit over its window clipped to the plot box, slope ± SE and R² in the legend; per-point
 * trust floors as dashed ticks, untrusted points ringed red and counted, series that coincide with
 * an earlier one noted, points that cannot be drawn (x or y ≤ 0 on a log axis, not finite) counted.
 */
export function pathPlot(p: PathPlotInput): string {
  checkPathInput("pathPlot", p);
  const logX = p.logX ?? true;
  const logY = p.logY ?? true;
  const okX = (v: number): boolean => Number.isFinite(v) && (!logX || v > 0);
  const okY = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v) && (!logY || v > 0);
  const bx = box(p.overlay !== undefined);
  const { px, py, pw, ph } = bx;
  const [x0, x1] = niceRange(p.series.flatMap((s) => Array.from(s.x).filter(okX)), logX);
  const floors = p.series.flatMap((s) => Array.from(s.floor ?? []).filter(okY));
  let [y0, y1] = niceRange([...p.series.flatMap((s) => Array.from(s.y).filter(okY)), ...floors], logY);
  if (logY && floors.length > 0) y0 = Math.min(y0, 10 ** (Math.floor(Math.log10(Math.min(...floors))) - 1)); // floor ticks off the bottom edge
  const xs: Scale = { log: logX, min: x0, max: x1, from: px, to: px + pw };
  const ys: Scale = { log: logY, min: y0, max: y1, from: py + ph, to: py };
  const hidden: number[] = [];
  const pts: Pt[][] = p.series.map((s) => {
    const out: Pt[] = [];
    for (let i = 0; i < s.x.length; i++) {
      const [x, y, f] = [s.x[i]!, s.y[i], s.floor?.[i]];
      if (!okX(x) || !okY(y)) continue;
      const trusted = s.trusted ? s.trusted[i] !== false : !(f !== undefined && Number.isFinite(f) && !(y > f));
      out.push({ x, y, cx: project(xs, x), cy: project(ys, y), inFit: !s.mask || s.mask[i] === true, trusted, floor: okY(f) ? f : undefined });
    }
    hidden.push(s.x.length - out.length);
    return out;
  });
  // coincident series: each gets its own shape, and within a group the earlier ones reach further
  // (drawn first, underneath), so every marker shows around the ones on top of it
  const twin = twins(pts);
  const root: number[] = [];
  twin.forEach((j, k) => root.push(j < 0 ? k : root[j]!));
  const size = root.map((r, k) => {
    const group = root.flatMap((q, i) => (q === r ? [i] : []));
    if (group.length === 1) return SIZE;
    const step = Math.min(0.8, GROW / (group.length - 1));
    return (GROUP_EXTENT + step * (group.length - 1 - group.indexOf(k))) / extent(shapeOf(k), 1);
  });
  const lines: string[] = [];
  const marks: string[] = [];
  // one red ring per place: untrusted points of coincident series share a ring around the largest marker
  const rings: { cx: number; cy: number; r: number; n: number }[] = [];
  const ring = (q: Pt, r: number): void => {
    const g = rings.find((o) => Math.hypot(o.cx - q.cx, o.cy - q.cy) <= NEAR);
    if (g) [g.r, g.n] = [Math.max(g.r, r), g.n + 1];
    else rings.push({ cx: q.cx, cy: q.cy, r, n: 1 });
  };
  const legend: LegendItem[] = [];
  p.series.forEach((s, k) => {
    const color = COLORS[k % COLORS.length]!;
    const shape: Shape = shapeOf(k);
    const sp = pts[k]!;
    const who = `data-series="${esc(s.name)}"`;
    const fl = sp.filter((q) => q.floor !== undefined).map((q) => [q, project(ys, q.floor!)] as const);
    if (fl.length > 1) lines.push(`<polyline class="point-floor-line" ${who} points="${fl.map(([q, y]) => `${q.cx.toFixed(2)},${y.toFixed(2)}`).join(" ")}" fill="none" stroke="${color}" stroke-opacity="0.6" stroke-dasharray="1 3"/>`);
    for (const [q, y] of fl) {
      const [a, b] = [Math.max(px, q.cx - 7), Math.min(px + pw, q.cx + 7)];
      lines.push(`<line class="point-floor" ${who} data-x="${q.x}" data-floor="${q.floor}" x1="${a.toFixed(2)}" x2="${b.toFixed(2)}" y1="${y.toFixed(2)}" y2="${y.toFixed(2)}" stroke="${color}" stroke-width="1.5" stroke-dasharray="3 2"/>`);
    }
    for (const q of sp) {
      const cls = q.trusted ? "point" : "point untrusted";
      marks.push(marker(shape, q.cx, q.cy, size[k]!, `class="${cls}" ${who} data-x="${q.x}" data-y="${q.y}" fill="${q.inFit ? color : "#fff"}" stroke="${color}" stroke-width="1.2"`));
      if (!q.trusted) ring(q, extent(shape, size[k]!) + RING_GAP);
    }
    const notes: LegendNote[] = [];
    // the fit spans its window's x range (whether or not each y could be drawn); ln x needs x > 0
    const used = Array.from(s.x).filter((x, i) => (!s.mask || s.mask[i] === true) && Number.isFinite(x) && x > 0);
    if (s.fit && used.length >= 2) {
      const finite = Number.isFinite(s.fit.slope) && Number.isFinite(s.fit.intercept);
      const el = finite ? fitMark(s, color, Math.min(...used), Math.max(...used), xs, ys, bx) : null;
      if (el) lines.push(el);
      else notes.push({ text: finite ? "fit outside the plotted range" : "fit not finite", cls: "fit-note" });
    }
    const bad = sp.filter((q) => !q.trusted).length;
    if (bad > 0) notes.push({ text: `${bad} untrusted`, cls: "untrusted-count", data: { count: bad } });
    if (hidden[k]! > 0) notes.push({ text: `${hidden[k]} not drawn (${logX || logY ? "≤ 0 on a log axis, or " : ""}not finite)`, cls: "hidden-count", data: { count: hidden[k]! } });
    const j = twin[k]!;
    if (j >= 0) notes.push({ text: `(coincides with ${p.series[j]!.name})`, cls: "coincident-note", data: { with: p.series[j]!.name } });
    const fitLine = s.fit ? lineSwatch(color, undefined, 1.6) : () => "";
    legend.push({
      swatch: (cx, cy) => fitLine(cx, cy) + marker(shape, cx, cy, SIZE, `class="legend-swatch" fill="${color}" stroke="${color}"`),
      cls: "series-label", data: { series: s.name }, notes,
      text: s.fit ? `${s.name}: slope ${fmt(s.fit.slope)} ± ${fmt(s.fit.seSlope)}, R² ${s.fit.r2.toFixed(4)}` : s.name,
    });
  });
  // keys for the marks that are not per series
  const all = pts.flat();
  if (all.some((q) => !q.inFit)) legend.push({ swatch: (cx, cy) => marker("circle", cx, cy, SIZE, `class="legend-swatch" fill="#fff" stroke="#555"`), cls: "legend-key", data: { key: "hollow" }, text: "hollow: outside the fit window" });
  if (all.some((q) => q.floor !== undefined)) legend.push({ swatch: lineSwatch("#555", "3 2"), cls: "legend-key", data: { key: "floor" }, text: "dashed tick: the point's trust floor" });
  if (rings.length > 0) legend.push({ swatch: ringSwatch(UNTRUSTED, 5, 1.5), cls: "legend-key", data: { key: "untrusted" }, text: "red ring: untrusted reading" });
  const right = p.overlay ? overlayMarks(p.overlay, xs, okX, lines, marks, legend) : undefined;
  return frame(p.title ?? "path", xs, ys, p.xLabel ?? "t", p.yLabel ?? (logY ? "reading" : "log det⁺"), {
    lines, legend,
    marks: [...marks, ...rings.map((o) => `<circle class="untrusted-mark" data-count="${o.n}" cx="${o.cx.toFixed(2)}" cy="${o.cy.toFixed(2)}" r="${o.r.toFixed(2)}" fill="none" stroke="${UNTRUSTED}" stroke-width="1.5"/>`)],
  }, right);
}

const OVERLAY = "#7f7f7f";

/** The overlay series on its own right-hand scale: a dashed grey line with small diamonds, and its legend row. */
function overlayMarks(o: NonNullable<PathPlotInput["overlay"]>, xs: Scale, okX: (v: number) => boolean, lines: string[], marks: string[], legend: LegendItem[]): RightAxis {
  const log = o.logY ?? false;
  const okY = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v) && (!log || v > 0);
  const pts: [number, number][] = [];
  for (let i = 0; i < o.x.length; i++) if (okX(o.x[i]!) && okY(o.y[i])) pts.push([o.x[i]!, o.y[i]!]);
  pts.sort((a, b) => a[0] - b[0]);
  const [lo, hi] = niceRange(pts.map((q) => q[1]), log);
  const { py, ph } = box(true);
  const scale: Scale = { log, min: lo, max: hi, from: py + ph, to: py };
  const xy = pts.map(([x, y]) => [project(xs, x), project(scale, y)] as const);
  if (xy.length > 1) lines.push(`<polyline class="overlay-line" data-series="${esc(o.name)}" points="${xy.map(([x, y]) => `${x.toFixed(2)},${y.toFixed(2)}`).join(" ")}" fill="none" stroke="${OVERLAY}" stroke-width="1.2" stroke-dasharray="5 3"/>`);
  pts.forEach(([x, y], i) => marks.push(marker("diamond", xy[i]![0], xy[i]![1], 2.6, `class="overlay-point" data-series="${esc(o.name)}" data-x="${x}" data-y="${y}" fill="${OVERLAY}" stroke="${OVERLAY}"`)));
  legend.push({ swatch: (cx, cy) => lineSwatch(OVERLAY, "5 3")(cx, cy) + marker("diamond", cx, cy, 2.6, `class="legend-swatch" fill="${OVERLAY}"`), cls: "overlay-label", data: { series: o.name }, text: `${o.name} (right axis)` });
  return { scale, label: o.name };
}

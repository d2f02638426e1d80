// Axis arithmetic for the SVG plots: linear and log10 scales, tick positions (decades on log axes),
// and number formatting for tick labels. Display only: JS Math is fine here (nothing is reported).

export interface Scale {
  readonly log: boolean;
  readonly min: number;
  readonly max: number;
  /** Pixel range [from, to] (to < from for y axes, which grow upward). */
  readonly from: number;
  readonly to: number;
}

/** Map a data value to a pixel coordinate. */
export function project(s: Scale, v: number): number {
  return projectAxis(s, s.log ? Math.log10(v) : v);
}

/** Map a value already in axis units (log10 of the value on log axes, the value on linear ones) to a pixel coordinate. */
export function projectAxis(s: Scale, x: number): number {
  const [a, b] = s.log ? [Math.log10(s.min), Math.log10(s.max)] : [s.min, s.max];
  return s.from + ((x - a) / (b - a || 1)) * (s.to - s.from);
}

/** Data range padded to whole decades (log) or nice steps (linear). */
export function niceRange(values: readonly number[], log: boolean): [number, number] {
  const v = values.filter((x) => Number.isFinite(x) && (!log || x > 0));
  if (v.length === 0) return log ? [0.1, 10] : [0, 1];
  let lo = Math.min(...v);
  let hi = Math.max(...v);
  if (log) return [10 ** Math.floor(Math.log10(lo)), 10 ** Math.ceil(Math.log10(hi) + (lo === hi ? 1e-9 : 0))];
  if (lo === hi) [lo, hi] = [lo - 1, hi + 1];
  const step = niceStep((hi - lo) / 5);
  return [Math.floor(lo / step) * step, Math.ceil(hi / step) * step];
}

function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/** Tick values: every decade on log axes (thinned to at most ~8 labels), nice steps on linear ones. */
export function ticks(s: Scale): number[] {
  if (s.log) {
    const a = Math.round(Math.log10(s.min));
    const b = Math.round(Math.log10(s.max));
    const every = Math.max(1, Math.ceil((b - a) / 8));
    const out: number[] = [];
    for (let e = a; e <= b; e += every) out.push(10 ** e);
    return out;
  }
  const step = niceStep((s.max - s.min) / 5);
  const out: number[] = [];
  for (let v = Math.ceil(s.min / step) * step; v <= s.max + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

/** "1e-12", "0.1", "10" for decades; compact decimals otherwise. */
export function formatTick(v: number, log: boolean): string {
  if (log) {
    const e = Math.round(Math.log10(v));
    return e >= -2 && e <= 3 ? String(10 ** e >= 1 ? 10 ** e : Number((10 ** e).toFixed(-e))) : `1e${e}`;
  }
  return Number(v.toPrecision(6)).toString();
}

/** Short number for legends: 4 significant digits. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(3) : Number(v.toPrecision(4)).toString();
}

/** Escape text for SVG. */
export function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

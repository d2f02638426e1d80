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

/**
 * Map a value already in axis units (log10 of the value on log axes, the value on linear ones) to a
 * pixel coordinate. Always finite: ±Infinity (log10 of 0) and values absurdly far outside the range
 * are held at 10⁹ axis lengths, NaN at the axis start, so no SVG coordinate is ever NaN or Infinity
 * (points out of range are clipped by the callers; lines keep their true direction).
 */
export function projectAxis(s: Scale, x: number): number {
  const [a, b] = s.log ? [Math.log10(s.min), Math.log10(s.max)] : [s.min, s.max];
  let f = (x - a) / (b - a || 1);
  if (Number.isNaN(f)) f = 0;
  f = Math.min(1e9, Math.max(-1e9, f));
  return s.from + f * (s.to - s.from);
}

/** Decade exponents an axis can show: 10^e must be a finite normal double. */
const E_MIN = -307;
const E_MAX = 308;

/**
 * Data range padded to whole decades (log) or nice steps (linear). Clamped to what doubles can show:
 * log ranges within [1e-307, 1e308], linear ranges with a finite span wide enough that a tick step
 * moves a value (near-equal large values get a relative margin).
 */
export function niceRange(values: readonly number[], log: boolean): [number, number] {
  const v = values.filter((x) => Number.isFinite(x) && (!log || x > 0));
  if (v.length === 0) return log ? [0.1, 10] : [0, 1];
  let lo = v.reduce((a, b) => Math.min(a, b));
  let hi = v.reduce((a, b) => Math.max(a, b));
  if (log) {
    let a = Math.max(E_MIN, Math.min(E_MAX - 1, Math.floor(Math.log10(lo))));
    let b = Math.min(E_MAX, Math.max(E_MIN + 1, Math.ceil(Math.log10(hi))));
    if (b <= a) [a, b] = a < E_MAX ? [a, a + 1] : [E_MAX - 1, E_MAX];
    return [10 ** a, 10 ** b];
  }
  // half-scale when the span would overflow
  const mid = lo / 2 + hi / 2;
  const room = Math.max(Math.abs(mid) * 1e-9, Number.MIN_VALUE * 2 ** 60);
  if (hi - lo < room) [lo, hi] = lo === hi && lo === 0 ? [-1, 1] : [mid - room, mid + room];
  if (!Number.isFinite(hi - lo)) return [lo, hi];
  const step = niceStep((hi - lo) / 5);
  const [nlo, nhi] = [Math.floor(lo / step) * step, Math.ceil(hi / step) * step];
  return Number.isFinite(nlo) && Number.isFinite(nhi) ? [nlo, nhi] : [lo, hi];
}

function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/** At most this many ticks on any axis (every loop below is bounded by it). */
const MAX_TICKS = 24;

/** Tick values: every decade on log axes (thinned to at most ~8 labels), nice steps on linear ones. */
export function ticks(s: Scale): number[] {
  if (s.log) {
    const a = Math.max(E_MIN, Math.round(Math.log10(s.min)));
    const b = Math.min(E_MAX, Math.round(Math.log10(s.max)));
    if (!(Number.isFinite(a) && Number.isFinite(b))) return [];
    const every = Math.max(1, Math.ceil((b - a) / 8));
    const out: number[] = [];
    for (let e = a; e <= b && out.length < MAX_TICKS; e += every) out.push(10 ** e);
    return out;
  }
  const span = s.max - s.min;
  if (!Number.isFinite(span) || !(span > 0)) return Number.isFinite(s.min) ? [s.min] : [];
  const step = niceStep(span / 5);
  const start = Math.ceil(s.min / step);
  const out: number[] = [];
  for (let k = 0; out.length < MAX_TICKS; k++) {
    const v = (start + k) * step;
    if (!(v <= s.max + step * 1e-9)) break;
    out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  }
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

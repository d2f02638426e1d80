// Rank and correlation statistics (docs/observables.md#spearman). Inputs are checked at the public
// functions (docs/validation.md): vectors of finite numbers, no coercion; the internal forms take
// checked Float64Arrays.

import { DdsError } from "../errors.js";
import { pair, vector } from "./args.js";

/** (internal) Average ranks of checked finite data. */
export function ranksOf(x: Float64Array): Float64Array {
  const n = x.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a]! - x[b]! || a - b);
  const ranks = new Float64Array(n);
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && x[order[j + 1]!] === x[order[i]!]) j++;
    const avg = (i + j) / 2 + 1; // positions i..j (0-based) share the mean of i+1..j+1
    for (let k = i; k <= j; k++) ranks[order[k]!] = avg;
    i = j + 1;
  }
  return ranks;
}

/**
 * Ranks with ties averaged (scipy.stats.rankdata "average"), 1-based.
 * @throws {DdsError} x not a vector of numbers; {NonFiniteError} NaN/±Inf in x.
 */
export function rankdata(x: ArrayLike<number>): Float64Array {
  return ranksOf(vector("rankdata", "x", x));
}

/** max |v_i| (0 for empty or all-zero). */
function maxAbs(v: Float64Array): number {
  let m = 0;
  for (const a of v) m = Math.max(m, Math.abs(a));
  return m;
}

/**
 * (internal) A power of two p with p·m in [1, 2) when m is outside [2⁻⁴⁰⁰, 2⁴⁰⁰], else 1: scaling by
 * it is exact, and data in the ordinary range keep their bits.
 */
export function rescale(m: number): number {
  if (!(m > 0) || (m >= 2 ** -400 && m <= 2 ** 400)) return 1;
  let p = 1;
  while (m * p >= 2) p /= 2;
  while (m * p < 1) p *= 2;
  return p;
}

/** (internal) Pearson correlation of checked finite data; NaN when constant or shorter than 2. Each
 * vector far outside the ordinary range is scaled by a power of two first (exact), so 1e±200 data
 * neither overflow nor underflow. */
export function pearsonOf(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  if (n < 2) return NaN;
  const [ax, ay] = [maxAbs(x), maxAbs(y)];
  if (ax === 0 || ay === 0) return NaN;
  const [px, py] = [rescale(ax), rescale(ay)];
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) [mx, my] = [mx + x[i]! * px, my + y[i]! * py];
  mx /= n;
  my /= n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! * px - mx;
    const dy = y[i]! * py - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  if (sxx === 0 || syy === 0) return NaN;
  return sxy / Math.sqrt(sxx * syy);
}

/**
 * Pearson correlation of two vectors of the same length (at least 2 values); NaN when either is
 * constant (the correlation is undefined, as numpy's corrcoef). Scale-invariant: each vector is scaled
 * before squaring.
 * @throws {DdsError} not vectors, different lengths, fewer than 2 values; {NonFiniteError} NaN/±Inf.
 */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const op = "pearson";
  const [a, b] = pair(op, x, y);
  if (a.length < 2) throw new DdsError(op, "BAD_ARGUMENT", `needs at least 2 values, got ${a.length}`);
  return pearsonOf(a, b);
}

/**
 * Spearman rank correlation: Pearson correlation of average ranks (docs/observables.md#spearman).
 * @returns ρ in [−1, 1], or NaN if either rank vector is constant.
 * @throws {DdsError} not vectors, different lengths, fewer than 2 values; {NonFiniteError} NaN/±Inf.
 */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const op = "spearman";
  const [a, b] = pair(op, x, y);
  if (a.length < 2) throw new DdsError(op, "BAD_ARGUMENT", `needs at least 2 values, got ${a.length}`);
  return pearsonOf(ranksOf(a), ranksOf(b));
}

/** (internal) Median of checked finite data; NaN for none. */
export function medianOf(x: ArrayLike<number>): number {
  const s = Float64Array.from(x).sort();
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

/**
 * Median (mean of the two middle values for even length).
 * @throws {DdsError} not a vector, or empty; {NonFiniteError} NaN/±Inf (numpy's median would return nan).
 */
export function median(x: ArrayLike<number>): number {
  return medianOf(vector("median", "x", x, { minLength: 1 }));
}

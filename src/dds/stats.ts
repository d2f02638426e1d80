import { DdsError } from "../errors.js";

function finiteArray(op: string, x: ArrayLike<number>, what: string): void {
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) throw new DdsError(op, "NON_FINITE", `${what}[${i}] is ${String(x[i])}`, { index: i });
  }
}

/**
 * Ranks with ties averaged (scipy.stats.rankdata "average"), 1-based.
 * @throws {DdsError} NaN/±Inf in x.
 */
export function rankdata(x: ArrayLike<number>): Float64Array {
  finiteArray("rankdata", x, "x");
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

/** Pearson correlation; NaN when either vector is constant or shorter than 2. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (n !== y.length) throw new DdsError("pearson", "BAD_ARGUMENT", `x has ${n} values, y has ${y.length}`);
  if (n < 2) return NaN;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) [mx, my] = [mx + x[i]!, my + y[i]!];
  mx /= n;
  my /= n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  if (sxx === 0 || syy === 0) return NaN;
  return sxy / Math.sqrt(sxx * syy);
}

/**
 * Spearman rank correlation: Pearson correlation of average ranks (DDS.md §5.1).
 * @returns ρ in [−1, 1], or NaN if either rank vector is constant.
 * @throws {DdsError} different lengths, or NaN/±Inf in the data.
 */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) throw new DdsError("spearman", "BAD_ARGUMENT", `x has ${x.length} values, y has ${y.length}`);
  return pearson(rankdata(x), rankdata(y));
}

/** Median (mean of the two middle values for even length); NaN for an empty input. */
export function median(x: ArrayLike<number>): number {
  const s = Float64Array.from(x).sort();
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

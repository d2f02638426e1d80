// Cross-sectional statistics over many readings (docs/sweep.md): the Spearman ρ of an observable
// against a swept quantity with a permutation p-value (exact for small n, a seeded Monte Carlo
// otherwise: deterministic, and only + − × ÷ √ so the bits agree in every runtime), the collapse ratio
// between two classes, and per-group medians.

import { is, num, options, pair } from "./args.js";
import { medianOf, ranksOf } from "./stats.js";
import { SeededRandom } from "./synthetic.js";

/** Up to this many points the p-value enumerates every permutation (9! = 362 880). */
export const EXACT_MAX_N = 9;
/** Monte Carlo draws beyond EXACT_MAX_N (the p-value's resolution is about 1/draws). */
export const PERMUTATION_DRAWS = 20_000;

export interface RankCorrelation {
  /** Spearman ρ (average ranks for ties); NaN when either side is constant or n < 2. */
  readonly rho: number;
  /** Two-sided p-value: the share of permutations of y's ranks with |ρ| at least the observed one. */
  readonly p: number;
  /** "exact" (every permutation) or "monte-carlo" (PERMUTATION_DRAWS seeded draws, p = (k + 1)/(draws + 1)). */
  readonly method: "exact" | "monte-carlo" | "none";
  readonly n: number;
}

/**
 * Spearman ρ of x against y and its permutation p-value (two-sided). The permutation null keeps both
 * samples' ties. Deterministic: the Monte Carlo draws come from a fixed seed.
 * @throws {DdsError} different lengths, or NaN/±Inf.
 */
export function spearmanTest(x: ArrayLike<number>, y: ArrayLike<number>, o: { seed?: number; draws?: number } = {}): RankCorrelation {
  const op = "spearmanTest";
  const [xs, ys] = pair(op, x, y);
  const opts = options<{ seed?: number; draws?: number }>(op, o, { seed: is.num({ integer: true }), draws: is.num({ integer: true, min: 1, max: 1e9 }) });
  const n = xs.length;
  const rx = ranksOf(xs);
  const ry = ranksOf(ys);
  const mean = (n + 1) / 2; // the mean of average ranks is always (n + 1)/2
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const [a, b] = [rx[i]! - mean, ry[i]! - mean];
    sxx += a * a;
    syy += b * b;
    sxy += a * b;
  }
  if (n < 2 || sxx === 0 || syy === 0) return Object.freeze({ rho: NaN, p: NaN, method: "none" as const, n });
  const rho = sxy / Math.sqrt(sxx * syy);
  // only the cross term changes under a permutation of y's ranks: compare |Σ a_i b_π(i)| with |sxy|
  const a = Float64Array.from(rx, (v) => v - mean);
  const b = Float64Array.from(ry, (v) => v - mean);
  const bar = Math.abs(sxy) * (1 - 1e-12); // ties of the statistic count as "at least as extreme"
  const cross = (perm: Int32Array): number => {
    let s = 0;
    for (let i = 0; i < n; i++) s += a[i]! * b[perm[i]!]!;
    return s;
  };
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  if (n <= EXACT_MAX_N) {
    // Heap's algorithm: every permutation once
    let hits = 0;
    let total = 0;
    const c = new Int32Array(n);
    const visit = (): void => {
      total++;
      if (Math.abs(cross(perm)) >= bar) hits++;
    };
    visit();
    for (let i = 1; i < n; ) {
      if (c[i]! < i) {
        const j = i % 2 === 0 ? 0 : c[i]!;
        [perm[j], perm[i]] = [perm[i]!, perm[j]!];
        visit();
        c[i]!++;
        i = 1;
      } else {
        c[i] = 0;
        i++;
      }
    }
    return Object.freeze({ rho, p: hits / total, method: "exact" as const, n });
  }
  const draws = opts.draws ?? PERMUTATION_DRAWS;
  const rng = new SeededRandom(opts.seed ?? 20261203);
  let hits = 0;
  for (let d = 0; d < draws; d++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng.uniform() * (i + 1)); // Fisher–Yates
      [perm[j], perm[i]] = [perm[i]!, perm[j]!];
    }
    if (Math.abs(cross(perm)) >= bar) hits++;
  }
  return Object.freeze({ rho, p: (hits + 1) / (draws + 1), method: "monte-carlo" as const, n });
}

export interface Collapse {
  /** Median over the class key ≤ split, over key > split, and their ratio (null unless both are positive). */
  readonly medianLow: number;
  readonly medianHigh: number;
  readonly ratio: number;
  readonly nLow: number;
  readonly nHigh: number;
}

/** The collapse between two classes of a key (e.g. rank deficit 0 vs ≥ 1: split 0): medians and their ratio. */
export function collapseBetween(values: readonly number[], key: readonly number[], split: number): Collapse {
  const op = "collapseBetween";
  const [v, k] = pair(op, values, key, ["values", "key"]);
  num(op, "split", split);
  const low = v.filter((_, i) => k[i]! <= split);
  const high = v.filter((_, i) => k[i]! > split);
  const [ml, mh] = [medianOf(low), medianOf(high)];
  return Object.freeze({ medianLow: ml, medianHigh: mh, ratio: ml > 0 && mh > 0 ? ml / mh : NaN, nLow: low.length, nHigh: high.length });
}

/** Median of each observable per distinct key value, in ascending key order. */
export function groupMedians(values: readonly number[], key: readonly number[]): { key: number; n: number; median: number }[] {
  const [v, keys] = pair("groupMedians", values, key, ["values", "key"]);
  const groups = new Map<number, number[]>();
  keys.forEach((k, i) => groups.set(k, [...(groups.get(k) ?? []), v[i]!]));
  return [...groups].sort((p, q) => p[0] - q[0]).map(([k, g]) => ({ key: k, n: g.length, median: medianOf(g) }));
}

// Cross-sectional statistics and extensions (docs/observables.md#cross-sectional-statistics and #extensions): structural correlation with its
// random-direction null, rank tracking against a closed-form λ, the collapse ratio, direction
// classification along a path, additive RLCT assembly and the LLC comparison hook.

import { DdsError } from "../errors.js";
import { describe } from "../validate.js";
import { field, is, list, options, pair, record, vector } from "./args.js";
import { fitChecked, klOrder, type FitOptions } from "./path.js";
import { medianOf, pearsonOf, ranksOf } from "./stats.js";
import { ln } from "./wmath.js";

/** Spearman ρ of checked data (NaN for fewer than 2 points or a constant side). */
const spearman = (x: readonly number[] | Float64Array, y: readonly number[] | Float64Array): number => pearsonOf(ranksOf(Float64Array.from(x)), ranksOf(Float64Array.from(y)));

/** One cell, seed or checkpoint of a structural-correlation study (docs/observables.md#structural-correlation). */
export interface StructuralCell {
  readonly lambdaMinPos: number;
  readonly sigmaMin: number;
  /** u_deadᵀ G u_dead. */
  readonly qDead: number;
  /** median_k w_kᵀ G w_k over random unit directions (optional). */
  readonly qRand?: number;
  /** u_topᵀ G u_top along the top right-singular vector (optional). */
  readonly qTop?: number;
  /** Grouping key for per-seed correlations (optional). */
  readonly seed?: string | number;
}

export interface StructuralCorrelation {
  /** spearman(λ⁺_min(G), σ_min(X)²). */
  readonly rhoStruct: number;
  /** spearman(u_deadᵀGu_dead, σ_min(X)²). */
  readonly rhoDead: number;
  readonly rhoRand?: number;
  readonly rhoTop?: number;
  /** Per-seed correlations (cells grouped by `seed`), with mean ± std over seeds of rhoDead and rhoRand. */
  readonly perSeed: readonly { seed: string; n: number; rhoDead: number; rhoRand?: number }[];
  readonly rhoDeadMean?: number;
  readonly rhoDeadStd?: number;
  readonly rhoRandMean?: number;
  readonly rhoRandStd?: number;
}

function meanStd(v: number[]): [number, number] {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  const s = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1)) : NaN;
  return [m, s];
}

/** Structural correlation λ⁺_min(G_ℓ) vs σ_min(X_ℓ)² and its directional versions (docs/observables.md#structural-correlation). The claim to test is ρ_dead ≫ ρ_rand. */
export function structuralCorrelation(cells: readonly StructuralCell[]): StructuralCorrelation {
  const op = "structuralCorrelation";
  const seedCheck = field.optional((v) => (typeof v === "string" || (typeof v === "number" && Number.isFinite(v)) ? undefined : `must be a string or a number, got ${describe(v)}`));
  list(op, "cells", cells, (name, c) => record(op, name, c, { lambdaMinPos: field.num(), sigmaMin: field.num(), qDead: field.num(), qRand: field.optional(field.num()), qTop: field.optional(field.num()), seed: seedCheck }));
  const s2 = (cs: readonly StructuralCell[]) => cs.map((c) => c.sigmaMin * c.sigmaMin);
  const has = (k: "qRand" | "qTop") => cells.length > 0 && cells.every((c) => c[k] !== undefined);
  const groups = new Map<string, StructuralCell[]>();
  for (const c of cells) if (c.seed !== undefined) groups.set(String(c.seed), [...(groups.get(String(c.seed)) ?? []), c]);
  const perSeed = [...groups].map(([seed, cs]) => ({
    seed, n: cs.length, rhoDead: spearman(cs.map((c) => c.qDead), s2(cs)),
    ...(has("qRand") ? { rhoRand: spearman(cs.map((c) => c.qRand!), s2(cs)) } : {}),
  }));
  const out: Record<string, unknown> = {
    rhoStruct: spearman(cells.map((c) => c.lambdaMinPos), s2(cells)),
    rhoDead: spearman(cells.map((c) => c.qDead), s2(cells)),
    perSeed,
  };
  if (has("qRand")) out.rhoRand = spearman(cells.map((c) => c.qRand!), s2(cells));
  if (has("qTop")) out.rhoTop = spearman(cells.map((c) => c.qTop!), s2(cells));
  if (perSeed.length > 0) {
    [out.rhoDeadMean, out.rhoDeadStd] = meanStd(perSeed.map((p) => p.rhoDead));
    if (has("qRand")) [out.rhoRandMean, out.rhoRandStd] = meanStd(perSeed.map((p) => p.rhoRand!));
  }
  return Object.freeze(out) as unknown as StructuralCorrelation;
}

/** spearman(observable_j, λ_j) for each named observable (docs/observables.md#collapse-ratio): DDS predicts negative signs at a bottleneck. */
export function rankTracking(observables: Readonly<Record<string, readonly number[]>>, lambda: readonly number[]): Record<string, number> {
  const op = "rankTracking";
  record(op, "observables", observables, {});
  const lam = vector(op, "lambda", lambda);
  return Object.fromEntries(Object.entries(observables).map(([k, v]) => {
    const [a] = pair(op, v, lam, [`observables.${k}`, "lambda"]);
    return [k, spearman(a, lam)];
  }));
}

/** median over deficit-0 cells / median over deficit-≥1 cells (docs/observables.md#collapse-ratio). */
export function collapseRatio(values: readonly number[], deficits: readonly number[]): number {
  const op = "collapseRatio";
  const [v, d] = pair(op, values, deficits, ["values", "deficits"]);
  const d0 = v.filter((_, i) => d[i] === 0);
  const d1 = v.filter((_, i) => d[i]! >= 1);
  if (d0.length === 0 || d1.length === 0) throw new DdsError(op, "BAD_ARGUMENT", `needs values at deficit 0 and at deficit ≥ 1, got ${d0.length} and ${d1.length}`);
  return medianOf(d0) / medianOf(d1);
}

export type DirectionClass = { readonly kind: "gauge" } | { readonly kind: "regular"; readonly k: number; readonly seK: number } | { readonly kind: "singular"; readonly k: number; readonly seK: number };

/**
 * E5: classify a direction from its directional Fisher readings q_j along a path t_j (docs/observables.md#extensions):
 * "gauge" when q_j ≤ floor_j at every point, else fit the rate b of ln q vs ln t over the points above
 * their floors and k = 1 + b/2: "regular" if |k − 1| ≤ 0.25, otherwise "singular".
 */
export function classifyDirection(t: readonly number[], q: readonly number[], floors: readonly number[], o: Pick<FitOptions, "logT"> = {}): DirectionClass {
  const op = "classifyDirection";
  const [tv, qv] = pair(op, t, q, ["t", "q"]);
  const [, fv] = pair(op, t, floors, ["t", "floors"]);
  const opts = options<Pick<FitOptions, "logT">>(op, o, { logT: is.bool });
  if (tv.length === 0) throw new DdsError(op, "BAD_ARGUMENT", "t is empty: there is no path to classify");
  const above = Array.from(qv, (v, i) => v > fv[i]!);
  if (!above.some(Boolean)) return Object.freeze({ kind: "gauge" });
  const fit = fitChecked(op, tv, qv, { logT: opts.logT, mask: above });
  const { k, seK } = klOrder(fit.slope, fit.seSlope);
  return Object.freeze({ kind: Math.abs(k - 1) <= 0.25 ? "regular" : "singular", k, seK });
}

/**
 * E7 additive assembly: λ = Σ_j 1/(2k_j), m = 1, for a locally separable KL divergence Σ c_j w_j^{2k_j}
 * (exact flat directions, k = ∞, add 0). Not Watanabe's rule for products; a heuristic otherwise.
 */
export function additiveRLCT(orders: readonly number[]): { lambda: number; m: 1 } {
  let lambda = 0;
  for (const k of vector("additiveRLCT", "orders", orders, { finite: false })) {
    if (!(k >= 1)) throw new DdsError("additiveRLCT", "BAD_ARGUMENT", `KL orders must be ≥ 1 (or Infinity), got ${k}`);
    if (k !== Infinity) lambda += 1 / (2 * k);
  }
  return { lambda, m: 1 };
}

/**
 * E8 hook: the local learning coefficient of an SGLD run as devinterp's LLCEstimator reports it,
 * llc = nβ·(mean SGLD loss − loss at the initial point), nβ default n/ln n, for side-by-side tables.
 * DDS does not estimate the LLC.
 */
export function llcFromSgld(o: { n: number; meanLoss: number; initLoss: number; nBeta?: number }): number {
  const op = "llcFromSgld";
  record(op, "o", o, { n: field.num({ gt: 1 }), meanLoss: field.num(), initLoss: field.num() });
  options(op, o, { n: is.any, meanLoss: is.any, initLoss: is.any, nBeta: is.num({ gt: 0 }) });
  const nBeta = o.nBeta ?? o.n / ln(o.n);
  return nBeta * (o.meanLoss - o.initLoss);
}

// Directional Fisher readings (docs/observables.md#directional-fisher): uᵀGu in factor form ‖Γu‖²/(c‖u‖²), the
// exact null statistics of uᵀGu for u uniform on the sphere, and the comparison against
// caller-supplied null directions.

import { LinAlgError } from "../errors.js";
import { scaleDivisor } from "../linalg/gram.js";
import { shapeOf, stage, type MatrixInput } from "../linalg/input.js";
import { checkStatus, withKernels } from "../runtime/kernels.js";
import type { KernelExports } from "../runtime/abi.js";
import type { Arena } from "../runtime/memory.js";
import { centered } from "./prep.js";
import { medianOf as median } from "./stats.js";
import { is, options, vector } from "./args.js";

export interface DirectionalOptions {
  /** Gram normaliser (default "mean"). */
  scale?: "mean" | "sum" | "unbiased" | number;
  /** Centre Γ's columns first (default false). */
  center?: boolean;
  /**
   * tr G and tr G² when already known (e.g. Σλ and Σλ² of a spectral reading of the same G), so the
   * null statistics need no second Gram.
   */
  traces?: { readonly trG: number; readonly trG2: number };
}

/** Stage Γ (centred if asked) and return a function q(u) = ‖Γu‖² / (c‖u‖²) evaluated in wasm. */
function withQ<T>(op: string, gamma: MatrixInput, o: DirectionalOptions, body: (q: (u: ArrayLike<number>, what: string) => number, ex: KernelExports, arena: Arena, N: number, p: number, gptr: number, c: number) => T): T {
  const [N, p] = shapeOf(op, gamma);
  options(op, o, { scale: is.scale, center: is.bool, traces: (v) => (v !== null && typeof v === "object" && typeof (v as { trG?: unknown }).trG === "number" && typeof (v as { trG2?: unknown }).trG2 === "number" && Number.isFinite((v as { trG: number }).trG) && Number.isFinite((v as { trG2: number }).trG2) ? undefined : "must be { trG, trG2 } of finite numbers") });
  const c = scaleDivisor(op, o.scale, N);
  const G = o.center ? centered(op, gamma) : gamma;
  return withKernels(op, (ex, arena) => {
    const g = stage(op, ex, arena, G, undefined, { checkFinite: !o.center, what: "gamma" });
    const u = arena.f64(p);
    const y = arena.f64(N);
    const q = (dir: ArrayLike<number>, what: string): number => {
      const d = vector(op, what, dir);
      if (d.length !== p) throw new LinAlgError(op, `${what} has ${d.length} entries but Γ has ${p} columns`, {}, "BAD_ARGUMENT");
      // uᵀGu/‖u‖² is invariant under u → αu: scale u by its largest |entry| first (1e±200 entries
      // neither overflow nor underflow in ‖u‖² and Γu)
      let top = 0;
      for (const v of d) top = Math.max(top, Math.abs(v));
      if (!(top > 0)) throw new LinAlgError(op, `${what} is the zero vector: it has no direction`, {}, "BAD_ARGUMENT");
      u.array.set(d.map((v) => v / top));
      const uu = ex.sumsq_f64(u.ptr, p);
      checkStatus(op, ex.gemv_f64(g.ptr, N, p, p, u.ptr, y.ptr), ex);
      return ex.sumsq_f64(y.ptr, N) / (c * uu);
    };
    return body(q, ex, arena, N, p, g.ptr, c);
  });
}

/**
 * uᵀGu for G = ΓᵀΓ/c, in factor form ‖Γu‖² / (c‖u‖²) (docs/observables.md#directional-fisher): full relative accuracy even
 * when uᵀGu is far below ε‖G‖, where the formed-Gram route returns noise. u need not be unit.
 * @throws {LinAlgError} u has the wrong length or is zero. @throws {NonFiniteError} NaN/±Inf in Γ.
 */
export function dirFisher(gamma: MatrixInput, u: ArrayLike<number>, o: DirectionalOptions = {}): number {
  return withQ("dirFisher", gamma, o, (q) => q(u, "u"));
}

export interface NullStats {
  readonly mean: number;
  readonly var: number;
  readonly sd: number;
}

/**
 * Exact mean and variance of uᵀGu for u uniform on the unit sphere of R^p (docs/observables.md#sphere-null):
 * mean = tr(G)/p, var = 2(p·tr(G²) − tr(G)²)/(p²(p+2)), from Γ (tr G = ‖Γ‖²_F/c, tr G² = ‖ΓᵀΓ‖²_F/c²,
 * formed on the smaller side).
 */
export function nullStats(gamma: MatrixInput, o: DirectionalOptions = {}): NullStats {
  return withQ("nullStats", gamma, o, (_q, ex, arena, N, p, gptr, c) => nullFrom(ex, arena, N, p, gptr, c, o.traces));
}

function nullFrom(ex: KernelExports, arena: Arena, N: number, p: number, gptr: number, c: number, traces?: DirectionalOptions["traces"]): NullStats {
  const op = "nullStats";
  if (p === 0) throw new LinAlgError(op, "Γ has no columns", {}, "BAD_ARGUMENT");
  if (traces) return fromTraces(p, traces.trG, traces.trG2);
  const trG = ex.sumsq_f64(gptr, N * p) / c;
  const sample = N < p;
  const n = sample ? N : p;
  const m = arena.matrix(n, n);
  const work = arena.allocBytes(ex.syrk_workspace(n, sample ? p : N), op);
  if (n > 0) checkStatus(op, (sample ? ex.syrk_rows_f64 : ex.syrk_f64)(gptr, N, p, p, c, m.ptr, n, work), ex);
  return fromTraces(p, trG, n > 0 ? ex.sumsq_f64(m.ptr, n * n) : 0);
}

function fromTraces(p: number, trG: number, trG2: number): NullStats {
  const mean = trG / p;
  const v = Math.max(0, (2 * (p * trG2 - trG * trG)) / (p * p * (p + 2)));
  return Object.freeze({ mean, var: v, sd: Math.sqrt(v) });
}

export interface NullComparison {
  /** uᵀGu at the probe direction. */
  readonly qDead: number;
  /** Exact sphere-null mean and standard deviation (nullStats). */
  readonly nullMean: number;
  readonly nullSd: number;
  /** (qDead − nullMean)/nullSd. */
  readonly z: number;
  /** nullMean / qDead. */
  readonly separation: number;
  /** Fraction of the caller's null directions w_j with q_j ≤ qDead. */
  readonly fracNullBelow: number;
  /** median_j q_j / qDead. */
  readonly separationMedian: number;
  /** q_j for each row of Unull. */
  readonly qNull: Float64Array;
}

/**
 * Compare uᵀGu at a probe direction (e.g. u_dead) with the exact sphere null and with K caller-given
 * null directions, the rows of `Unull` (K × p) (docs/observables.md#empirical-null-and-separation). The library owns no RNG: pass the
 * directions you drew.
 */
export function nullCompare(gamma: MatrixInput, u: ArrayLike<number>, Unull: MatrixInput, o: DirectionalOptions = {}): NullComparison {
  const op = "nullCompare";
  const [K, pw] = shapeOf(op, Unull);
  const W = withKernels(op, (ex, arena) => {
    const s = stage(op, ex, arena, Unull, undefined, { checkFinite: true, what: "Unull" });
    return new Float64Array(arena.buffer(op), s.ptr, K * pw).slice();
  });
  return withQ(op, gamma, o, (q, ex, arena, N, p, gptr, c) => {
    if (pw !== p) throw new LinAlgError(op, `Unull has ${pw} columns but Γ has ${p}`, { shape: [K, pw] }, "BAD_ARGUMENT");
    const qDead = q(u, "u");
    const qNull = new Float64Array(K);
    for (let j = 0; j < K; j++) qNull[j] = q(W.subarray(j * p, (j + 1) * p), `Unull row ${j}`);
    const ns = nullFrom(ex, arena, N, p, gptr, c, o.traces);
    let below = 0;
    for (const v of qNull) if (v <= qDead) below++;
    return Object.freeze({
      qDead, nullMean: ns.mean, nullSd: ns.sd, z: (qDead - ns.mean) / ns.sd, separation: ns.mean / qDead,
      fracNullBelow: K > 0 ? below / K : NaN, separationMedian: median(qNull) / qDead, qNull,
    });
  });
}

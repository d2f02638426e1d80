import { LinAlgError } from "../errors.js";
import { eigvalsh } from "./eigvalsh.js";
import { shapeOf, type Mat, type MatrixInput } from "./input.js";
import { matmul } from "./matmul.js";
import { svd } from "./svd.js";
import { svdvals } from "./svdvals.js";

const EPS = 2 ** -52;

export interface RankOptions {
  /** Relative tolerance on singular values (default max(M, N)·ε, numpy's). */
  rtol?: number;
  /** Absolute tolerance (default 0). The threshold is max(atol, rtol·σ_max). */
  atol?: number;
  /** The matrix is symmetric: use |eigenvalues| of its lower triangle instead of an SVD. */
  hermitian?: boolean;
  checkFinite?: boolean;
}

function threshold(op: string, s: Float64Array, m: number, n: number, o: RankOptions): number {
  const rtol = o.rtol ?? Math.max(m, n) * EPS;
  const atol = o.atol ?? 0;
  if (!(rtol >= 0 && atol >= 0)) throw new LinAlgError(op, `rtol and atol must be ≥ 0, got rtol=${rtol}, atol=${atol}`, {}, "BAD_ARGUMENT");
  return Math.max(atol, rtol * (s[0] ?? 0));
}

/**
 * Numerical rank: the number of singular values above max(atol, rtol·σ_max), rtol default max(M,N)·ε
 * (numpy.linalg.matrix_rank's rule; scipy's atol/rtol names). 0 for an empty or zero matrix.
 * @throws {NonFiniteError} NaN/±Inf. @throws {LinAlgError} bad tolerances, or `hermitian` with a non-square input.
 */
export function matrixRank(a: MatrixInput, o: RankOptions = {}): number {
  const op = "matrixRank";
  const [m, n] = shapeOf(op, a);
  let s: Float64Array;
  if (o.hermitian) {
    if (m !== n) throw new LinAlgError(op, `hermitian needs a square matrix, got ${m}×${n}`, { shape: [m, n] }, "BAD_ARGUMENT");
    s = eigvalsh(a, { checkFinite: o.checkFinite }).map(Math.abs).sort().reverse();
  } else s = svdvals(a, { checkFinite: o.checkFinite });
  const tol = threshold(op, s, m, n, o);
  let r = 0;
  for (const v of s) if (v > tol) r++;
  return r;
}

/**
 * Moore–Penrose pseudo-inverse A⁺ = V·diag(1/σ)·Uᵀ over the singular values above max(atol, rtol·σ_max)
 * (rtol default max(M,N)·ε, numpy.linalg.pinv's rule), computed from our SVD; the product is in wasm.
 * @returns the n × m pseudo-inverse of an m × n input.
 * @throws {NonFiniteError} NaN/±Inf. @throws {LinAlgError} bad tolerances.
 */
export function pinv(a: MatrixInput, o: Omit<RankOptions, "hermitian"> = {}): Mat {
  const op = "pinv";
  const [m, n] = shapeOf(op, a);
  const k = Math.min(m, n);
  if (k === 0) return Object.freeze({ rows: n, cols: m, data: new Float64Array(n * m) });
  const { U, S, Vh } = svd(a, { checkFinite: o.checkFinite });
  const tol = threshold(op, S, m, n, o);
  const W = new Float64Array(k * n); // diag(1/σ) Vh over the kept values, zero rows elsewhere
  for (let t = 0; t < k; t++) {
    if (!(S[t]! > tol)) continue;
    for (let j = 0; j < n; j++) W[t * n + j] = Vh.data[t * n + j]! / S[t]!;
  }
  // A⁺ = Wᵀ Uᵀ (n × m)
  return matmul({ rows: k, cols: n, data: W }, U, { transA: true, transB: true, checkFinite: false });
}

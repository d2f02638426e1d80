import { DdsError, LinAlgError } from "../errors.js";
import { eigvalsh } from "./eigvalsh.js";
import { is, type Check } from "../validate.js";
import { matrixArgs, shapeOf, type FlatArray, type Mat, type MatrixArg } from "./input.js";
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

/** A tolerance: a number ≥ 0 (+Infinity allowed: nothing is above it). */
const tol: Check = (v) => (typeof v === "number" && v >= 0 ? undefined : `must be ≥ 0 (rtol and atol must be ≥ 0), got ${String(v)}`);
const RANK_SPEC: { readonly [K in keyof RankOptions]-?: Check } = { rtol: tol, atol: tol, hermitian: is.bool, checkFinite: is.bool };
const PINV_SPEC: { readonly [K in keyof Omit<RankOptions, "hermitian">]-?: Check } = { rtol: tol, atol: tol, checkFinite: is.bool };

function threshold(s: Float64Array, m: number, n: number, o: RankOptions): number {
  const rtol = o.rtol ?? Math.max(m, n) * EPS;
  const atol = o.atol ?? 0;
  return Math.max(atol, rtol * (s[0] ?? 0));
}

/**
 * Numerical rank: the number of singular values above max(atol, rtol·σ_max), rtol default max(M,N)·ε
 * (numpy.linalg.matrix_rank's rule; scipy's atol/rtol names). 0 for an empty or zero matrix.
 * @param a matrix (see MatrixInput; also `{ shape, data }`); a flat Float64Array/Float32Array needs `shape`.
 * @throws {NonFiniteError} NaN/±Inf. @throws {LinAlgError} bad tolerances, or `hermitian` with a non-square input.
 */
export function matrixRank(a: MatrixArg, o?: RankOptions): number;
export function matrixRank(a: FlatArray, shape: readonly [number, number], o?: RankOptions): number;
export function matrixRank(a: MatrixArg | FlatArray, b?: RankOptions | readonly [number, number], c?: RankOptions): number {
  const op = "matrixRank";
  const [shape, o] = matrixArgs<RankOptions>(op, b, c, RANK_SPEC);
  const [m, n] = shapeOf(op, a, shape, "a");
  const x = (shape ? { data: a as FlatArray, shape } : a) as MatrixArg;
  let s: Float64Array;
  if (o.hermitian) {
    if (m !== n) throw new LinAlgError(op, `hermitian needs a square matrix, got ${m}×${n}`, { shape: [m, n] }, "BAD_ARGUMENT");
    s = rethrowAs(op, () => eigvalsh(x, { checkFinite: o.checkFinite }).map(Math.abs).sort().reverse());
  } else s = rethrowAs(op, () => svdvals(x, { checkFinite: o.checkFinite }));
  const tol = threshold(s, m, n, o);
  let r = 0;
  for (const v of s) if (v > tol) r++;
  return r;
}

/**
 * Moore–Penrose pseudo-inverse A⁺ = V·diag(1/σ)·Uᵀ over the singular values above max(atol, rtol·σ_max)
 * (rtol default max(M,N)·ε, numpy.linalg.pinv's rule), computed from our SVD; the product is in wasm.
 * @returns the n × m pseudo-inverse of an m × n input.
 * @param a matrix (see MatrixInput; also `{ shape, data }`); a flat Float64Array/Float32Array needs `shape`.
 * @throws {NonFiniteError} NaN/±Inf. @throws {LinAlgError} bad tolerances.
 */
export function pinv(a: MatrixArg, o?: Omit<RankOptions, "hermitian">): Mat;
export function pinv(a: FlatArray, shape: readonly [number, number], o?: Omit<RankOptions, "hermitian">): Mat;
export function pinv(a: MatrixArg | FlatArray, b?: Omit<RankOptions, "hermitian"> | readonly [number, number], c?: Omit<RankOptions, "hermitian">): Mat {
  const op = "pinv";
  const [shape, o] = matrixArgs<Omit<RankOptions, "hermitian">>(op, b, c, PINV_SPEC);
  const [m, n] = shapeOf(op, a, shape, "a");
  const x = (shape ? { data: a as FlatArray, shape } : a) as MatrixArg;
  const k = Math.min(m, n);
  if (k === 0) return Object.freeze({ rows: n, cols: m, data: new Float64Array(n * m) });
  const { U, S, Vh } = rethrowAs(op, () => svd(x, { checkFinite: o.checkFinite }));
  const tol = threshold(S, m, n, o);
  const W = new Float64Array(k * n); // diag(1/σ) Vh over the kept values, zero rows elsewhere
  for (let t = 0; t < k; t++) {
    if (!(S[t]! > tol)) continue;
    for (let j = 0; j < n; j++) W[t * n + j] = Vh.data[t * n + j]! / S[t]!;
  }
  // A⁺ = Wᵀ Uᵀ (n × m)
  return rethrowAs(op, () => matmul({ rows: k, cols: n, data: W }, U, { transA: true, transB: true, checkFinite: false }));
}

/** Errors of the functions these are built on carry this function's name (`op`), as every public error does. */
function rethrowAs<T>(op: string, body: () => T): T {
  try {
    return body();
  } catch (err) {
    if (err instanceof DdsError && err.op !== op) {
      Object.defineProperty(err, "op", { value: op });
      const inner = `${err.message}`;
      Object.defineProperty(err, "message", { value: `${op}: ${inner.replace(/^[A-Za-z.]+: /, "")}` });
    }
    throw err;
  }
}

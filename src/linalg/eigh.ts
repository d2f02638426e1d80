import type { FlatArray, Mat, MatrixArg } from "./input.js";
import { splitArgs, symeig, type EighOptions } from "./symeig.js";

export type { EighOptions } from "./symeig.js";

/** Result of `eigh`: eigenvalue i belongs to column i of `eigenvectors`. */
export interface Eigh {
  /** Ascending eigenvalues (m of them: n, or the size of the subset). */
  readonly eigenvalues: Float64Array;
  /** Row-major n × m matrix of orthonormal eigenvectors, one per column (frozen object). */
  readonly eigenvectors: Mat;
}

/**
 * Eigenvalues and eigenvectors of a real symmetric matrix: A·V = V·diag(λ), VᵀV = I, λ ascending
 * (numpy.linalg.eigh, scipy.linalg.eigh).
 *
 * Computed in wasm, LAPACK's way: Householder tridiagonalisation (dsytrd); then for 96 < n ≤ 8192
 * (numpy's dsyevd route) Cuppen's divide and conquer on the tridiagonal (dstedc: rank-one tearing,
 * deflation, the secular equation, Gu–Eisenstat's orthogonal vectors, merges as packed matrix
 * products) and a blocked back-transformation (dormtr); otherwise its Q (dorgtr) and implicit QL/QR
 * with the rotations accumulated into Q (dsteqr); for a subset, bisection (dstebz), inverse iteration
 * with reorthogonalisation of clusters (dstein) and back-transformation (dormtr). Backward stable:
 * tests assert ‖AV − VΛ‖₁ ≤ 30·n·ε·‖A‖₁ and ‖VᵀV − I‖₁ ≤ 30·n·ε. The SIMD and scalar binaries
 * return the same bits.
 *
 * Sign convention: each eigenvector is scaled by ±1 so that its entry of largest magnitude is
 * positive (the first such entry, by row, on exact ties). numpy leaves LAPACK's arbitrary signs; ours
 * are deterministic. Vectors of repeated eigenvalues are an arbitrary orthonormal basis of their space.
 *
 * @param a square matrix (see MatrixInput); a flat Float64Array/Float32Array needs `shape`. Only the
 *   lower triangle is read (`lower: false`: the upper); the input is copied, never modified.
 * @returns a frozen `{ eigenvalues, eigenvectors }`; eigenvectors is a frozen `{rows: n, cols: m, data}`.
 * @throws {NonFiniteError} NaN/±Inf in `a` (with row and column); see eigvalsh for `checkFinite: false`.
 * @throws {NotConvergedError} the iteration cap (`maxIter`) was reached, a secular equation of divide
 *   and conquer did not converge (LAPACK's 30-step cap per root), or inverse iteration failed.
 * @throws {LinAlgError} `a` is not square, or an option is invalid (code BAD_ARGUMENT).
 * @throws {WasmInitError} `init()` was not called.
 *
 * Notes: options as eigvalsh (`subsetByIndex`, `subsetByValue` (vl, vu], `lower`, `checkFinite`,
 * `maxIter`). 0 × 0 gives empty results. Memory: n² f64 for the vectors plus a copy of `a`, and for
 * 96 < n ≤ 8192 a further 2n² f64 of workspace (numpy's dsyevd takes as much; above 8192, QL/QR).
 */
export function eigh(a: MatrixArg, opts?: EighOptions): Eigh;
export function eigh(a: FlatArray, shape: readonly [number, number], opts?: EighOptions): Eigh;
export function eigh(a: MatrixArg | FlatArray, b?: EighOptions | readonly [number, number], c?: EighOptions): Eigh {
  const [shape, opts] = splitArgs("eigh", b, c);
  const r = symeig("eigh", a, shape, opts, true);
  return Object.freeze({ eigenvalues: r.values, eigenvectors: Object.freeze(r.vectors!) });
}

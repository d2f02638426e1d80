import type { FlatArray, MatrixArg } from "./input.js";
import { gejsv, svdvalsArgs, type SvdvalsOptions } from "./svdcore.js";

export type { SvdvalsOptions } from "./svdcore.js";

/**
 * Singular values of a real m × n matrix, descending (numpy.linalg.svd(a, compute_uv=False),
 * scipy.linalg.svdvals).
 *
 * Computed in wasm by LAPACK dgejsv's method: Householder QR (reducing a tall N × d input to d × d at
 * O(N·d²); for N > 9d block by block, so the workspace stays O(d²) beside the staged input), a
 * column-pivoted QR of that triangle, then one-sided Jacobi on Rᵀ with the relative
 * convergence test |cos∠(x_p, x_q)| ≤ √k·ε. Besides the usual normwise bound (|σ̂ᵢ − σᵢ| ≲
 * c·max(m,n)·ε·σ₁), this gives **high relative accuracy** for column-graded matrices A = B·D with B
 * well conditioned: each σ̂ᵢ, even the smallest, has a relative error of order κ(B)·ε (times a modest
 * polynomial in n) whatever D's range and column order (Demmel & Veselić 1992; the tests check ≤ 1e-12
 * at κ(A) ≈ 1e12 against 60-digit references). The Gram route (√ of the eigenvalues of AᵀA) has no
 * such guarantee: in general it loses every σ below about √ε·σ₁ (docs/trust-floors.md, "Arithmetic floors"), and on graded inputs
 * a tridiagonal eigensolver is accurate for one grading direction only. Entries near 1e±300 are
 * handled by exact power-of-two scaling. The SIMD and scalar binaries return the same bits.
 *
 * @param a matrix (see MatrixInput); a flat Float64Array/Float32Array needs `shape`. Copied, never modified.
 * @returns a new Float64Array of the min(m, n) singular values in descending order.
 * @throws {NonFiniteError} NaN/±Inf in `a` (with row and column). `checkFinite: false` skips the
 *   separate scan, but the kernel still refuses non-finite input (it needs max|a_ij| to scale).
 * @throws {NotConvergedError} `maxSweeps` (default 30) Jacobi sweeps did not suffice.
 * @throws {LinAlgError} bad shape or option (code BAD_ARGUMENT).
 * @throws {WasmInitError} `init()` was not called.
 *
 * Notes: a 0 × n or m × 0 input gives an empty array. Exactly repeated or zero singular values are
 * returned as computed (no thresholding); use a rank rule (`matrixRank`, docs/trust-floors.md) to decide which are zero.
 */
export function svdvals(a: MatrixArg, opts?: SvdvalsOptions): Float64Array;
export function svdvals(a: FlatArray, shape: readonly [number, number], opts?: SvdvalsOptions): Float64Array;
export function svdvals(a: MatrixArg | FlatArray, b?: SvdvalsOptions | readonly [number, number], c?: SvdvalsOptions): Float64Array {
  const [shape, opts] = svdvalsArgs(b, c);
  return gejsv("svdvals", a, shape, opts, false).S;
}

import { fullColumns, fullRows } from "./complete.js";
import type { FlatArray, MatrixArg } from "./input.js";
import { gejsv, svdArgs, type SvdOptions, type SvdResult } from "./svdcore.js";

export type { SvdOptions, SvdResult } from "./svdcore.js";

/**
 * Singular value decomposition `A = U·diag(S)·Vh` of a real m × n matrix (numpy.linalg.svd). By
 * default the thin factors (numpy's `full_matrices=False`): U is m × k, S has k values in descending
 * order, Vh is k × n, k = min(m, n). With `fullMatrices: true` (numpy's default, `full_matrices=True`),
 * U is m × m and Vh n × n: the thin factors completed to orthogonal matrices (the extra columns of U
 * and rows of Vh span the null spaces of Aᵀ and A; they are computed in JS by Householder QR of the
 * thin factor, O(m·k·(m − k)), and follow the same sign convention). The default stays thin for
 * compatibility with earlier versions (docs/interop.md).
 *
 * Same method and accuracy as `svdvals` (QR-preconditioned one-sided Jacobi, LAPACK dgejsv): S is
 * relatively accurate for column-graded inputs; ‖A − U·S·Vh‖ ≲ c·max(m,n)·ε·‖A‖; UᵀU and Vh·Vhᵀ are
 * the identity to a few ε·max(m,n). U's columns come from the accumulated Jacobi rotations and the
 * two QR factors, Vh's rows from the orthogonalised Jacobi columns; for an exactly rank-deficient
 * input the rows/columns belonging to zero singular values are completed to an orthonormal set.
 * The SIMD and scalar binaries return the same bits.
 *
 * Sign convention (deterministic, unlike LAPACK's): in each row of Vh the entry of largest absolute
 * value (the first one on exact ties) is positive; the matching column of U is flipped with it.
 * Singular vectors of repeated singular values are an orthonormal basis of the subspace, as in LAPACK.
 *
 * @param a matrix (see MatrixInput); a flat Float64Array/Float32Array needs `shape`. Copied, never modified.
 * @returns a frozen `{ U, S, Vh }` of fresh arrays; with `computeUV: false`, the Float64Array S only
 *   (`fullMatrices` is then ignored, as numpy's).
 * @throws {NonFiniteError} NaN/±Inf in `a` (with row and column). `checkFinite: false` skips the
 *   separate scan, but the kernel still refuses non-finite input (it needs max|a_ij| to scale).
 * @throws {NotConvergedError} `maxSweeps` (default 30) Jacobi sweeps did not suffice.
 * @throws {LinAlgError} bad shape or option (code BAD_ARGUMENT).
 * @throws {WasmInitError} `init()` was not called.
 *
 * Notes: 0 × n gives U 0 × 0, S empty, Vh 0 × n; m × 0 gives U m × 0, Vh 0 × 0 (numpy's shapes).
 * Workspace is about (2·max(m,n) + 3·k)·k doubles on top of the staged copy of `a`.
 */
export function svd(a: MatrixArg, opts?: SvdOptions & { computeUV?: true }): SvdResult;
export function svd(a: MatrixArg, opts: SvdOptions & { computeUV: false }): Float64Array;
export function svd(a: MatrixArg, opts?: SvdOptions): SvdResult | Float64Array;
export function svd(a: FlatArray, shape: readonly [number, number], opts?: SvdOptions & { computeUV?: true }): SvdResult;
export function svd(a: FlatArray, shape: readonly [number, number], opts: SvdOptions & { computeUV: false }): Float64Array;
export function svd(a: FlatArray, shape: readonly [number, number], opts?: SvdOptions): SvdResult | Float64Array;
export function svd(a: MatrixArg | FlatArray, b?: SvdOptions | readonly [number, number], c?: SvdOptions): SvdResult | Float64Array {
  const [shape, opts] = svdArgs(b, c);
  const wantUV = opts.computeUV ?? true;
  const r = gejsv("svd", a, shape, opts, wantUV);
  if (!wantUV) return r.S;
  let U = r.U!;
  let Vh = r.Vh!;
  if (opts.fullMatrices) {
    const m = U.rows;
    const n = Vh.cols;
    const k = r.S.length;
    if (k < m) U = Object.freeze({ rows: m, cols: m, data: fullColumns(U.data, m, k) });
    if (k < n) Vh = Object.freeze({ rows: n, cols: n, data: fullRows(Vh.data, k, n) });
  }
  return Object.freeze({ U, S: r.S, Vh });
}

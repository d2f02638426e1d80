// A null direction of a wide activation matrix (N < d): σ_min(X) = 0 exactly there, and any unit u
// with X·u = 0 is a dead direction. The last column of Q in Xᵀ = Q·R is one, found in O(N²·d) without
// the padded d × d SVD (docs/observables.md#activation-side).

import { LinAlgError } from "../errors.js";
import { shapeOf, stage, type MatrixInput } from "../linalg/input.js";
import { checkStatus, withKernels } from "../runtime/kernels.js";

/**
 * A unit vector u with X·u = 0 for X of shape N × d with N < d (the last column of Q in the
 * Householder QR of Xᵀ); deterministic, the same bits on both binaries.
 * @throws {LinAlgError} N ≥ d (X has no null space as an operator on R^d unless it is rank deficient:
 *   use the SVD). @throws {NonFiniteError} NaN/±Inf in X.
 */
export function nullVector(op: string, x: MatrixInput, what = "X"): Float64Array {
  const [N, d] = shapeOf(op, x);
  if (N >= d) throw new LinAlgError(op, `${what} is ${N} × ${d}: a null vector from the QR of ${what}ᵀ needs fewer rows than columns`, { shape: [N, d] }, "BAD_ARGUMENT");
  return withKernels(op, (ex, arena) => {
    const X = stage(op, ex, arena, x, undefined, { checkFinite: true, what });
    const bytes = ex.null_vector_workspace(N, d);
    if (bytes < 0) throw new LinAlgError(op, `the null vector of a ${N} × ${d} ${what} needs more than 2 GiB of workspace`, { shape: [N, d] }, "OUT_OF_MEMORY");
    const out = arena.f64(d);
    const work = arena.allocBytes(bytes, op);
    checkStatus(op, ex.null_vector_f64(X.ptr, N, d, d, out.ptr, work), ex);
    return out.array.slice();
  });
}

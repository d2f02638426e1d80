import { checkStatus, withKernels } from "../runtime/kernels.js";
import { factorWorkspace } from "../runtime/workspace.js";
import { is, type Check } from "../validate.js";
import { matrixArgs, stage, type FlatArray, type Mat, type MatrixArg } from "./input.js";
import { requireSquare } from "./square.js";

export interface CholeskyOptions {
  /** Return the upper factor U (A = UᵀU) instead of the lower L (A = LLᵀ, numpy's default). */
  upper?: boolean;
  /** Scan the input for NaN/±Inf first (default true). */
  checkFinite?: boolean;
}

const SPEC: { readonly [K in keyof CholeskyOptions]-?: Check } = { upper: is.bool, checkFinite: is.bool };

/**
 * Cholesky factor of a symmetric positive definite matrix: `A = L Lᵀ` (numpy.linalg.cholesky), or
 * `A = Uᵀ U` with `upper: true`. Only the lower triangle of `a` is read (numpy's convention).
 *
 * Blocked right-looking algorithm (LAPACK dpotrf) in wasm; the trailing updates use the same packed
 * f64 tile as `gram`, so results are identical across engines.
 *
 * @returns the triangular factor as a fresh n × n row-major matrix (the other triangle zero).
 * @throws {LinAlgError} code NOT_POSITIVE_DEFINITE when a leading minor is not positive (the message
 *   gives its order), BAD_ARGUMENT for a non-square input.
 * @throws {NonFiniteError} NaN/±Inf in the lower triangle or elsewhere in `a` (unless `checkFinite: false`).
 */
export function cholesky(a: MatrixArg, opts?: CholeskyOptions): Mat;
export function cholesky(a: FlatArray, shape: readonly [number, number], opts?: CholeskyOptions): Mat;
export function cholesky(a: MatrixArg | FlatArray, s?: CholeskyOptions | readonly [number, number], t?: CholeskyOptions): Mat {
  const op = "cholesky";
  const [shape, o] = matrixArgs<CholeskyOptions>(op, s, t, SPEC);
  return withKernels(op, (ex, arena) => {
    const A = stage(op, ex, arena, a, shape, { checkFinite: o.checkFinite ?? true, what: "a" });
    const n = requireSquare(op, A);
    if (n === 0) return Object.freeze({ rows: 0, cols: 0, data: new Float64Array(0) });
    // work on a private copy (an arena view given by the caller is not overwritten)
    const bytes = factorWorkspace(op, n, "cholesky");
    const f = arena.matrix(n, n);
    f.array.set(new Float64Array(arena.buffer(op), A.ptr, n * n));
    ex.mirror_lower_f64(f.ptr, n, n);
    const work = arena.allocBytes(bytes, op);
    checkStatus(op, ex.potrf_f64(f.ptr, n, n, work), ex);
    const u = f.array;
    const out = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        if (o.upper) out[i * n + j] = u[i * n + j]!;
        else out[j * n + i] = u[i * n + j]!;
      }
    }
    return Object.freeze({ rows: n, cols: n, data: out });
  });
}

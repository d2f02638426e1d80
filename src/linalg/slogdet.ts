import { checkStatus, withKernels } from "../runtime/kernels.js";
import { factorWorkspace } from "../runtime/workspace.js";
import { is, type Check } from "../validate.js";
import { matrixArgs, stage, type FlatArray, type MatrixArg } from "./input.js";
import { requireSquare } from "./square.js";

export interface SlogdetOptions {
  /** "gen" (default): LU with partial pivoting, any square matrix. "pos": Cholesky, for symmetric
   * positive definite matrices (lower triangle read); twice as fast. */
  assumeA?: "gen" | "pos";
  /** Scan the input for NaN/±Inf first (default true). */
  checkFinite?: boolean;
}

/** `sign · exp(logabsdet) = det(a)`. */
export interface Slogdet {
  readonly sign: number;
  readonly logabsdet: number;
}

const SPEC: { readonly [K in keyof SlogdetOptions]-?: Check } = { assumeA: is.oneOf("gen", "pos"), checkFinite: is.bool };

/**
 * Sign and natural log of the absolute determinant (numpy.linalg.slogdet).
 *
 * The log is the sum of ln|u_ii| over the factor's diagonal, computed in wasm (so it never forms the
 * product: entries near 1e±300 do not overflow, and the bits are the same in every engine).
 *
 * @returns `{ sign, logabsdet }`; a singular matrix gives `{ sign: 0, logabsdet: -Infinity }` (no
 *   exception, as numpy). A 0×0 matrix gives `{ sign: 1, logabsdet: 0 }`.
 * @throws {LinAlgError} non-square input; with `assumeA: "pos"`, code NOT_POSITIVE_DEFINITE when the
 *   matrix is not (numerically) positive definite — use "gen" for singular or indefinite matrices.
 * @throws {NonFiniteError} NaN/±Inf in `a` (unless `checkFinite: false`).
 */
export function slogdet(a: MatrixArg, opts?: SlogdetOptions): Slogdet;
export function slogdet(a: FlatArray, shape: readonly [number, number], opts?: SlogdetOptions): Slogdet;
export function slogdet(a: MatrixArg | FlatArray, s?: SlogdetOptions | readonly [number, number], t?: SlogdetOptions): Slogdet {
  const op = "slogdet";
  const [shape, o] = matrixArgs<SlogdetOptions>(op, s, t, SPEC);
  const assume = o.assumeA ?? "gen";
  return withKernels(op, (ex, arena) => {
    const A = stage(op, ex, arena, a, shape, { checkFinite: o.checkFinite ?? true, what: "a" });
    const n = requireSquare(op, A);
    if (n === 0) return Object.freeze({ sign: 1, logabsdet: 0 });
    const bytes = factorWorkspace(op, n, assume === "pos" ? "cholesky" : "lu");
    const f = arena.matrix(n, n);
    f.array.set(new Float64Array(arena.buffer(op), A.ptr, n * n));
    const ipiv = arena.allocBytes(4 * n, op);
    const out = arena.f64(2);
    if (assume === "pos") {
      ex.mirror_lower_f64(f.ptr, n, n);
      const work = arena.allocBytes(bytes, op);
      checkStatus(op, ex.potrf_f64(f.ptr, n, n, work), ex);
      checkStatus(op, ex.logdet_tri_f64(f.ptr, n, n, ipiv, 1, out.ptr), ex);
    } else {
      const work = arena.allocBytes(bytes, op);
      checkStatus(op, ex.getrf_f64(f.ptr, n, n, ipiv, work), ex);
      checkStatus(op, ex.logdet_tri_f64(f.ptr, n, n, ipiv, 0, out.ptr), ex);
    }
    const [sign, logabsdet] = out.array;
    return Object.freeze({ sign: sign!, logabsdet: logabsdet! });
  });
}

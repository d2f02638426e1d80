import { LinAlgError } from "../errors.js";
import { checkStatus, withKernels } from "../runtime/kernels.js";
import { gemmWorkspace } from "../runtime/workspace.js";
import { is, type Check } from "../validate.js";
import { plainOptions, shapeOf, stage, type Mat, type MatrixArg } from "./input.js";

export interface MatmulOptions {
  /** Use Aᵀ instead of A. */
  transA?: boolean;
  /** Use Bᵀ instead of B. */
  transB?: boolean;
  /** Scan inputs for NaN/±Inf (default true). */
  checkFinite?: boolean;
}

const SPEC: { readonly [K in keyof MatmulOptions]-?: Check } = { transA: is.bool, transB: is.bool, checkFinite: is.bool };

/**
 * Matrix product `op(A)·op(B)` in wasm (numpy's `A @ B`), with op = transpose on request.
 * Each entry is summed in index order with f64 products (no FMA), so results are identical in every
 * engine and on both binaries.
 *
 * A and B take every matrix form (see MatrixInput), also `load()` results `{ shape, data }`; a flat
 * Float64Array is passed as `{ data, shape: [rows, cols] }` (there are two matrices, so no shape argument).
 * @throws {LinAlgError} inner dimensions differ, or a bad argument or option (code BAD_ARGUMENT).
 * @throws {NonFiniteError} NaN/±Inf in A or B.
 * @throws {DdsError} OUT_OF_MEMORY: the product needs more than 2 GiB of workspace (the message gives the true size).
 */
export function matmul(A: MatrixArg, B: MatrixArg, options?: MatmulOptions): Mat {
  const op = "matmul";
  const o = plainOptions<MatmulOptions>(op, options, SPEC);
  return withKernels(op, (ex, arena) => {
    const checkFinite = o.checkFinite ?? true;
    const [ar, ac] = shapeOf(op, A, undefined, "A", false);
    const [br, bc] = shapeOf(op, B, undefined, "B", false);
    const [m, ka] = o.transA ? [ac, ar] : [ar, ac];
    const [kb, n] = o.transB ? [bc, br] : [br, bc];
    if (ka !== kb) throw new LinAlgError(op, `inner dimensions differ: op(A) is ${m}×${ka}, op(B) is ${kb}×${n}`, { shape: [kb, n] }, "BAD_ARGUMENT");
    const bytes = gemmWorkspace(op, m, n, ka); // before staging: a product too large is refused at once, with its true size
    const a = stage(op, ex, arena, A, undefined, { checkFinite, what: "A", flatForm: false });
    const b = stage(op, ex, arena, B, undefined, { checkFinite, what: "B", flatForm: false });
    const c = arena.matrix(m, n);
    const work = arena.allocBytes(bytes, op);
    checkStatus(op, ex.gemm_f64(m, n, ka, a.ptr, a.cols, o.transA ? 1 : 0, b.ptr, b.cols, o.transB ? 1 : 0, c.ptr, n, work), ex);
    return Object.freeze({ rows: m, cols: n, data: c.array.slice() });
  });
}

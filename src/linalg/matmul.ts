import { LinAlgError } from "../errors.js";
import { checkStatus, withKernels } from "../runtime/kernels.js";
import { stage, type Mat, type MatrixInput } from "./input.js";

export interface MatmulOptions {
  /** Use Aᵀ instead of A. */
  transA?: boolean;
  /** Use Bᵀ instead of B. */
  transB?: boolean;
  /** Scan inputs for NaN/±Inf (default true). */
  checkFinite?: boolean;
}

/**
 * Matrix product `op(A)·op(B)` in wasm (numpy's `A @ B`), with op = transpose on request.
 * Each entry is summed in index order with f64 products (no FMA), so results are identical in every
 * engine and on both binaries.
 * @throws {LinAlgError} inner dimensions differ. @throws {NonFiniteError} NaN/±Inf in A or B.
 */
export function matmul(A: MatrixInput, B: MatrixInput, o: MatmulOptions = {}): Mat {
  const op = "matmul";
  return withKernels(op, (ex, arena) => {
    const checkFinite = o.checkFinite ?? true;
    const a = stage(op, ex, arena, A, undefined, { checkFinite, what: "A" });
    const b = stage(op, ex, arena, B, undefined, { checkFinite, what: "B" });
    const [m, ka] = o.transA ? [a.cols, a.rows] : [a.rows, a.cols];
    const [kb, n] = o.transB ? [b.cols, b.rows] : [b.rows, b.cols];
    if (ka !== kb) throw new LinAlgError(op, `inner dimensions differ: op(A) is ${m}×${ka}, op(B) is ${kb}×${n}`, { shape: [kb, n] }, "BAD_ARGUMENT");
    const c = arena.matrix(m, n);
    const work = arena.allocBytes(ex.gemm_workspace(m, n, ka), op);
    checkStatus(op, ex.gemm_f64(m, n, ka, a.ptr, a.cols, o.transA ? 1 : 0, b.ptr, b.cols, o.transB ? 1 : 0, c.ptr, n, work), ex);
    return Object.freeze({ rows: m, cols: n, data: c.array.slice() });
  });
}

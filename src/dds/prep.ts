// Input preparation shared by the readings: column centring (docs/observables.md#inputs-and-conventions, `center`).
import { checkStatus, withKernels } from "../runtime/kernels.js";
import { shapeOf, stage, type Mat, type MatrixInput } from "../linalg/input.js";

/** A copy of the matrix with column means subtracted (in wasm: means summed in row order, then ÷ N). */
export function centered(op: string, x: MatrixInput): Mat {
  const [rows, cols] = shapeOf(op, x);
  return withKernels(op, (ex, arena) => {
    let X = stage(op, ex, arena, x, undefined, { checkFinite: true, what: "X" });
    if (X.zeroCopy) {
      // never centre a caller's arena view in place
      const copy = arena.matrix(rows, cols);
      copy.array.set(new Float64Array(arena.buffer(op), X.ptr, rows * cols));
      X = { ...X, ptr: copy.ptr, zeroCopy: false };
    }
    const work = arena.f64(cols);
    checkStatus(op, ex.center_cols_f64(X.ptr, rows, cols, cols, work.ptr), ex);
    return Object.freeze({ rows, cols, data: new Float64Array(arena.buffer(op), X.ptr, rows * cols).slice() });
  });
}

/** The matrix as a row-major f64 Mat: `{rows, cols, data: Float64Array}` inputs as they are, others copied once. */
export function asMat(op: string, x: MatrixInput): Mat {
  const [rows, cols] = shapeOf(op, x);
  const d = (x as { data?: unknown }).data;
  if (d instanceof Float64Array && !(x instanceof Array)) return { rows, cols, data: d };
  return withKernels(op, (ex, arena) => {
    const X = stage(op, ex, arena, x, undefined, { checkFinite: false });
    return Object.freeze({ rows, cols, data: new Float64Array(arena.buffer(op), X.ptr, rows * cols).slice() });
  });
}

// Accepting matrices: Float64Array/Float32Array + shape, {data, rows, cols}, number[][], ml-matrix
// Matrix, or an arena MatView (zero-copy). Everything else is copied once into the arena.

import { DdsError, LinAlgError } from "../errors.js";
import { describe } from "../validate.js";
import type { KernelExports } from "../runtime/abi.js";
import { nonFinite } from "../runtime/kernels.js";
import { MatView, checkDim, type Arena } from "../runtime/memory.js";

/** A row-major dense matrix. */
export interface Mat {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** Row-major data with its shape; Float32Array is widened exactly to f64. */
export interface DenseMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array | Float32Array;
}

/** The part of ml-matrix's `Matrix` we read (duck-typed: no dependency). */
export interface MatrixLike {
  readonly rows: number;
  readonly columns: number;
  getRow(i: number): ArrayLike<number>;
}

/** Every matrix form the linear-algebra functions take. */
export type MatrixInput = DenseMatrix | MatView | MatrixLike | ArrayLike<ArrayLike<number>>;

/** A flat row-major array, given together with its shape. */
export type FlatArray = Float64Array | Float32Array;

/** A matrix staged in wasm memory. */
export interface Staged {
  readonly ptr: number;
  readonly rows: number;
  readonly cols: number;
  /** True when the caller's own arena view is used in place. */
  readonly zeroCopy: boolean;
  /** Element type in wasm memory: f32 only when the caller allowed it (`keepF32`) and gave f32 data. */
  readonly dtype: "f64" | "f32";
}

/** Options of `stage`. */
export interface StageOptions {
  /** Scan for NaN/±Inf (NonFiniteError with position). */
  checkFinite: boolean;
  /** Name of the argument in error messages (default "input"). */
  what?: string;
  /** Keep Float32Array data as f32 in wasm memory (for kernels that widen while they read). */
  keepF32?: boolean;
}

function isMatrixLike(x: object): x is MatrixLike {
  return typeof (x as MatrixLike).getRow === "function" && typeof (x as MatrixLike).columns === "number";
}

/** Shape of an input, validated. */
export function shapeOf(op: string, x: MatrixInput | FlatArray, shape?: readonly [number, number]): [number, number] {
  if (x === null || typeof x !== "object") throw new LinAlgError(op, `expected a matrix, got ${x === null ? "null" : typeof x}`, {}, "BAD_ARGUMENT");
  if (x instanceof Float64Array || x instanceof Float32Array) {
    if (!shape) throw new LinAlgError(op, "a flat typed array needs its shape: pass [rows, cols]", {}, "BAD_ARGUMENT");
    const [r, c] = shape;
    checkDim(op, r, "rows");
    checkDim(op, c, "cols");
    if (r * c !== x.length) throw new LinAlgError(op, `shape [${r}, ${c}] needs ${r * c} elements, the array has ${x.length}`, { shape: [r, c] }, "BAD_ARGUMENT");
    return [r, c];
  }
  if (x instanceof MatView) return [x.rows, x.cols];
  if (ArrayBuffer.isView(x)) {
    const kind = x.constructor.name;
    const big = x instanceof BigInt64Array || x instanceof BigUint64Array;
    throw new LinAlgError(op, `a ${kind} is not a matrix: pass a Float64Array or Float32Array with its shape${big ? "" : ` (convert with Float64Array.from(x))`}, {rows, cols, data}, number[][] or an ml-matrix Matrix`, {}, "BAD_ARGUMENT");
  }
  if (isMatrixLike(x)) return [x.rows, x.columns];
  if ("data" in x && (x.data instanceof Float64Array || x.data instanceof Float32Array)) {
    const { rows, cols, data } = x as DenseMatrix;
    checkDim(op, rows, "rows");
    checkDim(op, cols, "cols");
    if (rows * cols !== data.length) {
      throw new LinAlgError(op, `rows·cols = ${rows}·${cols} = ${rows * cols} but data has ${data.length} elements`, { shape: [rows, cols] }, "BAD_ARGUMENT");
    }
    return [rows, cols];
  }
  if (typeof (x as ArrayLike<unknown>).length === "number") {
    const rowsArr = x as ArrayLike<ArrayLike<number>>;
    const rows = rowsArr.length;
    const cols = rows > 0 ? (rowsArr[0]?.length ?? -1) : 0;
    for (let i = 0; i < rows; i++) {
      const row = rowsArr[i];
      if (row === null || typeof row !== "object" || typeof (row as ArrayLike<number>).length !== "number" || row.length !== cols) {
        throw new LinAlgError(op, `ragged nested array: row 0 has ${cols} entries, row ${i} has ${row?.length ?? "none"}`, { row: i }, "BAD_ARGUMENT");
      }
    }
    return [rows, cols];
  }
  throw new LinAlgError(op, "expected Float64Array/Float32Array with a shape, {data, rows, cols}, number[][], an ml-matrix Matrix or an arena view", {}, "BAD_ARGUMENT");
}

/**
 * Put `x` into wasm memory, row-major (a MatView of the live arena is used in place). f32 data stays
 * f32 when `keepF32` (half the bytes; the kernel widens exactly), otherwise it is widened to f64 here.
 * With `checkFinite`, one wasm scan finds the first NaN/Inf and throws NonFiniteError with its position.
 */
export function stage(op: string, ex: KernelExports, arena: Arena, x: MatrixInput | FlatArray, shape: readonly [number, number] | undefined, o: StageOptions): Staged {
  const [rows, cols] = shapeOf(op, x, shape);
  const what = o.what ?? "input";
  const flat0 = x instanceof Float64Array || x instanceof Float32Array ? x : "data" in x && (x.data instanceof Float64Array || x.data instanceof Float32Array) ? (x as DenseMatrix).data : undefined;
  let ptr: number;
  let zeroCopy = false;
  // data that lives in wasm memory itself (e.g. { data: view.data }): the allocation below may grow the
  // memory and detach its buffer, so take a copy first
  let flat = flat0;
  if (flat && flat.buffer === arena.buffer(op)) flat = flat.slice();
  let dtype: "f64" | "f32" = "f64";
  if (x instanceof MatView) {
    if (x.arena !== arena) throw new DdsError(op, "BAD_ARGUMENT", "this view belongs to another (discarded) kernels instance; allocate it again with arena().matrix()");
    ptr = x.ptr;
    zeroCopy = true;
  } else if (flat instanceof Float32Array && o.keepF32) {
    ptr = arena.allocBytes(rows * cols * 4, op);
    new Float32Array(arena.buffer(op), ptr, rows * cols).set(flat);
    dtype = "f32";
  } else {
    const view = arena.matrix(rows, cols);
    const dst = view.array;
    ptr = view.ptr;
    if (flat) dst.set(flat);
    else if (isMatrixLike(x)) {
      for (let i = 0; i < rows; i++) {
        const row = x.getRow(i);
        if (row === null || typeof row !== "object" || row.length !== cols) {
          throw new LinAlgError(op, `${what}.getRow(${i}) returned ${row === null || typeof row !== "object" ? String(row) : `${row.length} values`}; the matrix has ${cols} columns`, { row: i }, "BAD_ARGUMENT");
        }
        copyRow(op, what, row, i, cols, dst);
      }
    } else {
      const nested = x as ArrayLike<ArrayLike<number>>;
      for (let i = 0; i < rows; i++) copyRow(op, what, nested[i]!, i, cols, dst);
    }
  }
  if (o.checkFinite && rows * cols > 0) {
    const bad = dtype === "f32" ? ex.find_nonfinite_f32(ptr, rows * cols) : ex.find_nonfinite_f64(ptr, rows * cols);
    if (bad >= 0) {
      const data = dtype === "f32" ? new Float32Array(arena.buffer(op), ptr, rows * cols) : new Float64Array(arena.buffer(op), ptr, rows * cols);
      throw nonFinite(op, bad, { cols, what, value: (i) => data[i]! });
    }
  }
  return { ptr, rows, cols, zeroCopy, dtype };
}

/** Copy one row of numbers into wasm memory; anything but a number (null, "2", true …) is an error naming its place. */
function copyRow(op: string, what: string, row: ArrayLike<unknown>, i: number, cols: number, dst: Float64Array): void {
  const off = i * cols;
  for (let j = 0; j < cols; j++) {
    const v = row[j];
    if (typeof v !== "number") {
      throw new LinAlgError(op, `${what}[${i}][${j}] must be a number, got ${describe(v)} (row ${i}, column ${j})`, { row: i, col: j }, "BAD_ARGUMENT");
    }
    dst[off + j] = v;
  }
}


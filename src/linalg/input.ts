// Accepting matrices: Float64Array/Float32Array + shape, {data, rows, cols}, number[][], ml-matrix
// Matrix, or an arena MatView (zero-copy). Everything else is copied once into the arena.

import { DdsError, LinAlgError, type ErrorLocation } from "../errors.js";
import { describe, options, type Check } from "../validate.js";
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
  /** The function takes `(x, [rows, cols])` (default true); messages suggest `{ data, shape }` otherwise. */
  flatForm?: boolean;
}

function isMatrixLike(x: object): x is MatrixLike {
  return typeof (x as MatrixLike).getRow === "function" && typeof (x as MatrixLike).columns === "number";
}

/** A `load()` result or anything shaped like it: `{ shape: [rows, cols], data }` (docs/interop.md). */
export interface ShapedTensor {
  readonly shape: readonly number[];
  readonly data: Float64Array | Float32Array;
}

/** Every matrix form the linear-algebra functions take, plus `{ shape, data }` (a `load()` result). */
export type MatrixArg = MatrixInput | ShapedTensor;

const isFlat = (x: unknown): x is FlatArray => x instanceof Float64Array || x instanceof Float32Array;

/** LinAlgError BAD_ARGUMENT: the error of every argument check of the linear-algebra functions. */
export const badArg = (op: string, message: string, where: ErrorLocation = {}): LinAlgError => new LinAlgError(op, message, where, "BAD_ARGUMENT");

/** The accepted forms, for messages; `flat` says whether this function takes `(x, [rows, cols])`. */
function forms(flat: boolean): string {
  return `${flat ? "a Float64Array/Float32Array with its shape (x, [rows, cols]), " : ""}{ data, shape: [rows, cols] } (a load() result), { rows, cols, data }, number[][], an ml-matrix Matrix or an arena MatView`;
}

/** How this function takes a flat typed array: `(x, [rows, cols])` where it can, else `{ data, shape }`. */
function flatHint(flat: boolean): string {
  return flat ? "pass (x, [rows, cols]) or { data: x, shape: [rows, cols] }" : "pass { data: x, shape: [rows, cols] }";
}

/** Shape of an input, validated; errors name the argument (`what`) and, for nested arrays, the row. */
export function shapeOf(op: string, x: MatrixArg | FlatArray, shape?: readonly [number, number], what = "input", flatForm = true): [number, number] {
  if (x === null || typeof x !== "object") throw badArg(op, `${what} must be a matrix, got ${describe(x)}; pass ${forms(flatForm)}`);
  if (isFlat(x)) {
    if (!shape) throw badArg(op, `${what}: a flat ${x.constructor.name} needs its shape: ${flatHint(flatForm)}`);
    const [r, c] = shape;
    checkDim(op, r, "shape[0] (rows)");
    checkDim(op, c, "shape[1] (cols)");
    if (r * c !== x.length) throw badArg(op, `${what}: shape [${r}, ${c}] needs ${r * c} elements, the array has ${x.length}`, { shape: [r, c] });
    return [r, c];
  }
  if (shape) throw badArg(op, `a shape [rows, cols] goes only with a flat Float64Array/Float32Array; ${what} is ${describe(x)}, which carries its own`);
  if (x instanceof MatView) return [x.rows, x.cols];
  if (ArrayBuffer.isView(x)) {
    const kind = x.constructor.name;
    const big = x instanceof BigInt64Array || x instanceof BigUint64Array;
    throw badArg(op, `${what}: a ${kind} is not a matrix: pass a Float64Array or Float32Array${big ? " (Float64Array.from(x, Number) if the values fit)" : ` (convert with Float64Array.from(x))`}; ${flatHint(flatForm)}`);
  }
  if (isMatrixLike(x)) {
    checkDim(op, x.rows, `${what}.rows`);
    checkDim(op, x.columns, `${what}.columns`);
    return [x.rows, x.columns];
  }
  if ("data" in x && "shape" in x && !("rows" in x)) {
    const { shape: s, data } = x as ShapedTensor;
    if (!Array.isArray(s)) throw badArg(op, `${what}.shape must be an array [rows, cols], got ${describe(s)}`);
    if (s.length !== 2) throw badArg(op, `${what} must be 2-D: its shape is [${s.join(", ")}] (${s.length} axes); pass it reshaped to 2-D, e.g. { shape: [rows, cols], data } with the leading axes merged into rows`, { shape: s });
    checkDim(op, s[0], `${what}.shape[0]`);
    checkDim(op, s[1], `${what}.shape[1]`);
    if (!isFlat(data)) throw badArg(op, `${what}.data must be a Float64Array or Float32Array, got ${describe(data)}`);
    if (s[0] * s[1] !== data.length) throw badArg(op, `${what}: shape [${s[0]}, ${s[1]}] needs ${s[0] * s[1]} elements, data has ${data.length}`, { shape: s });
    return [s[0], s[1]];
  }
  if ("data" in x && "rows" in x) {
    const { rows, cols, data } = x as DenseMatrix;
    checkDim(op, rows, `${what}.rows`);
    checkDim(op, cols, `${what}.cols`);
    if (!isFlat(data)) throw badArg(op, `${what}.data must be a Float64Array or Float32Array, got ${describe(data)}`);
    if (rows * cols !== data.length) {
      throw badArg(op, `${what}: rows·cols = ${rows}·${cols} = ${rows * cols} but data has ${data.length} elements`, { shape: [rows, cols] });
    }
    return [rows, cols];
  }
  if (Array.isArray(x)) {
    const rowsArr = x as ArrayLike<unknown>;
    const rows = rowsArr.length;
    let cols = 0;
    for (let i = 0; i < rows; i++) {
      const row = rowsArr[i];
      const isRow = Array.isArray(row) || isFlat(row);
      if (!isRow) {
        const hint = i === 0 && (typeof row === "number" || typeof row === "bigint") ? ` (${what} must be a matrix; this looks like a vector: wrap one row as [x], or ${flatHint(flatForm)})` : "";
        throw badArg(op, `${what}[${i}] must be a row (an array of numbers), got ${describe(row)}${hint}`, { row: i });
      }
      const len = (row as ArrayLike<number>).length;
      if (i === 0) cols = len;
      else if (len !== cols) throw badArg(op, `${what} is a ragged nested array: row 0 has ${cols} entries, row ${i} has ${len}`, { row: i });
    }
    return [rows, cols];
  }
  throw badArg(op, `${what} must be a matrix, got ${describe(x)}; pass ${forms(flatForm)}`);
}

/**
 * The `(x, shape?, options?)` overloads of a one-matrix function: a shape pair [rows, cols] (checked
 * integers) then the options, validated by `spec` (unknown names refused, null/undefined = defaults).
 */
export function matrixArgs<O extends object>(op: string, a: unknown, b: unknown, spec: { readonly [K in keyof O]-?: Check }): [readonly [number, number] | undefined, O] {
  if (Array.isArray(a)) {
    if (a.length !== 2) throw badArg(op, `shape must be a pair [rows, cols], got ${describe(a)}`);
    checkDim(op, a[0], "shape[0] (rows)");
    checkDim(op, a[1], "shape[1] (cols)");
    return [a as unknown as readonly [number, number], options<O>(op, b, spec, "options", badArg)];
  }
  if (b !== undefined) throw badArg(op, `unexpected third argument ${describe(b)}: the (x, [rows, cols], options) form needs the shape second`);
  return [undefined, options<O>(op, a, spec, "options", badArg)];
}

/** Options of a function without a shape form (`matmul`, `hadamardGram`). */
export function plainOptions<O extends object>(op: string, o: unknown, spec: { readonly [K in keyof O]-?: Check }): O {
  return options<O>(op, o, spec, "options", badArg);
}

/**
 * Put `x` into wasm memory, row-major (a MatView of the live arena is used in place). f32 data stays
 * f32 when `keepF32` (half the bytes; the kernel widens exactly), otherwise it is widened to f64 here.
 * With `checkFinite`, one wasm scan finds the first NaN/Inf and throws NonFiniteError with its position.
 */
export function stage(op: string, ex: KernelExports, arena: Arena, x: MatrixArg | FlatArray, shape: readonly [number, number] | undefined, o: StageOptions): Staged {
  const what = o.what ?? "input";
  const [rows, cols] = shapeOf(op, x, shape, what, o.flatForm ?? true);
  const flat0 = isFlat(x) ? x : isFlat((x as { data?: unknown }).data) && !(x instanceof MatView) ? (x as DenseMatrix).data : undefined;
  let ptr: number;
  let zeroCopy = false;
  // data that lives in wasm memory itself (e.g. { data: view.data }, or rows that are subarrays of a
  // view): the allocation below may grow the memory and detach its buffer, so take a copy first
  const live = arena.buffer(op);
  let flat = flat0;
  if (flat && flat.buffer === live) flat = flat.slice();
  let nested: ArrayLike<ArrayLike<number>> | undefined;
  if (!flat && Array.isArray(x)) {
    nested = x as ArrayLike<ArrayLike<number>>;
    if (nested.length > 0 && Array.prototype.some.call(nested, (r: unknown) => ArrayBuffer.isView(r) && r.buffer === live)) {
      nested = Array.from(nested, (r) => (ArrayBuffer.isView(r) && r.buffer === live ? (r as Float64Array).slice() : r));
    }
  }
  let dtype: "f64" | "f32" = "f64";
  if (x instanceof MatView) {
    if (x.arena !== arena) throw new DdsError(op, "BAD_ARGUMENT", `${what} belongs to another (discarded) kernels instance; allocate it again with arena().matrix()`);
    if (x.freed) throw new DdsError(op, "BAD_ARGUMENT", `${what} is an arena view that was freed (by ${x.block.freed}); its memory may hold anything now`);
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
        const row = x.getRow(i); // may allocate scratch (and grow memory): the destination is re-derived below
        if (row === null || typeof row !== "object" || row.length !== cols) {
          throw new LinAlgError(op, `${what}.getRow(${i}) returned ${row === null || typeof row !== "object" ? String(row) : `${row.length} values`}; the matrix has ${cols} columns`, { row: i }, "BAD_ARGUMENT");
        }
        copyRow(op, what, row, i, cols, view.array);
      }
    } else {
      for (let i = 0; i < rows; i++) copyRow(op, what, nested![i]!, i, cols, dst);
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


// Converting results to plain JS and to other libraries (docs/interop.md). Inputs need no converting:
// every linear-algebra function takes number[][], ml-matrix's Matrix, { rows, cols, data } and
// load() results { shape, data } directly.

import { DdsError } from "./errors.js";
import type { MatrixLike } from "./linalg/input.js";
import { describe } from "./validate.js";

/** A matrix result (`gram`, `svd().U`, `eigh().eigenvectors`, an arena MatView …): row-major data with its shape. */
export interface RowMajor {
  readonly rows: number;
  readonly cols: number;
  readonly data: ArrayLike<number>;
}

/** A `load()` result or anything with a numpy-style shape: 1-D or 2-D. */
export interface Shaped {
  readonly shape: readonly number[];
  readonly data: ArrayLike<number>;
}

/** A constructor that takes nested rows, as ml-matrix's `Matrix` does (`new Matrix(number[][])`). */
export type NestedMatrixClass<T> = new (rows: number[][]) => T;

const isNumArray = (x: unknown): x is ArrayLike<number> =>
  (ArrayBuffer.isView(x) && !(x instanceof DataView) && !(x instanceof BigInt64Array) && !(x instanceof BigUint64Array)) || Array.isArray(x);

function intIn(op: string, v: unknown, what: string): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) throw new DdsError(op, "BAD_ARGUMENT", `${what} must be a non-negative integer, got ${describe(v)}`);
  return v;
}

function vectorOf(op: string, x: ArrayLike<number>, what: string): number[] {
  const out = new Array<number>(x.length);
  for (let i = 0; i < x.length; i++) {
    const v: unknown = x[i];
    if (typeof v !== "number") throw new DdsError(op, "BAD_ARGUMENT", `${what}[${i}] must be a number, got ${describe(v)}`, { index: i });
    out[i] = v;
  }
  return out;
}

function rowsOf(op: string, data: unknown, rows: number, cols: number, what: string): number[][] {
  if (!isNumArray(data)) throw new DdsError(op, "BAD_ARGUMENT", `${what}.data must be a Float64Array, Float32Array or number[], got ${describe(data)}`);
  if (rows * cols !== data.length) throw new DdsError(op, "BAD_ARGUMENT", `${what}: ${rows} × ${cols} needs ${rows * cols} values, data has ${data.length}`, { shape: [rows, cols] });
  const out: number[][] = [];
  for (let i = 0; i < rows; i++) {
    const row = new Array<number>(cols);
    for (let j = 0; j < cols; j++) {
      const v: unknown = data[i * cols + j];
      if (typeof v !== "number") throw new DdsError(op, "BAD_ARGUMENT", `${what}.data[${i * cols + j}] must be a number, got ${describe(v)} (row ${i}, column ${j})`, { row: i, col: j });
      row[j] = v;
    }
    out.push(row);
  }
  return out;
}

/**
 * Nested plain arrays of a result: `number[][]` (rows) for a matrix — `{ rows, cols, data }` (what
 * `gram`, `matmul`, `pinv`, `cholesky` return, `svd().U`/`.Vh`, `eigh().eigenvectors`), an arena
 * `MatView`, a 2-D `load()` result `{ shape: [rows, cols], data }`, an ml-matrix `Matrix` — and `number[]` for a vector
 * (a Float64Array such as `eigvalsh()` or `svd().S`, a number[], or a 1-D `load()` result).
 * The values are copied; a 0 × n matrix gives `[]`, an n × 0 one n empty rows.
 * @throws {DdsError} BAD_ARGUMENT: anything else (null, a BigInt64Array, a shape with more than 2 axes,
 *   data whose length does not match the shape, a non-number entry), naming the argument.
 */
export function toArray(m: RowMajor | MatrixLike | (Shaped & { readonly shape: readonly [number, number] })): number[][];
export function toArray(v: ArrayLike<number> | (Shaped & { readonly shape: readonly [number] })): number[];
export function toArray(m: RowMajor | MatrixLike | Shaped | ArrayLike<number>): number[][] | number[];
export function toArray(m: unknown): number[][] | number[] {
  const op = "toArray";
  if (isNumArray(m)) {
    if (Array.isArray(m) && m.some((r) => Array.isArray(r) || ArrayBuffer.isView(r))) throw new DdsError(op, "BAD_ARGUMENT", "m is already nested arrays (a matrix as number[][]): nothing to convert");
    return vectorOf(op, m, "m");
  }
  if (m === null || typeof m !== "object") throw new DdsError(op, "BAD_ARGUMENT", `m must be a matrix { rows, cols, data }, a { shape, data } tensor or a vector, got ${describe(m)}`);
  const o = m as Partial<RowMajor & Shaped>;
  const ml = m as { rows?: unknown; columns?: unknown; getRow?: unknown };
  if (typeof ml.getRow === "function" && typeof ml.columns === "number") {
    // an ml-matrix Matrix (or anything with rows, columns, getRow)
    const r = intIn(op, ml.rows, "m.rows");
    const c = intIn(op, ml.columns, "m.columns");
    const out: number[][] = [];
    for (let i = 0; i < r; i++) {
      const row: unknown = (ml.getRow as (i: number) => unknown)(i);
      if (!isNumArray(row) || row.length !== c) throw new DdsError(op, "BAD_ARGUMENT", `m.getRow(${i}) must return ${c} numbers, got ${describe(row)}`, { row: i });
      out.push(vectorOf(op, row, `m.getRow(${i})`));
    }
    return out;
  }
  if (o.rows !== undefined || o.cols !== undefined) {
    return rowsOf(op, o.data, intIn(op, o.rows, "m.rows"), intIn(op, o.cols, "m.cols"), "m");
  }
  if (o.shape !== undefined) {
    const s = o.shape;
    if (!Array.isArray(s)) throw new DdsError(op, "BAD_ARGUMENT", `m.shape must be an array, got ${describe(s)}`);
    if (s.length === 1) {
      intIn(op, s[0], "m.shape[0]");
      if (!isNumArray(o.data)) throw new DdsError(op, "BAD_ARGUMENT", `m.data must be a Float64Array, Float32Array or number[], got ${describe(o.data)}`);
      if (o.data.length !== s[0]) throw new DdsError(op, "BAD_ARGUMENT", `m: shape [${s[0]}] needs ${s[0]} values, data has ${o.data.length}`, { shape: s });
      return vectorOf(op, o.data, "m.data");
    }
    if (s.length !== 2) throw new DdsError(op, "BAD_ARGUMENT", `m must be 1-D or 2-D, its shape is [${s.join(", ")}]`, { shape: s });
    return rowsOf(op, o.data, intIn(op, s[0], "m.shape[0]"), intIn(op, s[1], "m.shape[1]"), "m");
  }
  throw new DdsError(op, "BAD_ARGUMENT", `m must be a matrix { rows, cols, data }, a { shape, data } tensor or a vector, got ${describe(m)}`);
}

/**
 * A result as an object of another matrix library, built by its constructor from nested rows:
 * `toMatrix(gram(x), Matrix)` with ml-matrix's `Matrix` (`import { Matrix } from "ml-matrix"`; this
 * package does not depend on ml-matrix: you pass the class). Any class whose constructor takes
 * `number[][]` works. A vector becomes a column (n × 1), as ml-matrix's `Matrix.columnVector`.
 * Going back needs nothing: every linear-algebra function takes an ml-matrix `Matrix` as it is.
 * @throws {DdsError} BAD_ARGUMENT: `m` is not a matrix or vector (see `toArray`), or `MatrixClass` is not a constructor.
 */
export function toMatrix<T>(m: RowMajor | MatrixLike | Shaped | ArrayLike<number>, MatrixClass: NestedMatrixClass<T>): T {
  const op = "toMatrix";
  if (typeof MatrixClass !== "function") throw new DdsError(op, "BAD_ARGUMENT", `MatrixClass must be a class whose constructor takes number[][] (e.g. ml-matrix's Matrix), got ${describe(MatrixClass)}`);
  let rows: number[][] | number[];
  try {
    rows = toArray(m);
  } catch (err) {
    if (err instanceof DdsError) throw new DdsError(op, err.code, err.message.replace(/^toArray: /, ""), { ...(err.row !== undefined ? { row: err.row } : {}), ...(err.col !== undefined ? { col: err.col } : {}), ...(err.index !== undefined ? { index: err.index } : {}) });
    throw err;
  }
  const nested = rows.length > 0 && !Array.isArray(rows[0]) ? (rows as number[]).map((v) => [v]) : (rows as number[][]);
  return new MatrixClass(nested);
}

import { LinAlgError } from "../errors.js";
import { checkStatus, withKernels } from "../runtime/kernels.js";
import { stage, type FlatArray, type Mat, type MatrixInput } from "./input.js";

/** The normaliser `c` of a Gram: "mean" → N (default), "sum" → 1, "unbiased" → N − 1, or a positive number. */
export type Scale = "mean" | "sum" | "unbiased" | number;

export interface GramOptions {
  /** Normaliser `c` (DDS.md §1). Default "mean". */
  scale?: Scale;
  /** Scan the input for NaN/±Inf first and throw NonFiniteError (default true). */
  checkFinite?: boolean;
}

/** `c` for `scale` and N rows; throws when it is not a positive finite number. */
export function scaleDivisor(op: string, scale: Scale | undefined, n: number): number {
  const s = scale ?? "mean";
  const c = s === "mean" ? n : s === "sum" ? 1 : s === "unbiased" ? n - 1 : s;
  if (typeof c !== "number" || !(c > 0) || c === Infinity) {
    const why = typeof s === "number" ? `scale must be a positive finite number, got ${s}` : `scale "${s}" needs ${s === "unbiased" ? "at least 2 rows" : "at least 1 row"}, the input has ${n}`;
    throw new LinAlgError(op, why, {}, "BAD_ARGUMENT");
  }
  return c;
}

/**
 * Gram matrix `G = XᵀX / c` of a row-major `N × d` matrix X (feature side; `d × d` result).
 *
 * Computed in wasm (SIMD f64x2 where available): each entry is the plain f64 sum over rows of
 * products in row order, then divided by `c`, so results are bit-identical across engines and across
 * the SIMD and scalar binaries; the upper triangle is computed and mirrored, so G is exactly symmetric.
 *
 * @param x matrix (see MatrixInput); a flat Float64Array/Float32Array needs `shape`.
 * @returns a fresh `{rows: d, cols: d, data}` (frozen object).
 * @throws {NonFiniteError} input holds NaN/±Inf (with row and column), unless `checkFinite: false`.
 * @throws {LinAlgError} bad shape or scale (code BAD_ARGUMENT).
 * @throws {WasmInitError} `init()` was not called.
 *
 * Notes: a 0 × d input gives the d × d zero matrix only for `scale: "sum"` or a numeric scale
 * (the mean of no rows is undefined); 0 × 0 gives an empty matrix. Input is copied into wasm memory
 * once unless it is an arena view.
 */
export function gram(x: MatrixInput, opts?: GramOptions): Mat;
export function gram(x: FlatArray, shape: readonly [number, number], opts?: GramOptions): Mat;
export function gram(x: MatrixInput | FlatArray, a?: GramOptions | readonly [number, number], b?: GramOptions): Mat {
  const op = "gram";
  const shape = Array.isArray(a) ? (a as readonly [number, number]) : undefined;
  const opts = (Array.isArray(a) ? b : (a as GramOptions | undefined)) ?? {};
  return withKernels(op, (ex, arena) => {
    const X = stage(op, ex, arena, x, shape, opts.checkFinite ?? true, "X");
    const d = X.cols;
    if (d === 0) return Object.freeze({ rows: 0, cols: 0, data: new Float64Array(0) });
    const c = scaleDivisor(op, opts.scale, X.rows);
    const g = arena.matrix(d, d);
    const work = arena.allocBytes(ex.syrk_f64_workspace(X.rows, d), op);
    checkStatus(op, ex.syrk_f64(X.ptr, X.rows, d, d, c, g.ptr, d, work), ex);
    return Object.freeze({ rows: d, cols: d, data: g.array.slice() });
  });
}

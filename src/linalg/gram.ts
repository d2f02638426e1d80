import { LinAlgError } from "../errors.js";
import { checkStatus, withKernels } from "../runtime/kernels.js";
import { syrkWorkspace } from "../runtime/workspace.js";
import { describe, is, type Check } from "../validate.js";
import { badArg, matrixArgs, plainOptions, stage, type FlatArray, type Mat, type MatrixArg } from "./input.js";

/** The normaliser `c` of a Gram: "mean" → N (default), "sum" → 1, "unbiased" → N − 1, or a positive number. */
export type Scale = "mean" | "sum" | "unbiased" | number;

export interface GramOptions {
  /** Normaliser `c` (docs/observables.md, "Fisher-Gram"); N is the number of rows (samples). Default "mean". */
  scale?: Scale;
  /** "feature": G = XᵀX/c (d × d, default); "sample": K = XXᵀ/c (N × N). */
  side?: "feature" | "sample";
  /** Scan the input for NaN/±Inf first and throw NonFiniteError (default true). */
  checkFinite?: boolean;
}

const GRAM_SPEC: { readonly [K in keyof GramOptions]-?: Check } = { scale: is.scale, side: is.oneOf("feature", "sample"), checkFinite: is.bool };
const HADAMARD_SPEC: { readonly [K in keyof HadamardGramOptions]-?: Check } = { scale: is.scale, checkFinite: is.bool };

/**
 * The normaliser `c` for `scale` and `n` rows (samples): "mean" → n, "sum" → 1, "unbiased" → n − 1,
 * or the number given.
 * @param op the public function the divisor is for: errors about `scale` carry it as their `op`
 *   (errors about `op` and `n` themselves carry "scaleDivisor").
 * @throws {LinAlgError} BAD_ARGUMENT: `scale` is not one of those or not positive and finite, or needs more rows than `n`.
 * @throws {DdsError} BAD_ARGUMENT: `op` is not a string or `n` not a non-negative integer.
 */
export function scaleDivisor(op: string, scale: Scale | undefined, n: number): number {
  if (typeof op !== "string" || op === "") throw badArg("scaleDivisor", `op must be the name of the public function (a non-empty string), got ${describe(op)}`);
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) throw badArg("scaleDivisor", `n (the number of rows) must be a non-negative integer, got ${describe(n)}`);
  const why = scale === undefined ? undefined : is.scale(scale);
  if (why && typeof scale !== "number") throw badArg(op, `scale ${why}`);
  const s = scale ?? "mean";
  const c = s === "mean" ? n : s === "sum" ? 1 : s === "unbiased" ? n - 1 : s;
  if (typeof c !== "number" || !(c > 0) || c === Infinity) {
    const why = typeof s === "number" ? `scale must be a positive finite number, got ${s}` : `scale "${s}" needs ${s === "unbiased" ? "at least 2 rows" : "at least 1 row"}, the input has ${n}`;
    throw new LinAlgError(op, why, {}, "BAD_ARGUMENT");
  }
  return c;
}


/**
 * Gram matrix of a row-major `N × d` matrix X: `G = XᵀX / c` (feature side, d × d) or, with
 * `side: "sample"`, `K = XXᵀ / c` (N × N). Both have the same positive eigenvalues.
 *
 * Computed in wasm (SIMD f64x2 where available, f32 input widened exactly and accumulated in f64):
 * each entry is the plain f64 sum of products in index order, then divided by `c`, so results are
 * bit-identical across engines and across the SIMD and scalar binaries; the upper triangle is
 * computed and mirrored, so the result is exactly symmetric.
 *
 * @param x matrix (see MatrixInput; also a `load()` result `{ shape, data }`); a flat Float64Array/Float32Array needs `shape`.
 * @returns a fresh `{rows, cols, data}` (frozen object).
 * @throws {NonFiniteError} input holds NaN/±Inf (with row and column), unless `checkFinite: false`.
 * @throws {LinAlgError} bad shape or scale (code BAD_ARGUMENT).
 * @throws {WasmInitError} `init()` was not called.
 *
 * Notes: `c` counts rows (samples) on both sides. A 0-row input gives zeros only for `scale: "sum"`
 * or a numeric scale (the mean of no rows is undefined). Float32Array input is copied into wasm
 * memory as f32 (half the bytes); other input as f64; an arena view is read in place.
 */
export function gram(x: MatrixArg, opts?: GramOptions): Mat;
export function gram(x: FlatArray, shape: readonly [number, number], opts?: GramOptions): Mat;
export function gram(x: MatrixArg | FlatArray, a?: GramOptions | readonly [number, number], b?: GramOptions): Mat {
  const op = "gram";
  const [shape, o] = matrixArgs<GramOptions>(op, a, b, GRAM_SPEC);
  const sample = o.side === "sample";
  return withKernels(op, (ex, arena) => {
    const X = stage(op, ex, arena, x, shape, { checkFinite: o.checkFinite ?? true, what: "X", keepF32: true });
    const order = sample ? X.rows : X.cols;
    if (order === 0) return Object.freeze({ rows: 0, cols: 0, data: new Float64Array(0) });
    const c = scaleDivisor(op, o.scale, X.rows);
    const bytes = syrkWorkspace(op, order, sample ? X.cols : X.rows);
    const g = arena.matrix(order, order);
    const work = arena.allocBytes(bytes, op);
    const kernel = sample ? (X.dtype === "f32" ? ex.syrk_rows_f32 : ex.syrk_rows_f64) : X.dtype === "f32" ? ex.syrk_f32 : ex.syrk_f64;
    checkStatus(op, kernel(X.ptr, X.rows, X.cols, X.cols, c, g.ptr, order, work), ex);
    return Object.freeze({ rows: order, cols: order, data: g.array.slice() });
  });
}


/** Options of `hadamardGram`. */
export interface HadamardGramOptions {
  /** Normaliser `c` over the N samples. Default "mean". */
  scale?: Scale;
  checkFinite?: boolean;
}

/**
 * The per-sample block-Fisher sample Gram `K = (A Aᵀ ∘ Δ Δᵀ) / c` (N × N) of a linear layer, from its
 * inputs A (N × d_in) and output-side gradients Δ (N × d_out), without forming the N × d_in·d_out
 * Jacobian J (rows a_i ⊗ δ_i): ⟨a_i⊗δ_i, a_j⊗δ_j⟩ = (a_i·a_j)(δ_i·δ_j) (docs/observables.md, "Kronecker identities"). O(N²(d_in+d_out)).
 *
 * Entry (i, j) is `((a_i·a_j) · (δ_i·δ_j)) / c` with both dot products summed in index order.
 * @throws {LinAlgError} A and Δ have different numbers of rows, or a bad scale.
 * @throws {NonFiniteError} NaN/±Inf in A or Δ.
 */
export function hadamardGram(acts: MatrixArg, deltas: MatrixArg, options?: HadamardGramOptions): Mat {
  const op = "hadamardGram";
  const opts = plainOptions<HadamardGramOptions>(op, options, HADAMARD_SPEC);
  return withKernels(op, (ex, arena) => {
    const checkFinite = opts.checkFinite ?? true;
    const A = stage(op, ex, arena, acts, undefined, { checkFinite, what: "acts", keepF32: true, flatForm: false });
    const D = stage(op, ex, arena, deltas, undefined, { checkFinite, what: "deltas", keepF32: true, flatForm: false });
    if (A.rows !== D.rows) {
      throw new LinAlgError(op, `acts has ${A.rows} rows (samples) but deltas has ${D.rows}`, { shape: [D.rows, D.cols] }, "BAD_ARGUMENT");
    }
    const n = A.rows;
    if (n === 0) return Object.freeze({ rows: 0, cols: 0, data: new Float64Array(0) });
    const c = scaleDivisor(op, opts.scale, n);
    const bytes = Math.max(syrkWorkspace(op, n, A.cols), syrkWorkspace(op, n, D.cols));
    const ka = arena.matrix(n, n);
    const kd = arena.matrix(n, n);
    const work = arena.allocBytes(bytes, op);
    for (const [M, K] of [[A, ka], [D, kd]] as const) {
      const kernel = M.dtype === "f32" ? ex.syrk_rows_f32 : ex.syrk_rows_f64;
      checkStatus(op, kernel(M.ptr, M.rows, M.cols, M.cols, 1, K.ptr, n, work), ex);
    }
    checkStatus(op, ex.hadamard_f64(ka.ptr, kd.ptr, ka.ptr, n * n, c), ex);
    return Object.freeze({ rows: n, cols: n, data: ka.array.slice() });
  });
}

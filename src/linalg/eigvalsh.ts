import type { FlatArray, MatrixArg } from "./input.js";
import { splitArgs, symeig, type EigvalshOptions } from "./symeig.js";

export type { EigvalshOptions } from "./symeig.js";

/**
 * Eigenvalues of a real symmetric matrix, ascending (numpy.linalg.eigvalsh, scipy.linalg.eigvalsh).
 *
 * Computed in wasm, LAPACK's way: Householder tridiagonalisation (dsytrd), then Pal–Walker–Kahan
 * implicit QL/QR (dsterf) for all values, or bisection on Sturm counts (dstebz) for a subset. Each
 * eigenvalue λ̂ is within a small multiple of n·ε·‖A‖ of the exact one (backward stable; tests assert
 * max|λ̂ − λ_numpy| ≤ 30·n·ε·‖A‖₁). Entries near 1e±300 are handled by exact power-of-two scaling.
 * The SIMD and scalar binaries return the same bits.
 *
 * @param a square matrix (see MatrixInput); a flat Float64Array/Float32Array needs `shape`. Only the
 *   lower triangle is read (`lower: false`: the upper); the input is copied, never modified.
 * @returns a new Float64Array of the n eigenvalues (or the selected ones), in ascending order.
 * @throws {NonFiniteError} NaN/±Inf in `a` (with row and column). With `checkFinite: false` the whole
 *   scan is skipped, but NaN/±Inf in the triangle that is read still raise it.
 * @throws {NotConvergedError} the iteration cap (`maxIter`, default 30·n QL/QR sweeps) was reached.
 * @throws {LinAlgError} `a` is not square, or an option is invalid (code BAD_ARGUMENT).
 * @throws {WasmInitError} `init()` was not called.
 *
 * Notes: options follow scipy: `subsetByIndex: [lo, hi]` (0-based, inclusive), `subsetByValue:
 * [vl, vu]` (the half-open interval (vl, vu]; may return no values). A 0 × 0 input gives an empty array.
 */
export function eigvalsh(a: MatrixArg, opts?: EigvalshOptions): Float64Array;
export function eigvalsh(a: FlatArray, shape: readonly [number, number], opts?: EigvalshOptions): Float64Array;
export function eigvalsh(a: MatrixArg | FlatArray, b?: EigvalshOptions | readonly [number, number], c?: EigvalshOptions): Float64Array {
  const [shape, opts] = splitArgs("eigvalsh", b, c);
  return symeig("eigvalsh", a, shape, opts, false).values;
}

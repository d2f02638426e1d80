// Workspace sizes computed in JS doubles (exact below 2^53), mirroring the kernels' formulas, so that
// a size past what a wasm32 call can take is refused with its true value instead of wrapping to a
// negative or small i32 (docs/validation.md, "Sizes").

import { DdsError } from "../errors.js";

const KC = 256; // assembly/blas/panel.ts: summation steps per packed block
const NB_POTRF = 96; // assembly/det/cholesky.ts: block rows
const NB_GETRF = 64; // assembly/det/lu.ts: block rows
/** The most one kernel call takes as workspace: the kernels index it with i32. */
export const MAX_WORKSPACE = 0x7fffffff;

const panelBytes = (nv: number, kc: number): number => Math.ceil(nv / 4) * 4 * kc * 8;

/** Human size: "2.50 GiB", "12.0 MiB", "640 bytes". */
export function byteSize(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(2)} GiB`;
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  return `${bytes} bytes`;
}

/** Throw OUT_OF_MEMORY naming `what` and the true size when `bytes` exceeds one call's workspace limit. */
export function checkWorkspace(op: string, bytes: number, what: string): number {
  if (bytes > MAX_WORKSPACE) {
    throw new DdsError(op, "OUT_OF_MEMORY", `${what} needs ${bytes} bytes (${byteSize(bytes)}) of wasm workspace; one kernel call takes at most 2 GiB (2147483647 bytes)`);
  }
  return bytes;
}

/** gemm_f64: C m × n, inner dimension k. */
export const gemmWorkspace = (op: string, m: number, n: number, k: number): number =>
  checkWorkspace(op, panelBytes(m, Math.min(k, KC)) + panelBytes(n, Math.min(k, KC)) + 128, `a ${m} × ${k} by ${k} × ${n} product`);

/** syrk (Gram) of `nv` vectors of length `nk`. */
export const syrkWorkspace = (op: string, nv: number, nk: number): number =>
  checkWorkspace(op, Math.ceil(nv / 5) * Math.min(nk, KC) * 80 + panelBytes(nv, Math.min(nk, KC)) + 160, `a Gram of ${nv} vectors of length ${nk}`);

/** potrf_f64 (Cholesky) or getrf_f64 (LU) of order n. */
export const factorWorkspace = (op: string, n: number, kind: "cholesky" | "lu"): number =>
  checkWorkspace(op, 2 * panelBytes(n, Math.min(kind === "cholesky" ? NB_POTRF : NB_GETRF, n)) + 128, `the ${kind === "cholesky" ? "Cholesky" : "LU"} factorisation of a ${n} × ${n} matrix`);

/** syevx_f64 of order n returning at most mMax pairs. */
export const syevxWorkspace = (op: string, n: number, mMax: number, wantVectors: boolean): number =>
  checkWorkspace(op, n <= 0 ? 16 : (16 * n + (wantVectors ? n * mMax : 0)) * 8, `a subset eigensolve of order ${n}`);

// Reading committed numpy fixtures: raw little-endian f64 .bin files plus an index.json.
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const FIXTURES = join(import.meta.dirname, "..", "fixtures");

export function readF64(...path: string[]): Float64Array {
  const buf = readFileSync(join(FIXTURES, ...path));
  return new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

export function readJson<T>(...path: string[]): T {
  return JSON.parse(readFileSync(join(FIXTURES, ...path), "utf8")) as T;
}

export const EPS = 2 ** -52;

/** max |a_ij| */
export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

/** Frobenius norm, scaled to avoid overflow for entries near 1e±300. */
export function frob(a: ArrayLike<number>): number {
  const s = maxAbs(a);
  if (s === 0) return 0;
  let t = 0;
  for (let i = 0; i < a.length; i++) t += (a[i]! / s) ** 2;
  return s * Math.sqrt(t);
}

/** Row-major product of (m×k)(k×n). */
export function matmul(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let t = 0; t < k; t++) {
    const x = a[i * k + t]!;
    if (x !== 0) for (let j = 0; j < n; j++) c[i * n + j]! += x * b[t * n + j]!;
  }
  return c;
}

/** Transpose of a row-major m×n matrix. */
export function transpose(a: ArrayLike<number>, m: number, n: number): Float64Array {
  const t = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) t[j * m + i] = a[i * n + j]!;
  return t;
}

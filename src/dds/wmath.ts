// Transcendentals for reported numbers, computed in wasm (docs/design-decisions.md, "Transcendentals"): JS engines' Math.log/exp/
// pow can differ in the last bit between V8, SpiderMonkey and JavaScriptCore; wasm's cannot.
// + − × ÷ √ are correctly rounded everywhere, so they stay in TypeScript.

import { checkStatus, withKernels } from "../runtime/kernels.js";

const enum Op {
  Ln = 0,
  Log10 = 1,
  Exp = 2,
}

function mapArray(op: string, code: Op, x: ArrayLike<number>): Float64Array {
  const n = x.length;
  if (n === 0) return new Float64Array(0);
  return withKernels(op, (ex, arena) => {
    const v = arena.f64(n);
    v.array.set(x);
    checkStatus(op, ex.map_f64(v.ptr, v.ptr, n, code), ex);
    return v.array.slice();
  });
}

/** Natural log of each element (wasm). */
export const lnArray = (x: ArrayLike<number>): Float64Array => mapArray("ln", Op.Ln, x);
/** exp of each element (wasm). */
export const expArray = (x: ArrayLike<number>): Float64Array => mapArray("exp", Op.Exp, x);
/** log10 of each element (wasm). */
export const log10Array = (x: ArrayLike<number>): Float64Array => mapArray("log10", Op.Log10, x);

/** ln x (wasm). */
export const ln = (x: number): number => lnArray([x])[0]!;
/** log10 x (wasm). */
export const log10 = (x: number): number => log10Array([x])[0]!;
/** exp x (wasm). */
export const exp = (x: number): number => expArray([x])[0]!;

/** Σ ln x_i in index order (wasm). */
export function sumLn(x: ArrayLike<number>): number {
  const n = x.length;
  if (n === 0) return 0;
  return withKernels("sumLn", (ex, arena) => {
    const v = arena.f64(n);
    v.array.set(x);
    return ex.sum_log_f64(v.ptr, n);
  });
}

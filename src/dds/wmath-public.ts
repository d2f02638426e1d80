// The public logs and exps (computed in wasm, docs/design-decisions.md "Transcendentals"), with their
// arguments checked (docs/validation.md): numbers only, no NaN, logs of non-negative values. The
// unchecked forms in wmath.ts serve the library's own computations.

import { DdsError } from "../errors.js";
import { num, vector } from "./args.js";
import * as w from "./wmath.js";

function values(op: string, x: unknown, log: boolean): Float64Array {
  const v = vector(op, "x", x, { finite: false });
  for (let i = 0; i < v.length; i++) {
    if (Number.isNaN(v[i])) throw new DdsError(op, "NON_FINITE", `x[${i}] is NaN`, { index: i });
    if (log && v[i]! < 0) throw new DdsError(op, "BAD_ARGUMENT", `x[${i}] = ${v[i]} is negative: its logarithm is not real`, { index: i });
  }
  return v;
}

function scalar(op: string, x: unknown, log: boolean): number {
  const v = num(op, "x", x, { infinite: true });
  if (log && v < 0) throw new DdsError(op, "BAD_ARGUMENT", `x = ${v} is negative: its logarithm is not real`);
  return v;
}

/** Natural log of each element (wasm); ln 0 = −Infinity. @throws {DdsError} NaN or negative entries. */
export const lnArray = (x: ArrayLike<number>): Float64Array => w.lnArray(values("lnArray", x, true));
/** log10 of each element (wasm). @throws {DdsError} NaN or negative entries. */
export const log10Array = (x: ArrayLike<number>): Float64Array => w.log10Array(values("log10Array", x, true));
/** exp of each element (wasm). @throws {DdsError} NaN entries. */
export const expArray = (x: ArrayLike<number>): Float64Array => w.expArray(values("expArray", x, false));
/** ln x (wasm). @throws {DdsError} x NaN, negative or not a number. */
export const ln = (x: number): number => w.ln(scalar("ln", x, true));
/** log10 x (wasm). @throws {DdsError} x NaN, negative or not a number. */
export const log10 = (x: number): number => w.log10(scalar("log10", x, true));
/** exp x (wasm). @throws {DdsError} x NaN or not a number. */
export const exp = (x: number): number => w.exp(scalar("exp", x, false));
/** Σ ln x_i in index order (wasm). @throws {DdsError} NaN or negative entries. */
export const sumLn = (x: ArrayLike<number>): number => w.sumLn(values("sumLn", x, true));

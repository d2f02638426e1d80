// One way to check what callers pass (docs/validation.md): option objects (null/undefined → defaults,
// unknown names refused with the valid ones listed, each value checked), vectors of numbers (no
// coercion, BigInt and nested arrays refused, finiteness with the index), plain numbers and strings.
// Every failure is a DdsError with code BAD_ARGUMENT (NON_FINITE for NaN/±Inf data), `op` = the public
// function, and a message naming the argument.

import { DdsError, NonFiniteError } from "./errors.js";

/** Checks one option value; returns a message ("must be …, got …") when it is wrong. */
export type Check = (v: unknown) => string | undefined;

/** What a value is, for messages: `null`, `a string "x"`, `a BigInt`, `an array`, `42` … */
export function describe(v: unknown): string {
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === "bigint") return `the BigInt ${String(v)}n`;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (typeof v === "function") return "a function";
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  return `an object (${Object.prototype.toString.call(v).slice(8, -1)})`;
}

const got = (v: unknown): string => `, got ${describe(v)}`;

/** Option-value checks. Each returns undefined when the value is acceptable. */
export const is = {
  bool: ((v) => (typeof v === "boolean" ? undefined : `must be a boolean (true or false)${got(v)}`)) as Check,
  string: ((v) => (typeof v === "string" ? undefined : `must be a string${got(v)}`)) as Check,
  oneOf:
    (...values: readonly (string | number | boolean)[]): Check =>
    (v) => (values.includes(v as string) ? undefined : `must be one of ${values.map((x) => JSON.stringify(x)).join(", ")}${got(v)}`),
  /** A finite number (or ±Infinity with `infinite`), optionally an integer, within [min, max] or > gt. */
  num:
    (o: { min?: number; max?: number; gt?: number; integer?: boolean; infinite?: boolean } = {}): Check =>
    (v) => {
      const what = `${o.integer ? "an integer" : "a number"}${o.gt !== undefined ? ` > ${o.gt}` : ""}${o.min !== undefined ? ` ≥ ${o.min}` : ""}${o.max !== undefined ? ` ≤ ${o.max}` : ""}`;
      if (typeof v !== "number" || Number.isNaN(v) || (!o.infinite && !Number.isFinite(v))) return `must be ${what}${got(v)}`;
      if (o.integer && !Number.isInteger(v)) return `must be ${what}${got(v)}`;
      if ((o.min !== undefined && v < o.min) || (o.max !== undefined && v > o.max) || (o.gt !== undefined && !(v > o.gt))) return `must be ${what}${got(v)}`;
      return undefined;
    },
  /** The Gram normaliser: "mean", "sum", "unbiased" or a positive finite number. */
  scale: ((v) => (v === "mean" || v === "sum" || v === "unbiased" || (typeof v === "number" && v > 0 && Number.isFinite(v)) ? undefined : `must be "mean", "sum", "unbiased" or a positive finite number${got(v)}`)) as Check,
  /** A pair [a, b] whose items pass `item`. */
  pair:
    (item: Check): Check =>
    (v) => (Array.isArray(v) && v.length === 2 && item(v[0]) === undefined && item(v[1]) === undefined ? undefined : `must be a pair [a, b] of ${item(undefined)?.replace(/^must be /, "").replace(/, got undefined$/, "") ?? "values"}${got(v)}`),
  /** A non-null object (checked further by whoever uses it). */
  object: ((v) => (v !== null && typeof v === "object" ? undefined : `must be an object${got(v)}`)) as Check,
  fn: ((v) => (typeof v === "function" ? undefined : `must be a function${got(v)}`)) as Check,
  /** Anything (the value is checked where it is used). */
  any: (() => undefined) as Check,
};

/** Makes the error for a failed check (default: DdsError BAD_ARGUMENT); linear algebra raises LinAlgError. */
export type Fail = (op: string, message: string) => DdsError;
const fail0: Fail = (op, message) => new DdsError(op, "BAD_ARGUMENT", message);

/**
 * Validate an options object against `spec` (name → check): undefined and null mean "all defaults";
 * anything else must be a plain object whose every own key is in `spec` and whose values pass their
 * checks (undefined values are allowed: they mean the default).
 * @throws {DdsError} BAD_ARGUMENT naming the option and the valid ones.
 */
export function options<T extends object>(op: string, o: unknown, spec: { readonly [K in keyof T]-?: Check }, what = "options", fail: Fail = fail0): T {
  if (o === undefined || o === null) return {} as T;
  if (typeof o !== "object" || Array.isArray(o) || ArrayBuffer.isView(o)) throw fail(op, `${what} must be an object${got(o)}`);
  const keys = Object.keys(spec);
  for (const [k, v] of Object.entries(o)) {
    const check = (spec as Record<string, Check>)[k];
    if (!check) throw fail(op, `unknown option ${JSON.stringify(k)}; ${op} takes ${keys.length ? keys.map((x) => JSON.stringify(x)).join(", ") : "no options"}`);
    if (v === undefined) continue;
    const why = check(v);
    if (why) throw fail(op, `option ${k} ${why}`);
  }
  return o as T;
}

/** A required argument that must pass `check` (e.g. `is.num({ min: 1, integer: true })`). */
export function arg<T>(op: string, name: string, v: unknown, check: Check, fail: Fail = fail0): T {
  const why = check(v);
  if (why) throw fail(op, `${name} ${why}`);
  return v as T;
}

/**
 * A vector of numbers as a Float64Array: an Array of numbers or a numeric typed array (BigInt arrays
 * refused). Never coerces: null, strings, booleans and nested arrays are errors naming the index.
 * @throws {DdsError} BAD_ARGUMENT for the wrong kind of value; {NonFiniteError} NaN/±Inf (unless `finite: false`).
 */
export function vector(op: string, name: string, x: unknown, o: { finite?: boolean; minLength?: number } = {}): Float64Array {
  let out: Float64Array;
  if (x instanceof BigInt64Array || x instanceof BigUint64Array) {
    throw new DdsError(op, "BAD_ARGUMENT", `${name} must be numbers, got a ${x.constructor.name} (convert with Float64Array.from(x, Number) if the values fit)`);
  } else if (ArrayBuffer.isView(x) && !(x instanceof DataView)) {
    out = Float64Array.from(x as unknown as ArrayLike<number>);
  } else if (Array.isArray(x)) {
    out = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const v: unknown = x[i];
      if (typeof v !== "number") {
        const hint = Array.isArray(v) || ArrayBuffer.isView(v) ? ` (${name} must be a vector; this looks like a matrix)` : "";
        throw new DdsError(op, "BAD_ARGUMENT", `${name}[${i}] must be a number${got(v)}${hint}`, { index: i });
      }
      out[i] = v;
    }
  } else {
    const hint = x !== null && typeof x === "object" && "rows" in x ? ` (${name} must be a vector; this looks like a matrix)` : "";
    throw new DdsError(op, "BAD_ARGUMENT", `${name} must be an array of numbers or a Float64Array${got(x)}${hint}`);
  }
  if (o.minLength !== undefined && out.length < o.minLength) throw new DdsError(op, "BAD_ARGUMENT", `${name} must have at least ${o.minLength} value${o.minLength === 1 ? "" : "s"}, got ${out.length}`);
  if (o.finite !== false) {
    for (let i = 0; i < out.length; i++) {
      if (!Number.isFinite(out[i])) throw new NonFiniteError(op, `${name}[${i}] is ${String(out[i])}`, out[i]!, { index: i });
    }
  }
  return out;
}

/** max |x_i| (0 for empty), used to scale before squaring so that sums of squares neither overflow nor underflow. */
export function maxAbs(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]!));
  return m;
}

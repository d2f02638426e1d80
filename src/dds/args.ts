// Argument checks of the dds and plot exports, on top of the shared validation module
// (docs/validation.md): vectors of numbers without coercion, plain objects with checked fields,
// arrays of such objects, numbers and strings — each failure a DdsError naming the public function
// and the argument.

import { DdsError } from "../errors.js";
import { arg, describe, is, options, vector, type Check } from "../validate.js";

export { options, is, vector };

/** A finite number (optionally ranged or integer). */
export const num = (op: string, name: string, v: unknown, o: Parameters<typeof is.num>[0] = {}): number => arg<number>(op, name, v, is.num(o));

/** A string. */
export const str = (op: string, name: string, v: unknown): string => arg<string>(op, name, v, is.string);

function plainObject(v: unknown): boolean {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

/** A plain object whose listed fields pass their checks (fields absent from `fields` are not checked). */
export function record<T>(op: string, name: string, v: unknown, fields: Readonly<Record<string, Check>>): T {
  if (!plainObject(v)) throw new DdsError(op, "BAD_ARGUMENT", `${name} must be an object, got ${describe(v)}`);
  for (const [k, check] of Object.entries(fields)) {
    const why = check((v as Record<string, unknown>)[k]);
    if (why) throw new DdsError(op, "BAD_ARGUMENT", `${name}.${k} ${why}`);
  }
  return v as T;
}

/** An array (not a typed array) whose items pass `item` (called with the item's name, e.g. `cells[3]`). */
export function list<T>(op: string, name: string, v: unknown, item: (name: string, x: unknown) => T, o: { minLength?: number } = {}): T[] {
  if (!Array.isArray(v)) throw new DdsError(op, "BAD_ARGUMENT", `${name} must be an array, got ${describe(v)}`);
  if (o.minLength !== undefined && v.length < o.minLength) throw new DdsError(op, "BAD_ARGUMENT", `${name} must have at least ${o.minLength} item(s), got ${v.length}`);
  return v.map((x, i) => item(`${name}[${i}]`, x));
}

/** Checks for record fields. */
export const field = {
  num: (o: Parameters<typeof is.num>[0] = {}): Check => is.num(o),
  /** A number or NaN (fields of results, which carry NaN for "undefined"). */
  numOrNaN: ((v) => (typeof v === "number" && !(v === Infinity || v === -Infinity) ? undefined : `must be a number, got ${describe(v)}`)) as Check,
  /** Any number (±Infinity and NaN included). */
  anyNum: ((v) => (typeof v === "number" ? undefined : `must be a number, got ${describe(v)}`)) as Check,
  optional: (c: Check): Check => (v) => (v === undefined ? undefined : c(v)),
  string: is.string,
  bool: is.bool,
  object: is.object,
  /** An array or typed array of numbers. */
  numbers: ((v) => (Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView) && !(v instanceof BigInt64Array) && !(v instanceof BigUint64Array)) ? undefined : `must be an array of numbers, got ${describe(v)}`)) as Check,
};

/** Two vectors of the same length. */
export function pair(op: string, x: unknown, y: unknown, names: readonly [string, string] = ["x", "y"], o: { finite?: boolean } = {}): [Float64Array, Float64Array] {
  const a = vector(op, names[0], x, o);
  const b = vector(op, names[1], y, o);
  if (a.length !== b.length) throw new DdsError(op, "BAD_ARGUMENT", `${names[0]} has ${a.length} values, ${names[1]} has ${b.length}`);
  return [a, b];
}

/** A LayerReading as layerReading returns it (checked enough that its use cannot go silently wrong). */
export function layerReadingArg(op: string, name: string, r: unknown): void {
  record(op, name, r, { N: field.num({ integer: true, min: 0 }), d: field.num({ integer: true, min: 0 }), activation: field.object, spectra: field.object, warnings: (v) => (Array.isArray(v) ? undefined : `must be an array, got ${describe(v)}`) });
  const x = r as { factor?: unknown; gram?: unknown };
  if (x.factor === undefined && x.gram === undefined) throw new DdsError(op, "BAD_ARGUMENT", `${name} has neither a factor nor a gram reading: pass what layerReading returned`);
  for (const k of ["factor", "gram"] as const) if (x[k] !== undefined) record(op, `${name}.${k}`, x[k], { nPos: field.num({ integer: true, min: 0 }), lambdaMinPos: field.anyNum, logdetPos: field.anyNum, marginDecades: field.anyNum });
  record(op, `${name}.activation`, (r as { activation: unknown }).activation, { sigmaMin: field.anyNum, svFloor: field.anyNum, uDead: field.numbers, singularValues: field.numbers });
}

/** A stored dtype name as the loaders spell it ("F64", "F32", "BF16" …). */
const DTYPES = ["F64", "F32", "F16", "BF16", "F8_E4M3", "F8_E5M2", "I64", "U64", "I32", "U32", "I16", "U16", "I8", "U8", "BOOL"] as const;
export const isDtype: Check = (v) => (typeof v === "string" && (DTYPES as readonly string[]).includes(v) ? undefined : `must be a stored dtype (${DTYPES.join(", ")}), got ${describe(v)}`);

/** inputRtol: the relative accuracy of the entries, in [0, 1). */
const isInputRtol: Check = (v) => (typeof v === "number" && v >= 0 && v < 1 ? undefined : `must be a number in [0, 1) (the relative accuracy of the input's entries), got ${describe(v)}`);

/** The options every reading takes (ReadingOptions). */
export const READING_SPEC = {
  scale: is.scale,
  center: is.bool,
  rtol: is.num({ min: 0 }),
  atol: is.num({ min: 0 }),
  recipe: is.oneOf("factor", "gram"),
  side: is.oneOf("auto", "feature", "sample"),
  inputRtol: isInputRtol,
  inputDtype: isDtype,
} as const;

/** LayerOptions (layerReading). */
export const LAYER_SPEC = {
  scale: is.scale,
  rtol: is.num({ min: 0 }),
  atol: is.num({ min: 0 }),
  side: is.oneOf("auto", "feature", "sample"),
  inputRtol: isInputRtol,
  centerX: is.bool,
  centerGamma: is.bool,
  recipe: is.oneOf("factor", "gram", "both"),
  inputDtype: ((v) => (typeof v === "string" ? isDtype(v) : v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).every((k) => k === "x" || k === "gamma") && Object.values(v).every((x) => x === undefined || isDtype(x) === undefined) ? undefined : `must be a stored dtype or { x, gamma } of stored dtypes, got ${describe(v)}`)) as Check,
} as const;

/** CheckpointOptions (readCheckpoint, readOpened). */
export const CHECKPOINT_SPEC = {
  ...LAYER_SPEC,
  x: is.string,
  gamma: is.string,
  checkpoint: is.string,
  layer: is.string,
  t: is.num({ infinite: true }),
  tFromMetadata: is.string,
  open: is.object,
  flatten: is.bool,
  onProgress: is.fn,
  signal: ((v) => (v !== null && typeof v === "object" && typeof (v as { aborted?: unknown }).aborted === "boolean" ? undefined : `must be an AbortSignal, got ${describe(v)}`)) as Check,
} as const;

// Argument checks of the plot functions (docs/validation.md): the data arrays are numbers (NaN and
// ±Infinity allowed: such points are skipped, or drawn at the axis edge), never coerced; labels are
// strings; unknown option names are refused.

import { DdsError } from "../errors.js";
import { describe, type Check } from "../validate.js";
import { field, is, layerReadingArg, list, options, record, vector } from "../dds/args.js";

const strings: Check = (v) => (Array.isArray(v) && v.every((x) => typeof x === "string") ? undefined : `must be an array of strings, got ${describe(v)}`);
const booleans: Check = (v) => (Array.isArray(v) && v.every((x) => typeof x === "boolean") ? undefined : `must be an array of true/false, got ${describe(v)}`);
const numbers = field.numbers;
const anyNum = field.anyNum;

/** Data values: numbers (NaN/±Infinity allowed), no coercion. */
function data(op: string, name: string, v: unknown): Float64Array {
  return vector(op, name, v, { finite: false });
}

export function checkSpectrumInput(op: string, p: unknown): void {
  options(op, p, { values: numbers, floor: anyNum, floors: is.any, floorLabel: is.string, lambdaMinPos: anyNum, title: is.string, valueLabel: is.string, markLabel: is.string }, "p");
  record(op, "p", p, { values: numbers });
  data(op, "p.values", (p as { values: unknown }).values);
  const floors = (p as { floors?: unknown }).floors;
  if (floors !== undefined) list(op, "p.floors", floors, (name, f) => { options(op, f, { value: anyNum, label: is.string, kind: is.string }, name); record(op, name, f, { value: anyNum, label: is.string }); });
}

function series(op: string, name: string, s: unknown): void {
  options(op, s, { name: is.string, x: numbers, y: numbers, mask: booleans, fit: is.object, floor: numbers, trusted: booleans }, name);
  record(op, name, s, { name: is.string, x: numbers, y: numbers });
  const x = data(op, `${name}.x`, (s as { x: unknown }).x);
  const y = data(op, `${name}.y`, (s as { y: unknown }).y);
  if (x.length !== y.length) throw new DdsError(op, "BAD_ARGUMENT", `${name} has ${x.length} x values and ${y.length} y values`);
  const fit = (s as { fit?: unknown }).fit;
  if (fit !== undefined) record(op, `${name}.fit`, fit, { slope: anyNum, intercept: anyNum, seSlope: anyNum, r2: anyNum });
  for (const k of ["mask", "trusted", "floor"] as const) {
    const v = (s as Record<string, unknown>)[k] as ArrayLike<unknown> | undefined;
    if (v !== undefined && v.length !== x.length) throw new DdsError(op, "BAD_ARGUMENT", `${name}.${k} has ${v.length} entries for ${x.length} points`);
  }
}

function overlay(op: string, name: string, o: unknown): void {
  options(op, o, { name: is.string, x: numbers, y: numbers, logY: is.bool }, name);
  record(op, name, o, { name: is.string, x: numbers, y: numbers });
  const x = data(op, `${name}.x`, (o as { x: unknown }).x);
  const y = data(op, `${name}.y`, (o as { y: unknown }).y);
  if (x.length !== y.length) throw new DdsError(op, "BAD_ARGUMENT", `${name} has ${x.length} x values and ${y.length} y values`);
}

export function checkPathInput(op: string, p: unknown): void {
  options(op, p, { series: is.any, title: is.string, xLabel: is.string, yLabel: is.string, logY: is.bool, logX: is.bool, overlay: is.any }, "p");
  record(op, "p", p, {});
  list(op, "p.series", (p as { series: unknown }).series, (name, s) => series(op, name, s));
  const o = (p as { overlay?: unknown }).overlay;
  if (o !== undefined) overlay(op, "p.overlay", o);
}

export function checkScatterInput(op: string, p: unknown): void {
  const auto: Check = (v) => (typeof v === "boolean" || v === "auto" ? undefined : `must be true, false or "auto", got ${describe(v)}`);
  options(op, p, { x: numbers, y: numbers, trusted: booleans, labels: strings, title: is.string, xLabel: is.string, yLabel: is.string, logX: auto, logY: auto, notes: strings }, "p");
  record(op, "p", p, { x: numbers, y: numbers });
  const x = data(op, "p.x", (p as { x: unknown }).x);
  const y = data(op, "p.y", (p as { y: unknown }).y);
  if (x.length !== y.length) throw new DdsError(op, "BAD_ARGUMENT", `p has ${x.length} x values and ${y.length} y values`);
  for (const k of ["trusted", "labels"] as const) {
    const v = (p as Record<string, unknown>)[k] as ArrayLike<unknown> | undefined;
    if (v !== undefined && v.length !== x.length) throw new DdsError(op, "BAD_ARGUMENT", `p.${k} has ${v.length} entries for ${x.length} points`);
  }
}

export function checkReadingPlot(op: string, r: unknown, o: unknown): void {
  layerReadingArg(op, "r", r);
  options(op, o, { title: is.string });
}

export function checkReadingPath(op: string, s: unknown, key: unknown, o: unknown): void {
  list(op, "series", s, (name, x) => {
    options(op, x, { name: is.string, x: numbers, readings: is.any, row: is.object }, name);
    record(op, name, x, { name: is.string, x: numbers });
    const xs = data(op, `${name}.x`, (x as { x: unknown }).x);
    const rs = list(op, `${name}.readings`, (x as { readings: unknown }).readings, (n, r) => layerReadingArg(op, n, r));
    if (rs.length !== xs.length) throw new DdsError(op, "BAD_ARGUMENT", `${name} has ${xs.length} x values for ${rs.length} readings`);
  });
  const why = is.oneOf("lambda_min_pos", "logdet_pos", "sigma_min_sq")(key);
  if (why) throw new DdsError(op, "BAD_ARGUMENT", `key ${why}`);
  options(op, o, { title: is.string, xLabel: is.string, logX: is.bool, fit: is.bool, overlay: is.any });
  const ov = (o as { overlay?: unknown } | undefined)?.overlay;
  if (ov !== undefined) overlay(op, "o.overlay", ov);
}

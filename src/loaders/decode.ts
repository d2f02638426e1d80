// Decoding a tensor to f64 in wasm: the stored bytes are read in bounded chunks, each chunk copied
// into a scratch region of the arena and widened there by an assembly/convert kernel, straight into
// the destination (an arena view: no full-size copy anywhere; a Float64Array: through a chunk-sized
// f64 scratch). Fortran-ordered arrays are scattered into row-major order per chunk. NaN/±Inf are
// found by the conversion kernels as they go (NonFiniteError with file, tensor, index, row, column).
//
// Every arena allocation is made and released inside one synchronous withKernels call, never across
// an await: other code may use the arena while a read is pending.

import { DdsError, NonFiniteError } from "../errors.js";
import { Status, type KernelExports } from "../runtime/abi.js";
import { withKernels } from "../runtime/kernels.js";
import type { Arena, F64View } from "../runtime/memory.js";
import type { Entry } from "./container.js";
import { unsupported, type Ctx } from "./context.js";
import type { DTypeSpec } from "./dtype.js";

/** Default chunk: 8 MiB of stored bytes per read (and at most 1 Mi elements per conversion). */
export const DEFAULT_CHUNK_BYTES = 8 * 1024 * 1024;
const MAX_ELEMENTS = 0x7fffffff;

export interface DecodeOptions {
  checkFinite: boolean;
  allowIntegers: boolean;
  chunkBytes: number;
}

/** Where decoded values go. */
export type Sink = { readonly view: F64View } | { readonly array: Float64Array };

/** Throw unless `entry` decodes to f64 under `o` (UnsupportedDtypeError naming tensor and dtype). */
export function checkDecodable(ctx: Ctx, entry: Entry, o: Pick<DecodeOptions, "allowIntegers">): void {
  checkDtype(ctx, entry, o);
  const { info } = entry;
  if (info.numel > MAX_ELEMENTS) {
    throw new DdsError(ctx.op, "OUT_OF_MEMORY", `${ctx.op}: tensor ${JSON.stringify(info.name)} has ${info.numel} elements; wasm32 memory holds at most 2^29 f64`, { file: ctx.file, tensor: info.name });
  }
}

/** The dtype half of checkDecodable (a block-by-block read has no size limit). */
export function checkDtype(ctx: Ctx, entry: Entry, o: Pick<DecodeOptions, "allowIntegers">): void {
  const { info, spec } = entry;
  if (spec.kind === "unsupported") throw unsupported(ctx, info.name, info.stored, spec.why ?? "not decoded by dead-directions", info.byteOffset);
  if ((spec.kind === "integer" || spec.kind === "bool") && !o.allowIntegers) {
    throw unsupported(ctx, info.name, info.dtype, "integer and boolean tensors are refused for linear algebra unless you pass allowIntegers: true (or read them as they are with loadRaw)", info.byteOffset);
  }
}

export function convert(ex: KernelExports, spec: DTypeSpec, swap: number, x: number, n: number, y: number): number {
  switch (spec.name) {
    case "F64": return ex.cvt_f64_f64(x, n, y, swap);
    case "F32": return ex.cvt_f32_f64(x, n, y, swap);
    case "F16": return ex.cvt_f16_f64(x, n, y, swap);
    case "BF16": return ex.cvt_bf16_f64(x, n, y, swap);
    case "F8_E4M3": return ex.cvt_f8e4m3_f64(x, n, y);
    case "F8_E5M2": return ex.cvt_f8e5m2_f64(x, n, y);
    case "BOOL": return ex.cvt_bool_f64(x, n, y);
    default: return ex.cvt_int_f64(x, n, y, spec.bits / 8, spec.signed ? 1 : 0, swap);
  }
}

/** Row-major flat index of the `k`-th element of a column-major array of `shape`. */
function fortranToC(k: number, shape: readonly number[]): number {
  let c = 0;
  let stride = 1;
  const idx: number[] = [];
  for (const d of shape) {
    idx.push(k % d);
    k = Math.floor(k / d);
  }
  for (let a = shape.length - 1; a >= 0; a--) {
    c += idx[a]! * stride;
    stride *= shape[a]!;
  }
  return c;
}

/** NonFiniteError for row-major flat `index` of `entry` holding `value`. */
export function nonFinite(ctx: Ctx, entry: Entry, index: number, value: number): NonFiniteError {
  const { shape, name } = entry.info;
  const cols = shape.length === 0 ? 1 : shape[shape.length - 1]!;
  const row = cols > 0 ? Math.floor(index / cols) : 0;
  const col = cols > 0 ? index % cols : 0;
  let pos = `row ${row}, column ${col}`;
  if (shape.length > 2) {
    const multi: number[] = [];
    for (let a = shape.length - 1, r = index; a >= 0; a--) {
      multi.unshift(r % shape[a]!);
      r = Math.floor(r / shape[a]!);
    }
    pos = `index [${multi.join(", ")}] (row ${row}, column ${col} of the tensor seen as ${Math.floor(entry.info.numel / cols)} × ${cols})`;
  }
  const file = ctx.file === undefined ? "" : `${ctx.file}: `;
  return new NonFiniteError(
    ctx.op,
    `${ctx.op}: ${file}tensor ${JSON.stringify(name)} contains ${String(value)} at ${pos} (flat index ${index}); pass checkFinite: false to load it anyway`,
    value,
    { file: ctx.file, tensor: name, index, row, col, shape },
  );
}

/** Decode `entry` into `sink` (whose length the caller checked against numel). */
export async function decode(ctx: Ctx, entry: Entry, sink: Sink, o: DecodeOptions): Promise<void> {
  checkDecodable(ctx, entry, o);
  const { info, spec } = entry;
  const n = info.numel;
  if (n === 0) return;
  const item = spec.bits / 8;
  const fortran = info.order === "F";
  const dctx: Ctx = entry.file === undefined ? ctx : { op: ctx.op, file: entry.file };
  const target = "view" in sink ? sink.view : undefined;
  const stale = () => new DdsError(ctx.op, "BAD_ARGUMENT", `${ctx.op}: the destination view belongs to a discarded kernels instance; allocate it again with arena().f64()`);
  // Fail before reading anything when init() was not called or the view is stale.
  withKernels(ctx.op, (_, arena) => {
    if (target && target.arena !== arena) throw stale();
  });
  const src = await entry.data(dctx);
  const swap = entry.bigEndian ? 1 : 0;

  // Fortran order into a plain array: one full read, converted and reordered in one wasm pass.
  const per = fortran && !target ? n : Math.max(1, Math.min(Math.floor(o.chunkBytes / 8), 1 << 20));
  const read = (start: number): Promise<Uint8Array> => src.read(dctx, start * item, Math.min(per, n - start) * item);

  let pending: Promise<Uint8Array> | undefined = read(0);
  try {
    for (let start = 0; start < n; start += per) {
      const bytes: Uint8Array = await pending!;
      const count = Math.min(per, n - start);
      pending = start + per < n ? read(start + per) : undefined;
      withKernels(ctx.op, (ex, arena) => {
        if (target && target.arena !== arena) throw stale();
        chunk(dctx, entry, ex, arena, { bytes, start, count, swap, fortran, o, target, array: "array" in sink ? sink.array : undefined });
      });
    }
  } finally {
    pending?.catch(() => undefined); // an abandoned read-ahead must not become an unhandled rejection
  }
}

interface Chunk {
  bytes: Uint8Array;
  start: number;
  count: number;
  swap: number;
  fortran: boolean;
  o: DecodeOptions;
  target: F64View | undefined;
  array: Float64Array | undefined;
}

function chunk(ctx: Ctx, entry: Entry, ex: KernelExports, arena: Arena, c: Chunk): void {
  const { start, count } = c;
  const shape = entry.info.shape;
  const raw = arena.allocBytes(c.bytes.length, ctx.op);
  new Uint8Array(arena.buffer(ctx.op), raw, c.bytes.length).set(c.bytes);
  const direct = c.target !== undefined && !c.fortran;
  const out = direct ? c.target!.ptr + start * 8 : arena.allocBytes(count * 8, ctx.op);
  const status = convert(ex, entry.spec, c.swap, raw, count, out);
  if (status < 0) throw new DdsError(ctx.op, "BAD_ARGUMENT", `${ctx.op}: internal error: conversion kernel rejected argument ${-status} (please report this)`);
  if (status === Status.NON_FINITE && c.o.checkFinite) {
    const k = ex.status_info();
    const value = new Float64Array(arena.buffer(ctx.op), out + k * 8, 1)[0]!;
    throw nonFinite(ctx, entry, c.fortran ? fortranToC(start + k, shape) : start + k, value);
  }
  if (c.fortran) {
    const dst = c.target ? c.target.ptr : arena.allocBytes(entry.info.numel * 8, ctx.op);
    const dims = arena.allocBytes(shape.length * 4, ctx.op);
    new Int32Array(arena.buffer(ctx.op), dims, shape.length).set(shape);
    const work = arena.allocBytes(shape.length * 8, ctx.op);
    const s = ex.fortran_scatter_f64(out, count, start, dst, dims, shape.length, work);
    if (s !== 0) throw new DdsError(ctx.op, "BAD_ARGUMENT", `${ctx.op}: internal error: fortran_scatter_f64 returned ${s} (please report this)`);
    if (c.array) c.array.set(new Float64Array(arena.buffer(ctx.op), dst, entry.info.numel));
  } else if (c.array) {
    c.array.set(new Float64Array(arena.buffer(ctx.op), out, count), start);
  }
}

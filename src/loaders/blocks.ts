// Reading a tensor as blocks of rows (docs/streaming.md): each block's stored bytes are read from the
// source (one range read, the next one already in flight), widened to f64 in wasm by the same
// conversion kernels as `load`, checked for NaN/±Inf (error with tensor, row and column), and handed
// to a synchronous consumer inside the same kernel call. Memory: one block, whatever the tensor's size.
// Fortran-ordered arrays have no contiguous rows: they are decoded whole first (memory O(N·d)).

import { AbortedError, DdsError } from "../errors.js";
import type { KernelExports } from "../runtime/abi.js";
import { withKernels } from "../runtime/kernels.js";
import type { Arena } from "../runtime/memory.js";
import type { Entry } from "./container.js";
import type { Ctx } from "./context.js";
import { checkDtype, convert, decode, nonFinite } from "./decode.js";
import { Status } from "../runtime/abi.js";

/** Progress and cancellation of a block-by-block read. */
export interface BlockReadOptions {
  /** Called after each block with the stored bytes it read. */
  onBytes?: (bytes: number) => void;
  /** Stops the read between blocks with an AbortedError. */
  signal?: AbortSignal;
}

/** Throw an AbortedError when `signal` is aborted. */
export function checkAborted(op: string, signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new AbortedError(op, `${op}: aborted by the caller's AbortSignal${signal.reason !== undefined ? ` (${signal.reason instanceof Error ? signal.reason.message : String(signal.reason)})` : ""}`, { cause: signal.reason });
  }
}

/** Stored bytes of a tensor's data (what a block read fetches). */
export function storedBytes(entry: Entry): number {
  return entry.info.numel * (entry.spec.bits / 8);
}

/**
 * Read `entry` (N rows of `cols` values, row-major) in blocks of `rowsPerBlock` rows; `onBlock(ex,
 * arena, ptr, rows, row0)` gets each decoded block (f64, row stride cols) inside one synchronous
 * kernel call, and must not keep `ptr`.
 * @throws {NonFiniteError} NaN/±Inf with tensor, row, column. {AbortedError} the signal fired.
 *   {FormatError} {ReadError} {UnsupportedDtypeError} as `load`.
 */
export async function readRowBlocks(
  ctx: Ctx,
  entry: Entry,
  cols: number,
  rowsPerBlock: number,
  onBlock: (ex: KernelExports, arena: Arena, ptr: number, rows: number, row0: number) => void,
  o: BlockReadOptions = {},
): Promise<void> {
  checkDtype(ctx, entry, { allowIntegers: false });
  const n = entry.info.numel;
  const N = cols > 0 ? n / cols : 0;
  if (n === 0) return;
  const dctx: Ctx = entry.file === undefined ? ctx : { op: ctx.op, file: entry.file };
  checkAborted(ctx.op, o.signal);
  if (entry.info.order === "F") return fortranBlocks(ctx, entry, cols, rowsPerBlock, onBlock, o);
  const item = entry.spec.bits / 8;
  const src = await entry.data(dctx);
  const swap = entry.bigEndian ? 1 : 0;
  const read = (r0: number): Promise<Uint8Array> => src.read(dctx, r0 * cols * item, Math.min(rowsPerBlock, N - r0) * cols * item);
  let pending: Promise<Uint8Array> | undefined = read(0);
  try {
    for (let r0 = 0; r0 < N; r0 += rowsPerBlock) {
      const bytes: Uint8Array = await pending!;
      checkAborted(ctx.op, o.signal);
      const rows = Math.min(rowsPerBlock, N - r0);
      pending = r0 + rowsPerBlock < N ? read(r0 + rowsPerBlock) : undefined;
      withKernels(ctx.op, (ex, arena) => {
        const raw = arena.allocBytes(bytes.length, ctx.op);
        new Uint8Array(arena.buffer(ctx.op), raw, bytes.length).set(bytes);
        const out = arena.allocBytes(rows * cols * 8, ctx.op);
        const status = convert(ex, entry.spec, swap, raw, rows * cols, out);
        if (status < 0) throw new DdsError(ctx.op, "BAD_ARGUMENT", `${ctx.op}: internal error: conversion kernel rejected argument ${-status} (please report this)`);
        if (status === Status.NON_FINITE) {
          const k = ex.status_info();
          throw nonFinite(dctx, entry, r0 * cols + k, new Float64Array(arena.buffer(ctx.op), out + k * 8, 1)[0]!);
        }
        onBlock(ex, arena, out, rows, r0);
      });
      o.onBytes?.(bytes.length);
    }
  } finally {
    pending?.catch(() => undefined); // an abandoned read-ahead must not become an unhandled rejection
  }
}

/** Fortran order: decode the whole tensor into a held block, then hand out its rows in blocks. */
async function fortranBlocks(
  ctx: Ctx,
  entry: Entry,
  cols: number,
  rowsPerBlock: number,
  onBlock: (ex: KernelExports, arena: Arena, ptr: number, rows: number, row0: number) => void,
  o: BlockReadOptions,
): Promise<void> {
  const N = entry.info.numel / cols;
  const a = withKernels(ctx.op, (_, arena) => arena);
  const whole = a.hold(ctx.op, N, cols);
  try {
    await decode(ctx, entry, { view: whole }, { checkFinite: true, allowIntegers: false, chunkBytes: 8 * 1024 * 1024 });
    checkAborted(ctx.op, o.signal);
    withKernels(ctx.op, (ex, arena) => {
      for (let r0 = 0; r0 < N; r0 += rowsPerBlock) onBlock(ex, arena, whole.ptr + r0 * cols * 8, Math.min(rowsPerBlock, N - r0), r0);
    });
    o.onBytes?.(storedBytes(entry));
  } finally {
    whole.free();
  }
}

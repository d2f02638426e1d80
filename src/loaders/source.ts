// Byte sources: one random-access interface over ArrayBuffer, any ArrayBufferView, Blob/File and a
// caller's read callback (HTTP range requests, file handles). Every read is checked here (bounds,
// exact length, failures) so that the parsers can trust what they get: a broken source becomes a
// ReadError, a read past the end a FormatError naming the offset, never an untyped exception.

import { DdsError, ReadError } from "../errors.js";
import { formatError, type Ctx } from "./context.js";

/**
 * Random access to `size` bytes. `read(offset, length)` must resolve to exactly `length` bytes
 * (a Uint8Array, any ArrayBufferView or an ArrayBuffer); the loaders never ask past `size`.
 */
export interface ByteSource {
  /** Total size in bytes (a non-negative safe integer). */
  readonly size: number;
  /** Bytes `[offset, offset + length)`. Called with `length > 0` only. */
  read(offset: number, length: number): Promise<Uint8Array | ArrayBufferView | ArrayBuffer> | Uint8Array | ArrayBufferView | ArrayBuffer;
  /** Name used in error messages (file name, URL). */
  readonly name?: string;
}

/** Everything a loader accepts as a file. */
export type SourceInput = ArrayBuffer | SharedArrayBuffer | ArrayBufferView | Blob | ByteSource;

/** (internal) A validated source; `bytes` is set when the whole file is in memory. */
export interface Source {
  readonly size: number;
  readonly name: string | undefined;
  readonly bytes?: Uint8Array;
  read(ctx: Ctx, offset: number, length: number): Promise<Uint8Array>;
}

const EMPTY = new Uint8Array(0);

function u8(x: ArrayBufferView | ArrayBuffer | SharedArrayBuffer): Uint8Array {
  if (x instanceof Uint8Array) return x;
  if (ArrayBuffer.isView(x)) return new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  return new Uint8Array(x);
}

function isBufferLike(x: unknown): x is ArrayBuffer | SharedArrayBuffer | ArrayBufferView {
  return x instanceof ArrayBuffer || ArrayBuffer.isView(x) || (typeof SharedArrayBuffer !== "undefined" && x instanceof SharedArrayBuffer);
}

function isBlob(x: unknown): x is Blob {
  return typeof Blob !== "undefined" && x instanceof Blob;
}

function isByteSource(x: unknown): x is ByteSource {
  return x !== null && typeof x === "object" && typeof (x as ByteSource).read === "function" && "size" in x;
}

/** The bytes of an in-memory file; reads are views (no copy). */
function memorySource(bytes: Uint8Array, name: string | undefined): Source {
  return {
    size: bytes.length,
    name,
    bytes,
    read: (ctx, offset, length) => Promise.resolve(checkRange(ctx, offset, length, bytes.length) ? bytes.subarray(offset, offset + length) : EMPTY),
  };
}

function checkRange(ctx: Ctx, offset: number, length: number, size: number): boolean {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > size) {
    throw formatError(ctx, `needs bytes ${offset}…${offset + length} but the file has ${size} bytes (truncated?)`, { offset: Math.min(Math.max(offset, 0), size) });
  }
  return length > 0;
}

/** A source reading through `read(offset, length)` (Blob slices, callbacks), with every reply checked. */
function callbackSource(size: number, name: string | undefined, read: (offset: number, length: number) => ReturnType<ByteSource["read"]>): Source {
  return {
    size,
    name,
    async read(ctx, offset, length) {
      if (!checkRange(ctx, offset, length, size)) return EMPTY;
      let got: unknown;
      try {
        got = await read(offset, length);
      } catch (cause) {
        const why = cause instanceof Error ? cause.message : String(cause);
        throw new ReadError(ctx.op, `${ctx.op}: ${ctx.file ?? "source"}: reading ${length} bytes at offset ${offset} failed: ${why}`, { file: ctx.file, offset }, { cause });
      }
      if (!isBufferLike(got)) {
        throw new ReadError(ctx.op, `${ctx.op}: ${ctx.file ?? "source"}: read(${offset}, ${length}) returned ${got === null ? "null" : typeof got}, expected a Uint8Array`, { file: ctx.file, offset });
      }
      const bytes = u8(got);
      if (bytes.length !== length) {
        throw new ReadError(ctx.op, `${ctx.op}: ${ctx.file ?? "source"}: read(${offset}, ${length}) returned ${bytes.length} bytes (did the file change or shrink?)`, { file: ctx.file, offset });
      }
      return bytes;
    },
  };
}

/** Options naming a source. */
export interface SourceOptions {
  /** Name used in error messages (default: a File's name, a ByteSource's `name`, else none). */
  fileName?: string;
}

/**
 * (internal) Wrap what the caller passed. ArrayBuffer/ArrayBufferView (its byteOffset/byteLength
 * respected) are read in place; Blob/File through `slice().arrayBuffer()`; a ByteSource as given.
 */
export function toSource(op: string, input: SourceInput, fileName?: string): Source {
  if (isBufferLike(input)) return memorySource(u8(input), fileName);
  if (isBlob(input)) {
    const blob = input;
    const name = fileName ?? (typeof (blob as File).name === "string" && (blob as File).name !== "" ? (blob as File).name : undefined);
    return callbackSource(blob.size, name, (o, l) => blob.slice(o, o + l).arrayBuffer());
  }
  if (isByteSource(input)) {
    const size = input.size;
    if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0) {
      throw new DdsError(op, "BAD_ARGUMENT", `${op}: source.size must be a non-negative safe integer, got ${String(size)}`);
    }
    const name = fileName ?? (typeof input.name === "string" ? input.name : undefined);
    return callbackSource(size, name, (o, l) => input.read(o, l));
  }
  throw new DdsError(
    op,
    "BAD_ARGUMENT",
    `${op}: expected an ArrayBuffer, a typed array or DataView, a Blob/File, or { size, read(offset, length) }; got ${input === null ? "null" : typeof input}` +
      (typeof input === "string" ? " (file paths are accepted by the dead-directions/node entry)" : ""),
  );
}

/** (internal) `length` bytes of `src` starting at `offset`, as a source of their own (a zip member). */
export function windowSource(src: Source, offset: number, length: number, name: string | undefined): Source {
  const bytes = src.bytes?.subarray(offset, offset + length);
  return {
    size: length,
    name,
    ...(bytes ? { bytes } : {}),
    read(ctx, o, l) {
      checkRange(ctx, o, l, length);
      return src.read(ctx, offset + o, l);
    },
  };
}

/** (internal) An in-memory source over bytes we made (an inflated member). */
export function bytesSource(bytes: Uint8Array, name: string | undefined): Source {
  return memorySource(bytes, name);
}

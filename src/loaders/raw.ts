// A tensor's stored elements as a typed array of their own type (no conversion to f64): integers,
// booleans, and the bit patterns of F16/BF16/F8. Little-endian, aligned data of an in-memory source
// is returned as a view (no copy); anything else (unaligned offsets, big-endian data, sources read
// through a callback) is copied once, and big-endian data byte-swapped (integer moves: bits kept).

import type { Entry } from "./container.js";
import { unsupported, type Ctx } from "./context.js";

/** The typed array `loadRaw` returns for each dtype. */
export type RawArray =
  | Float64Array
  | Float32Array
  | Uint16Array
  | Uint8Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

type Ctor = { new (buffer: ArrayBuffer, byteOffset: number, length: number): RawArray; readonly BYTES_PER_ELEMENT: number };

const CTORS: Record<string, Ctor> = {
  F64: Float64Array,
  F32: Float32Array,
  F16: Uint16Array,
  BF16: Uint16Array,
  F8_E4M3: Uint8Array,
  F8_E5M2: Uint8Array,
  BOOL: Uint8Array,
  U8: Uint8Array,
  I8: Int8Array,
  I16: Int16Array,
  U16: Uint16Array,
  I32: Int32Array,
  U32: Uint32Array,
  I64: BigInt64Array,
  U64: BigUint64Array,
};

/** The elements of `entry` in stored order (row-major, or column-major when `info.order` is "F"). */
export async function readRaw(ctx: Ctx, entry: Entry): Promise<{ data: RawArray; copied: boolean }> {
  const { info } = entry;
  const ctor = CTORS[info.dtype];
  if (!ctor || entry.spec.kind === "unsupported") throw unsupported(ctx, info.name, info.stored, entry.spec.why ?? "not readable by dead-directions", info.byteOffset);
  const dctx: Ctx = entry.file === undefined ? ctx : { op: ctx.op, file: entry.file };
  const src = await entry.data(dctx);
  const bytes = info.byteSize === 0 ? new Uint8Array(0) : await src.read(dctx, 0, info.byteSize);
  const size = ctor.BYTES_PER_ELEMENT;
  const buffer = bytes.buffer;
  if (!entry.bigEndian && bytes.byteOffset % size === 0 && buffer instanceof ArrayBuffer) {
    return { data: new ctor(buffer, bytes.byteOffset, info.numel), copied: false };
  }
  const copy = bytes.slice();
  if (entry.bigEndian && size > 1) {
    for (let i = 0; i < copy.length; i += size) {
      for (let a = i, b = i + size - 1; a < b; a++, b--) {
        const t = copy[a]!;
        copy[a] = copy[b]!;
        copy[b] = t;
      }
    }
  }
  return { data: new ctor(copy.buffer, 0, info.numel), copied: true };
}

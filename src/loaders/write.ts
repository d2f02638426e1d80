// Writing safetensors: 8-byte little-endian header length, the JSON header (padded with spaces to a
// multiple of 8 bytes, as the reference writer does), then the tensors' bytes back to back.

import { FormatError } from "../errors.js";

export interface TensorToWrite {
  /** F64/F32 from a Float64Array/Float32Array; F16/BF16 from a Uint16Array holding the raw bits. */
  readonly dtype: "F64" | "F32" | "F16" | "BF16";
  readonly shape: readonly number[];
  readonly data: Float64Array | Float32Array | Uint16Array;
}

const ARRAY_OF = { F64: Float64Array, F32: Float32Array, F16: Uint16Array, BF16: Uint16Array } as const;

/**
 * Serialise tensors (in the order given) and string metadata as one safetensors file.
 * @throws {FormatError} a shape that does not match the data length, or data of the wrong type.
 */
export function saveSafetensors(tensors: Readonly<Record<string, TensorToWrite>>, metadata?: Readonly<Record<string, string>>): Uint8Array {
  const op = "saveSafetensors";
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  const parts: Uint8Array[] = [];
  for (const [name, t] of Object.entries(tensors)) {
    const numel = t.shape.reduce((a, b) => a * b, 1);
    const want = ARRAY_OF[t.dtype];
    if (!want) throw new FormatError(op, `tensor ${JSON.stringify(name)}: cannot write dtype ${String(t.dtype)} (F64, F32, F16 or BF16)`, { tensor: name });
    if (!(t.data instanceof want)) throw new FormatError(op, `tensor ${JSON.stringify(name)}: dtype ${t.dtype} needs a ${want.name}`, { tensor: name });
    if (numel !== t.data.length) throw new FormatError(op, `tensor ${JSON.stringify(name)}: shape [${t.shape.join(", ")}] has ${numel} elements, data has ${t.data.length}`, { tensor: name, shape: t.shape });
    const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength).slice(); // little-endian hosts only (all JS engines we run on)
    header[name] = { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, offset + bytes.length] };
    offset += bytes.length;
    parts.push(bytes);
  }
  let json = JSON.stringify(header);
  json += " ".repeat((8 - (new TextEncoder().encode(json).length % 8)) % 8);
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let at = 8 + head.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

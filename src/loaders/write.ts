// Writing safetensors: 8-byte little-endian header length, the JSON header (padded with spaces to a
// multiple of 8 bytes, as the reference writer does), then the tensors' bytes back to back.

import { DdsError, FormatError } from "../errors.js";
import { describe } from "../validate.js";

export interface TensorToWrite {
  /** F64/F32 from a Float64Array/Float32Array; F16/BF16 from a Uint16Array holding the raw bits. */
  readonly dtype: "F64" | "F32" | "F16" | "BF16";
  readonly shape: readonly number[];
  readonly data: Float64Array | Float32Array | Uint16Array;
}

const ARRAY_OF = { F64: Float64Array, F32: Float32Array, F16: Uint16Array, BF16: Uint16Array } as const;

const isPlain = (o: unknown): o is Record<string, unknown> => o !== null && typeof o === "object" && !Array.isArray(o) && !ArrayBuffer.isView(o);

/**
 * Serialise tensors (in the order given) and string metadata as one safetensors file. Refuses what
 * the loaders would refuse (docs/validation.md): a tensor named `__metadata__` (the format's reserved
 * key), a shape that is not an array of non-negative integers or does not match the data length,
 * data of the wrong type, metadata that is not an object of strings.
 * @param tensors an object: name → `{ dtype, shape, data }`.
 * @param metadata optional string → string map (null/undefined: none), stored as `__metadata__`.
 * @throws {DdsError} BAD_ARGUMENT: `tensors` or `metadata` is not an object, a tensor is not `{ dtype, shape, data }`.
 * @throws {FormatError} a reserved name, a bad shape, a shape that does not match the data length, data of the wrong type, a non-string metadata value.
 */
export function saveSafetensors(tensors: Readonly<Record<string, TensorToWrite>>, metadata?: Readonly<Record<string, string>> | null): Uint8Array {
  const op = "saveSafetensors";
  if (!isPlain(tensors)) throw new DdsError(op, "BAD_ARGUMENT", `tensors must be an object (name → { dtype, shape, data }), got ${describe(tensors)}`);
  if (metadata !== undefined && metadata !== null && !isPlain(metadata)) throw new DdsError(op, "BAD_ARGUMENT", `metadata must be an object of strings (key → string value), got ${describe(metadata)}`);
  const header: Record<string, unknown> = {};
  if (metadata) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== "string") throw new FormatError(op, `metadata[${JSON.stringify(k)}] must be a string (safetensors metadata holds strings only), got ${describe(v)}`);
    }
    if (Object.keys(metadata).length > 0) header.__metadata__ = { ...metadata };
  }
  let offset = 0;
  const parts: Uint8Array[] = [];
  for (const [name, t] of Object.entries(tensors)) {
    const q = JSON.stringify(name);
    if (name === "__metadata__") throw new FormatError(op, `a tensor cannot be named "__metadata__" (the key safetensors reserves for metadata; pass metadata as the second argument)`, { tensor: name });
    if (!isPlain(t)) throw new DdsError(op, "BAD_ARGUMENT", `tensor ${q} must be an object { dtype, shape, data }, got ${describe(t)}`, { tensor: name });
    if (!Array.isArray(t.shape)) throw new FormatError(op, `tensor ${q}: shape must be an array of non-negative integers, got ${describe(t.shape)}`, { tensor: name });
    t.shape.forEach((d, i) => {
      if (typeof d !== "number" || !Number.isSafeInteger(d) || d < 0) throw new FormatError(op, `tensor ${q}: shape[${i}] must be a non-negative integer, got ${describe(d)}`, { tensor: name, index: i });
    });
    const numel = t.shape.reduce((a, b) => a * b, 1);
    const want = Object.hasOwn(ARRAY_OF, t.dtype) ? ARRAY_OF[t.dtype] : undefined;
    if (!want) throw new FormatError(op, `tensor ${JSON.stringify(name)}: cannot write dtype ${String(t.dtype)} (F64, F32, F16 or BF16)`, { tensor: name });
    if (!(t.data instanceof want)) throw new FormatError(op, `tensor ${JSON.stringify(name)}: dtype ${t.dtype} needs a ${want.name}, got ${describe(t.data)}`, { tensor: name });
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

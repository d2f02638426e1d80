// safetensors: u64-LE header length N, N bytes of JSON, then one data buffer. The reference reader's
// rules are enforced: N ≤ a limit (and ≤ 2^53 before any conversion), header starts with "{", every
// tensor has a known dtype, non-negative integer shape, END − BEGIN = numel × size computed without
// overflow, offsets sorted, contiguous from 0 without holes or overlaps, and the buffer ends exactly
// at the file end; duplicate names are refused. __metadata__ is a string → string map.
// see: https://github.com/huggingface/safetensors (safetensors/src/tensor.rs: read_metadata, validate)

import type { Container, Entry, TensorInfo } from "./container.js";
import { tensorInfo } from "./container.js";
import { formatError, unsupported, type Ctx } from "./context.js";
import { safetensorsDtype, type DTypeSpec } from "./dtype.js";
import { JsonArray, JsonNumber, JsonObject, JsonSyntaxError, parseJson, type JsonValue } from "./json.js";
import { windowSource, type Source } from "./source.js";

/** Default header limit (the issue's 25 MB; the reference reader allows 100 MB). */
export const SAFETENSORS_MAX_HEADER = 25_000_000;

interface Raw {
  name: string;
  spec: DTypeSpec | undefined;
  dtype: string;
  shape: bigint[];
  begin: bigint;
  end: bigint;
  at: number;
}

function natural(ctx: Ctx, v: JsonValue | undefined, what: string, tensor: string, at: number): bigint {
  const n = v instanceof JsonNumber ? v.natural : undefined;
  if (n === undefined) {
    const got = v instanceof JsonNumber ? v.text : v === undefined ? "nothing" : JSON.stringify(v instanceof JsonObject || v instanceof JsonArray ? "(a JSON container)" : v);
    throw formatError(ctx, `tensor ${JSON.stringify(tensor)}: ${what} must be a non-negative integer, got ${got}`, { tensor, offset: at });
  }
  if (n > 0xffffffffffffffffn) throw formatError(ctx, `tensor ${JSON.stringify(tensor)}: ${what} ${n} does not fit in 64 bits`, { tensor, offset: at });
  return n;
}

function readTensor(ctx: Ctx, name: string, v: JsonValue, at: number): Raw {
  const q = JSON.stringify(name);
  if (!(v instanceof JsonObject)) throw formatError(ctx, `tensor ${q}: expected an object with dtype, shape and data_offsets`, { tensor: name, offset: at });
  const dtype = v.entries.get("dtype");
  const shape = v.entries.get("shape");
  const offsets = v.entries.get("data_offsets");
  if (typeof dtype !== "string") throw formatError(ctx, `tensor ${q}: "dtype" must be a string`, { tensor: name, offset: at });
  if (!(shape instanceof JsonArray)) throw formatError(ctx, `tensor ${q}: "shape" must be an array of non-negative integers`, { tensor: name, offset: at });
  if (!(offsets instanceof JsonArray) || offsets.items.length !== 2) {
    throw formatError(ctx, `tensor ${q}: "data_offsets" must be [BEGIN, END]`, { tensor: name, offset: at });
  }
  const dims = shape.items.map((d, i) => natural(ctx, d, `shape[${i}]`, name, at));
  const begin = natural(ctx, offsets.items[0], "data_offsets[0]", name, at);
  const end = natural(ctx, offsets.items[1], "data_offsets[1]", name, at);
  return { name, spec: safetensorsDtype(dtype), dtype, shape: dims, begin, end, at };
}

async function readHeader(ctx: Ctx, src: Source, maxHeader: number, hint: string): Promise<{ n: number; json: JsonObject }> {
  if (src.size < 8) throw formatError(ctx, `${src.size} bytes is too short for a safetensors file (it starts with an 8-byte header length)${hint}`, { offset: src.size });
  const head = await src.read(ctx, 0, 8);
  const dv = new DataView(head.buffer, head.byteOffset, 8);
  const lo = dv.getUint32(0, true);
  const hi = dv.getUint32(4, true);
  if (hi >= 0x200000) throw formatError(ctx, `header length ${(BigInt(hi) << 32n) | BigInt(lo)} is beyond 2^53${hint}`, { offset: 0 });
  const n = hi * 4294967296 + lo;
  if (n === 0) throw formatError(ctx, `header length is 0 (a safetensors header is a JSON object, at least "{}")${hint}`, { offset: 0 });
  if (n > maxHeader) throw formatError(ctx, `header length ${n} exceeds the limit of ${maxHeader} bytes (raise maxHeaderBytes if the file is trusted)${hint}`, { offset: 0 });
  if (8 + n > src.size) throw formatError(ctx, `header length ${n} runs past the end of the file (${src.size} bytes)${hint}`, { offset: 0 });
  const bytes = await src.read(ctx, 8, n);
  if (bytes[0] !== 0x7b) throw formatError(ctx, `the header must start with "{", found byte 0x${bytes[0]!.toString(16).padStart(2, "0")}${hint}`, { offset: 8 });
  let json: JsonValue;
  try {
    json = parseJson(bytes);
  } catch (err) {
    if (err instanceof JsonSyntaxError) throw formatError(ctx, `bad JSON in the header at byte ${8 + err.offset}: ${err.message}`, { offset: 8 + err.offset });
    throw err;
  }
  if (!(json instanceof JsonObject)) throw formatError(ctx, "the header is not a JSON object", { offset: 8 });
  return { n, json };
}

function readMetadata(ctx: Ctx, v: JsonValue, at: number, base: number): Record<string, string> {
  if (!(v instanceof JsonObject)) throw formatError(ctx, "__metadata__ must be an object of strings", { offset: at });
  const out: [string, string][] = [];
  for (const [k, val] of v.entries) {
    if (typeof val !== "string") throw formatError(ctx, `__metadata__[${JSON.stringify(k)}] must be a string (the format allows only string values)`, { offset: base + (v.keyOffsets.get(k) ?? 0) });
    out.push([k, val]);
  }
  return Object.freeze(Object.fromEntries(out));
}

/** Check the reference rules on offsets; returns the tensors in data order. */
function validate(ctx: Ctx, raws: Raw[], dataStart: number, bufferLen: number): void {
  for (const r of raws) {
    const q = JSON.stringify(r.name);
    if (!r.spec) continue; // reported when loaded (size unknown: the file is refused below)
    const bits = r.shape.reduce((a, d) => a * d, 1n) * BigInt(r.spec.bits);
    if (bits % 8n !== 0n) throw formatError(ctx, `tensor ${q}: ${bits / BigInt(r.spec.bits)} elements of ${r.dtype} are not a whole number of bytes`, { tensor: r.name, offset: r.at });
    if (r.end < r.begin) throw formatError(ctx, `tensor ${q}: data_offsets [${r.begin}, ${r.end}] end before they begin`, { tensor: r.name, offset: r.at });
    if (r.end - r.begin !== bits / 8n) {
      throw formatError(ctx, `tensor ${q}: shape [${r.shape.join(", ")}] of ${r.dtype} needs ${bits / 8n} bytes but data_offsets [${r.begin}, ${r.end}] hold ${r.end - r.begin}`, { tensor: r.name, offset: r.at });
    }
  }
  const sorted = [...raws].sort((a, b) => (a.begin < b.begin ? -1 : a.begin > b.begin ? 1 : a.end < b.end ? -1 : a.end > b.end ? 1 : 0));
  let expected = 0n;
  for (const r of sorted) {
    if (r.begin !== expected) {
      const what = r.begin > expected ? `a hole: bytes ${expected}…${r.begin} of the data belong to no tensor` : `it overlaps the previous tensor (which ends at ${expected})`;
      throw formatError(ctx, `tensor ${JSON.stringify(r.name)}: data starts at ${r.begin}: ${what}`, { tensor: r.name, offset: dataStart + Number(expected) });
    }
    expected = r.end;
  }
  if (expected !== BigInt(bufferLen)) {
    const why = expected > BigInt(bufferLen) ? `the tensors need ${expected} bytes of data but the file holds ${bufferLen} (truncated?)` : `the tensors end at byte ${expected} of the data but the file has ${bufferLen} (trailing bytes)`;
    throw formatError(ctx, why, { offset: dataStart + Math.min(Number(expected), bufferLen) });
  }
}

/** Parse a safetensors header. Reads 8 + N bytes. */
export async function openSafetensors(ctx: Ctx, src: Source, maxHeader = SAFETENSORS_MAX_HEADER, hint = ""): Promise<Container> {
  const { n, json } = await readHeader(ctx, src, maxHeader, hint);
  const dataStart = 8 + n;
  let metadata: Record<string, string> = Object.freeze({});
  const raws: Raw[] = [];
  for (const [key, v] of json.entries) {
    const at = 8 + (json.keyOffsets.get(key) ?? 0);
    if (key === "__metadata__") metadata = readMetadata(ctx, v, at, 8);
    else raws.push(readTensor(ctx, key, v, at));
  }
  const unknown = raws.find((r) => !r.spec);
  if (unknown) throw unsupported(ctx, unknown.name, unknown.dtype, "not a dtype of the safetensors format, so the file cannot be validated", unknown.at);
  validate(ctx, raws, dataStart, src.size - dataStart);

  const entries = new Map<string, Entry>();
  for (const r of raws) {
    const spec = r.spec!;
    if (r.shape.some((d) => d > BigInt(Number.MAX_SAFE_INTEGER))) {
      throw formatError(ctx, `tensor ${JSON.stringify(r.name)}: a shape entry beyond 2^53 is not supported`, { tensor: r.name, offset: r.at });
    }
    const shape = r.shape.map(Number);
    const info: TensorInfo = tensorInfo({
      name: r.name,
      dtype: spec.name,
      stored: r.dtype,
      kind: spec.kind,
      shape,
      numel: shape.reduce((a, d) => a * d, 1),
      byteSize: Number(r.end - r.begin),
      byteOffset: dataStart + Number(r.begin),
      order: "C",
      byteOrder: spec.bits > 8 ? "little" : "none",
      compressed: false,
    });
    entries.set(r.name, {
      info,
      spec,
      bigEndian: false,
      file: src.name,
      data: () => Promise.resolve(windowSource(src, info.byteOffset, info.byteSize, src.name)),
    });
  }
  return {
    format: "safetensors",
    file: src.name,
    metadata,
    names: raws.map((r) => r.name),
    entry: (c, name) => {
      const e = entries.get(name);
      return e ? Promise.resolve(e) : Promise.reject(missing(c, name, raws.map((r) => r.name)));
    },
    close: () => Promise.resolve(),
  };
}

/** (internal) "no tensor named …" with the closest existing names first, then the count of the rest. */
export function missing(ctx: Ctx, name: string, names: readonly string[]) {
  if (names.length === 0) return formatError(ctx, `no tensor named ${JSON.stringify(name)}: the file holds no tensors`, { tensor: name });
  const key = name.toLowerCase();
  const ranked = names.map((n, i) => ({ n, i, d: editDistance(key, n.toLowerCase()) })).sort((a, b) => a.d - b.d || a.i - b.i);
  const near = ranked.filter((r) => r.d <= Math.max(1, Math.floor(name.length / 3))).slice(0, 5).map((r) => JSON.stringify(r.n));
  const all = names.map((n) => JSON.stringify(n));
  const holds = `${all.slice(0, 8).join(", ")}${names.length > 8 ? ` and ${names.length - 8} more` : ""}`;
  const text = near.length > 0 ? `did you mean ${near.join(" or ")}? The file holds ${holds}` : `the file holds ${holds}`;
  return formatError(ctx, `no tensor named ${JSON.stringify(name)}; ${text}`, { tensor: name });
}

/** Levenshtein distance (insert, delete, substitute: 1 each). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

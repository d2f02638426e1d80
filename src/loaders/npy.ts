// .npy: "\x93NUMPY", version (1.0, 2.0 or 3.0), header length (u16 LE for 1.0, u32 LE after), a
// Python dict literal {'descr', 'fortran_order', 'shape'} padded with spaces and ended by "\n"
// (latin-1; utf-8 in 3.0), then the data, exactly numel × itemsize bytes (a trailing or missing byte
// is a FormatError: it means the header does not describe the data).
// see: numpy/lib/format.py (read_magic, _read_array_header, MAX_HEADER_SIZE = 10000)

import type { Container, Entry } from "./container.js";
import { tensorInfo } from "./container.js";
import { formatError, type Ctx } from "./context.js";
import { npyDtype, type DTypeSpec } from "./dtype.js";
import { parsePyLiteral, PySyntaxError, PyTuple, type PyValue } from "./pyliteral.js";
import { missing } from "./safetensors.js";
import { windowSource, type Source } from "./source.js";

/** numpy's default header limit (np.load(max_header_size=10000)). */
export const NPY_MAX_HEADER = 10000;
export const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59] as const;

const latin1 = new TextDecoder("latin1");
const utf8 = new TextDecoder("utf-8", { fatal: true });

function describe(v: PyValue | undefined): string {
  if (v === undefined) return "nothing";
  if (v instanceof PyTuple) return `a tuple of ${v.items.length}`;
  if (Array.isArray(v)) return "a list";
  if (v instanceof Map) return "a dict";
  if (v === null) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  return typeof v === "bigint" ? v.toString() : JSON.stringify(v);
}

const pyShape = (s: readonly number[]) => `(${s.join(", ")}${s.length === 1 ? "," : ""})`;

/** Parse one .npy (a file, or a zip member) and return its only tensor. */
export async function parseNpy(ctx: Ctx, src: Source, name: string, maxHeader = NPY_MAX_HEADER): Promise<Entry> {
  const t = { tensor: name };
  if (src.size < 10) throw formatError(ctx, `${src.size} bytes is too short for a .npy file (the preamble alone is 10)`, { ...t, offset: src.size });
  const magic = await src.read(ctx, 0, 8);
  if (!NPY_MAGIC.every((b, i) => magic[i] === b)) throw formatError(ctx, 'not a .npy file (it does not start with "\\x93NUMPY")', { ...t, offset: 0 });
  const [major, minor] = [magic[6]!, magic[7]!];
  if (minor !== 0 || major < 1 || major > 3) throw formatError(ctx, `.npy format version ${major}.${minor} is not supported (1.0, 2.0 and 3.0 are)`, { ...t, offset: 6 });
  const lenBytes = major === 1 ? 2 : 4;
  if (src.size < 8 + lenBytes) throw formatError(ctx, "the file ends inside the header length", { ...t, offset: src.size });
  const lb = await src.read(ctx, 8, lenBytes);
  const hlen = major === 1 ? lb[0]! | (lb[1]! << 8) : (lb[0]! | (lb[1]! << 8) | (lb[2]! << 16)) + lb[3]! * 16777216;
  const start = 8 + lenBytes;
  if (hlen > maxHeader) throw formatError(ctx, `header length ${hlen} exceeds the limit of ${maxHeader} bytes (${maxHeader === NPY_MAX_HEADER ? "numpy's default; " : ""}raise maxHeaderBytes if the file is trusted)`, { ...t, offset: 8 });
  if (start + hlen > src.size) throw formatError(ctx, `header length ${hlen} runs past the end of the file (${src.size} bytes)`, { ...t, offset: 8 });
  const hb = await src.read(ctx, start, hlen);
  if (hlen === 0 || hb[hlen - 1] !== 0x0a) throw formatError(ctx, 'the header does not end with "\\n" (header length wrong?)', { ...t, offset: start + Math.max(hlen - 1, 0) });
  let text: string;
  try {
    text = major === 3 ? utf8.decode(hb) : latin1.decode(hb);
  } catch {
    throw formatError(ctx, "the version 3.0 header is not valid UTF-8", { ...t, offset: start });
  }
  let dict: PyValue;
  try {
    dict = parsePyLiteral(text);
  } catch (err) {
    if (err instanceof PySyntaxError) throw formatError(ctx, `bad header literal at byte ${start + err.offset}: ${err.message}`, { ...t, offset: start + err.offset });
    throw err;
  }
  const at = { ...t, offset: start };
  if (!(dict instanceof Map)) throw formatError(ctx, `the header is ${describe(dict)}, not a dict`, at);
  const keys = [...dict.keys()].sort();
  if (keys.join() !== "descr,fortran_order,shape") {
    throw formatError(ctx, `the header must have exactly the keys descr, fortran_order, shape; it has ${keys.join(", ") || "none"}`, at);
  }
  const descr = dict.get("descr")!;
  const fortran = dict.get("fortran_order");
  const shapeV = dict.get("shape");
  if (typeof fortran !== "boolean") throw formatError(ctx, `fortran_order must be True or False, got ${describe(fortran)}`, at);
  if (!(shapeV instanceof PyTuple) || !shapeV.items.every((d) => typeof d === "bigint")) throw formatError(ctx, `shape must be a tuple of integers, got ${describe(shapeV)}`, at);
  const dims = shapeV.items as bigint[];
  const neg = dims.findIndex((d) => d < 0n || d > BigInt(Number.MAX_SAFE_INTEGER));
  if (neg >= 0) throw formatError(ctx, `shape[${neg}] = ${dims[neg]} is not a valid dimension`, at);
  if (dims.length > 64) throw formatError(ctx, `${dims.length} dimensions (numpy allows at most 64)`, at);

  let spec: DTypeSpec | undefined;
  let stored: string;
  let bigEndian = false;
  let why: string | undefined;
  if (Array.isArray(descr)) {
    stored = "structured";
    why = "structured (record) dtypes are not decoded: save each field as its own array";
  } else if (typeof descr === "string") {
    stored = descr;
    const d = npyDtype(descr);
    if (d === undefined) throw formatError(ctx, `descr ${JSON.stringify(descr)} is not a numpy type string`, at);
    if ("unsupported" in d) why = d.unsupported;
    else [spec, bigEndian] = [d.spec, d.bigEndian];
  } else throw formatError(ctx, `descr must be a type string, got ${describe(descr)}`, at);

  const dataStart = start + hlen;
  const numel = dims.reduce((a, d) => a * d, 1n);
  const shape = dims.map(Number);
  let byteSize = src.size - dataStart;
  if (spec) {
    const need = (numel * BigInt(spec.bits)) / 8n;
    if (need !== BigInt(byteSize)) {
      const what = need > BigInt(byteSize) ? `needs ${need} bytes of data but ${byteSize} follow the header (truncated?)` : `needs ${need} bytes of data but ${byteSize} follow the header (trailing bytes)`;
      throw formatError(ctx, `shape ${pyShape(shape)} of ${stored} ${what}`, { ...t, offset: dataStart });
    }
    byteSize = Number(need);
  }
  const info = tensorInfo({
    name,
    dtype: spec?.name ?? stored,
    stored,
    kind: spec?.kind ?? "unsupported",
    shape,
    numel: Number(numel),
    byteSize,
    byteOffset: dataStart,
    order: fortran && dims.length > 1 ? "F" : "C",
    byteOrder: spec && spec.bits > 8 ? (bigEndian ? "big" : "little") : "none",
    compressed: false,
  });
  const unsupportedSpec: DTypeSpec = { name: stored, bits: 8, kind: "unsupported", why: why ?? "" };
  return {
    info,
    spec: spec ?? unsupportedSpec,
    bigEndian,
    file: src.name,
    data: () => Promise.resolve(windowSource(src, dataStart, byteSize, src.name)),
  };
}

/** The tensor name of a .npy file: its base name without ".npy", or "array". */
export function npyName(file: string | undefined): string {
  const base = (file ?? "").split(/[\\/]/).pop() ?? "";
  const stem = base.toLowerCase().endsWith(".npy") ? base.slice(0, -4) : base;
  return stem || "array";
}

export async function openNpy(ctx: Ctx, src: Source, maxHeader?: number): Promise<Container> {
  const name = npyName(src.name);
  const entry = await parseNpy(ctx, src, name, maxHeader);
  return {
    format: "npy",
    file: src.name,
    metadata: Object.freeze({}),
    names: [name],
    entry: (c, n) => (n === name ? Promise.resolve(entry) : Promise.reject(missing(c, n, [name]))),
    close: () => Promise.resolve(),
  };
}

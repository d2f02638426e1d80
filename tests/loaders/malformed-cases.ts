// The malformed-input corpus: every truncation point of small files, bit flips in headers and zip
// structures, and crafted headers (overflowing and negative shapes, offsets with holes, overlaps or
// past the end, huge or zero header lengths, bad JSON, bad zip directories, wrong CRCs …). Every case
// must end in a typed error naming the file and a tensor or offset. Deterministic: no randomness.

import { deflateSync, inflateSync } from "fflate";
import { fixture } from "./helpers.js";

export interface Case {
  id: string;
  /** File name passed as `fileName`: errors must name it. */
  file: string;
  bytes: Uint8Array;
  /** What is attempted: load a tensor (the default), or inspect the whole file. */
  op: "load" | "inspect";
  tensor?: string;
  opts?: { maxHeaderBytes?: number };
}

const enc = new TextEncoder();
const cat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) out.set(p, (o += p.length) - p.length);
  return out;
};
const u64le = (n: bigint) => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, n, true);
  return b;
};
const flip = (b: Uint8Array, at: number, bit: number) => {
  const c = b.slice();
  c[at]! ^= 1 << bit;
  return c;
};
const put = (b: Uint8Array, at: number, v: number, width: 2 | 4) => {
  const c = b.slice();
  const dv = new DataView(c.buffer);
  if (width === 2) dv.setUint16(at, v, true);
  else dv.setUint32(at, v >>> 0, true);
  return c;
};

// ------------------------------------------------------------------ safetensors
/** A safetensors file from header text (padded to 8) and data bytes; `len` overrides the length field. */
function st(header: string | Uint8Array, data: Uint8Array | number = 0, len?: bigint): Uint8Array {
  let h = typeof header === "string" ? enc.encode(header) : header;
  if (typeof header === "string") h = cat(h, enc.encode(" ".repeat((8 - (h.length % 8)) % 8)));
  return cat(u64le(len ?? BigInt(h.length)), h, typeof data === "number" ? new Uint8Array(data) : data);
}
const T = (dtype: unknown, shape: unknown, offsets: unknown) => ({ dtype, shape, data_offsets: offsets });
const J = (o: unknown) => JSON.stringify(o);

function safetensorsCases(): Case[] {
  const small = fixture("safetensors/small.safetensors");
  const file = "small.safetensors";
  const c = (id: string, bytes: Uint8Array, tensor = "a", extra: Partial<Case> = {}): Case => ({ id: `safetensors ${id}`, file, bytes, op: "load", tensor, ...extra });
  const out: Case[] = [];
  for (let n = 0; n < small.length; n++) out.push(c(`truncated to ${n} bytes`, small.subarray(0, n), n < 150 ? "a" : "b"));
  for (let bit = 0; bit < 64; bit++) out.push(c(`length bit ${bit} flipped`, flip(small, bit >> 3, bit & 7)));
  // Every bit of the JSON structure, keys and numbers (not the contents of names and metadata
  // strings, where a flip makes another valid file).
  const headerLen = Number(new DataView(small.buffer, small.byteOffset).getBigUint64(0, true));
  const text = new TextDecoder().decode(small.subarray(8, 8 + headerLen));
  const free = new Set<number>();
  for (const m of text.matchAll(/"(k|v|a|b)"/g)) free.add(m.index! + 1);
  for (let i = 0; i < text.length; i++) {
    if (free.has(i)) continue;
    for (let bit = 0; bit < 8; bit++) out.push(c(`header byte ${8 + i} (${JSON.stringify(text[i])}) bit ${bit}`, flip(small, 8 + i, bit), "a", { op: "inspect" }));
  }
  const f32x4 = new Uint8Array(16);
  const ok = (h: string, data: Uint8Array | number = 16, len?: bigint) => st(h, data, len);
  const crafted: [string, Uint8Array][] = [
    ["length 2^64-1", ok(J({ a: T("F32", [4], [0, 16]) }), 16, 0xffffffffffffffffn)],
    ["length 2^53", ok(J({ a: T("F32", [4], [0, 16]) }), 16, 1n << 53n)],
    ["length 2^53+1", ok(J({ a: T("F32", [4], [0, 16]) }), 16, (1n << 53n) + 1n)],
    ["length over the 25 MB limit", ok(J({ a: T("F32", [4], [0, 16]) }), 16, 25_000_001n)],
    ["length 0", ok("", 16, 0n)],
    ["length past the end", ok(J({ a: T("F32", [4], [0, 16]) }), 16, 1000n)],
    ["header of spaces", ok("        ")],
    ["header starts with a space", st(" " + J({ a: T("F32", [4], [0, 16]) }) + "       ", f32x4)],
    ["header starts with a BOM", st(cat(new Uint8Array([0xef, 0xbb, 0xbf]), enc.encode(J({ a: T("F32", [4], [0, 16]) }) + "     ")), f32x4)],
    ["header is a string", ok('"{}"')],
    ["header is an array", ok("[{}]")],
    ["unterminated object", ok('{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}')],
    ["trailing comma", ok('{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},}')],
    ["missing value", ok('{"a":}')],
    ["single quotes", ok("{'a':{'dtype':'F32','shape':[4],'data_offsets':[0,16]}}")],
    ["NaN literal", ok('{"a":{"dtype":"F32","shape":[NaN],"data_offsets":[0,16]}}')],
    ["unterminated string", ok('{"a":{"dtype":"F32}}')],
    ["raw newline in a string", ok('{"a\n":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}')],
    ["bad escape", ok('{"a\\q":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}')],
    ["invalid UTF-8 in a name", st(cat(enc.encode('{"a\xff'.slice(0, 3)), new Uint8Array([0xff, 0xfe]), enc.encode('":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}   ')), f32x4)],
    ["garbage after the object", ok(J({ a: T("F32", [4], [0, 16]) }) + "x")],
    ["NUL padding", st(cat(enc.encode(J({ a: T("F32", [4], [0, 16]) })), new Uint8Array(8 - (J({ a: T("F32", [4], [0, 16]) }).length % 8) || 8)), f32x4)],
    ["nesting 200 deep", ok(`{"__metadata__":${"[".repeat(200)}${"]".repeat(200)}}`)],
    ["duplicate tensor name", ok('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"a":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}')],
    ["duplicate __metadata__", ok('{"__metadata__":{},"__metadata__":{},"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}')],
    ["duplicate key inside a tensor", ok('{"a":{"dtype":"F32","dtype":"F64","shape":[4],"data_offsets":[0,16]}}')],
    ["metadata value is a number", ok(J({ __metadata__: { k: 1 }, a: T("F32", [4], [0, 16]) }))],
    ["metadata is an array", ok(J({ __metadata__: ["k"], a: T("F32", [4], [0, 16]) }))],
    ["tensor info is a string", ok(J({ a: "F32" }))],
    ["dtype missing", ok(J({ a: { shape: [4], data_offsets: [0, 16] } }))],
    ["dtype is a number", ok(J({ a: T(32, [4], [0, 16]) }))],
    ["dtype unknown", ok(J({ a: T("F128", [4], [0, 16]) }))],
    ["dtype lower case", ok(J({ a: T("f32", [4], [0, 16]) }))],
    ["shape missing", ok(J({ a: { dtype: "F32", data_offsets: [0, 16] } }))],
    ["shape null", ok(J({ a: T("F32", null, [0, 16]) }))],
    ["shape negative", ok(J({ a: T("F32", [-4], [0, 16]) }))],
    ["shape negative pair", ok(J({ a: T("F32", [-2, -2], [0, 16]) }))],
    ["shape fractional", ok(J({ a: T("F32", [2.5], [0, 16]) }))],
    ["shape with exponent", ok('{"a":{"dtype":"F32","shape":[4e0],"data_offsets":[0,16]}}')],
    ["shape as string", ok(J({ a: T("F32", ["4"], [0, 16]) }))],
    ["shape overflowing 64 bits", ok('{"a":{"dtype":"F32","shape":[18446744073709551616],"data_offsets":[0,16]}}')],
    ["shape product overflowing 64 bits", ok('{"a":{"dtype":"F32","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,16]}}')],
    ["shape product wrapping to the right size in u64", ok('{"a":{"dtype":"F32","shape":[4611686018427387905],"data_offsets":[0,4]}}', 4)],
    ["shape of 2^53 with a zero", ok('{"a":{"dtype":"F32","shape":[9007199254740993,0],"data_offsets":[0,0]}}', 0)],
    ["numel mismatch", ok(J({ a: T("F32", [5], [0, 16]) }))],
    ["F4 of odd count (half a byte)", ok(J({ a: T("F4", [3], [0, 2]) }), 2)],
    ["offsets with one entry", ok(J({ a: T("F32", [4], [16]) }))],
    ["offsets with three entries", ok(J({ a: T("F32", [4], [0, 16, 32]) }))],
    ["offsets reversed", ok(J({ a: T("F32", [4], [16, 0]) }))],
    ["offsets negative", ok(J({ a: T("F32", [4], [-16, 0]) }))],
    ["offsets fractional", ok('{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16.0]}}')],
    ["offsets as strings", ok(J({ a: T("F32", [4], ["0", "16"]) }))],
    ["offsets not from 0", ok(J({ a: T("F32", [4], [4, 20]) }), 20)],
    ["hole between tensors", ok(J({ a: T("F32", [2], [0, 8]), b: T("F32", [2], [12, 20]) }), 20)],
    ["overlapping tensors", ok(J({ a: T("F32", [2], [0, 8]), b: T("F32", [2], [4, 12]) }), 12)],
    ["same range twice", ok(J({ a: T("F32", [2], [0, 8]), b: T("F32", [2], [0, 8]) }), 8)],
    ["data past the end", ok(J({ a: T("F32", [8], [0, 32]) }), 16)],
    ["trailing data after the last tensor", ok(J({ a: T("F32", [4], [0, 16]) }), 17)],
    ["offsets beyond 2^53", ok('{"a":{"dtype":"F32","shape":[4],"data_offsets":[9007199254740993,9007199254741009]}}')],
    ["name is __proto__ with bad shape", ok(J({ ["__proto__"]: T("F32", [-1], [0, 16]) }))],
  ];
  for (const [id, bytes] of crafted) out.push(c(id, bytes, "a", { op: "inspect" }));
  return out;
}

// ------------------------------------------------------------------ .npy
function npy(header: string, data: Uint8Array | number = 24, version = 1, pad = true): Uint8Array {
  let h = header;
  const pre = version === 1 ? 10 : 12;
  if (pad) h += " ".repeat((64 - ((pre + h.length + 1) % 64)) % 64) + "\n";
  const hb = version === 3 ? enc.encode(h) : Uint8Array.from(h, (ch) => ch.charCodeAt(0) & 0xff);
  const lenField = version === 1 ? new Uint8Array([hb.length & 0xff, hb.length >> 8]) : new Uint8Array(new Uint32Array([hb.length]).buffer);
  return cat(new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]), lenField, hb, typeof data === "number" ? new Uint8Array(data) : data);
}
const H = (descr: string, fortran: string, shape: string) => `{'descr': ${descr}, 'fortran_order': ${fortran}, 'shape': ${shape}, }`;

function npyCases(): Case[] {
  const small = fixture("npy/small.npy");
  const file = "small.npy";
  const c = (id: string, bytes: Uint8Array, extra: Partial<Case> = {}): Case => ({ id: `npy ${id}`, file, bytes, op: "load", tensor: "small", ...extra });
  const out: Case[] = [];
  for (let n = 0; n < small.length; n++) out.push(c(`truncated to ${n} bytes`, small.subarray(0, n)));
  for (let i = 0; i < 10; i++) for (let bit = 0; bit < 8; bit++) out.push(c(`preamble byte ${i} bit ${bit}`, flip(small, i, bit)));
  const text = new TextDecoder("latin1").decode(small.subarray(10, 128));
  for (let i = 0; i < text.length; i++) {
    for (let bit = 0; bit < 8; bit++) {
      // '<' → '>' reads the same bytes as big-endian: another valid file, not a malformed one.
      if (text[i] === "<" && bit === 1) continue;
      if (text[i] === " " && i > 60 && bit !== 5) continue; // padding: one flip per byte suffices
      out.push(c(`header byte ${10 + i} (${JSON.stringify(text[i])}) bit ${bit}`, flip(small, 10 + i, bit)));
    }
  }
  const crafted: [string, Uint8Array, Partial<Case>?][] = [
    ["magic only", npy("").subarray(0, 6)],
    ["version 1.1", (() => { const b = npy(H("'<f8'", "False", "(3,)")); b[7] = 1; return b; })()],
    ["version 4.0", npy(H("'<f8'", "False", "(3,)"), 24, 4)],
    ["version 0.0", (() => { const b = npy(H("'<f8'", "False", "(3,)")); b[6] = 0; return b; })()],
    ["header length 65535", put(npy(H("'<f8'", "False", "(3,)")), 8, 65535, 2)],
    ["v2 header length 2^32-1", put(npy(H("'<f8'", "False", "(3,)"), 24, 2), 8, 0xffffffff, 4)],
    ["header over the 10000 limit", npy(H("'<f8'", "False", "(3,)") + " ".repeat(10050), 24, 2)],
    ["header over a custom limit", npy(H("'<f8'", "False", "(3,)")), { opts: { maxHeaderBytes: 32 } }],
    ["header without newline", npy(H("'<f8'", "False", "(3,)") + " ".repeat(16), 24, 1, false)],
    ["header is a list", npy("[1, 2]")],
    ["header is empty", npy("")],
    ["missing shape", npy("{'descr': '<f8', 'fortran_order': False}")],
    ["extra key", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), 'x': 1}")],
    ["duplicate key", npy("{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (3,)}")],
    ["descr unknown", npy(H("'<x8'", "False", "(3,)"))],
    ["descr a number", npy(H("8", "False", "(3,)"))],
    ["descr native byte order", npy(H("'=f8'", "False", "(3,)"))],
    ["descr float128", npy(H("'<f16'", "False", "(3,)"), 48)],
    ["descr object", npy(H("'|O'", "False", "(3,)"))],
    ["descr structured", npy(H("[('x', '<f8')]", "False", "(3,)"))],
    ["descr datetime", npy(H("'<M8[s]'", "False", "(3,)"))],
    ["fortran_order None", npy(H("'<f8'", "None", "(3,)"))],
    ["fortran_order 1", npy(H("'<f8'", "1", "(3,)"))],
    ["shape a list", npy(H("'<f8'", "False", "[3]"))],
    ["shape an int", npy(H("'<f8'", "False", "(3)"))],
    ["shape negative", npy(H("'<f8'", "False", "(-3,)"))],
    ["shape float", npy(H("'<f8'", "False", "(3.0,)"))],
    ["shape a string", npy(H("'<f8'", "False", "('3',)"))],
    ["shape leading zero", npy(H("'<f8'", "False", "(03,)"))],
    ["shape product overflow", npy(H("'<f8'", "False", "(1099511627776, 1099511627776)"))],
    ["shape beyond 2^53", npy(H("'<f8'", "False", "(9007199254740993, 0)"), 0)],
    ["65 dimensions", npy(H("'<f8'", "False", `(${"1, ".repeat(65)})`), 8)],
    ["unterminated string", npy("{'descr': '<f8, 'fortran_order': False, 'shape': (3,), }")],
    ["parentheses 100 deep", npy(`{'descr': '<f8', 'fortran_order': False, 'shape': ${"(".repeat(100)}${")".repeat(100)}, }`)],
    ["missing comma", npy("{'descr': '<f8' 'fortran_order': False, 'shape': (3,), }")],
    ["python expression", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1+2,), }")],
    ["data truncated", npy(H("'<f8'", "False", "(3,)"), 23)],
    ["trailing data", npy(H("'<f8'", "False", "(3,)"), 25)],
    ["v3 header invalid UTF-8", (() => { const b = npy(H("'<f8'", "False", "(3,)"), 24, 3); b[14] = 0xff; return b; })()],
  ];
  for (const [id, bytes, extra] of crafted) out.push(c(id, bytes, { tensor: "small", ...extra }));
  return out;
}

// ------------------------------------------------------------------ .npz (zip)
interface ZipLayout {
  eocd: number;
  cd: number;
  local: number;
  dataStart: number;
  csize: number;
}
function layout(b: Uint8Array): ZipLayout {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const eocd = b.length - 22;
  const cd = dv.getUint32(eocd + 16, true);
  const local = dv.getUint32(cd + 42, true);
  const dataStart = local + 30 + dv.getUint16(local + 26, true) + dv.getUint16(local + 28, true);
  return { eocd, cd, local, dataStart, csize: dv.getUint32(cd + 20, true) };
}

function zipCases(rel: string, tag: string): Case[] {
  const z = fixture(rel);
  const file = `${tag}.npz`;
  const L = layout(z);
  const c = (id: string, bytes: Uint8Array): Case => ({ id: `${tag} ${id}`, file, bytes, op: "load", tensor: "a" });
  const out: Case[] = [];
  const dv = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let n = 0; n < z.length; n++) out.push(c(`truncated to ${n} bytes`, z.subarray(0, n)));
  const fields: [string, number, number][] = [
    ["EOCD signature", L.eocd, 4], ["EOCD disk", L.eocd + 4, 2], ["EOCD cd disk", L.eocd + 6, 2], ["EOCD entries here", L.eocd + 8, 2],
    ["EOCD entries", L.eocd + 10, 2], ["EOCD cd size", L.eocd + 12, 4], ["EOCD cd offset", L.eocd + 16, 4], ["EOCD comment length", L.eocd + 20, 2],
    ["CD signature", L.cd, 4], ["CD method", L.cd + 10, 2], ["CD crc", L.cd + 16, 4], ["CD csize", L.cd + 20, 4], ["CD usize", L.cd + 24, 4],
    ["CD name length", L.cd + 28, 2], ["CD extra length", L.cd + 30, 2], ["CD comment length", L.cd + 32, 2], ["CD disk", L.cd + 34, 2],
    ["CD local offset", L.cd + 42, 4], ["CD name", L.cd + 46, 5],
    ["local signature", L.local, 4], ["local name length", L.local + 26, 2], ["local extra length", L.local + 28, 2], ["local name", L.local + 30, 5],
  ];
  for (const [name, at, width] of fields) {
    for (let bit = 0; bit < width * 8; bit++) {
      // A flipped name byte at ".npy" would leave no member "a": that is tested, but the last name
      // bytes could turn "a.npy" into another ".npy" name only via the first byte (tested too).
      out.push(c(`${name} bit ${bit}`, flip(z, at + (bit >> 3), bit & 7)));
    }
  }
  out.push(c("CD flags bit 0 (encrypted)", flip(z, L.cd + 8, 0)));
  // Encrypted members (issue 12 item 7): refused by name before any data is read or inflated; see
  // encrypted.test.ts for the exact error. Bit 6 alone (strong encryption without bit 0 is not a
  // valid combination, but a crafted file may carry it), both bits, and the local header alone.
  out.push(
    c("CD flags bit 6 (strongly encrypted)", flip(z, L.cd + 8, 6)),
    c("CD flags bits 0 and 6 (strong encryption)", flip(flip(z, L.cd + 8, 0), L.cd + 8, 6)),
    c("local flags bit 0 only (encrypted)", flip(z, L.local + 6, 0)),
    c("local flags bit 6 only (strongly encrypted)", flip(z, L.local + 6, 6)),
  );
  const deflated = dv(z).getUint16(L.cd + 10, true) === 8;
  const original = deflated ? inflateSync(z.subarray(L.dataStart, L.dataStart + L.csize)) : undefined;
  for (let i = 0; i < L.csize; i++) {
    const bit = (i * 3) % 8;
    const bad = flip(z, L.dataStart + i, bit);
    // A flip in the padding bits after the final DEFLATE block changes nothing: not malformed.
    if (original && sameInflate(bad.subarray(L.dataStart, L.dataStart + L.csize), original)) continue;
    out.push(c(`member data byte ${i} bit ${bit}`, bad));
  }
  const edit = (f: (b: Uint8Array, d: DataView) => void) => {
    const b = z.slice();
    f(b, dv(b));
    return b;
  };
  const usize = dv(z).getUint32(L.cd + 24, true);
  out.push(
    c("no end record at all", cat(new Uint8Array([0x50, 0x4b, 3, 4]), new Uint8Array(60))),
    c("method 12 (bzip2)", put(z, L.cd + 10, 12, 2)),
    c("method 99 (AES)", put(z, L.cd + 10, 99, 2)),
    c("crc off by one", put(z, L.cd + 16, dv(z).getUint32(L.cd + 16, true) ^ 1, 4)),
    c("usize one larger", put(z, L.cd + 24, usize + 1, 4)),
    c("usize one smaller", put(z, L.cd + 24, usize - 1, 4)),
    c("usize 3 GB (bomb claim)", put(z, L.cd + 24, 3_000_000_000, 4)),
    c("csize past the directory", put(z, L.cd + 20, 100000, 4)),
    c("local offset past the directory", put(z, L.cd + 42, L.cd + 10, 4)),
    c("cd offset past the end", put(z, L.eocd + 16, z.length + 5, 4)),
    c("cd size too large", put(z, L.eocd + 12, 100000, 4)),
    c("entry count 1000", edit((_, d) => (d.setUint16(L.eocd + 8, 1000, true), d.setUint16(L.eocd + 10, 1000, true)))),
    c("entry count 0", edit((_, d) => (d.setUint16(L.eocd + 8, 0, true), d.setUint16(L.eocd + 10, 0, true)))),
    c("zip64 sizes without a zip64 field", edit((_, d) => (d.setUint32(L.cd + 20, 0xffffffff, true), d.setUint16(L.cd + 30, 0, true)))),
    c("comment longer than the file", put(z, L.eocd + 20, 500, 2)),
    c("zip64 locator pointing nowhere", (() => {
      const loc = new Uint8Array(20);
      const d = new DataView(loc.buffer);
      d.setUint32(0, 0x07064b50, true);
      d.setBigUint64(8, 1n << 40n, true);
      d.setUint32(16, 1, true);
      return cat(z.subarray(0, L.eocd), loc, z.subarray(L.eocd));
    })()),
    c("deflate stream of garbage", edit((b, d) => {
      for (let i = 0; i < L.csize; i++) b[L.dataStart + i] = (i * 37 + 11) & 0xff;
      d.setUint16(L.cd + 10, 8, true);
    })),
    c("inner .npy with bad magic", (() => {
      // a valid zip (CRC right) whose member is not a .npy
      const member = enc.encode("hello, not numpy");
      return storedZip("a.npy", member);
    })()),
    c("inner .npy truncated (valid zip)", storedZip("a.npy", fixture("npy/small.npy").subarray(0, 100))),
    c("inner .npy deflated, truncated", deflatedZip("a.npy", fixture("npy/small.npy").subarray(0, 140))),
    c("duplicate member names", duplicateZip()),
  );
  return out;
}

function sameInflate(data: Uint8Array, want: Uint8Array): boolean {
  try {
    const got = inflateSync(data);
    return got.length === want.length && got.every((b, i) => b === want[i]);
  } catch {
    return false;
  }
}

const crcTable = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();
function crc(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A minimal zip of members (name, data, method); sizes and CRCs right. */
function zipOf(members: [string, Uint8Array, 0 | 8][]): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const [name, data, method] of members) {
    const n = enc.encode(name);
    const body = method === 8 ? deflateSync(data) : data;
    const lh = new Uint8Array(30);
    const l = new DataView(lh.buffer);
    l.setUint32(0, 0x04034b50, true);
    l.setUint16(8, method, true);
    l.setUint32(14, crc(data), true);
    l.setUint32(18, body.length, true);
    l.setUint32(22, data.length, true);
    l.setUint16(26, n.length, true);
    const ch = new Uint8Array(46);
    const h = new DataView(ch.buffer);
    h.setUint32(0, 0x02014b50, true);
    h.setUint16(10, method, true);
    h.setUint32(16, crc(data), true);
    h.setUint32(20, body.length, true);
    h.setUint32(24, data.length, true);
    h.setUint16(28, n.length, true);
    h.setUint32(42, offset, true);
    locals.push(lh, n, body);
    centrals.push(ch, n);
    offset += 30 + n.length + body.length;
  }
  const cd = cat(...centrals);
  const end = new Uint8Array(22);
  const e = new DataView(end.buffer);
  e.setUint32(0, 0x06054b50, true);
  e.setUint16(8, members.length, true);
  e.setUint16(10, members.length, true);
  e.setUint32(12, cd.length, true);
  e.setUint32(16, offset, true);
  return cat(...locals, cd, end);
}
const storedZip = (name: string, data: Uint8Array) => zipOf([[name, data, 0]]);
const deflatedZip = (name: string, data: Uint8Array) => zipOf([[name, data, 8]]);
const duplicateZip = () => zipOf([["a.npy", fixture("npy/small.npy"), 0], ["a.npy", fixture("npy/small.npy"), 0]]);

/** The whole corpus, in a stable order. */
export function malformedCases(): Case[] {
  return [...safetensorsCases(), ...npyCases(), ...zipCases("npz/small.npz", "stored"), ...zipCases("npz/small_compressed.npz", "deflated")];
}

/** Valid files the suite loads after each case (the library must work normally right after). */
export const CONTROL = { rel: "safetensors/small.safetensors", tensor: "a" } as const;

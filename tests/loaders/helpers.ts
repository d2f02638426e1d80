// Shared by the loader tests: the fixture script's expectations, bit helpers and every kind of source.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ByteSource } from "../../src/loaders/source.js";

export const FIXTURES = join(import.meta.dirname, "..", "fixtures", "loaders");

export interface ExpectedTensor {
  dtype: string;
  shape: number[];
  order: "C" | "F";
  kind: "float" | "integer" | "bool" | "unsupported";
  fnv?: string;
  firstNonFinite?: number;
  f64?: string[];
  raw?: string[];
}

export interface ExpectedFile {
  format: "safetensors" | "safetensors-index" | "npy" | "npz";
  metadata: Record<string, string>;
  names: string[];
  tensors: Record<string, ExpectedTensor>;
}

export const EXPECTED = JSON.parse(readFileSync(join(FIXTURES, "expected.json"), "utf8")) as { files: Record<string, ExpectedFile> };

export const fixture = (rel: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, rel)));

/** IEEE bits of every element, as 16 hex digits. */
export function hexBits(a: Float64Array): string[] {
  const dv = new DataView(a.buffer, a.byteOffset, a.byteLength);
  return Array.from({ length: a.length }, (_, i) => dv.getBigUint64(i * 8, true).toString(16).padStart(16, "0"));
}

/** FNV-1a 64 over the little-endian bytes (what the fixture script hashes). */
export function fnv(a: Float64Array): string {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let h = 0xcbf29ce484222325n;
  for (const b of bytes) h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h.toString(16).padStart(16, "0");
}

/** Compare decoded values with the script's numbers (bit patterns where listed, else the hash). */
export function sameAsScript(data: Float64Array, e: ExpectedTensor): void {
  if (e.f64) {
    if (JSON.stringify(hexBits(data)) !== JSON.stringify(e.f64)) throw new Error(`bits differ:\n got ${hexBits(data).join(" ")}\nwant ${e.f64.join(" ")}`);
  } else if (fnv(data) !== e.fnv) throw new Error(`hash differs: got ${fnv(data)}, want ${e.fnv}`);
}

/** A callback source that counts what it was asked for. */
export function counting(bytes: Uint8Array, name?: string): ByteSource & { reads: [number, number][]; bytesRead: () => number } {
  const reads: [number, number][] = [];
  return {
    size: bytes.length,
    ...(name ? { name } : {}),
    reads,
    bytesRead: () => reads.reduce((s, [, l]) => s + l, 0),
    read(offset: number, length: number) {
      reads.push([offset, length]);
      return Promise.resolve(bytes.slice(offset, offset + length));
    },
  };
}

export type SourceKind = "arraybuffer" | "unaligned-view" | "dataview" | "blob" | "callback";
export const SOURCE_KINDS: SourceKind[] = ["arraybuffer", "unaligned-view", "dataview", "blob", "callback"];

/** The same bytes as each kind of source. "unaligned-view" sits at byte offset 3 of a larger buffer. */
export function asSource(bytes: Uint8Array, kind: SourceKind): ArrayBuffer | ArrayBufferView | Blob | ByteSource {
  switch (kind) {
    case "arraybuffer":
      return bytes.slice().buffer;
    case "unaligned-view": {
      const big = new Uint8Array(bytes.length + 10).fill(0xee);
      big.set(bytes, 3);
      return big.subarray(3, 3 + bytes.length);
    }
    case "dataview": {
      const big = new Uint8Array(bytes.length + 8).fill(0xee);
      big.set(bytes, 5);
      return new DataView(big.buffer, 5, bytes.length);
    }
    case "blob":
      return new Blob([bytes.slice()]);
    case "callback":
      return counting(bytes);
  }
}

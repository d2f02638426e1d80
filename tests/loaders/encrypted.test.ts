// Encrypted .npz members (issue 12 item 7): a member whose general-purpose flag has bit 0
// (encrypted) or bit 6 (strong encryption) set, in the central directory or only in its local
// header, is refused with a FormatError (code FORMAT) that names the member and its archive offset,
// before any of its data is read, so nothing is ever inflated. The same files are in the malformed
// corpus (malformed-cases.ts), which checks the generic properties of every error.

import { beforeAll, describe, expect, it } from "vitest";
import { DdsError, FormatError, init, load } from "../../src/entry/default.js";
import { counting, fixture } from "./helpers.js";

interface Entry {
  name: string;
  cd: number;
  local: number;
  dataStart: number;
  csize: number;
}

/** The central-directory entries of a (non-zip64) archive, with where each member's data starts. */
function entries(b: Uint8Array): Entry[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const eocd = b.length - 22;
  let p = dv.getUint32(eocd + 16, true);
  const out: Entry[] = [];
  for (let i = 0; i < dv.getUint16(eocd + 10, true); i++) {
    const [nlen, xlen, clen] = [dv.getUint16(p + 28, true), dv.getUint16(p + 30, true), dv.getUint16(p + 32, true)];
    const local = dv.getUint32(p + 42, true);
    const name = new TextDecoder().decode(b.subarray(p + 46, p + 46 + nlen));
    const dataStart = local + 30 + dv.getUint16(local + 26, true) + dv.getUint16(local + 28, true);
    out.push({ name, cd: p, local, dataStart, csize: dv.getUint32(p + 20, true) });
    p += 46 + nlen + xlen + clen;
  }
  return out;
}

/** `b` with the general-purpose flags of `e` OR-ed with `bits`, in the directory and/or the local header. */
function withFlags(b: Uint8Array, e: Entry, bits: number, where: "cd" | "local" | "both"): Uint8Array {
  const c = b.slice();
  const dv = new DataView(c.buffer);
  if (where !== "local") dv.setUint16(e.cd + 8, dv.getUint16(e.cd + 8, true) | bits, true);
  if (where !== "cd") dv.setUint16(e.local + 6, dv.getUint16(e.local + 6, true) | bits, true);
  return c;
}

async function rejection(p: Promise<unknown>): Promise<DdsError> {
  try {
    await p;
  } catch (err) {
    return err as DdsError;
  }
  throw new Error("expected a rejection");
}

beforeAll(async () => {
  await init();
});

const VARIANTS = [
  { bits: 0x0001, where: "cd", kind: /is encrypted \(general-purpose flag bit 0\) according to its central directory/ },
  { bits: 0x0040, where: "cd", kind: /is strongly encrypted \(general-purpose flag bit 6\) according to its central directory/ },
  { bits: 0x0041, where: "both", kind: /is strongly encrypted \(general-purpose flag bit 6\) according to its central directory/ },
  { bits: 0x0001, where: "local", kind: /is encrypted \(general-purpose flag bit 0\) according to its local header/ },
  { bits: 0x0040, where: "local", kind: /is strongly encrypted \(general-purpose flag bit 6\) according to its local header/ },
] as const;

describe("encrypted .npz members are refused by name, before any decompression", () => {
  for (const rel of ["npz/small_compressed.npz", "npz/small.npz"]) {
    for (const v of VARIANTS) {
      it(`${rel}: flags 0x${v.bits.toString(16).padStart(4, "0")} in the ${v.where === "both" ? "directory and local header" : v.where === "cd" ? "central directory" : "local header only"}`, async () => {
        const z = fixture(rel);
        const [a] = entries(z);
        expect(a!.name).toBe("a.npy");
        const src = counting(withFlags(z, a!, v.bits, v.where), "secret.npz");
        const err = await rejection(load(src, "a"));
        expect(err).toBeInstanceOf(FormatError);
        expect(err.name).toBe("FormatError");
        expect(err.code).toBe("FORMAT");
        expect(err.file).toBe("secret.npz");
        expect(err.offset).toBe(a!.local);
        expect(err.message).toContain(`member "a.npy" at archive offset ${a!.local}`);
        expect(err.message).toMatch(v.kind);
        expect(err.message).toMatch(/encrypted \.npz members are not supported/);
        // No read touched the member's data: nothing was inflated (or even fetched).
        const touched = src.reads.filter(([o, l]) => o < a!.dataStart + a!.csize && o + l > a!.dataStart);
        expect(touched, JSON.stringify(src.reads)).toEqual([]);
        // A directory flag is enough: the local header is not even read then (the first read is the
        // format sniff of the file's first 8 bytes, which is where this member's header starts).
        const header = src.reads.slice(1).filter(([o, l]) => o <= a!.local + 6 && o + l > a!.local + 6);
        if (v.where !== "local") expect(header, JSON.stringify(src.reads)).toEqual([]);
        else expect(header.length, JSON.stringify(src.reads)).toBeGreaterThan(0);
      });
    }
  }

  it("an encrypted member among plain ones: that member is refused (named, with its offset), the others still load", async () => {
    const z = fixture("npz/savez.npz");
    const all = entries(z);
    const b = all.find((e) => e.name === "b_be.npy")!;
    expect(b.local).toBeGreaterThan(0);
    const bytes = withFlags(z, b, 0x0041, "cd");
    const err = await rejection(load(bytes, "b_be", { fileName: "mixed.npz" }));
    expect(err).toBeInstanceOf(FormatError);
    expect(err.code).toBe("FORMAT");
    expect(err.offset).toBe(b.local);
    expect(err.message).toBe(
      `load: mixed.npz: member "b_be.npy" at archive offset ${b.local} is strongly encrypted (general-purpose flag bit 6) according to its central directory; encrypted .npz members are not supported (decrypt the archive first)`,
    );
    const a = await load(bytes, "a", { fileName: "mixed.npz" });
    expect(a.shape.length).toBeGreaterThan(0);
  });

  it("method 99 (WinZip AES) is named as encryption too", async () => {
    const z = fixture("npz/small.npz");
    const [a] = entries(z);
    const c = z.slice();
    new DataView(c.buffer).setUint16(a!.cd + 10, 99, true);
    const err = await rejection(load(c, "a", { fileName: "aes.npz" }));
    expect(err).toBeInstanceOf(FormatError);
    expect(err.code).toBe("FORMAT");
    expect(err.message).toMatch(/member "a\.npy" at archive offset 0 is encrypted with WinZip AES \(compression method 99\)/);
  });
});

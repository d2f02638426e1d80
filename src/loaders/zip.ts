// ZIP reading for .npz: end-of-central-directory record (found from the end of the file, zip64
// locator and record when present), the central directory (zip64 extra fields for sizes and
// offsets), and member data: STORED members are windows on the file (no copy; the CRC is checked as
// the window is read through), DEFLATED ones are inflated with fflate's streaming inflater as far
// as reads need, into a buffer bounded by the declared size (a stream that inflates to more or less
// is refused, as is a declared size beyond DEFLATE's 1032:1), CRC checked at the end. The central
// directory is authoritative, so data descriptors (flag bit 3: sizes after the data) are tolerated.
// Encrypted members (flag bit 0, bit 6 "strong encryption", or method 99 WinZip AES, in the central
// directory or in the local header) are refused with a FormatError naming the member and its local
// header's offset, before any of its data is read or inflated (APPNOTE §4.4.4 general purpose bit flag).
// see: PKWARE APPNOTE.TXT 6.3.10 §4.3.7 (local header), §4.3.12 (central directory), §4.3.14–16
// (zip64 end record and locator), §4.5.3 (zip64 extra field); CPython zipfile._EndRecData.

import { Inflate } from "fflate";
import { FormatError } from "../errors.js";
import { formatError, type Ctx } from "./context.js";
import { crc32 } from "./crc32.js";
import { bytesSource, windowSource, type Source } from "./source.js";

export interface ZipMember {
  readonly name: string;
  readonly method: number;
  readonly flags: number;
  readonly crc: number;
  readonly csize: number;
  readonly usize: number;
  readonly localOffset: number;
  /** The next member's local header (or the directory): the member must end before it. */
  readonly limit: number;
}

const EOCD = 0x06054b50;
const LOCATOR = 0x07064b50;
const EOCD64 = 0x06064b50;
const CDH = 0x02014b50;
const LFH = 0x04034b50;
const utf8 = new TextDecoder("utf-8");
/** Compressed bytes pushed to the inflater at a time (bounds the output of one push to ~16 MiB). */
const INFLATE_STEP = 16384;
/** Inflated bytes kept behind the latest read before the window slides (small back-reads stay cheap). */
const KEEP_BEHIND = 1 << 20;
/** General-purpose flag bits: 0 = encrypted (traditional PKWARE or strong), 6 = strong encryption (APPNOTE §4.4.4). */
const FLAG_ENCRYPTED = 0x0001;
const FLAG_STRONG = 0x0040;
/** Compression method 99: WinZip AES encryption (APPNOTE §4.4.5, "AE-x encryption marker"). */
const METHOD_AES = 99;
/** DEFLATE cannot expand more than 1032:1 (a 258-byte match per 2 bits); more is a lie or a bomb. */
const MAX_RATIO = 1032;

class Bytes {
  readonly dv: DataView;
  constructor(readonly b: Uint8Array) {
    this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  u16(o: number): number {
    return this.dv.getUint16(o, true);
  }
  u32(o: number): number {
    return this.dv.getUint32(o, true);
  }
  /** u64 as a number, or -1 when ≥ 2^53. */
  u64(o: number): number {
    const hi = this.dv.getUint32(o + 4, true);
    return hi >= 0x200000 ? -1 : hi * 4294967296 + this.dv.getUint32(o, true);
  }
}

async function findEnd(ctx: Ctx, src: Source): Promise<{ at: number; rec: Bytes }> {
  if (src.size < 22) throw formatError(ctx, `${src.size} bytes is too short for a zip file (no end-of-directory record)`, { offset: src.size });
  const last = new Bytes(await src.read(ctx, src.size - 22, 22));
  if (last.u32(0) === EOCD && last.u16(20) === 0) return { at: src.size - 22, rec: last };
  const span = Math.min(src.size, 22 + 65535);
  const tail = await src.read(ctx, src.size - span, span);
  const t = new Bytes(tail);
  for (let i = span - 22; i >= 0; i--) {
    if (t.u32(i) === EOCD && i + 22 + t.u16(i + 20) <= span) return { at: src.size - span + i, rec: new Bytes(tail.subarray(i, i + 22)) };
  }
  throw formatError(ctx, "no end-of-central-directory record: not a zip file, or truncated", { offset: src.size });
}

/** The central directory of a zip file. Reads the end records and the directory only. */
export async function readZipDirectory(ctx: Ctx, src: Source): Promise<ZipMember[]> {
  const { at, rec } = await findEnd(ctx, src);
  if (rec.u16(4) !== 0 || rec.u16(6) !== 0) throw formatError(ctx, "multi-disk (split) zip archives are not supported", { offset: at });
  let count = rec.u16(10);
  let cdSize = rec.u32(12);
  let cdOffset = rec.u32(16);
  let end = at;
  if (rec.u16(8) !== count) throw formatError(ctx, `end record counts ${rec.u16(8)} entries on this disk but ${count} in total`, { offset: at + 8 });
  if (at >= 20) {
    const loc = new Bytes(await src.read(ctx, at - 20, 20));
    if (loc.u32(0) === LOCATOR) {
      const off = loc.u64(8);
      if (loc.u32(4) !== 0 || loc.u32(16) !== 1) throw formatError(ctx, "multi-disk (split) zip64 archives are not supported", { offset: at - 20 });
      if (off < 0 || off + 56 > at - 20) throw formatError(ctx, `zip64 locator points to ${off}, outside the file`, { offset: at - 12 });
      const z = new Bytes(await src.read(ctx, off, 56));
      if (z.u32(0) !== EOCD64) throw formatError(ctx, `no zip64 end record at offset ${off}`, { offset: off });
      if (z.u32(16) !== 0 || z.u32(20) !== 0) throw formatError(ctx, "multi-disk (split) zip64 archives are not supported", { offset: off + 16 });
      const [c1, c2, size, offset] = [z.u64(24), z.u64(32), z.u64(40), z.u64(48)];
      if (c1 !== c2 || c2 < 0 || size < 0 || offset < 0) throw formatError(ctx, "zip64 end record has inconsistent or impossible counts", { offset: off + 24 });
      [count, cdSize, cdOffset, end] = [c2, size, offset, off];
    }
  }
  if (cdOffset + cdSize > end) throw formatError(ctx, `central directory (${cdSize} bytes at ${cdOffset}) runs past its end record at ${end}`, { offset: cdOffset });
  if (count * 46 > cdSize) throw formatError(ctx, `${count} entries cannot fit in a ${cdSize}-byte central directory`, { offset: cdOffset });
  const cd = new Bytes(await src.read(ctx, cdOffset, cdSize));
  const raw: Omit<ZipMember, "limit">[] = [];
  const names = new Set<string>();
  let p = 0;
  for (let i = 0; i < count; i++) {
    const o = cdOffset + p;
    if (p + 46 > cdSize || cd.u32(p) !== CDH) throw formatError(ctx, `central directory entry ${i} is damaged (no signature at ${o})`, { offset: o });
    const [flags, method, crc] = [cd.u16(p + 8), cd.u16(p + 10), cd.u32(p + 16)];
    let [csize, usize] = [cd.u32(p + 20), cd.u32(p + 24)];
    const [nlen, xlen, clen, disk] = [cd.u16(p + 28), cd.u16(p + 30), cd.u16(p + 32), cd.u16(p + 34)];
    let local = cd.u32(p + 42);
    if (p + 46 + nlen + xlen + clen > cdSize) throw formatError(ctx, `central directory entry ${i} runs past the directory`, { offset: o });
    const name = utf8.decode(cd.b.subarray(p + 46, p + 46 + nlen));
    // zip64 extra: the 8-byte values, in this order, of the fields that are 0xFFFFFFFF.
    let need = [usize === 0xffffffff, csize === 0xffffffff, local === 0xffffffff];
    for (let x = p + 46 + nlen; x + 4 <= p + 46 + nlen + xlen; ) {
      const [id, len] = [cd.u16(x), cd.u16(x + 2)];
      if (x + 4 + len > p + 46 + nlen + xlen) throw formatError(ctx, `member ${JSON.stringify(name)}: extra field runs past its entry`, { offset: cdOffset + x });
      if (id === 0x0001) {
        let q = x + 4;
        const take = (): number => {
          if (q + 8 > x + 4 + len) throw formatError(ctx, `member ${JSON.stringify(name)}: zip64 extra field is too short`, { offset: cdOffset + x });
          const v = cd.u64(q);
          if (v < 0) throw formatError(ctx, `member ${JSON.stringify(name)}: zip64 value beyond 2^53`, { offset: cdOffset + q });
          q += 8;
          return v;
        };
        if (need[0]) usize = take();
        if (need[1]) csize = take();
        if (need[2]) local = take();
        need = [false, false, false];
      }
      x += 4 + len;
    }
    if (need.some(Boolean)) throw formatError(ctx, `member ${JSON.stringify(name)}: sizes say zip64 but there is no zip64 extra field`, { offset: o });
    if (disk !== 0 && disk !== 0xffff) throw formatError(ctx, `member ${JSON.stringify(name)} is on disk ${disk} (split archives are not supported)`, { offset: o });
    if (names.has(name)) throw formatError(ctx, `member ${JSON.stringify(name)} appears twice in the directory`, { offset: o });
    names.add(name);
    if (local + 30 > cdOffset) throw formatError(ctx, `member ${JSON.stringify(name)}: local header offset ${local} is not before the central directory (${cdOffset})`, { offset: o });
    raw.push({ name, method, flags, crc, csize, usize, localOffset: local });
    p += 46 + nlen + xlen + clen;
  }
  if (p !== cdSize) throw formatError(ctx, `central directory has ${cdSize - p} bytes after its ${count} entries`, { offset: cdOffset + p });
  const starts = [...new Set(raw.map((m) => m.localOffset))].sort((a, b) => a - b);
  if (starts.length !== raw.length) throw formatError(ctx, "two members share one local header (overlapping entries)", { offset: cdOffset });
  const next = new Map(starts.map((s, i) => [s, starts[i + 1] ?? cdOffset]));
  return raw.map((m) => Object.freeze({ ...m, limit: next.get(m.localOffset)! }));
}

/**
 * The uncompressed bytes of a member as a source. STORED: a window on `src` that checks the CRC
 * once every byte went through it; DEFLATED: inflated as far as reads need, size and CRC checked at the end.
 */
export async function memberSource(ctx: Ctx, src: Source, m: ZipMember, label: string): Promise<{ source: Source; start: number }> {
  const q = JSON.stringify(m.name);
  const where = { offset: m.localOffset };
  // Refused before anything of the member is read (not even its local header) and long before inflating.
  refuseEncrypted(ctx, q, m.flags, m.method, m.localOffset, "central directory");
  if (m.method !== 0 && m.method !== 8) throw formatError(ctx, `member ${q} uses compression method ${m.method}; only STORED (0) and DEFLATED (8) are supported`, where);
  const h = new Bytes(await src.read(ctx, m.localOffset, 30));
  if (h.u32(0) !== LFH) throw formatError(ctx, `member ${q}: no local header at offset ${m.localOffset}`, where);
  // The local header may say "encrypted" where the directory does not: trust neither alone.
  refuseEncrypted(ctx, q, h.u16(6), h.u16(8), m.localOffset, "local header");
  const [nlen, xlen] = [h.u16(26), h.u16(28)];
  const start = m.localOffset + 30 + nlen + xlen;
  if (start + m.csize > m.limit) throw formatError(ctx, `member ${q}: ${m.csize} bytes of data at ${start} run into the next entry at ${m.limit}`, where);
  const localName = utf8.decode(await src.read(ctx, m.localOffset + 30, nlen));
  if (localName !== m.name) throw formatError(ctx, `member ${q}: the local header names it ${JSON.stringify(localName)}`, where);
  if (m.method === 0) {
    if (m.csize !== m.usize) throw formatError(ctx, `member ${q} is STORED but its sizes differ (${m.csize} vs ${m.usize})`, where);
    return { source: crcChecked(windowSource(src, start, m.csize, label), m, { offset: start }), start };
  }
  if (m.usize > m.csize * MAX_RATIO + 1024) throw formatError(ctx, `member ${q} claims to inflate ${m.csize} bytes to ${m.usize}, beyond what DEFLATE can do`, where);
  if (m.csize === 0 && m.usize === 0) return { source: bytesSource(new Uint8Array(0), label), start };
  return { source: inflating(src, start, m, label), start };
}

/** A FormatError for an encrypted member (flag bit 0 or 6, or method 99), naming it and its local header offset. */
function refuseEncrypted(ctx: Ctx, q: string, flags: number, method: number, localOffset: number, where: string): void {
  const kind =
    flags & FLAG_STRONG ? "strongly encrypted (general-purpose flag bit 6)"
    : flags & FLAG_ENCRYPTED ? "encrypted (general-purpose flag bit 0)"
    : method === METHOD_AES ? "encrypted with WinZip AES (compression method 99)"
    : undefined;
  if (kind === undefined) return;
  throw formatError(ctx, `member ${q} at archive offset ${localOffset} is ${kind} according to its ${where}; encrypted .npz members are not supported (decrypt the archive first)`, { offset: localOffset });
}

function crcChecked(win: Source, m: ZipMember, where: { offset: number }): Source {
  let next = 0;
  let crc = 0;
  let state: "pending" | "ok" | "bad" = m.usize === 0 ? (m.crc === 0 ? "ok" : "bad") : "pending";
  const fail = (ctx: Ctx) => formatError(ctx, `member ${JSON.stringify(m.name)}: CRC-32 mismatch (stored 0x${m.crc.toString(16).padStart(8, "0")}, data 0x${crc.toString(16).padStart(8, "0")}): the data is corrupt`, where);
  return {
    size: win.size,
    name: win.name,
    ...(win.bytes ? { bytes: win.bytes } : {}),
    async read(ctx, offset, length) {
      if (state === "bad") throw fail(ctx);
      const b = await win.read(ctx, offset, length);
      if (state === "pending" && offset <= next && offset + length > next) {
        crc = crc32(b.subarray(next - offset), crc);
        next = offset + length;
        if (next === win.size) state = crc === m.crc ? "ok" : "bad";
        if (state === "bad") throw fail(ctx);
      }
      return b;
    },
  };
}

/**
 * A DEFLATED member, inflated as far as reads need (parsing a header inflates only its first block
 * or so); the output buffer grows by doubling up to the declared size. When the last compressed byte
 * has been pushed, the size and CRC are checked. Reads are serialised (one inflater per member).
 */
function inflating(src: Source, start: number, m: ZipMember, label: string): Source {
  const q = JSON.stringify(m.name);
  const where = { offset: start };
  // A window of the inflated member: out[0, fill) holds bytes [base, base + fill). Readers that go
  // forward (a streaming reading's blocks, docs/streaming.md) let the window slide, so memory stays
  // about one read whatever the member's size; a read before the window restarts the inflation.
  let out = new Uint8Array(Math.min(m.usize, 65536));
  let base = 0;
  let fill = 0;
  let produced = 0;
  let pos = 0;
  let crc = 0;
  let finished = false;
  let broken: unknown;
  let lock: Promise<unknown> = Promise.resolve();
  let ctxNow: Ctx = { op: "load" };
  const crcError = () => formatError(ctxNow, `member ${q}: CRC-32 mismatch (stored 0x${m.crc.toString(16).padStart(8, "0")}, data 0x${crc.toString(16).padStart(8, "0")}): the data is corrupt`, where);
  const makeInflater = () =>
    new Inflate((chunk, final) => {
      if (produced + chunk.length > m.usize) throw formatError(ctxNow, `member ${q} inflates to more than the ${m.usize} bytes its directory entry declares`, where);
      if (fill + chunk.length > out.length) {
        const grown = new Uint8Array(Math.min(m.usize - base, Math.max(out.length * 2, fill + chunk.length)));
        grown.set(out.subarray(0, fill));
        out = grown;
      }
      out.set(chunk, fill);
      fill += chunk.length;
      crc = crc32(chunk, crc);
      produced += chunk.length;
      if (final) finished = true;
    });
  let inflater = makeInflater();
  function restart(): void {
    inflater = makeInflater();
    [base, fill, produced, pos, crc, finished] = [0, 0, 0, 0, 0, false];
  }
  async function ensure(ctx: Ctx, end: number): Promise<void> {
    ctxNow = ctx;
    if (broken) throw broken;
    try {
      while (produced < end && pos < m.csize) {
        const n = Math.min(INFLATE_STEP, m.csize - pos);
        const chunk = await src.read(ctx, start + pos, n);
        pos += n;
        try {
          inflater.push(chunk, pos === m.csize);
        } catch (err) {
          if (err instanceof FormatError) throw err;
          throw formatError(ctx, `member ${q}: corrupt DEFLATE data (${err instanceof Error ? err.message : String(err)})`, where);
        }
        if (pos === m.csize) {
          if (!finished || produced !== m.usize) {
            throw formatError(ctx, `member ${q} inflates to ${produced} bytes${finished ? "" : " (the stream does not end)"}, but its directory entry declares ${m.usize}`, where);
          }
          if (crc !== m.crc) throw crcError();
        }
      }
      if (produced < end) throw formatError(ctx, `member ${q} inflates to ${produced} bytes, but its directory entry declares ${m.usize}`, where);
    } catch (err) {
      broken = err;
      throw err;
    }
  }
  async function take(ctx: Ctx, offset: number, length: number): Promise<Uint8Array> {
    if (offset < base) restart();
    await ensure(ctx, offset + length);
    const bytes = out.slice(offset - base, offset - base + length);
    // slide: drop what lies before this read once it is more than KEEP_BEHIND
    if (offset - base > KEEP_BEHIND) {
      out.copyWithin(0, offset - base, fill);
      fill -= offset - base;
      base = offset;
    }
    return bytes;
  }
  return {
    size: m.usize,
    name: label,
    read(ctx, offset, length) {
      if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > m.usize) {
        return Promise.reject(formatError(ctx, `needs bytes ${offset}…${offset + length} of member ${q}, which has ${m.usize}`, where));
      }
      const run = lock.then(() => take(ctx, offset, length));
      lock = run.catch(() => undefined);
      return run;
    },
  };
}

// Public loader functions: load, loadInto, loadRaw, openTensors (a handle for many reads) and the
// TensorFile it returns. Each call validates its arguments, runs behind guard() (only DdsError
// escapes), and reads only what it needs: the header, then the requested tensor's bytes.

import { DdsError } from "../errors.js";
import { F64View, MatView } from "../runtime/memory.js";
import type { Container, Entry, TensorInfo } from "./container.js";
import { formatError, type Ctx } from "./context.js";
import { checkDecodable, decode, DEFAULT_CHUNK_BYTES, type DecodeOptions } from "./decode.js";
import { guard } from "./guard.js";
import { is, type Check } from "../validate.js";
import { OPEN_SPEC, checkOpenOptions, openContainer, type OpenOptions, type TensorFormat } from "./open.js";
import { readRaw, type RawArray } from "./raw.js";
import { missing } from "./safetensors.js";
import { toSource, type SourceInput } from "./source.js";

/** Options of load, loadInto and TensorFile.load/loadInto. */
export interface LoadOptions extends OpenOptions {
  /** Throw NonFiniteError on the first NaN/±Inf met while decoding (default true). */
  checkFinite?: boolean;
  /** Decode BOOL and integer tensors to f64 too (default false: they are refused for linear algebra). */
  allowIntegers?: boolean;
  /** Bytes read per chunk (default 8 MiB; at least 64 KiB). Lower it for HTTP range sources. */
  chunkBytes?: number;
}

/** A tensor decoded to f64, row-major. */
export interface LoadedTensor {
  readonly name: string;
  /** Stored dtype ("F32", "BF16", "F64" …); the data is f64 whatever it is. */
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

/** A tensor's stored elements, undecoded. */
export interface RawTensor {
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly number[];
  /** Stored order: "F" means column-major (numpy fortran_order). */
  readonly order: "C" | "F";
  /** Elements in host (little-endian) order; F16/BF16/F8 as their bit patterns (Uint16Array/Uint8Array). */
  readonly data: RawArray;
}

const DECODE_SPEC = { checkFinite: is.bool, allowIntegers: is.bool, chunkBytes: is.num({ min: 65536, max: Number.MAX_SAFE_INTEGER, integer: true }) } as const satisfies Record<string, Check>;
const LOAD_SPEC = { ...OPEN_SPEC, ...DECODE_SPEC } as const satisfies Record<string, Check>;

/** (internal) The options of load/loadInto (`open`: also the OpenOptions) or of TensorFile.load/loadInto (decoding only). */
export function decodeOptions(op: string, options: unknown, open = true): DecodeOptions & { o: LoadOptions } {
  const o = checkOpenOptions(op, options, open ? LOAD_SPEC : DECODE_SPEC) as LoadOptions;
  return { checkFinite: o.checkFinite ?? true, allowIntegers: o.allowIntegers ?? false, chunkBytes: o.chunkBytes ?? DEFAULT_CHUNK_BYTES, o };
}

/** (internal) The name to load: `name`, or the only tensor of a one-tensor file. */
export function pick(ctx: Ctx, c: Container, name: string | undefined): string {
  if (name !== undefined) {
    if (typeof name !== "string") throw new DdsError(ctx.op, "BAD_ARGUMENT", `${ctx.op}: the tensor name must be a string, got ${typeof name}`);
    return name;
  }
  if (c.names.length === 1) return c.names[0]!;
  throw formatError(ctx, `the file holds ${c.names.length} tensors; pass the name of one (${c.names.slice(0, 5).map((n) => JSON.stringify(n)).join(", ")}${c.names.length > 5 ? ", …" : ""})`, { offset: 0 });
}

/** (internal) Check that `view` can take `info`'s values. */
export function checkView(ctx: Ctx, info: TensorInfo, view: unknown): F64View {
  if (!(view instanceof F64View)) throw new DdsError(ctx.op, "BAD_ARGUMENT", `${ctx.op}: the destination must be an arena view (arena().f64(n) or arena().matrix(rows, cols))`);
  const { shape, numel, name } = info;
  const bad = view.length !== numel || (view instanceof MatView && shape.length === 2 && (view.rows !== shape[0] || view.cols !== shape[1]));
  if (bad) {
    const has = view instanceof MatView ? `${view.rows} × ${view.cols}` : `${view.length} elements`;
    throw new DdsError(ctx.op, "BAD_ARGUMENT", `${ctx.op}: tensor ${JSON.stringify(name)} has shape [${shape.join(", ")}] (${numel} elements) but the view is ${has}`, { tensor: name, shape });
  }
  return view;
}

/** (internal) Open, run, close (the container only; the caller's source stays theirs). */
export async function withContainer<T>(op: string, source: SourceInput, o: OpenOptions, body: (ctx: Ctx, c: Container, size: number) => Promise<T>): Promise<T> {
  const src = toSource(op, source, o.fileName);
  const ctx: Ctx = src.name === undefined ? { op } : { op, file: src.name };
  return guard(ctx, async () => {
    const c = await openContainer(ctx, src, o);
    try {
      return await body(ctx, c, src.size);
    } finally {
      await c.close();
    }
  });
}

async function loadEntry(ctx: Ctx, entry: Entry, d: DecodeOptions): Promise<LoadedTensor> {
  const { info } = entry;
  checkDecodable(ctx, entry, d); // before allocating: a refused tensor must not cost its size first
  const data = new Float64Array(info.numel);
  await decode(ctx, entry, { array: data }, d);
  return Object.freeze({ name: info.name, dtype: info.dtype, shape: info.shape, data });
}

async function rawEntry(ctx: Ctx, entry: Entry): Promise<RawTensor> {
  const { info } = entry;
  const { data } = await readRaw(ctx, entry);
  return Object.freeze({ name: info.name, dtype: info.dtype, shape: info.shape, order: info.order, data });
}

/**
 * Load one tensor of a safetensors, .npy or .npz file as f64 (row-major, exact for every float dtype).
 * Reads the header and that tensor's bytes only.
 *
 * @param source ArrayBuffer, typed array/DataView (its byteOffset/byteLength respected), Blob/File,
 *   or `{ size, read(offset, length) }` (e.g. HTTP range requests).
 * @param name tensor name; may be omitted for a file holding one tensor (.npy).
 * @returns `{ name, dtype, shape, data }` (frozen; `data` a fresh Float64Array).
 * @throws {FormatError} malformed file (with file, tensor and byte offset where known), or no such tensor.
 * @throws {UnsupportedDtypeError} dtype not decodable (complex, sub-byte floats, object/structured
 *   arrays), or an integer/BOOL tensor without `allowIntegers: true`.
 * @throws {NonFiniteError} NaN/±Inf, with file, tensor, flat index, row and column (unless `checkFinite: false`).
 * @throws {ReadError} the source failed to deliver bytes.
 * @throws {WasmInitError} `init()` was not called.
 *
 * Notes: F16, BF16 and F8 widen exactly (subnormals, ±0, ±Inf included); NaN keeps its sign and
 * payload with the quiet bit set. I64/U64 round to nearest beyond 2^53. Fortran-ordered arrays come
 * out row-major (and need one full-size read). Conversion runs in wasm in chunks of `chunkBytes`; the
 * result is a JS copy: use `loadInto` to decode straight into wasm memory.
 */
export function load(source: SourceInput, name?: string, options?: LoadOptions): Promise<LoadedTensor> {
  const op = "load";
  try {
    const d = decodeOptions(op, options);
    return withContainer(op, source, d.o, async (ctx, c) => loadEntry(ctx, await c.entry(ctx, pick(ctx, c, name)), d));
  } catch (err) {
    return Promise.reject(err);
  }
}

/**
 * Decode one tensor straight into an arena view (`arena().f64(n)` or `arena().matrix(rows, cols)`),
 * chunk by chunk: the stored bytes pass through a bounded scratch region, never a full-size JS copy.
 *
 * @returns the tensor's TensorInfo.
 * @throws {DdsError} BAD_ARGUMENT: the view's length (or rows × cols for a 2-D tensor) does not match.
 * @throws {FormatError} / {UnsupportedDtypeError} / {NonFiniteError} / {ReadError} / {WasmInitError} as `load`.
 *
 * Notes: memory peak ≈ the view + 2 chunks. After an error the view's contents are unspecified.
 * The view must stay allocated until the promise settles: if you `free()` it (or `release()`/`reset()`
 * past it) meanwhile, the next chunk is refused with a DdsError. Other calls, overlapping or not,
 * never free it.
 */
export function loadInto(source: SourceInput, name: string | undefined, view: F64View, options?: LoadOptions): Promise<TensorInfo> {
  const op = "loadInto";
  try {
    const d = decodeOptions(op, options);
    return withContainer(op, source, d.o, async (ctx, c) => {
      const entry = await c.entry(ctx, pick(ctx, c, name));
      await decode(ctx, entry, { view: checkView(ctx, entry.info, view) }, d);
      return entry.info;
    });
  } catch (err) {
    return Promise.reject(err);
  }
}

/**
 * One tensor's stored elements as a typed array of their own type, undecoded: integers and BOOL
 * (which linear algebra refuses), or the bits of F16/BF16/F8.
 *
 * @throws {UnsupportedDtypeError} complex, sub-byte, object or structured dtypes.
 * @throws {FormatError} / {ReadError} as `load`.
 *
 * Notes: little-endian aligned data of an in-memory source is returned as a view that shares its
 * memory (no copy); otherwise one copy (byte-swapped for big-endian data). Stored order is kept
 * (`order: "F"` for Fortran-ordered arrays). I64/U64 come as BigInt64Array/BigUint64Array.
 */
export function loadRaw(source: SourceInput, name?: string, options?: OpenOptions): Promise<RawTensor> {
  const op = "loadRaw";
  try {
    const o = checkOpenOptions(op, options);
    return withContainer(op, source, o, async (ctx, c) => rawEntry(ctx, await c.entry(ctx, pick(ctx, c, name))));
  } catch (err) {
    return Promise.reject(err);
  }
}

/**
 * An opened tensor file: its headers are read once (every tensor's, also each .npz member's and
 * each shard's), then any tensor can be loaded. Call `close()` when done (it closes shard files
 * opened through `resolveShard`; the source you passed stays yours).
 */
export class TensorFile {
  readonly format: TensorFormat;
  readonly file: string | undefined;
  readonly metadata: Readonly<Record<string, string>>;
  readonly tensors: readonly TensorInfo[];
  private readonly c: Container;

  /** @internal */
  constructor(c: Container, tensors: readonly TensorInfo[]) {
    this.c = c;
    this.format = c.format;
    this.file = c.file;
    this.metadata = c.metadata;
    this.tensors = Object.freeze([...tensors]);
  }

  private ctx(op: string): Ctx {
    return this.file === undefined ? { op } : { op, file: this.file };
  }

  /** Header of one tensor. @throws {FormatError} no such tensor. */
  info(name?: string): TensorInfo {
    const ctx = this.ctx("TensorFile.info");
    const n = pick(ctx, this.c, name);
    const t = this.tensors.find((x) => x.name === n);
    if (!t) throw missing(ctx, n, this.tensors.map((x) => x.name));
    return t;
  }

  /** As the function `load`. @throws {FormatError} {UnsupportedDtypeError} {NonFiniteError} {ReadError} */
  load(name?: string, options?: Omit<LoadOptions, keyof OpenOptions>): Promise<LoadedTensor> {
    const ctx = this.ctx("TensorFile.load");
    return guard(ctx, async () => loadEntry(ctx, await this.c.entry(ctx, pick(ctx, this.c, name)), decodeOptions(ctx.op, options, false)));
  }

  /** As the function `loadInto`. @throws {DdsError} {FormatError} {UnsupportedDtypeError} {NonFiniteError} {ReadError} */
  loadInto(name: string | undefined, view: F64View, options?: Omit<LoadOptions, keyof OpenOptions>): Promise<TensorInfo> {
    const ctx = this.ctx("TensorFile.loadInto");
    return guard(ctx, async () => {
      const d = decodeOptions(ctx.op, options, false);
      const entry = await this.c.entry(ctx, pick(ctx, this.c, name));
      await decode(ctx, entry, { view: checkView(ctx, entry.info, view) }, d);
      return entry.info;
    });
  }

  /** As the function `loadRaw`. @throws {UnsupportedDtypeError} {FormatError} {ReadError} */
  loadRaw(name?: string): Promise<RawTensor> {
    const ctx = this.ctx("TensorFile.loadRaw");
    return guard(ctx, async () => rawEntry(ctx, await this.c.entry(ctx, pick(ctx, this.c, name))));
  }

  /** @internal One tensor's container entry (block-by-block reads, src/loaders/blocks.ts). */
  entryOf(op: string, name: string): Promise<Entry> {
    const ctx = this.ctx(op);
    return guard(ctx, async () => this.c.entry(ctx, pick(ctx, this.c, name)));
  }

  /** Release shard files opened for this handle. */
  close(): Promise<void> {
    return this.c.close();
  }
}

/**
 * Open a tensor file and read every header (safetensors header; each .npz member's .npy header;
 * each shard's header for a sharded index), for repeated loads without re-parsing.
 *
 * @throws {FormatError} malformed header anywhere (file, tensor, offset). {ReadError} the source failed.
 * Notes: for a .npz of DEFLATED members, reading a header inflates the member's first block only.
 */
export function openTensors(source: SourceInput, options?: OpenOptions): Promise<TensorFile> {
  const op = "openTensors";
  try {
    const o = checkOpenOptions(op, options);
    const src = toSource(op, source, o.fileName);
    const ctx: Ctx = src.name === undefined ? { op } : { op, file: src.name };
    return guard(ctx, async () => {
      const c = await openContainer(ctx, src, o);
      try {
        const infos: TensorInfo[] = [];
        for (const n of c.names) infos.push((await c.entry(ctx, n)).info);
        return new TensorFile(c, infos);
      } catch (err) {
        await c.close();
        throw err;
      }
    });
  } catch (err) {
    return Promise.reject(err);
  }
}

// Node entry (`dead-directions/node`): everything of the default entry, plus loaders that also take a file
// path (string or file: URL). A path is read through a node:fs/promises FileHandle with positional
// reads, so loading one tensor of a multi-GB checkpoint reads its header and that tensor only. The
// shards of a sharded index are resolved next to the index file. Only this file (and src/cli) may
// import node:*.

import { open, type FileHandle } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DdsError, ReadError } from "../errors.js";
import { describe } from "../validate.js";
import {
  inspect as inspectSource,
  load as loadSource,
  loadInto as loadIntoSource,
  loadRaw as loadRawSource,
  openTensors as openSource,
  type ByteSource,
  type Inspection,
  type LoadOptions,
  type LoadedTensor,
  type OpenOptions,
  type RawTensor,
  type SourceInput,
  type TensorFile,
  type TensorInfo,
} from "../loaders/index.js";
import type { F64View } from "../runtime/memory.js";
import { readCheckpoint as readCheckpointSource, type CheckpointOptions, type CheckpointReading } from "../dds/checkpoint.js";

export * from "./default.js";
// Node has no bundle size to protect: the scalar binary is registered too, so init({ simd: false }) works
import "./scalar.js";
export { scalarWasm } from "./scalar.js";

/** A file path, a file: URL, or any source the default entry takes. */
export type PathOrSource = string | URL | SourceInput;

/** A file opened for positional reads; `close()` releases the handle. */
export interface FileSource extends ByteSource {
  readonly name: string;
  close(): Promise<void>;
}

const isPath = (x: unknown): x is string | URL => typeof x === "string" || x instanceof URL;
const toPath = (p: string | URL): string => (p instanceof URL ? fileURLToPath(p) : p);

/**
 * Open a file for random access (FileHandle + positional reads; nothing is read up front), to pass
 * to any loader; call `close()` when done.
 * @throws {ReadError} the file cannot be opened (missing, a directory, no permission).
 * @throws {DdsError} BAD_ARGUMENT: `path` is not a non-empty string or a file: URL.
 */
export function fileSource(path: string | URL): Promise<FileSource> {
  return openFile(path, "fileSource");
}

async function openFile(path: string | URL, op: string): Promise<FileSource> {
  if (!isPath(path) || path === "") throw new DdsError(op, "BAD_ARGUMENT", `the path must be a non-empty string or a file: URL, got ${describe(path)}`);
  let name: string;
  try {
    name = toPath(path);
  } catch (cause) {
    throw new DdsError(op, "BAD_ARGUMENT", `the path must be a file: URL, got ${String(path)} (${(cause as Error)?.message ?? cause})`);
  }
  let fh: FileHandle;
  let size: number;
  try {
    fh = await open(name, "r");
    const st = await fh.stat();
    if (!st.isFile()) {
      await fh.close();
      throw new Error("not a regular file");
    }
    size = st.size;
  } catch (cause) {
    throw new ReadError(op, `${op}: cannot open ${name}: ${(cause as Error)?.message ?? cause}`, { file: name }, { cause });
  }
  let closed = false;
  return {
    name,
    size,
    async read(offset, length) {
      if (closed) throw new Error("the file was closed");
      const buf = new Uint8Array(length);
      let got = 0;
      while (got < length) {
        const { bytesRead } = await fh.read(buf, got, length - got, offset + got);
        if (bytesRead === 0) break; // end of file: the loader reports the short read
        got += bytesRead;
      }
      return got === length ? buf : buf.subarray(0, got);
    },
    async close() {
      if (closed) return;
      closed = true;
      await fh.close();
    },
  };
}

/** Options a path adds `resolveShard` to; anything that is not an options object goes to the loader unchanged, which refuses it. */
const isPlain = (o: unknown): o is Record<string, unknown> => o !== null && typeof o === "object" && !Array.isArray(o) && !ArrayBuffer.isView(o);

/** Run `body` on the source for `input`, opening (and afterwards closing) a path. */
async function withPath<T>(op: string, input: PathOrSource, options: unknown, body: (src: SourceInput, o: OpenOptions) => Promise<T>): Promise<T> {
  if (!isPath(input)) return body(input, options as OpenOptions);
  const o = options === undefined || options === null ? {} : options;
  if (!isPlain(o)) return body(input as unknown as SourceInput, o as OpenOptions); // refused there, before the path is opened
  const file = await openFile(input, op);
  const dir = dirname(file.name);
  const resolveShard = (o as OpenOptions).resolveShard ?? ((shard: string) => openFile(join(dir, shard), op));
  try {
    return await body(file, { ...o, resolveShard });
  } finally {
    await file.close();
  }
}

/** `load` (see the default entry) that also takes a path. @throws {ReadError} the file cannot be opened; otherwise as `load`. */
export function load(source: PathOrSource, name?: string, options?: LoadOptions): Promise<LoadedTensor> {
  return withPath("load", source, options, (s, o) => loadSource(s, name, o));
}

/** `loadInto` that also takes a path. @throws {ReadError} the file cannot be opened; otherwise as `loadInto`. */
export function loadInto(source: PathOrSource, name: string | undefined, view: F64View, options?: LoadOptions): Promise<TensorInfo> {
  return withPath("loadInto", source, options, (s, o) => loadIntoSource(s, name, view, o));
}

/** `loadRaw` that also takes a path. @throws {ReadError} the file cannot be opened; otherwise as `loadRaw`. */
export function loadRaw(source: PathOrSource, name?: string, options?: OpenOptions): Promise<RawTensor> {
  return withPath("loadRaw", source, options, (s, o) => loadRawSource(s, name, o));
}

/** `inspect` that also takes a path (a `*.index.json` path opens its shards next to it). @throws {ReadError} {FormatError} */
export function inspect(source: PathOrSource, options?: OpenOptions): Promise<Inspection> {
  return withPath("inspect", source, options, (s, o) => inspectSource(s, o));
}

/**
 * `openTensors` that also takes a path; the file stays open until `close()` on the result.
 * @throws {ReadError} the file cannot be opened; otherwise as `openTensors`.
 */
export async function openTensors(source: PathOrSource, options?: OpenOptions): Promise<TensorFile> {
  if (!isPath(source) || (options !== undefined && options !== null && !isPlain(options))) return openSource(source as SourceInput, options); // bad options refused there, before the path is opened
  const file = await openFile(source, "openTensors");
  const dir = dirname(file.name);
  try {
    const tf = await openSource(file, { resolveShard: (shard) => openFile(join(dir, shard), "openTensors"), ...options });
    const inner = tf.close.bind(tf);
    Object.defineProperty(tf, "close", { value: async () => (await inner(), await file.close()) });
    return tf;
  } catch (err) {
    await file.close();
    throw err instanceof DdsError ? err : new ReadError("openTensors", `openTensors: ${String(err)}`, { file: file.name }, { cause: err });
  }
}

/**
 * `readCheckpoint` (see the default entry) that also takes a path.
 * @throws {ReadError} the file cannot be opened; otherwise as `readCheckpoint`.
 */
export async function readCheckpoint(source: PathOrSource, options: CheckpointOptions): Promise<CheckpointReading> {
  if (!isPath(source)) return readCheckpointSource(source, options);
  const file = await openFile(source, "readCheckpoint");
  try {
    return await readCheckpointSource(file, options);
  } finally {
    await file.close();
  }
}

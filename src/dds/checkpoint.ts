// Reading DDS straight from a tensor file: X and Γ are read in blocks of rows straight from the source
// (range reads) through a streaming TSQR, so memory is O(d²) whatever N is (docs/streaming.md), and
// read with the same code layerReading uses. The one path shared by the CLI, the browser page, the workerd
// worker and the Deno example, so they all produce the same report row.

import { LinAlgError } from "../errors.js";
import { DdsError } from "../errors.js";
import { openTensors, TensorFile } from "../loaders/api.js";
import { describe } from "../validate.js";
import { CHECKPOINT_SPEC, is, options, record, str } from "./args.js";
import type { TensorInfo } from "../loaders/container.js";
import type { OpenOptions } from "../loaders/open.js";
import type { SourceInput } from "../loaders/source.js";
import { checkAborted, readRowBlocks, storedBytes, type BlockReadOptions } from "../loaders/blocks.js";
import type { Entry } from "../loaders/container.js";
import { dtypes, readFactors, type LayerOptions, type LayerReading } from "./layer.js";
import { inputPrecisionOf } from "./precision.js";
import { checkWorkingSet, FactorStream, type Factor } from "./stream.js";
import { layerRow, type Row } from "./report.js";

export interface CheckpointOptions extends LayerOptions {
  /** Name of the activation tensor X (N × d; with `flatten`, (…, d) with the leading axes merged into N). */
  x: string;
  /** Name of the per-sample gradient tensor Γ (same shape as X). */
  gamma: string;
  /** Checkpoint label for the report (default: the file name, else "checkpoint"). */
  checkpoint?: string;
  /** Layer label for the report (default: the X tensor's name). */
  layer?: string;
  /** Path abscissa of this checkpoint, if known. */
  t?: number;
  /** Read t from this `__metadata__` key (safetensors) when `t` is not given. */
  tFromMetadata?: string;
  /** Passed to openTensors (file name for messages, header limits …). */
  open?: OpenOptions;
  /**
   * Accept X and Γ with more than two axes by merging all leading axes into samples (N = their
   * product, d = the last axis), e.g. (batch, tokens, d) → (batch·tokens) × d. Default false: such
   * tensors are refused, since which axes are samples is the caller's decision.
   */
  flatten?: boolean;
  /**
   * Progress of the reading: `done` of `total` stored bytes of X and Γ read so far (each tensor is read
   * once, in blocks of rows; docs/streaming.md). Called with (0, total) first.
   */
  onProgress?: (done: number, total: number) => void;
  /** Stops the reading between blocks with an AbortedError (name "AbortError"); the library stays usable. */
  signal?: AbortSignal;
}

export interface CheckpointReading {
  readonly reading: LayerReading;
  readonly row: Row;
  readonly t?: number;
  readonly file?: string;
  /** The file's `__metadata__` (safetensors; empty for other formats). */
  readonly metadata: Readonly<Record<string, string>>;
}

/** Rows and columns of a tensor read as a matrix: rows are samples, the last axis is d. */
export function matrixShape(op: string, info: TensorInfo, file?: string, flatten = false): [number, number] {
  str("matrixShape", "op", op);
  record("matrixShape", "info", info, { name: is.string, numel: is.num({ integer: true, min: 0 }), shape: (v) => (Array.isArray(v) && v.every((x) => Number.isSafeInteger(x) && x >= 0) ? undefined : "must be an array of non-negative integers") });
  const where = { tensor: info.name, shape: info.shape, ...(file ? { file } : {}) };
  const shape = `[${info.shape.join(", ")}]`;
  const inFile = file ? ` in ${file}` : "";
  if (info.shape.length < 2) {
    throw new LinAlgError(op, `tensor ${JSON.stringify(info.name)}${inFile} has shape ${shape}; a layer reading needs a matrix (samples × features)`, where, "BAD_ARGUMENT");
  }
  if (info.shape.length > 2 && !flatten) {
    throw new LinAlgError(op, `tensor ${JSON.stringify(info.name)}${inFile} has shape ${shape} (${info.shape.length} axes); a layer reading needs samples × features. To merge the leading axes into samples (${info.shape.slice(0, -1).join("·")} = ${info.numel / Math.max(info.shape[info.shape.length - 1]!, 1)} rows of ${info.shape[info.shape.length - 1]}), pass flatten: true (CLI: --flatten)`, where, "BAD_ARGUMENT");
  }
  const d = info.shape[info.shape.length - 1]!;
  return [info.numel / Math.max(d, 1), d];
}

/** Read one layer of one checkpoint from an opened file. */
export async function readOpened(f: TensorFile, o: CheckpointOptions): Promise<CheckpointReading> {
  return readOpenedAs("readOpened", f, o);
}

async function readOpenedAs(op: string, f: TensorFile, o: CheckpointOptions): Promise<CheckpointReading> {
  if (!(f instanceof TensorFile)) throw new DdsError(op, "BAD_ARGUMENT", `the file must be a TensorFile from openTensors(), got ${describe(f)}`);
  record(op, "options", o, { x: is.string, gamma: is.string });
  options(op, o, CHECKPOINT_SPEC);
  const ix = f.info(o.x);
  const ig = f.info(o.gamma);
  const [N, d] = matrixShape(op, ix, f.file, o.flatten);
  const [Ng, dg] = matrixShape(op, ig, f.file, o.flatten);
  const inFile = f.file ? ` in ${f.file}` : "";
  if (N !== Ng || d !== dg) {
    throw new LinAlgError(op, `X (${JSON.stringify(o.x)}) is ${N}×${d} but Γ (${JSON.stringify(o.gamma)}) is ${Ng}×${dg}${inFile}: X and Γ must have the same shape`, { tensor: o.gamma, shape: ig.shape, ...(f.file ? { file: f.file } : {}) }, "BAD_ARGUMENT");
  }
  let t = o.t;
  if (t === undefined && o.tFromMetadata !== undefined) {
    const raw = f.metadata[o.tFromMetadata];
    t = raw === undefined ? undefined : Number(raw);
    if (t === undefined || raw!.trim() === "" || !Number.isFinite(t)) {
      const keys = Object.keys(f.metadata);
      const have = keys.length ? `the file's metadata keys are ${keys.map((k) => JSON.stringify(k)).join(", ")}` : "the file has no metadata";
      throw new LinAlgError(op, `metadata key ${JSON.stringify(o.tFromMetadata)}${inFile} is ${raw === undefined ? `missing (${have})` : JSON.stringify(raw)}; it must hold a finite number`, f.file ? { file: f.file } : {}, "BAD_ARGUMENT");
    }
  }
  checkWorkingSet(op, d);
  checkAborted(op, o.signal);
  const ex = await f.entryOf(op, o.x);
  const eg = await f.entryOf(op, o.gamma);
  // progress counts the stored bytes of X and Γ: each is read once, block by block
  const total = storedBytes(ex) + storedBytes(eg);
  let done = 0;
  const read = { signal: o.signal, onBytes: (n: number) => { done += n; o.onProgress?.(done, total); } };
  o.onProgress?.(0, total);
  const ctx = f.file === undefined ? { op } : { op, file: f.file };
  const fx = await streamFactor(op, ctx, ex, N, d, o.centerX === true, read);
  const fg = await streamFactor(op, ctx, eg, N, d, o.centerGamma === true, read);
  // the stored dtypes set the input floors unless the caller states the input's accuracy (inputRtol)
  const dt = dtypes(o);
  const none = { rows: 0, cols: 0, data: new Float64Array(0) };
  const px = inputPrecisionOf(op, none, dt.x ?? ix.dtype, o.inputRtol);
  const pg = inputPrecisionOf(op, none, dt.gamma ?? ig.dtype, o.inputRtol);
  const reading = readFactors("layerReading", fx, fg, px, pg, o);
  const row = layerRow(o.checkpoint ?? f.file ?? "checkpoint", o.layer ?? o.x, reading, t);
  return Object.freeze({ reading, row, ...(t !== undefined ? { t } : {}), ...(f.file ? { file: f.file } : {}), metadata: f.metadata });
}

/** One tensor through the streaming TSQR, block by block from its source (docs/streaming.md). */
async function streamFactor(op: string, ctx: { op: string; file?: string }, entry: Entry, N: number, d: number, center: boolean, o: BlockReadOptions): Promise<Factor> {
  if (N === 0 || d === 0) return Object.freeze({ N, d, R: Object.freeze({ rows: 0, cols: d, data: new Float64Array(0) }), frob: 0 });
  // the TSQR state lives across the awaits while other calls run: a held block only this call frees,
  // never a mark/release of a stack other calls share (docs/design-decisions.md, "Memory")
  const s = new FactorStream(op, d, center);
  try {
    await readRowBlocks(ctx, entry, d, s.b, (kx, arena, ptr, rows) => s.push(kx, arena, ptr, rows), o);
    return s.finish();
  } finally {
    s.free();
  }
}

/**
 * Read one layer's DDS from a tensor file (safetensors, .npz, .npy pair not supported: X and Γ must
 * be two tensors of one file).
 * @throws {FormatError} {UnsupportedDtypeError} {NonFiniteError} {ReadError} from the loaders (with
 *   file, tensor, offset); {LinAlgError} X and Γ missing or of different shapes.
 */
export async function readCheckpoint(source: SourceInput, o: CheckpointOptions): Promise<CheckpointReading> {
  const op = "readCheckpoint";
  record(op, "options", o, { x: is.string, gamma: is.string });
  options(op, o, CHECKPOINT_SPEC);
  const f = await openTensors(source, o.open);
  try {
    return await readOpenedAs(op, f, o);
  } finally {
    await f.close();
  }
}

// Reading DDS straight from a tensor file: X and Γ are decoded into wasm memory (no full-size JS
// copy) and read with layerReading. The one path shared by the CLI, the browser page, the workerd
// worker and the Deno example, so they all produce the same report row.

import { LinAlgError } from "../errors.js";
import { openTensors, type TensorFile } from "../loaders/api.js";
import type { TensorInfo } from "../loaders/container.js";
import type { OpenOptions } from "../loaders/open.js";
import type { SourceInput } from "../loaders/source.js";
import { arena } from "../runtime/kernels.js";
import type { MatView } from "../runtime/memory.js";
import { layerReading, type LayerOptions, type LayerReading } from "./layer.js";
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
  const op = "readCheckpoint";
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
  // X and Γ live across the awaits below, while other calls run: held blocks that only this call
  // frees, never a mark/release of a stack other calls share (docs/design-decisions.md, "Memory").
  const a = arena();
  const X = a.hold(op, N, d);
  let G: MatView | undefined;
  try {
    G = a.hold(op, N, d);
    await f.loadInto(o.x, X);
    await f.loadInto(o.gamma, G);
    // the stored dtypes set the input floors unless the caller states the input's accuracy (inputRtol)
    const reading = layerReading(X, G, { ...o, inputDtype: o.inputDtype ?? { x: ix.dtype, gamma: ig.dtype } });
    const row = layerRow(o.checkpoint ?? f.file ?? "checkpoint", o.layer ?? o.x, reading, t);
    return Object.freeze({ reading, row, ...(t !== undefined ? { t } : {}), ...(f.file ? { file: f.file } : {}), metadata: f.metadata });
  } finally {
    X.free();
    G?.free();
  }
}

/**
 * Read one layer's DDS from a tensor file (safetensors, .npz, .npy pair not supported: X and Γ must
 * be two tensors of one file).
 * @throws {FormatError} {UnsupportedDtypeError} {NonFiniteError} {ReadError} from the loaders (with
 *   file, tensor, offset); {LinAlgError} X and Γ missing or of different shapes.
 */
export async function readCheckpoint(source: SourceInput, o: CheckpointOptions): Promise<CheckpointReading> {
  const f = await openTensors(source, o.open);
  try {
    return await readOpened(f, o);
  } finally {
    await f.close();
  }
}

// Reading DDS straight from a tensor file: X and Γ are decoded into wasm memory (no full-size JS
// copy) and read with layerReading. The one path shared by the CLI, the browser page, the workerd
// worker and the Deno example, so they all produce the same report row.

import { LinAlgError } from "../errors.js";
import { openTensors, type TensorFile } from "../loaders/api.js";
import type { TensorInfo } from "../loaders/container.js";
import type { OpenOptions } from "../loaders/open.js";
import type { SourceInput } from "../loaders/source.js";
import { arena } from "../runtime/kernels.js";
import { layerReading, type LayerOptions, type LayerReading } from "./layer.js";
import { layerRow, type Row } from "./report.js";

export interface CheckpointOptions extends LayerOptions {
  /** Name of the activation tensor X (N × d, or (…, d): leading dimensions are flattened into N). */
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
}

export interface CheckpointReading {
  readonly reading: LayerReading;
  readonly row: Row;
  readonly t?: number;
  readonly file?: string;
}

/** Rows and columns of a tensor read as a matrix: the last axis is d, the others are samples. */
export function matrixShape(op: string, info: TensorInfo, file?: string): [number, number] {
  if (info.shape.length < 2) {
    throw new LinAlgError(op, `tensor ${JSON.stringify(info.name)} has shape [${info.shape.join(", ")}]; a layer reading needs at least 2 axes (samples × features)`, { tensor: info.name, shape: info.shape, ...(file ? { file } : {}) }, "BAD_ARGUMENT");
  }
  const d = info.shape[info.shape.length - 1]!;
  return [info.numel / Math.max(d, 1), d];
}

/** Unit roundoff of the stored formats that are coarser than f64 (DDS.md §1: readings assume f64). */
const STORAGE_EPS: Record<string, number> = { F32: 2 ** -24, F16: 2 ** -11, BF16: 2 ** -8, F8_E4M3: 2 ** -4, F8_E5M2: 2 ** -3 };

/**
 * When Γ was stored in a format coarser than f64, every entry already carries a relative error u of
 * that format, so no reading below the factor-path floor with u in place of ε, (u·max(N,d))²·λ_max,
 * can describe the network rather than the storage. Records it as `dds/input_dtype`/`dds/input_floor`
 * and warns when λ⁺_min lies below it.
 */
function withInputPrecision(row: Row, dtype: string, N: number, d: number): Row {
  const { warnings, ...rest } = row;
  const out: Row = { ...rest, "dds/input_dtype": dtype };
  const notes = [...((warnings as readonly string[]) ?? [])];
  const u = STORAGE_EPS[dtype];
  const lmax = row["dds/lambda_max"];
  if (u !== undefined && typeof lmax === "number") {
    const floor = (u * Math.max(N, d)) ** 2 * lmax;
    out["dds/input_floor"] = floor;
    const lmin = row["dds/lambda_min_pos"];
    if (typeof lmin === "number" && lmin <= floor) {
      notes.push(`input: Γ is stored as ${dtype}; λ⁺min ${lmin} is at or below the storage floor ${floor} = (u·max(N,d))²·λmax, so it may reflect rounding of the stored tensor, not the network`);
    }
  }
  out.warnings = notes;
  return out;
}

/** Read one layer of one checkpoint from an opened file. */
export async function readOpened(f: TensorFile, o: CheckpointOptions): Promise<CheckpointReading> {
  const op = "readCheckpoint";
  const ix = f.info(o.x);
  const ig = f.info(o.gamma);
  const [N, d] = matrixShape(op, ix, f.file);
  const [Ng, dg] = matrixShape(op, ig, f.file);
  if (N !== Ng || d !== dg) {
    throw new LinAlgError(op, `${o.x} is ${N}×${d} but ${o.gamma} is ${Ng}×${dg}: X and Γ must have the same shape`, { tensor: o.gamma, shape: ig.shape, ...(f.file ? { file: f.file } : {}) }, "BAD_ARGUMENT");
  }
  let t = o.t;
  if (t === undefined && o.tFromMetadata !== undefined) {
    const raw = f.metadata[o.tFromMetadata];
    t = raw === undefined ? undefined : Number(raw);
    if (t === undefined || !Number.isFinite(t)) {
      throw new LinAlgError(op, `metadata key ${JSON.stringify(o.tFromMetadata)} is ${raw === undefined ? "missing" : JSON.stringify(raw)}; it must hold a finite number`, f.file ? { file: f.file } : {}, "BAD_ARGUMENT");
    }
  }
  const a = arena();
  const mark = a.mark();
  try {
    const X = a.matrix(N, d);
    const G = a.matrix(N, d);
    await f.loadInto(o.x, X);
    await f.loadInto(o.gamma, G);
    const reading = layerReading(X, G, o);
    const row = withInputPrecision(layerRow(o.checkpoint ?? f.file ?? "checkpoint", o.layer ?? o.x, reading, t), ig.dtype, N, d);
    return Object.freeze({ reading, row, ...(t !== undefined ? { t } : {}), ...(f.file ? { file: f.file } : {}) });
  } finally {
    a.release(mark);
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

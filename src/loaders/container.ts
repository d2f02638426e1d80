// What every format parser produces: a container of named tensors whose headers are known, each able
// to hand out the bytes of its data as a source. Decoding (decode.ts) only ever sees this.

import type { Ctx } from "./context.js";
import type { DTypeKind, DTypeSpec } from "./dtype.js";
import type { Source } from "./source.js";

/** One tensor as described by its header. Plain data (frozen); nothing here was read from the data. */
export interface TensorInfo {
  /** Name in the file (npz: the member name without ".npy"; .npy: the file's base name, or "array"). */
  readonly name: string;
  /** Element type in safetensors spelling ("F64", "F32", "F16", "BF16", "F8_E4M3", "I64", "BOOL" …). */
  readonly dtype: string;
  /** The dtype exactly as the file writes it ("F32", or a numpy descr such as ">f4"). */
  readonly stored: string;
  /** How the dtype decodes to f64: "float" (exactly), "integer"/"bool" (opt-in), "unsupported". */
  readonly kind: DTypeKind;
  readonly shape: readonly number[];
  /** Number of elements (1 for a 0-d array, 0 for an empty one). */
  readonly numel: number;
  /** Bytes of data as stored (uncompressed). */
  readonly byteSize: number;
  /** Where the data starts: in the file, or in the inflated member for a compressed npz member. */
  readonly byteOffset: number;
  /** "F" for numpy arrays saved in Fortran (column-major) order; decoded output is always row-major. */
  readonly order: "C" | "F";
  /** Byte order of the stored elements ("none" for one-byte types). */
  readonly byteOrder: "little" | "big" | "none";
  /** True when the data sits in a DEFLATE-compressed zip member (reading it inflates the member). */
  readonly compressed: boolean;
  /** The file holding the data when it differs from the opened one (a shard of a sharded checkpoint, a zip member). */
  readonly file?: string;
}

/** (internal) A tensor with the means to read its data. */
export interface Entry {
  readonly info: TensorInfo;
  readonly spec: DTypeSpec;
  readonly bigEndian: boolean;
  /** The file named in errors about this tensor's data. */
  readonly file: string | undefined;
  /** The data bytes (offset 0 = first element). Called once per load. */
  data(ctx: Ctx): Promise<Source>;
  /** Called after every byte of the data was read (zip: checks the CRC of a stored member). */
  finished?(ctx: Ctx): void;
}

/** (internal) A parsed file (or set of shards). */
export interface Container {
  readonly format: "safetensors" | "safetensors-index" | "npy" | "npz";
  readonly file: string | undefined;
  readonly metadata: Readonly<Record<string, string>>;
  /** Tensor names in file order. */
  readonly names: readonly string[];
  /** One tensor's header (npz: read lazily, so loading one member reads only that member). */
  entry(ctx: Ctx, name: string): Promise<Entry>;
  close(): Promise<void>;
}

/** (internal) Frozen TensorInfo. */
export function tensorInfo(t: TensorInfo): TensorInfo {
  return Object.freeze({ ...t, shape: Object.freeze([...t.shape]) });
}

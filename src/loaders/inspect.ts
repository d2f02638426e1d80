// The inspector: what a file holds (names, dtypes, shapes, byte sizes, metadata) from its headers
// alone; no tensor data is read (a compressed .npz member is inflated only as far as its header).

import type { TensorInfo } from "./container.js";
import type { OpenOptions, TensorFormat } from "./open.js";
import { checkOpenOptions } from "./open.js";
import { withContainer } from "./api.js";
import type { SourceInput } from "./source.js";

/** What `inspect` reports. */
export interface Inspection {
  readonly format: TensorFormat;
  readonly file: string | undefined;
  /** Size of the file (the index file for a sharded checkpoint). */
  readonly byteSize: number;
  /** safetensors `__metadata__` (string → string), the index's "metadata" for sharded checkpoints, {} otherwise. */
  readonly metadata: Readonly<Record<string, string>>;
  /** Every tensor in file order, each with name, dtype, shape, numel, byteSize, byteOffset … */
  readonly tensors: readonly TensorInfo[];
}

/**
 * List a safetensors / .npy / .npz file (or a sharded index with `resolveShard`) from its headers.
 *
 * @throws {FormatError} malformed header (file, tensor, offset). {ReadError} the source failed.
 * Notes: tensors of unsupported dtypes are listed (kind "unsupported"); loading them throws
 * UnsupportedDtypeError. Nothing is decoded, so `init()` is not needed.
 */
export function inspect(source: SourceInput, options?: OpenOptions): Promise<Inspection> {
  const op = "inspect";
  try {
    const o = checkOpenOptions(op, options);
    return withContainer(op, source, o, async (ctx, c, size) => {
      const tensors: TensorInfo[] = [];
      for (const n of c.names) tensors.push((await c.entry(ctx, n)).info);
      return Object.freeze({ format: c.format, file: c.file, byteSize: size, metadata: c.metadata, tensors: Object.freeze(tensors) });
    });
  } catch (err) {
    return Promise.reject(err);
  }
}

// Which format a source is, from its first bytes (or the caller's `format`), and the matching parser.
//   "\x93NUMPY" → .npy;  "PK\3\4" / "PK\5\6" → .npz (zip);  JSON text → sharded safetensors index;
//   otherwise the file name's extension (.npy, .npz, .safetensors) if any, else safetensors (whose
//   first 8 bytes are a little-endian length).

import { is, options, type Check } from "../validate.js";
import type { Container } from "./container.js";
import { formatError, type Ctx } from "./context.js";
import { NPY_MAGIC, openNpy } from "./npy.js";
import { openNpz } from "./npz.js";
import { openSafetensors } from "./safetensors.js";
import { openShardedIndex, type ShardResolver } from "./sharded.js";
import type { Source } from "./source.js";

/** File formats the loaders read. */
export type TensorFormat = "safetensors" | "safetensors-index" | "npy" | "npz";
const FORMATS: readonly TensorFormat[] = ["safetensors", "safetensors-index", "npy", "npz"];

/** Options of every loader function. */
export interface OpenOptions {
  /** Skip detection (default: from the first bytes). */
  format?: TensorFormat;
  /** Name used in error messages (default: a File's name, a ByteSource's `name`, the path in dead-directions/node). */
  fileName?: string;
  /** Header size limit: safetensors default 25 MB, .npy default 10000 bytes (numpy's). */
  maxHeaderBytes?: number;
  /** Sharded checkpoints: how to open a shard named by the index (dead-directions/node: next to the index file). */
  resolveShard?: ShardResolver;
}

/** The checks of OpenOptions (docs/validation.md). */
export const OPEN_SPEC: { readonly [K in keyof OpenOptions]-?: Check } = {
  format: is.oneOf(...FORMATS),
  fileName: is.string,
  maxHeaderBytes: is.num({ min: 1, max: Number.MAX_SAFE_INTEGER, integer: true }),
  resolveShard: is.fn,
};

/**
 * (internal) The options of a loader function, checked: null/undefined mean the defaults, unknown
 * names are refused listing the valid ones (DdsError BAD_ARGUMENT).
 */
export function checkOpenOptions(op: string, o: unknown, spec: { readonly [k: string]: Check } = OPEN_SPEC): OpenOptions {
  return options<OpenOptions>(op, o, spec as { readonly [K in keyof OpenOptions]-?: Check });
}

/** Serve reads inside the already-read first bytes from memory (detection then costs no extra read). */
function primed(src: Source, head: Uint8Array): Source {
  return {
    size: src.size,
    name: src.name,
    ...(src.bytes ? { bytes: src.bytes } : {}),
    read: (ctx, offset, length) => (offset >= 0 && length >= 0 && offset + length <= head.length ? Promise.resolve(head.subarray(offset, offset + length)) : src.read(ctx, offset, length)),
  };
}

function looksLikeJson(head: Uint8Array, name: string | undefined): boolean {
  if (name !== undefined && /\.json$/i.test(name)) return true;
  let i = 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x0a || head[i] === 0x0d || head[i] === 0x09)) i++;
  return head[i] === 0x7b && head.every((b) => b >= 0x20 || b === 0x0a || b === 0x0d || b === 0x09);
}

/** A damaged magic number still tells the format when the file name does. */
function byExtension(name: string | undefined): TensorFormat | undefined {
  const ext = /\.([a-z]+)$/i.exec(name ?? "")?.[1]?.toLowerCase();
  return ext === "npy" || ext === "npz" || ext === "safetensors" ? ext : undefined;
}

/** Open `src` as a container of tensors. */
export async function openContainer(ctx: Ctx, src: Source, o: OpenOptions): Promise<Container> {
  if (src.size === 0) throw formatError(ctx, "the file is empty", { offset: 0 });
  const head = await src.read(ctx, 0, Math.min(8, src.size));
  const s = primed(src, head);
  let format = o.format;
  if (format === undefined) {
    if (head.length >= 6 && NPY_MAGIC.every((b, i) => head[i] === b)) format = "npy";
    else if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6))) format = "npz";
    else if (looksLikeJson(head, src.name)) format = "safetensors-index";
    else format = byExtension(src.name) ?? "safetensors";
  }
  if (format === "npy") return openNpy(ctx, s, o.maxHeaderBytes);
  if (format === "npz") return openNpz(ctx, s, o.maxHeaderBytes);
  if (format === "safetensors-index") return openShardedIndex(ctx, s, o.resolveShard, o.maxHeaderBytes);
  // When guessed, say so: a file that is none of the formats fails here first.
  return openSafetensors(ctx, s, o.maxHeaderBytes, o.format === undefined ? " (read as safetensors: it is not .npy, .npz or JSON)" : "");
}

// Error context shared by the loaders: which public function is running (`op`, the first word of
// every message) and on which file, so that an error deep in a parser still names both.

import { FormatError, UnsupportedDtypeError, type ErrorLocation } from "../errors.js";

/** (internal) The public function and the file being read. */
export interface Ctx {
  readonly op: string;
  readonly file?: string;
}

/** (internal) `ctx` for another file (a shard, a zip member) under the same public function. */
export function within(ctx: Ctx, file: string | undefined): Ctx {
  return file === undefined ? { op: ctx.op } : { op: ctx.op, file };
}

function prefix(ctx: Ctx): string {
  return ctx.file === undefined ? "" : `${ctx.file}: `;
}

/** (internal) A FormatError naming file, and tensor/offset where given. */
export function formatError(ctx: Ctx, message: string, where: Omit<ErrorLocation, "file"> = {}): FormatError {
  return new FormatError(ctx.op, `${ctx.op}: ${prefix(ctx)}${message}`, { ...where, file: ctx.file });
}

/** (internal) An UnsupportedDtypeError naming file, tensor and dtype. */
export function unsupported(ctx: Ctx, tensor: string, dtype: string, why: string, offset?: number): UnsupportedDtypeError {
  const where: ErrorLocation = { tensor, file: ctx.file };
  if (offset !== undefined) where.offset = offset;
  return new UnsupportedDtypeError(ctx.op, `${ctx.op}: ${prefix(ctx)}tensor ${JSON.stringify(tensor)} has dtype ${dtype}: ${why}`, dtype, where);
}

// The loaders' outer boundary: whatever happens inside, the caller gets a DdsError. Errors of ours
// pass through; an allocation failure becomes OUT_OF_MEMORY; anything else (a bug, a host quirk)
// becomes a FormatError that says it is unexpected, with the original as `cause`.

import { DdsError, FormatError } from "../errors.js";
import type { Ctx } from "./context.js";

export async function guard<T>(ctx: Ctx, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    throw typed(ctx, err);
  }
}

function typed(ctx: Ctx, err: unknown): DdsError {
  if (err instanceof DdsError) return err;
  const msg = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  const file = ctx.file === undefined ? "" : `${ctx.file}: `;
  if (err instanceof RangeError && /alloc|memory|Invalid typed array length|Array buffer/i.test(err.message)) {
    return new DdsError(ctx.op, "OUT_OF_MEMORY", `${ctx.op}: ${file}could not allocate memory (${msg})`, { file: ctx.file }, { cause: err });
  }
  const e = new FormatError(ctx.op, `${ctx.op}: ${file}unexpected failure while reading (${msg}); please report this with the file`, { file: ctx.file });
  (e as { cause?: unknown }).cause = err;
  return e;
}

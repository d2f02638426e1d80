// Sharded safetensors checkpoints: "model.safetensors.index.json" = {"metadata": {...},
// "weight_map": {tensor: shard file}}. Shards are opened (header only) when one of their tensors is
// asked for, through a resolver the caller supplies (the dead-directions/node entry resolves file names
// next to the index). Shard names must be relative and stay inside the index's directory.
// see: huggingface transformers (modeling_utils: load_sharded_checkpoint) and huggingface_hub
// (split_torch_state_dict_into_shards) for the index layout.

import type { Container, Entry } from "./container.js";
import { tensorInfo } from "./container.js";
import { formatError, within, type Ctx } from "./context.js";
import { JsonArray, JsonNumber, JsonObject, JsonSyntaxError, parseJson, type JsonValue } from "./json.js";
import { missing, openSafetensors } from "./safetensors.js";
import { toSource, type ByteSource, type Source, type SourceInput } from "./source.js";

/** Turns a shard file name from the index into a source (a path, a URL fetch, a Blob…). */
export type ShardResolver = (file: string) => SourceInput | Promise<SourceInput>;

/** Largest index file read (the index of a 1000-shard checkpoint is about 100 KB per 1000 tensors). */
export const MAX_INDEX_BYTES = 64 * 1024 * 1024;

function text(v: JsonValue): string {
  if (typeof v === "string") return v;
  if (v instanceof JsonNumber) return v.text;
  if (v === null || typeof v === "boolean") return String(v);
  return v instanceof JsonArray ? "[…]" : "{…}";
}

/** Refuse names that would leave the index's directory. */
function checkShardName(ctx: Ctx, file: string, tensor: string, at: number): void {
  const bad = file === "" || /^[\\/]|^[A-Za-z]:|\0/.test(file) || file.split(/[\\/]/).some((seg) => seg === "..");
  if (bad) throw formatError(ctx, `weight_map[${JSON.stringify(tensor)}] = ${JSON.stringify(file)} is not a relative file name inside the index's directory`, { tensor, offset: at });
}

export async function openShardedIndex(ctx: Ctx, src: Source, resolve: ShardResolver | undefined, maxHeader?: number): Promise<Container> {
  if (!resolve) {
    throw formatError(ctx, "this is a sharded checkpoint index (JSON); pass resolveShard: (file) => source, or use the dead-directions/node entry with its path", { offset: 0 });
  }
  if (src.size > MAX_INDEX_BYTES) throw formatError(ctx, `index of ${src.size} bytes exceeds ${MAX_INDEX_BYTES}`, { offset: 0 });
  let json: JsonValue;
  try {
    json = parseJson(await src.read(ctx, 0, src.size));
  } catch (err) {
    if (err instanceof JsonSyntaxError) throw formatError(ctx, `bad JSON at byte ${err.offset}: ${err.message}`, { offset: err.offset });
    throw err;
  }
  const map = json instanceof JsonObject ? json.entries.get("weight_map") : undefined;
  if (!(map instanceof JsonObject)) throw formatError(ctx, 'a sharded index must be an object with a "weight_map" object', { offset: 0 });
  const meta = json instanceof JsonObject ? json.entries.get("metadata") : undefined;
  const metadata: Record<string, string> = {};
  if (meta instanceof JsonObject) for (const [k, v] of meta.entries) metadata[k] = text(v);
  const where = new Map<string, string>();
  for (const [tensor, file] of map.entries) {
    const at = map.keyOffsets.get(tensor) ?? 0;
    if (typeof file !== "string") throw formatError(ctx, `weight_map[${JSON.stringify(tensor)}] must be a file name`, { tensor, offset: at });
    checkShardName(ctx, file, tensor, at);
    where.set(tensor, file);
  }
  const shards = new Map<string, Promise<{ container: Container; source: SourceInput }>>();

  function shard(c: Ctx, file: string): Promise<{ container: Container; source: SourceInput }> {
    let p = shards.get(file);
    if (!p) {
      p = (async () => {
        const input = await resolve!(file);
        const s = toSource(c.op, input, (input as ByteSource).name ?? file);
        return { container: await openSafetensors(within(c, s.name), s, maxHeader), source: input };
      })();
      shards.set(file, p);
      p.catch(() => shards.delete(file));
    }
    return p;
  }

  const names = [...where.keys()];
  return {
    format: "safetensors-index",
    file: src.name,
    metadata: Object.freeze(metadata),
    names,
    async entry(c, name) {
      const file = where.get(name);
      if (file === undefined) throw missing(c, name, names);
      const { container } = await shard(c, file);
      if (!container.names.includes(name)) {
        throw formatError(c, `the index puts tensor ${JSON.stringify(name)} in ${file}, which does not contain it`, { tensor: name });
      }
      const e: Entry = await container.entry(within(c, container.file), name);
      return { ...e, info: tensorInfo({ ...e.info, file: container.file ?? file }) };
    },
    async close() {
      const open = [...shards.values()];
      shards.clear();
      for (const p of open) {
        const s = await p.catch(() => undefined);
        const closer = (s?.source as { close?: () => unknown } | undefined)?.close;
        if (typeof closer === "function") await closer.call(s!.source);
      }
    },
  };
}

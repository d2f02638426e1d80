// .npz: a zip of .npy members ("name.npy" → tensor "name"), as numpy.savez / savez_compressed write
// it. Only the central directory is read when the file is opened; a member's .npy header is read
// when that tensor is asked for, so loading one array reads only its own member.

import type { Container, Entry } from "./container.js";
import { tensorInfo } from "./container.js";
import { within, type Ctx } from "./context.js";
import { parseNpy } from "./npy.js";
import { missing } from "./safetensors.js";
import type { Source } from "./source.js";
import { memberSource, readZipDirectory, type ZipMember } from "./zip.js";

export async function openNpz(ctx: Ctx, src: Source, maxHeader?: number): Promise<Container> {
  const members = await readZipDirectory(ctx, src);
  const byName = new Map<string, ZipMember>();
  for (const m of members) if (m.name.endsWith(".npy")) byName.set(m.name.slice(0, -4), m);
  const names = [...byName.keys()];
  const cache = new Map<string, Promise<Entry>>();

  async function open(c: Ctx, name: string, m: ZipMember): Promise<Entry> {
    const label = src.name === undefined ? m.name : `${src.name}:${m.name}`;
    const mctx = within(c, label);
    const { source, start } = await memberSource(c, src, m, label);
    const e = await parseNpy(mctx, source, name, maxHeader);
    const stored = m.method === 0;
    // STORED: the data's offset in the .npz itself; DEFLATED: its offset in the inflated member.
    const byteOffset = stored ? start + e.info.byteOffset : e.info.byteOffset;
    return { ...e, info: tensorInfo({ ...e.info, byteOffset, compressed: !stored, file: label }) };
  }

  return {
    format: "npz",
    file: src.name,
    metadata: Object.freeze({}),
    names,
    entry(c, name) {
      const m = byName.get(name);
      if (!m) return Promise.reject(missing(c, name, names));
      let p = cache.get(name);
      if (!p) {
        p = open(c, name, m);
        cache.set(name, p);
        p.catch(() => cache.delete(name)); // a failed read (e.g. a flaky source) may be retried
      }
      return p;
    },
    close: () => Promise.resolve(),
  };
}

// The built dead-directions/node entry, loaded by name: it shares the kernels instance with "dead-directions"
// (init through one, load through the other), for ESM and CJS alike, and reads files by path.

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const file = join(root, "tests", "fixtures", "loaders", "safetensors", "small.safetensors");

function node(args: string[]) {
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", timeout: 60_000 });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

describe.runIf(existsSync(join(root, "dist", "node.js")))("dead-directions/node (built)", () => {
  it("ESM: init from dead-directions, load a path through dead-directions/node", () => {
    const r = node(["--input-type=module", "-e",
      `import { init, arena } from 'dead-directions'; import { load, loadInto, MatView } from 'dead-directions/node';
       await init(); const t = await load(${JSON.stringify(file)}, 'a');
       const v = arena().matrix(2, 2); await loadInto(${JSON.stringify(file)}, 'a', v);
       console.log(JSON.stringify([Array.from(t.data), Array.from(v.array), v instanceof MatView]));`]);
    expect(r.status, r.out).toBe(0);
    expect(JSON.parse(r.out.trim().split("\n")[0]!)).toEqual([[1, -2, 0.5, 3], [1, -2, 0.5, 3], true]);
  });

  it("CJS: the same through require", () => {
    const r = node(["-e",
      `const { initSync } = require('dead-directions'); const { load } = require('dead-directions/node');
       initSync(); load(${JSON.stringify(file)}, 'b').then((t) => console.log(JSON.stringify(Array.from(t.data))), (e) => { console.error(e); process.exit(1); });`]);
    expect(r.status, r.out).toBe(0);
    expect(JSON.parse(r.out.trim().split("\n")[0]!)).toEqual([1, 2, -0.5]);
  });
});

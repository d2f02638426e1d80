#!/usr/bin/env node
// Writes the bundled example: the deep-linear noisy bridge of DDS.md §6.3 (L = 4, D = 20, N = 300,
// σ = 0.1) at layer h1 for r = 1…4 dead directions and 11 values of t in logspace(−3, −0.5), one
// safetensors file per (r, t) holding X_h1 and G_h1 (F64: F32 would drown the t³-small dead parts)
// with t and r in the metadata. Deterministic: the generator uses only + − × ÷ √.
// Usage: node scripts/make-examples.mjs (after npm run build). Output: examples/data/bridge/.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deepLinearBridge, init, saveSafetensors } from "../dist/index.js";

await init();
const root = join(import.meta.dirname, "..", "examples", "data", "bridge");
rmSync(root, { recursive: true, force: true });
let files = 0;
for (const r of [1, 2, 3, 4]) {
  const dir = join(root, `r${r}`);
  mkdirSync(dir, { recursive: true });
  deepLinearBridge({ L: 4, D: 20, N: 300, sigma: 0.1, r }).forEach((p, k) => {
    const bytes = saveSafetensors(
      {
        X_h1: { dtype: "F64", shape: [300, 20], data: p.X[0].data },
        G_h1: { dtype: "F64", shape: [300, 20], data: p.gamma[0].data },
      },
      { t: String(p.t), r: String(r), source: "dds-wasm deepLinearBridge L=4 D=20 N=300 sigma=0.1 seed=1", layer: "h1" },
    );
    writeFileSync(join(dir, `t${String(k).padStart(2, "0")}.safetensors`), bytes);
    files++;
  });
}
console.log(`wrote ${files} files to ${root}`);

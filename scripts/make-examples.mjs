#!/usr/bin/env node
// Writes the bundled example: the deep-linear noisy bridge of docs/observables.md#deep-linear-bridge (L = 4, D = 20, N = 300,
// σ = 0.1) at layer h1 for r = 1…4 dead directions and 11 values of t in logspace(−3, −0.5), one
// safetensors file per (r, t) holding X_h1 and G_h1 (F64: F32 would drown the t³-small dead parts)
// with t and r in the metadata. Deterministic: the generator uses only + − × ÷ √.
// Also the reduced-rank-regression anchor cells (examples/data/rrr/).
// Usage: node scripts/make-examples.mjs (after npm run build). Output: examples/data/bridge/, examples/data/rrr/.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deepLinearBridge, init, rrrAnchor, saveSafetensors } from "../dist/index.js";

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
      { t: String(p.t), r: String(r), source: "dead-directions deepLinearBridge L=4 D=20 N=300 sigma=0.1 seed=1", layer: "h1" },
    );
    writeFileSync(join(dir, `t${String(k).padStart(2, "0")}.safetensors`), bytes);
    files++;
  });
}
console.log(`wrote ${files} files to ${root}`);

// The reduced-rank-regression anchor (docs/observables.md#rank-tracking): one file per cell (H, r) over
// M = N = 6 with the bottleneck's X_h1 and G_h1 (n = 500 samples, F64) and the cell's closed-form RLCT
// in the metadata, for `dds sweep … --by lambda --split 0` (examples/rrr/README.md).
const rrr = join(import.meta.dirname, "..", "examples", "data", "rrr");
rmSync(rrr, { recursive: true, force: true });
mkdirSync(rrr, { recursive: true });
const cells = rrrAnchor({ n: 500 });
for (const c of cells) {
  const bytes = saveSafetensors(
    {
      X_h1: { dtype: "F64", shape: [c.n, c.H], data: c.X_h1 },
      G_h1: { dtype: "F64", shape: [c.n, c.H], data: c.G_h1 },
    },
    {
      M: String(c.M), N: String(c.N), H: String(c.H), r: String(c.r), deficit: String(c.H - c.r),
      lambda: String(c.lambda), lambda_exact: `${c.lambdaNum}/${c.lambdaDen}`,
      source: "dead-directions rrrAnchor n=500 sigma=0.1 seed=2026", layer: "h1 (the H-wide bottleneck)",
    },
  );
  writeFileSync(join(rrr, `H${c.H}-r${c.r}.safetensors`), bytes);
}
console.log(`wrote ${cells.length} files to ${rrr}`);

#!/usr/bin/env node
// npm run demo: the CLI on the bundled example. (1) the deep-linear bridge path for r = 1…4 dead
// directions (docs/observables.md#deep-linear-bridge): log det⁺ slopes in ratio 2/3/4 to r = 1 while λ⁺min's slope stays put;
// (2) one small MLP checkpoint trained in JavaScript (examples/tfjs), when present.
// Writes report.json and SVG plots to demo-output/ (or the folder given as the first argument).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";

const root = join(import.meta.dirname, "..");
const out = resolve(process.argv[2] ?? join(root, "demo-output"));
const cli = join(root, "dist", "cli.js");
// paths relative to the repository (the CLI runs there), so the report names them as a user would type them
const bridge = join("examples", "data", "bridge");
const files = readdirSync(join(root, bridge)).flatMap((r) => readdirSync(join(root, bridge, r)).map((f) => join(bridge, r, f))).sort();

function dds(args) {
  console.log(`\n$ dds ${args.map((a) => (a.startsWith(root) ? a.slice(root.length + 1) : a)).join(" ").replace(/(examples\/data\/bridge\/r\d\/t\d+\.safetensors ?)+/, "examples/data/bridge/r*/t*.safetensors ")}`);
  const r = spawnSync(process.execPath, [cli, ...args], { stdio: "inherit", cwd: root });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

console.log("dead-directions demo — Dead-Direction Signatures of the deep-linear noisy bridge (L=4, D=20, N=300, σ=0.1), layer h1");
dds(["path", ...files, "--x", "X_h1", "--gamma", "G_h1", "--t-from-metadata", "t", "--group-by-metadata", "r", "--layer", "h1", "--json", join(out, "report.json"), "--svg", out, "--quiet"]);
const mlp = join("examples", "data", "mlp", "mlp-final.safetensors");
// tfjs computes in float32 and the checkpoint stores X and Γ widened to F64: say how accurate they are
if (existsSync(join(root, mlp))) dds(["read", mlp, "--x", "X_h1", "--gamma", "G_h1", "--center-x", "--input-rtol", "1e-6", "--layer", "mlp.h1", "--json", join(out, "mlp-report.json"), "--svg", out, "--quiet"]);
console.log(`\nlog det⁺ counts dead directions (slope ratios ≈ 2, 3, 4 to r=1); λ⁺min cannot (slope ≈ 6 for every r).`);
console.log(`Reports and plots are in ${out}`);

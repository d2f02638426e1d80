#!/usr/bin/env node
// Memory figure for the tensor loaders: a 256 MiB F32 safetensors tensor is loaded as f64 into wasm
// memory (loadInto through the dead-directions/node path source, built dist/), and the process's peak memory
// must stay ≤ 1.1 × (source bytes + destination bytes) + 32 MiB.
//
//   node --expose-gc bench/loaders.mjs [--mib 256]      (run `npm run build` first)
//
// The parent writes the file to a temp dir in 8 MiB pieces, then measures in a fresh child process
// (so the peak RSS — getrusage maxrss — belongs to the load alone, not to writing the file), prints
// the figures and PASS/FAIL, and deletes the file whatever happens. Exit code 1 on FAIL.

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const MiB = 1024 * 1024;
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist", "node.js");
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
};

/** The value stored at flat index i: exact in f32, so the f64 result is known exactly. */
const valueAt = (i) => (i % 1000) * 0.25 - 100;

async function writeFile(path, cols, rows) {
  const bytes = rows * cols * 4;
  let json = JSON.stringify({ __metadata__: { bench: "dead-directions loaders" }, w: { dtype: "F32", shape: [rows, cols], data_offsets: [0, bytes] } });
  json += " ".repeat((8 - (json.length % 8)) % 8);
  const head = Buffer.alloc(8 + json.length);
  head.writeBigUInt64LE(BigInt(json.length), 0);
  head.write(json, 8, "latin1");
  const fh = await open(path, "w");
  try {
    await fh.write(head);
    const per = 2 * 1024 * 1024; // elements per piece (8 MiB)
    const piece = new Float32Array(per);
    for (let start = 0; start < rows * cols; start += per) {
      const n = Math.min(per, rows * cols - start);
      for (let k = 0; k < n; k++) piece[k] = valueAt(start + k);
      await fh.write(new Uint8Array(piece.buffer, 0, n * 4));
    }
  } finally {
    await fh.close();
  }
  return { fileBytes: head.length + bytes, sourceBytes: bytes };
}

/** Child: load and measure. Prints one JSON line. */
async function measure(path, rows, cols) {
  const lib = await import(pathToFileURL(dist).href);
  lib.initSync();
  globalThis.gc?.();
  const base = process.memoryUsage();
  const peak = { rss: base.rss, arrayBuffers: base.arrayBuffers, external: base.external };
  const sample = () => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.arrayBuffers = Math.max(peak.arrayBuffers, m.arrayBuffers);
    peak.external = Math.max(peak.external, m.external);
  };
  const timer = setInterval(sample, 2);
  const view = lib.arena().matrix(rows, cols);
  const t0 = performance.now();
  const info = await lib.loadInto(path, "w", view);
  const ms = performance.now() - t0;
  clearInterval(timer);
  sample();
  const a = view.array;
  let bad = 0;
  for (let i = 0; i < a.length; i += 4099) if (a[i] !== valueAt(i)) bad++;
  if (a[a.length - 1] !== valueAt(a.length - 1)) bad++;
  const maxRss = process.resourceUsage().maxRSS * 1024; // kilobytes on Linux and macOS
  process.stdout.write(JSON.stringify({ ms, base, peak, maxRss, wasmMemory: lib.arena().memoryBytes, dtype: info.dtype, shape: info.shape, bad }) + "\n");
}

async function main() {
  if (!existsSync(dist)) {
    console.error("bench/loaders: dist/node.js is missing; run `npm run build` first");
    process.exit(2);
  }
  const mib = Number(arg("--mib", "256"));
  const cols = 8192;
  const rows = Math.round((mib * MiB) / 4 / cols);
  const dir = await mkdtemp(join(tmpdir(), "dds-bench-loaders-"));
  const path = join(dir, "bench.safetensors");
  const cleanup = () => rm(dir, { recursive: true, force: true });
  for (const sig of ["SIGINT", "SIGTERM"]) process.once(sig, () => void cleanup().then(() => process.exit(130)));
  try {
    const { fileBytes, sourceBytes } = await writeFile(path, cols, rows);
    const child = spawnSync(process.execPath, ["--expose-gc", fileURLToPath(import.meta.url), "--measure", path, String(rows), String(cols)], { encoding: "utf8", maxBuffer: 1 << 20 });
    if (child.status !== 0) throw new Error(`measuring process failed (${child.status ?? child.signal}):\n${child.stderr}`);
    const r = JSON.parse(child.stdout.trim().split("\n").pop());
    const destBytes = rows * cols * 8;
    const bound = 1.1 * (sourceBytes + destBytes) + 32 * MiB;
    const peak = Math.max(r.maxRss, r.peak.rss);
    const f = (b) => `${(b / MiB).toFixed(1)} MiB`;
    const pass = peak <= bound && r.bad === 0;
    console.log(`loaders bench: ${r.dtype} [${r.shape.join(", ")}] from a ${f(fileBytes)} file → f64 in wasm memory (loadInto, path source)`);
    console.log(`  source ${f(sourceBytes)} + destination ${f(destBytes)}; bound 1.1 × sum + 32 MiB = ${f(bound)}`);
    console.log(`  time ${r.ms.toFixed(0)} ms (${((sourceBytes / MiB) / (r.ms / 1000)).toFixed(0)} MiB/s of source)`);
    console.log(`  RSS before ${f(r.base.rss)}, peak ${f(peak)} (getrusage maxrss ${f(r.maxRss)}; sampled ${f(r.peak.rss)}), peak − before ${f(peak - r.base.rss)}`);
    console.log(`  JS arrayBuffers peak ${f(r.peak.arrayBuffers)} (read chunks; wasm memory is counted apart), wasm memory ${f(r.wasmMemory)}`);
    console.log(`  values checked: ${r.bad === 0 ? "all sampled values exact" : `${r.bad} WRONG`}`);
    console.log(pass ? "PASS" : "FAIL");
    process.exitCode = pass ? 0 : 1;
  } finally {
    await cleanup();
  }
}

if (process.argv[2] === "--measure") await measure(process.argv[3], Number(process.argv[4]), Number(process.argv[5]));
else await main();

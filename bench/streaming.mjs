#!/usr/bin/env node
// Streaming readout (issue 15): `dds read` of a 512 MiB F32 safetensors (X and Γ, each 262 144 × 256;
// --quick: 32 768 × 256, 64 MiB) and of a 2 GiB one (--big: X and Γ 1 048 576 × 256), written here
// and deleted after. Prints for each: peak RSS of the CLI process, its wasm memory, MiB/s of source,
// and — against numpy's float64 SVD of the same data when python3 has numpy — nPos, λ⁺min and log det⁺.
// Then the same reading in memory (load X and Γ whole, layerReading) in a fresh process, for the speed
// ratio (goal ≤ 1.3) and to check that the two give the same bits.
// Usage: node bench/streaming.mjs [--quick] [--big]
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const quick = process.argv.includes("--quick");
const big = process.argv.includes("--big");
const MiB = 2 ** 20;
const d = 256;
const tmp = mkdtempSync(join(tmpdir(), "dds-stream-"));
process.on("exit", () => rmSync(tmp, { recursive: true, force: true }));
const cli = join(import.meta.dirname, "..", "dist", "cli.js");

// X: random dyadic entries with two dead units (zero columns 17 and 200). Γ: 253 random dyadic columns
// and three exact combinations of them (c253 = c0 + c1, c254 = c2 − c3, c255 = 2·c4: exact in F32), so
// rank Γ = 253 exactly.
function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => ((s ^= s << 13), (s ^= s >>> 17), (s ^= s << 5), (s >>>= 0));
}
function write(file, N) {
  const header = JSON.stringify({
    __metadata__: { source: "bench/streaming.mjs" },
    X: { dtype: "F32", shape: [N, d], data_offsets: [0, N * d * 4] },
    G: { dtype: "F32", shape: [N, d], data_offsets: [N * d * 4, 2 * N * d * 4] },
  });
  const pad = (8 - ((header.length + 8) % 8)) % 8;
  const h = Buffer.from(header + " ".repeat(pad));
  const fd = openSync(file, "w");
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(h.length));
  writeSync(fd, len);
  writeSync(fd, h);
  const rows = 4096;
  const block = new Float32Array(rows * d);
  for (const which of ["X", "G"]) {
    const u = rng(which === "X" ? 11 : 29);
    for (let r0 = 0; r0 < N; r0 += rows) {
      for (let i = 0; i < rows; i++) {
        const row = block.subarray(i * d, (i + 1) * d);
        for (let j = 0; j < d; j++) row[j] = ((u() >>> 21) - 1024) / 1024; // 11-bit dyadics in [−1, 1)
        if (which === "X") {
          row[17] = 0;
          row[200] = 0;
        } else {
          row[253] = row[0] + row[1];
          row[254] = row[2] - row[3];
          row[255] = 2 * row[4];
        }
      }
      writeSync(fd, new Uint8Array(block.buffer));
    }
  }
  closeSync(fd);
  return 8 + h.length + 2 * N * d * 4;
}

function timed(args) {
  const r = spawnSync("/usr/bin/time", ["-f", "%M %e", ...args], { encoding: "utf8", maxBuffer: 64 * MiB });
  if (r.error || r.status !== 0) throw new Error(`${args.join(" ")} failed: ${r.error?.message ?? r.stderr}`);
  const [kb, s] = r.stderr.trim().split("\n").at(-1).split(" ").map(Number);
  return { rss: kb * 1024, seconds: s, stdout: r.stdout };
}

function numpyReference(file, N, offset) {
  const code = `
import numpy as np, json, sys
N, d, off = ${N}, ${d}, ${offset}
G = np.fromfile(sys.argv[1], dtype='<f4', count=N*d, offset=off + N*d*4).astype(np.float64).reshape(N, d)
s = np.linalg.svd(G, compute_uv=False)
tau = max(np.finfo(float).eps * max(N, d) * s[0], 2.0**-24 * np.linalg.norm(G) + 2.0**-150 * np.sqrt(N*d))
p = s[s > tau]
print(json.dumps({"nPos": int(p.size), "lambdaMinPos": float(p[-1]**2 / N), "logdetPos": float(np.sum(2*np.log(p)) - p.size*np.log(N))}))
`;
  const r = spawnSync("python3", ["-c", code, file], { encoding: "utf8", env: { ...process.env, OPENBLAS_NUM_THREADS: "1" } });
  return r.status === 0 ? JSON.parse(r.stdout) : undefined;
}

const inMemory = `
import { initSync, load, layerReading, runtimeInfo } from ${JSON.stringify(join(import.meta.dirname, "..", "dist", "node.js"))};
initSync();
const t0 = performance.now();
const X = await load(process.argv[1], "X"), G = await load(process.argv[1], "G");
const r = layerReading({ rows: X.shape[0], cols: X.shape[1], data: X.data }, { rows: G.shape[0], cols: G.shape[1], data: G.data }, { inputDtype: "F32" });
const ms = performance.now() - t0;
console.log(JSON.stringify({ ms, wasm: runtimeInfo().memoryBytes, nPos: r.factor.nPos, lambdaMinPos: r.factor.lambdaMinPos, logdetPos: r.factor.logdetPos, sigmaMin: r.activation.sigmaMin, xNullDim: r.activation.xNullDim }));
`;

const cases = quick ? [["64 MiB", 32768]] : big ? [["512 MiB", 262144], ["2 GiB", 1048576]] : [["512 MiB", 262144]];
console.log(`streaming readout, d = ${d}, F32 X and Γ (goal: peak RSS ≤ 256 MiB, streaming ≤ 1.3× in memory)`);
for (const [label, N] of cases) {
  const file = join(tmp, `stream-${N}.safetensors`);
  const bytes = write(file, N);
  const offset = bytes - 2 * N * d * 4;
  const json = join(tmp, "r.json");
  // paired runs A, B, A, B: streaming CLI, then the in-memory reading in a fresh process
  const stream = [];
  const mem = [];
  for (let k = 0; k < 2; k++) {
    stream.push(timed([process.execPath, cli, "read", file, "--x", "X", "--gamma", "G", "--quiet", "--json", json]));
    if (N * d * 8 * 2 < 3 * 2 ** 30) mem.push(timed([process.execPath, "--input-type=module", "-e", inMemory, file]));
  }
  // the wasm memory of the same streaming reading, from inside a process doing only that
  const wasmProbe = `import { initSync, readCheckpoint, runtimeInfo } from ${JSON.stringify(join(import.meta.dirname, "..", "dist", "node.js"))};
initSync(); await readCheckpoint(process.argv[1], { x: "X", gamma: "G" }); console.log(runtimeInfo().memoryBytes);`;
  const wasm = Number(spawnSync(process.execPath, ["--input-type=module", "-e", wasmProbe, file], { encoding: "utf8" }).stdout.trim());
  const report = JSON.parse(spawnSync("cat", [json], { encoding: "utf8" }).stdout);
  const row = report.rows?.[0] ?? report.readings?.[0] ?? {};
  const s = stream.map((x) => x.seconds).sort((a, b) => a - b)[0];
  const rss = Math.max(...stream.map((x) => x.rss));
  console.log(`\n${label} (${N} × ${d} each, file ${(bytes / MiB).toFixed(0)} MiB):`);
  console.log(`  streaming CLI: ${s.toFixed(2)} s, ${(bytes / MiB / s).toFixed(0)} MiB/s of source, peak RSS ${(rss / MiB).toFixed(0)} MiB → ${rss <= 256 * MiB ? "PASS" : "MISS"} (≤ 256 MiB), wasm memory ${(wasm / MiB).toFixed(0)} MiB`);
  const keys = ["dds/n_pos", "dds/lambda_min_pos", "dds/logdet_pos", "dds/floor_by", "dds/verdict", "act/sigma_min", "act/x_null_dim"];
  console.log(`  report: ${keys.map((k) => `${k.replace(/^.*\//, "")} ${row[k]}`).join(", ")}`);
  if (mem.length) {
    const parsed = mem.map((m) => JSON.parse(m.stdout.trim().split("\n").at(-1)));
    const ms = Math.min(...parsed.map((p) => p.ms));
    const wall = mem.map((x) => x.seconds).sort((a, b) => a - b)[0];
    console.log(`  in memory (load + layerReading): ${wall.toFixed(2)} s wall, peak RSS ${(Math.max(...mem.map((x) => x.rss)) / MiB).toFixed(0)} MiB, wasm ${(parsed[0].wasm / MiB).toFixed(0)} MiB → streaming/in-memory ${(s / wall).toFixed(2)} (${s / wall <= 1.3 ? "PASS" : "MISS"} ≤ 1.3)`);
    console.log(`  in-memory reading: ${JSON.stringify(parsed[0])}`);
  }
  const np = numpyReference(file, N, offset);
  if (np) console.log(`  numpy (f64 SVD of Γ): ${JSON.stringify(np)}`);
  else console.log("  numpy: skipped (python3 with numpy not found)");
  rmSync(file, { force: true });
}

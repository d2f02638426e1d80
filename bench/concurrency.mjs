#!/usr/bin/env node
// Overlapping readings (issue 12, item 4): 8 concurrent readCheckpoint calls over a source whose every
// read takes 20 ms must finish within 2× the time of one call. Paired rounds (one call, 8 calls, one
// call, 8 calls …) because this host's speed drifts; medians of each and of the per-round ratios.
// The test suite proves the overlap without a clock (tests/concurrency/overlap.test.ts).
// Run in a fresh process: `node bench/concurrency.mjs [--quick]`.
import * as dds from "../dist/index.js";

const quick = process.argv.includes("--quick");
const READ_MS = 20;
const CALLS = 8;
const [N, D] = [1000, 32]; // a layer of an MLP checkpoint: X and Γ of 1000 samples × 32 units, F32

await dds.init();
const p = dds.deepLinearBridge({ r: 2, N, D })[5];
const f32 = (m) => ({ dtype: "F32", shape: [N, D], data: Float32Array.from(m.data) });
const file = dds.saveSafetensors({ X: f32(p.X[0]), G: f32(p.gamma[0]) }, { t: String(p.t) });
const opts = { x: "X", gamma: "G", tFromMetadata: "t", checkpoint: "bench", layer: "h1" };

let reads = 0;
let inFlight = 0;
let maxInFlight = 0;
/** A remote file: every read resolves after READ_MS (an HTTP range request, say). */
const slow = () => ({
  size: file.length,
  read(offset, length) {
    reads++;
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    return new Promise((resolve) =>
      setTimeout(() => {
        inFlight--;
        resolve(file.slice(offset, offset + length));
      }, READ_MS),
    );
  },
});

async function run(calls, src) {
  const t0 = performance.now();
  const out = await Promise.all(Array.from({ length: calls }, () => dds.readCheckpoint(src(), opts)));
  const ms = performance.now() - t0;
  if (out.some((r) => JSON.stringify(r.row) !== JSON.stringify(out[0].row))) throw new Error("concurrent readings differ");
  return ms;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const f = (v, d = 1) => v.toFixed(d);

await run(1, slow), await run(CALLS, slow); // warm-up (JIT, memory growth)
const alone = [];
for (let r = 0; r < 5; r++) alone.push(await run(1, () => file)); // the bytes in memory: no I/O wait
const compute = median(alone);
reads = 0;
await run(1, slow);
const readsPerCall = reads;

const rounds = quick ? 3 : 7;
const one = [];
const many = [];
maxInFlight = 0;
for (let r = 0; r < rounds; r++) {
  one.push(await run(1, slow));
  many.push(await run(CALLS, slow));
}
const ratio = median(many) / median(one);
const paired = median(many.map((m, i) => m / one[i]));
const ok = ratio <= 2 && paired <= 2;
console.log(`readCheckpoint of ${N}×${D} F32 X and Γ over a source of ${READ_MS} ms reads (${readsPerCall} reads per call; ${f(compute)} ms of computing with the bytes in memory), ${rounds} paired rounds:`);
console.log(`  1 call ${f(median(one))} ms, ${CALLS} concurrent ${f(median(many))} ms (at most ${maxInFlight} reads in flight) → ×${f(ratio, 2)}, per round ${many.map((m, i) => f(m / one[i], 2)).join(" ")} (median ×${f(paired, 2)})`);
// the computing of the 8 calls runs on one thread: fully overlapped reads leave (reads·20 ms + 8c) / (reads·20 ms + c)
const io = readsPerCall * READ_MS;
console.log(`  ${ok ? "PASS" : "MISS"} ${CALLS} concurrent calls within 2× of one (serialised they would take ×${CALLS}; overlapped reads with one thread computing: ×${f((io + CALLS * compute) / (io + compute), 2)})`);

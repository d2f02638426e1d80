// Example: load dead-directions by name, read which binary runs, and compute the Gram
// matrix G = XᵀX/N of a deterministic activation-like matrix on both binaries, showing they agree
// bit for bit and what SIMD buys. Run: node examples/node/gram.mjs (after npm run build).
import { gram, init } from "dead-directions";

function rng(seed) {
  let s = seed >>> 0;
  const u32 = () => ((s ^= s << 13), (s ^= s >>> 17), (s ^= s << 5), (s >>>= 0));
  return () => ((u32() >>> 5) * 67108864 + (u32() >>> 6)) / 9007199254740992;
}

// A 2048×256 "activation" matrix: ReLU of a rank-64 signal plus small noise, rows = samples.
const N = 2048, d = 256, r = 64;
const u = rng(42);
const A = Float64Array.from({ length: N * r }, () => u() - 0.5);
const B = Float64Array.from({ length: r * d }, () => u() - 0.5);
const X = new Float64Array(N * d);
for (let i = 0; i < N; i++) {
  for (let j = 0; j < d; j++) {
    let s = 1e-3 * (u() - 0.5);
    for (let k = 0; k < r; k++) s += A[i * r + k] * B[k * d + j];
    X[i * d + j] = Math.max(0, s);
  }
}

function timed(fn, reps = 5) {
  const times = [];
  let out;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    out = fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return [out, times[reps >> 1]];
}

const results = {};
for (const simd of [true, false]) {
  const info = await init({ simd });
  const [G, ms] = timed(() => gram(X, [N, d]));
  results[simd ? "simd" : "scalar"] = { G, ms, info };
}
const { simd, scalar } = results;
const same = simd.G.data.every((v, i) => Object.is(v, scalar.G.data[i]));
let trace = 0;
for (let i = 0; i < d; i++) trace += simd.G.data[i * d + i];
const flops = N * d * (d + 1);

console.log(`dead-directions demo: Gram G = XᵀX/N of a ${N}×${d} activation matrix`);
console.log(`  binary   time (median of 5)   GFLOP/s`);
for (const [name, r] of Object.entries(results)) {
  console.log(`  ${name.padEnd(8)} ${r.ms.toFixed(1).padStart(8)} ms          ${(flops / r.ms / 1e6).toFixed(2).padStart(6)}`);
}
console.log(`  SIMD speed-up: ${(scalar.ms / simd.ms).toFixed(2)}×`);
console.log(`  G is ${simd.G.rows}×${simd.G.cols}, trace(G) = ${trace}, G[0][1] = ${simd.G.data[1]}`);
console.log(`  SIMD and scalar binaries agree bit for bit: ${same ? "yes" : "NO"}`);
if (!same) process.exit(1);

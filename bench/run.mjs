#!/usr/bin/env node
// npm run bench: our kernels (SIMD and scalar binaries), ml-matrix and numpy (python3 subprocess, one
// BLAS thread) on the same inputs in one run. Prints medians, GFLOP/s and the ratios the issues target.
// Usage: node bench/run.mjs [--quick] [--only gram,eigvalsh,...] [--no-mlmatrix] [--no-numpy]
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Matrix, EigenvalueDecomposition, SingularValueDecomposition, CholeskyDecomposition } from "ml-matrix";
import * as dds from "../dist/index.js";
import { concurrencySection, layerSection, loaderSection, streamingSection, wideSection } from "./sections.mjs";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const only = args.includes("--only") ? args[args.indexOf("--only") + 1].split(",") : null;
const useMl = !args.includes("--no-mlmatrix");
const tmp = mkdtempSync(join(tmpdir(), "dds-bench-"));
process.on("exit", () => rmSync(tmp, { recursive: true, force: true }));

// ---- inputs: deterministic, the same bytes for every contestant -------------------------------
function matrix(rows, cols, seed) {
  let s = seed >>> 0 || 1;
  const u32 = () => ((s ^= s << 13), (s ^= s >>> 17), (s ^= s << 5), (s >>>= 0));
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < out.length; i++) out[i] = ((u32() >>> 5) * 67108864 + (u32() >>> 6)) / 9007199254740992 - 0.5;
  return out;
}
function symmetric(x, n, shift = 0) {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = (x[i * n + j] + x[j * n + i]) / 2 + (i === j ? shift : 0);
  return a;
}
const toMl = (x, r, c) => new Matrix(Array.from({ length: r }, (_, i) => Array.from(x.subarray(i * c, (i + 1) * c))));

function median(ms) {
  const s = [...ms].sort((a, b) => a - b);
  return s[s.length >> 1];
}
function time(fn, reps) {
  fn(); // warm-up (JIT, memory growth)
  const ms = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

// ---- numpy through a subprocess -------------------------------------------------------------
const python = process.env.PYTHON ?? "python3";
const probe = spawnSync(python, ["-c", "import numpy; print(numpy.__version__)"], { encoding: "utf8" });
const haveNumpy = !args.includes("--no-numpy") && probe.status === 0;
if (!haveNumpy) console.log(`numpy: skipped (${args.includes("--no-numpy") ? "--no-numpy" : `${python} with numpy not found`})`);
const npEnv = { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };
delete npEnv.OPENBLAS_CORETYPE; // they slow current OpenBLAS ~1.7× (set on this machine for old builds)
delete npEnv.OPENBLAS_L2_SIZE;
let blasInfo;
const written = new Map(); // file → the array last written there (paired rounds reuse it)
function numpy(op, x, rows, cols, reps) {
  if (!haveNumpy) return NaN;
  const file = join(tmp, `${op}-${rows}x${cols}.bin`);
  if (written.get(file) !== x) writeFileSync(file, new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
  written.set(file, x);
  const r = spawnSync(python, [join(import.meta.dirname, "numpy_ops.py"), op, rows, cols, file, reps], { encoding: "utf8", env: npEnv });
  if (r.status !== 0) throw new Error(`numpy ${op}: ${r.stderr}`);
  const out = JSON.parse(r.stdout);
  blasInfo ??= out.blas;
  return median(out.ms);
}

// ---- the ops ----------------------------------------------------------------------------------
const f = (v, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : "–");
const rows = [];
function report(op, size, flops, ours, scalar, np, ml, target) {
  rows.push({ op, size, ours, gflops: flops / ours / 1e6, scalar, np, ml, target });
  const r = rows.at(-1);
  console.log(
    `${op.padEnd(16)} ${size.padEnd(11)} ${f(ours).padStart(8)} ms ${f(r.gflops, 2).padStart(6)} GF/s | scalar ${f(scalar).padStart(8)} ms (SIMD ×${f(scalar / ours, 2)}) | numpy ${f(np).padStart(7)} ms (ours/numpy ${f(ours / np, 2)}) | ml-matrix ${f(ml).padStart(8)} ms (×${f(ml / ours, 0)} faster) | ${target ? target(r) : ""}`,
  );
}
function withBoth(fn, reps) {
  dds.initSync({ simd: true });
  const ours = time(fn, reps);
  dds.initSync({ simd: false });
  const scalar = time(fn, Math.max(1, reps >> 1));
  dds.initSync({ simd: true });
  return [ours, scalar];
}
const check = (cond, text) => `${cond ? "PASS" : "MISS"} ${text}`;
const want = (name) => !only || only.includes(name);
const has = (name) => typeof dds[name] === "function";

await dds.init();
console.log(`dead-directions bench — node ${process.version}, ${quick ? "quick" : "full"} sizes; medians; one thread everywhere\n`);

// Gram: f64, f32 and numpy in paired rounds (f64, f32, numpy; again …), because this VM's speed drifts
// by up to 2× within minutes (other tenants): ratios are taken round by round, then their median.
// The issue's absolute target (≥ 20 GF/s) was set on a host where numpy's one-thread Gram of 8192×1024
// took 114 ms (75 GF/s); the absolute figure is printed as measured here and also normalised by
// numpy's speed in the same rounds: "20 GF/s on that host" is "ours ≤ 75/20 = 3.75× numpy's time".
const REF_NUMPY_GRAM_MS = 114;
if (want("gram")) {
  const [n, d] = quick ? [2048, 256] : [8192, 1024];
  const flops = n * d * (d + 1);
  const x = matrix(n, d, 1);
  const x32 = Float32Array.from(x);
  const once = (a) => {
    const t0 = performance.now();
    dds.gram(a, [n, d], { checkFinite: false });
    return performance.now() - t0;
  };
  once(x), once(x32); // warm-up (JIT tier-up, memory growth)
  const rounds = 5;
  const t64 = [], t32 = [], tnp = [];
  for (let r = 0; r < rounds; r++) {
    t64.push(once(x));
    t32.push(once(x32));
    if (haveNumpy) tnp.push(numpy("gram", x, n, d, 1));
  }
  dds.initSync({ simd: false });
  const s64 = time(() => once(x), 1), s32 = time(() => once(x32), 1);
  dds.initSync({ simd: true });
  const np = haveNumpy ? median(tnp) : NaN;
  const ml = useMl ? time(() => { const m = toMl(x, n, d); m.transpose().mmul(m); }, 1) : NaN;
  const paired = (a, b) => median(a.map((v, i) => v / b[i]));
  const ours = median(t64);
  report("gram f64", `${n}×${d}`, flops, ours, s64, np, ml,
    (r) => check(r.ours <= 4 * r.np && r.ml >= 30 * r.ours, "≤4× numpy, ≥30× ml-matrix"));
  const gf = flops / ours / 1e6;
  console.log(`${"".padEnd(16)} absolute: ${f(gf, 2)} GF/s here, best round ${f(flops / Math.min(...t64) / 1e6, 2)} (${check(gf >= 20, "≥20 GF/s on this host")})`);
  if (haveNumpy && !quick) {
    const ratio = paired(t64, tnp);
    const atRef = median(t64.map((o, i) => (flops / o / 1e6) * (tnp[i] / REF_NUMPY_GRAM_MS)));
    console.log(
      `${"".padEnd(16)} host: numpy's Gram ${f(np)} ms here vs ${REF_NUMPY_GRAM_MS} ms where the target was set (host ×${f(REF_NUMPY_GRAM_MS / np, 2)}); ` +
        `paired ours/numpy ${f(ratio, 2)} (${t64.map((o, i) => f(o / tnp[i], 2)).join(" ")}) → ${f(atRef, 1)} GF/s at that host's speed ` +
        `(${check(ratio <= 75 / 20, "≥20 GF/s normalised, i.e. ≤3.75× numpy")})`,
    );
  }
  const r32 = paired(t32, t64);
  report("gram f32→f64", `${n}×${d}`, flops, median(t32), s32, numpy("gram_f32", x, n, d, 3), NaN,
    () => check(r32 <= 1.2, `within 1.2× of our f64 Gram (paired ×${f(r32, 2)}: ${t32.map((v, i) => f(v / t64[i], 2)).join(" ")})`));
}

for (const [name, mlFn, target] of [
  ["eigvalsh", (m) => new EigenvalueDecomposition(m, { assumeSymmetric: true }), (r) => check(r.ours <= 4 * r.np && r.ml >= 40 * r.ours, "≤4× numpy, ≥40× ml-matrix")],
  ["eigh", (m) => new EigenvalueDecomposition(m, { assumeSymmetric: true }), (r) => check(r.ours <= 4 * r.np && r.ml >= 10 * r.ours, "≤4× numpy, ≥10× ml-matrix")],
]) {
  if (!want(name)) continue;
  if (!has(name)) { console.log(`${name}: not built yet`); continue; }
  const n = quick ? 256 : 1024;
  const a = symmetric(matrix(n, n, 2), n);
  const [ours, scalar] = withBoth(() => dds[name](a, [n, n], { checkFinite: false }), 3);
  const ml = useMl ? time(() => mlFn(toMl(a, n, n)), 1) : NaN;
  report(name, `n=${n}`, (name === "eigh" ? 9 : 4 / 3) * n ** 3, ours, scalar, numpy(name, a, n, n, 3), ml, target);
}

if (want("svdvals")) {
  if (!has("svdvals")) console.log("svdvals: not built yet");
  else {
    const [m, n] = quick ? [1024, 256] : [4096, 512];
    const x = matrix(m, n, 3);
    const [ours, scalar] = withBoth(() => dds.svdvals(x, [m, n], { checkFinite: false }), 3);
    const [mm, mn] = quick ? [m, n] : [2048, 256]; // ml-matrix at the issue's smaller size (it takes seconds)
    const ml = useMl ? time(() => new SingularValueDecomposition(toMl(x.subarray(0, mm * mn), mm, mn), { computeLeftSingularVectors: false, computeRightSingularVectors: false }), 1) : NaN;
    const oursSmall = quick ? ours : time(() => dds.svdvals(x.subarray(0, mm * mn), [mm, mn], { checkFinite: false }), 3);
    report("svdvals", `${m}×${n}`, 4 * m * n * n, ours, scalar, numpy("svdvals", x, m, n, 3), NaN,
      (r) => check(r.ours <= 5 * r.np, "≤5× numpy (Jacobi path)"));
    console.log(`${"".padEnd(16)} ml-matrix at ${mm}×${mn}: ${f(ml)} ms vs ours ${f(oursSmall)} ms → ×${f(ml / oursSmall, 1)} faster (${check(ml >= 5 * oursSmall, "≥5×")})`);
  }
}

if (want("slogdet")) {
  const n = quick ? 256 : 1024;
  const a = symmetric(matrix(n, n, 4), n, n);
  const [ours, scalar] = withBoth(() => dds.slogdet(a, [n, n], { assumeA: "pos", checkFinite: false }), 5);
  const ml = useMl ? time(() => new CholeskyDecomposition(toMl(a, n, n)), 1) : NaN;
  report("slogdet pos", `n=${n}`, n ** 3 / 3, ours, scalar, numpy("slogdet_pos", a, n, n, 5), ml, (r) => check(r.ours <= 4 * r.np, "≤4× numpy"));
}

if (want("loaders")) await loaderSection({ quick });
if (want("layer")) await layerSection({ quick });
if (want("concurrency")) await concurrencySection({ quick });
if (want("wide")) await wideSection({ quick });
if (want("streaming")) await streamingSection({ quick });

if (blasInfo) console.log(`\nnumpy BLAS: ${JSON.stringify(blasInfo)}`);

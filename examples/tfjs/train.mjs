// JavaScript end to end: train a small MLP with @tensorflow/tfjs (pure-JS CPU backend), capture the
// first hidden layer's activations X and per-sample gradients Γ = ∂ℓᵢ/∂h₁ at checkpoints spaced
// log-uniformly along training, save each checkpoint as safetensors, then read the DDS path from the
// files with dead-directions. No Python anywhere.
//
//   node examples/tfjs/train.mjs [OUT_DIR] [--steps 1000] [--n 256] [--checkpoints 9] [--seed 7]
//                                [--check-per-sample K] [--write-demo-checkpoint [FILE]] [--quiet]
//
// OUT_DIR (default: a new temp dir) receives ckpt-<step>.safetensors, report.json, spectrum.svg,
// path.svg and summary.json. --write-demo-checkpoint also copies the final checkpoint to
// examples/data/mlp/mlp-final.safetensors (the demo's bundled MLP checkpoint).
import { copyFile, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as tf from "@tensorflow/tfjs";
import { buildReport, fileSource, init, pathRow, readCheckpoint, readingPathPlot, readingSpectrumPlot, saveSafetensors } from "dead-directions/node";

const HERE = dirname(fileURLToPath(import.meta.url));
const DEMO_FILE = resolve(HERE, "../data/mlp/mlp-final.safetensors");

// ---------------------------------------------------------------------------------------------
// Command line
function parseArgs(argv) {
  const o = { out: undefined, steps: 1000, n: 256, checkpoints: 9, seed: 7, lr: 0.01, checkPerSample: 0, demo: undefined, quiet: false };
  const num = (flag, v) => {
    const x = Number(v);
    if (v === undefined || !Number.isFinite(x)) usage(`${flag} needs a number`);
    return x;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--steps") o.steps = num(a, argv[++i]);
    else if (a === "--n") o.n = num(a, argv[++i]);
    else if (a === "--checkpoints") o.checkpoints = num(a, argv[++i]);
    else if (a === "--seed") o.seed = num(a, argv[++i]);
    else if (a === "--lr") o.lr = num(a, argv[++i]);
    else if (a === "--check-per-sample") o.checkPerSample = num(a, argv[++i]);
    else if (a === "--write-demo-checkpoint") o.demo = argv[i + 1] && !argv[i + 1].startsWith("--") && argv[i + 1].endsWith(".safetensors") ? resolve(argv[++i]) : DEMO_FILE;
    else if (a === "--quiet") o.quiet = true;
    else if (a === "--help" || a === "-h") usage();
    else if (a.startsWith("--")) usage(`unknown option ${a}`);
    else if (o.out === undefined) o.out = resolve(a);
    else usage(`unexpected argument ${a}`);
  }
  if (!(o.steps >= 10 && o.n >= 17 && o.checkpoints >= 3)) usage("need --steps ≥ 10, --n ≥ 17 (more samples than the width 16), --checkpoints ≥ 3");
  return o;
}

function usage(msg) {
  if (msg) console.error(`train.mjs: ${msg}`);
  console.error("usage: node examples/tfjs/train.mjs [OUT_DIR] [--steps S] [--n N] [--checkpoints K] [--seed S] [--lr LR] [--check-per-sample K] [--write-demo-checkpoint [FILE]] [--quiet]");
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------
// A seeded PRNG of our own (xorshift128+ on two 32-bit halves would do; mulberry32 is enough here)
// so the data and the initial weights are the same on every run and every machine.
function rng(seed) {
  let a = seed >>> 0;
  const u32 = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const uniform = () => (u32() + 0.5) / 4294967296; // (0, 1)
  let spare;
  const normal = () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(uniform()));
    const th = 2 * Math.PI * uniform();
    spare = r * Math.sin(th);
    return r * Math.cos(th);
  };
  return { uniform, normal };
}

const IN = 8, H1 = 16, H2 = 16, OUT = 4, TEACHER = 2, NOISE = 0.05;

/**
 * The task: a teacher with a 2-unit tanh bottleneck, y = B·tanh(A·x) + 0.05·ε, x ~ N(0, I₈).
 * The student (8 → 16 → 16 → 4) is far wider than the teacher needs, so most of its hidden
 * directions are redundant: the readout should see them.
 */
function makeData(n, seed) {
  const g = rng(seed);
  const A = Float32Array.from({ length: TEACHER * IN }, () => g.normal() / Math.sqrt(IN) * 2);
  const B = Float32Array.from({ length: OUT * TEACHER }, () => g.normal());
  const x = new Float32Array(n * IN);
  const y = new Float32Array(n * OUT);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < IN; k++) x[i * IN + k] = g.normal();
    const z = new Float64Array(TEACHER);
    for (let j = 0; j < TEACHER; j++) {
      let s = 0;
      for (let k = 0; k < IN; k++) s += A[j * IN + k] * x[i * IN + k];
      z[j] = Math.tanh(s);
    }
    for (let o = 0; o < OUT; o++) {
      let s = 0;
      for (let j = 0; j < TEACHER; j++) s += B[o * TEACHER + j] * z[j];
      y[i * OUT + o] = s + NOISE * g.normal();
    }
  }
  return { x, y };
}

/** Glorot-uniform weights from our PRNG (the seeded initializer), zero biases. */
function initParams(seed) {
  const g = rng(seed ^ 0x9e3779b9);
  const glorot = (fi, fo) => {
    const lim = Math.sqrt(6 / (fi + fo));
    return tf.variable(tf.tensor2d(Float32Array.from({ length: fi * fo }, () => (2 * g.uniform() - 1) * lim), [fi, fo]));
  };
  return {
    W1: glorot(IN, H1), b1: tf.variable(tf.zeros([H1])),
    W2: glorot(H1, H2), b2: tf.variable(tf.zeros([H2])),
    W3: glorot(H2, OUT), b3: tf.variable(tf.zeros([OUT])),
  };
}

// The network split at the captured layer: h₁ = relu(x·W1 + b1) (post-activation, no normalisation
// layer anywhere), then the rest of the network maps h₁ to the prediction.
const layer1 = (p, x) => tf.relu(tf.add(tf.matMul(x, p.W1), p.b1));
const rest = (p, h) => tf.add(tf.matMul(tf.tanh(tf.add(tf.matMul(h, p.W2), p.b2)), p.W3), p.b3);
/** Per-sample losses ℓᵢ = mean over the 4 outputs of (ŷ − y)²; the training loss is their mean (plain MSE). */
const perSample = (pred, y) => tf.mean(tf.square(tf.sub(pred, y)), 1);

/**
 * X = h₁ (N × 16) and Γ = ∂ℓᵢ/∂h₁ (N × 16), by the batched trick: feed h₁ as a tensor into the rest
 * of the network and differentiate Σᵢ ℓᵢ with respect to it; row i of that gradient only involves
 * sample i, so it is exactly the per-sample gradient ∂ℓᵢ/∂h₁ᵢ.
 */
function capture(p, x, y) {
  return tf.tidy(() => {
    const h = layer1(p, x);
    const gamma = tf.grad((hh) => tf.sum(perSample(rest(p, hh), y)))(h);
    return { X: h.dataSync().slice(), G: gamma.dataSync().slice() };
  });
}

/** The slow, obvious way for rows 0..k−1: one tf.grad call per sample. Returns the largest |difference|. */
function perSampleCheck(p, x, y, G, k) {
  let worst = 0;
  const n = x.shape[0];
  for (let i = 0; i < Math.min(k, n); i++) {
    const gi = tf.tidy(() => {
      const xi = tf.slice(x, [i, 0], [1, IN]);
      const yi = tf.slice(y, [i, 0], [1, OUT]);
      return tf.grad((hh) => tf.sum(perSample(rest(p, hh), yi)))(layer1(p, xi)).dataSync();
    });
    for (let j = 0; j < H1; j++) worst = Math.max(worst, Math.abs(gi[j] - G[i * H1 + j]));
  }
  return worst;
}

/** Checkpoint steps spaced log-uniformly from 10 to `steps`. */
function checkpointSteps(steps, k) {
  const out = new Set();
  for (let j = 0; j < k; j++) out.add(Math.round(10 ** (1 + (j * (Math.log10(steps) - 1)) / (k - 1))));
  return [...out].sort((a, b) => a - b);
}

const f64 = (a) => Float64Array.from(a);

/** The relative accuracy of X and Γ computed in float32 arithmetic (u = 2⁻²⁴ ≈ 6e-8, accumulated). */
const INPUT_RTOL = 1e-6;

function checkpointFile(p, cap, data, meta) {
  const w = (v) => ({ dtype: "F32", shape: v.shape, data: v.dataSync().slice() });
  return saveSafetensors({
    X_h1: { dtype: "F64", shape: [meta.n, H1], data: f64(cap.X) },
    G_h1: { dtype: "F64", shape: [meta.n, H1], data: f64(cap.G) },
    W1: w(p.W1), b1: w(p.b1), W2: w(p.W2), b2: w(p.b2), W3: w(p.W3), b3: w(p.b3),
    x_in: { dtype: "F32", shape: [meta.n, IN], data: data.x },
    y_target: { dtype: "F32", shape: [meta.n, OUT], data: data.y },
  }, {
    step: String(meta.step),
    loss: String(meta.loss),
    layer: "h1",
    x: "X_h1 = relu(x·W1 + b1), post-activation, N × 16 (read with centerX: true)",
    gamma: "G_h1 = per-sample dℓᵢ/dh1, ℓᵢ = mean over 4 outputs of (ŷᵢ − yᵢ)², N × 16",
    model: "mlp 8 → 16 relu (h1) → 16 tanh → 4 linear, W·x + b with W stored [in, out] (tfjs layout)",
    normalization: "none: no LayerNorm/BatchNorm/RMSNorm, so there is no algebraic LayerNorm kernel in h1",
    task: "teacher y = B·tanh(A·x) + 0.05·ε with a 2-unit bottleneck, x ~ N(0, I8)",
    training: `full-batch Adam lr ${meta.lr}, seed ${meta.seed}, N ${meta.n}`,
    inputs: "x_in (N × 8) and y_target (N × 4) are the samples X and Γ were taken on, so both can be recomputed from the weights",
    precision: "computed in float32 by the tfjs CPU backend, stored widened to F64 (weights stored as F32)",
    producer: `examples/tfjs/train.mjs with @tensorflow/tfjs ${tf.version.tfjs} (cpu)`,
  });
}

// ---------------------------------------------------------------------------------------------
async function main() {
  const o = parseArgs(process.argv.slice(2));
  const log = o.quiet ? () => {} : (...a) => console.log(...a);
  const t0 = performance.now();
  tf.enableProdMode(); // also silences the "install tfjs-node" banner
  await tf.setBackend("cpu");
  await init();
  const out = o.out ?? (await mkdtemp(join(tmpdir(), "dds-tfjs-")));
  await mkdir(out, { recursive: true });

  // 1. Train and capture.
  const data = makeData(o.n, o.seed);
  const x = tf.tensor2d(data.x, [o.n, IN]);
  const y = tf.tensor2d(data.y, [o.n, OUT]);
  const p = initParams(o.seed);
  const opt = tf.train.adam(o.lr);
  const stepsAt = checkpointSteps(o.steps, o.checkpoints);
  const files = [];
  const losses = [];
  let perSampleDiff;
  for (let step = 1; step <= o.steps; step++) {
    opt.minimize(() => tf.mean(perSample(rest(p, layer1(p, x)), y)), false, Object.values(p));
    if (!stepsAt.includes(step)) continue;
    const loss = tf.tidy(() => tf.mean(perSample(rest(p, layer1(p, x)), y)).dataSync()[0]);
    const cap = capture(p, x, y);
    if (o.checkPerSample > 0 && step === o.steps) perSampleDiff = perSampleCheck(p, x, y, cap.G, o.checkPerSample);
    const file = join(out, `ckpt-${String(step).padStart(5, "0")}.safetensors`);
    await writeFile(file, checkpointFile(p, cap, data, { step, loss, n: o.n, lr: o.lr, seed: o.seed }));
    files.push(file);
    losses.push(loss);
  }
  const tTrain = performance.now();
  if (o.demo) {
    if (o.demo === DEMO_FILE && (o.steps !== 1000 || o.n !== 256 || o.seed !== 7 || o.lr !== 0.01)) console.error("train.mjs: note: the bundled demo checkpoint is made with the defaults (--steps 1000 --n 256 --seed 7 --lr 0.01); this one differs");
    await mkdir(dirname(o.demo), { recursive: true });
    await copyFile(files[files.length - 1], o.demo);
  }

  // 2. Read the path back from the files with the library.
  const cps = [];
  for (const file of files) {
    const src = await fileSource(file);
    try {
      // tfjs computes in float32 (the tensors are stored widened to F64, which hides that from the
      // file): state the accuracy of float32 arithmetic, a few roundings of 2⁻²⁴ (docs/trust-floors.md)
      const c = await readCheckpoint(src, { x: "X_h1", gamma: "G_h1", centerX: true, tFromMetadata: "step", layer: "h1", checkpoint: file.slice(out.length + 1), inputRtol: INPUT_RTOL });
      cps.push(c);
    } finally {
      await src.close();
    }
  }
  const xs = cps.map((c) => c.t);
  const readings = cps.map((c) => c.reading);
  const path = pathRow({ series: "mlp", layer: "h1", x: xs, readings });
  const report = buildReport({ readings: cps.map((c) => c.row), paths: [path] });
  await writeFile(join(out, "report.json"), JSON.stringify(report, null, 2) + "\n");

  // 3. Plots: the full spectrum of G at the last checkpoint (every eigenvalue s²/N of Γ, those under the
  //    floor included, with the floor that binds and the float64 one) and the path of λ⁺_min and
  //    log det⁺ against ln step, each point with its floor.
  const last = cps[cps.length - 1];
  await writeFile(join(out, "spectrum.svg"), readingSpectrumPlot(last.reading, { title: `G = ΓᵀΓ/N at h1, step ${last.t} (factor path)` }));
  const series = [{ name: "h1", x: xs, readings, row: path }];
  await writeFile(join(out, "path.svg"), readingPathPlot(series, "lambda_min_pos", { title: "λ⁺min(G) along training, layer h1", xLabel: "step" }));
  await writeFile(join(out, "path-logdet.svg"), readingPathPlot(series, "logdet_pos", { title: "log det⁺(G) along training, layer h1", xLabel: "step" }));
  const tEnd = performance.now();

  // 4. The table.
  const e = (v, d = 3) => (v === null || v === undefined || !Number.isFinite(v) ? "—" : v.toExponential(d));
  const f = (v, d = 3) => (v === null || v === undefined || !Number.isFinite(v) ? "—" : v.toFixed(d));
  log(`tfjs ${tf.version.tfjs} (${tf.getBackend()}): MLP 8 → 16 relu (h1) → 16 tanh → 4, N = ${o.n}, ${o.steps} full-batch Adam steps`);
  log(`layer h1: X = activations (centred), Γ = per-sample ∂ℓᵢ/∂h1 (batched trick)`);
  log("");
  // the margin is against the reading's floor: the larger of the fp64 floor and the input floor of
  // float32 computation, (INPUT_RTOL·‖Γ‖_F)²/N ("floor by" says which one binds)
  log("   step        loss      λ⁺min     log det⁺  nPos      σmin(X)   margin  floor by");
  cps.forEach((c, i) => {
    const r = c.reading.factor;
    log(`${String(c.t).padStart(7)}  ${e(losses[i])}  ${e(r.lambdaMinPos)}  ${f(r.logdetPos, 3).padStart(10)}  ${String(r.nPos).padStart(4)}  ${e(c.reading.activation.sigmaMin)}  ${f(r.marginDecades, 2).padStart(7)}  ${r.floorBy}`);
  });
  log("");
  log(`slopes vs ln step over points ${path["slope/window_start"]}…${path["slope/window_end"]} (${path["slope/n"]} of ${cps.length}):`);
  log(`  log det⁺(G)   ${f(path["slope/logdet_pos"])} ± ${f(path["slope/se"])}  (R² ${f(path["slope/logdet_pos_r2"], 4)})`);
  log(`  ln λ⁺min(G)   ${f(path["slope/lambda_min_pos"])} ± ${f(path["slope/lambda_min_pos_se"])}  (R² ${f(path["slope/lambda_min_pos_r2"], 4)})`);
  log(`  ln σmin(X)²   ${f(path["slope/sigma_min_sq"])} ± ${f(path["slope/sigma_min_sq_se"])}`);
  log(`  log det⁺ / λ⁺min slope ratio → count/dead ${path["count/dead"] ?? "—"}`);
  for (const w of path.warnings) log(`  note: ${w}`);
  if (perSampleDiff !== undefined) log(`per-sample tf.grad loop vs batched trick, first ${o.checkPerSample} rows: max |Δ| = ${perSampleDiff}`);
  log("");
  log(`wrote ${files.length} checkpoints, report.json, spectrum.svg, path.svg, path-logdet.svg to ${out}`);
  if (o.demo) log(`wrote the demo checkpoint ${o.demo}`);
  log(`time: train + capture ${((tTrain - t0) / 1000).toFixed(1)} s, read + report ${((tEnd - tTrain) / 1000).toFixed(1)} s`);

  const summary = { out, files, losses, steps: xs, perSampleDiff: perSampleDiff ?? null, demo: o.demo ?? null, seconds: { train: (tTrain - t0) / 1000, read: (tEnd - tTrain) / 1000 } };
  await writeFile(join(out, "summary.json"), JSON.stringify(summary, null, 2) + "\n");
}

await main();

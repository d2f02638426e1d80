// The JavaScript end-to-end example (examples/tfjs/train.mjs), run the way a person runs it: a child
// `node` process on the BUILT package (dist/), training a small MLP with @tensorflow/tfjs, writing a
// safetensors per checkpoint and the DDS report. The files it leaves are then checked with the
// library's sources: readable by inspect, X and Γ equal to an independent f64 recomputation from the
// stored weights and samples, readings finite, report keys documented in docs/report-schema.md.
// Also: the committed demo checkpoint examples/data/mlp/mlp-final.safetensors reads to a finite λ⁺min.

import { execFile, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { init, inspect, load, readCheckpoint, REPORT_SCHEMA, REPORT_VERSION, type CheckpointReading, type Report, type Row } from "../../src/entry/node.js";

const PKG = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { name: string; version: string };

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SCRIPT = join(ROOT, "examples", "tfjs", "train.mjs");
const DEMO = join(ROOT, "examples", "data", "mlp", "mlp-final.safetensors");
// Reduced size for speed: 64 samples, 200 full-batch Adam steps, 6 checkpoints (10 … 200).
const ARGS = ["--steps", "200", "--n", "64", "--checkpoints", "6", "--check-per-sample", "8"];
const N = 64, D = 16;

interface Summary {
  out: string;
  files: string[];
  losses: number[];
  steps: number[];
  perSampleDiff: number | null;
  seconds: { train: number; read: number };
}

function run(out: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [SCRIPT, out, ...ARGS], { cwd: ROOT, timeout: 90_000, maxBuffer: 1 << 22 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`node examples/tfjs/train.mjs ${out} ${ARGS.join(" ")} failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

let dirA = "", dirB = "";
let stdout = "";
let summary: Summary;
let report: Report;
const cps: CheckpointReading[] = [];

beforeAll(async () => {
  for (const f of ["node.js", "index.js"]) {
    if (!existsSync(join(ROOT, "dist", f))) throw new Error(`dist/${f} is missing: run \`node scripts/build.mjs\` before this test (the example imports the built package)`);
  }
  await init();
  dirA = await mkdtemp(join(tmpdir(), "dds-tfjs-test-a-"));
  dirB = await mkdtemp(join(tmpdir(), "dds-tfjs-test-b-"));
  // Two identical runs side by side (2 cores): the second one is only there to check determinism.
  [stdout] = await Promise.all([run(dirA), run(dirB)]);
  summary = JSON.parse(await readFile(join(dirA, "summary.json"), "utf8")) as Summary;
  report = JSON.parse(await readFile(join(dirA, "report.json"), "utf8")) as Report;
  for (const file of summary.files) {
    // the script's options (its inputRtol 1e-6 for float32 training arithmetic also decides which SVD runs)
    cps.push(await readCheckpoint(await readFile(file), { x: "X_h1", gamma: "G_h1", centerX: true, tFromMetadata: "step", layer: "h1", inputRtol: 1e-6 }));
  }
}, 120_000);

afterAll(async () => {
  for (const d of [dirA, dirB]) if (d) await rm(d, { recursive: true, force: true });
});

/** The documented keys of a section of docs/report-schema.md: exact keys, and prefixes from `group/*`. */
async function documentedKeys(section: string): Promise<{ exact: Set<string>; prefixes: string[] }> {
  const doc = await readFile(join(ROOT, "docs", "report-schema.md"), "utf8");
  const start = doc.indexOf(`## \`${section}[]\``);
  expect(start, `section ${section}[] in docs/report-schema.md`).toBeGreaterThanOrEqual(0);
  const end = doc.indexOf("\n## ", start + 4);
  const body = doc.slice(start, end < 0 ? undefined : end);
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const line of body.split("\n")) {
    if (!line.startsWith("| `")) continue;
    const [, keyCell, meaning] = line.split("|") as [string, string, string];
    let last = "";
    for (const [, k] of keyCell.matchAll(/`([^`]+)`/g)) {
      if (k!.endsWith("/*")) prefixes.push(k!.slice(0, -1));
      else if (k!.startsWith("…")) exact.add(last.replace(/(_se|_r2|_intercept)?$/, "") + k!.slice(1)); // `…_se` after `slope/x`
      else exact.add((last = k!));
    }
    // namespaced keys named in the meaning column (e.g. "`slope/logdet_pos_se` repeats `slope/se`")
    for (const [, k] of (meaning ?? "").matchAll(/`([a-z]+\/[a-z0-9_]+)`/g)) exact.add(k!);
  }
  return { exact, prefixes };
}

function checkRowAgainst(row: Row, keys: { exact: Set<string>; prefixes: string[] }, what: string): void {
  for (const [k, v] of Object.entries(row)) {
    if (k === "warnings") {
      expect(Array.isArray(v) && (v as unknown[]).every((w) => typeof w === "string"), `${what}.warnings`).toBe(true);
      continue;
    }
    const documented = keys.exact.has(k) || keys.prefixes.some((p) => k.startsWith(p));
    expect(documented, `${what}: key ${k} is not in docs/report-schema.md`).toBe(true);
    expect(v === null || ["number", "string", "boolean"].includes(typeof v), `${what}.${k} = ${String(v)}`).toBe(true);
    if (typeof v === "number") expect(Number.isFinite(v), `${what}.${k}`).toBe(true);
  }
}

describe("examples/tfjs: train an MLP in tfjs, read the DDS path (no Python)", () => {
  it("prints the table and writes a checkpoint per log-spaced step, readable by inspect", async () => {
    expect(stdout).toMatch(/step\s+loss\s+λ⁺min\s+log det⁺\s+nPos\s+σmin\(X\)\s+margin/);
    expect(stdout).toMatch(/log det⁺\(G\)\s+-?\d/);
    expect(summary.steps).toEqual([10, 18, 33, 60, 110, 200]);
    expect(summary.files).toHaveLength(6);
    for (const [i, file] of summary.files.entries()) {
      const ins = await inspect(file);
      expect(ins.format).toBe("safetensors");
      const byName = Object.fromEntries(ins.tensors.map((t) => [t.name, t]));
      expect([byName.X_h1?.dtype, byName.X_h1?.shape]).toEqual(["F64", [N, D]]);
      expect([byName.G_h1?.dtype, byName.G_h1?.shape]).toEqual(["F64", [N, D]]);
      expect([byName.W1?.shape, byName.W2?.shape, byName.W3?.shape]).toEqual([[8, 16], [16, 16], [16, 4]]);
      expect(Number(ins.metadata.step)).toBe(summary.steps[i]);
      expect(Number(ins.metadata.loss)).toBe(summary.losses[i]);
      expect(ins.metadata.normalization).toMatch(/no LayerNorm/);
    }
    for (const f of ["report.json", "spectrum.svg", "path.svg", "path-logdet.svg"]) expect(existsSync(join(dirA, f)), f).toBe(true);
    const spec = await readFile(join(dirA, "spectrum.svg"), "utf8");
    expect(spec).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(spec.match(/class="point/g)).toHaveLength(D);
    expect(spec).toContain('class="floor"');
    expect(await readFile(join(dirA, "path.svg"), "utf8")).toContain('class="fit-line"');
  });

  it("captures the right X and Γ: an f64 recomputation from the stored weights and samples agrees to f32 accuracy", async () => {
    // Batched trick vs one tf.grad per sample, inside the script: the same numbers.
    expect(summary.perSampleDiff).not.toBeNull();
    expect(summary.perSampleDiff!).toBeLessThanOrEqual(1e-6);
    const file = summary.files[summary.files.length - 1]!;
    const t = Object.fromEntries(await Promise.all(["X_h1", "G_h1", "W1", "b1", "W2", "b2", "W3", "b3", "x_in", "y_target"].map(async (n) => [n, (await load(file, n)).data] as const)));
    const { W1, b1, W2, b2, W3, b3, x_in, y_target } = t as Record<string, Float64Array>;
    let errX = 0, errG = 0, maxX = 0, maxG = 0;
    for (let i = 0; i < N; i++) {
      const h = Array.from({ length: 16 }, (_, j) => Math.max(0, b1![j]! + Array.from({ length: 8 }, (_, k) => x_in![i * 8 + k]! * W1![k * 16 + j]!).reduce((a, b) => a + b)));
      const a2 = Array.from({ length: 16 }, (_, j) => Math.tanh(b2![j]! + h.reduce((s, hk, k) => s + hk * W2![k * 16 + j]!, 0)));
      const r = Array.from({ length: 4 }, (_, o) => b3![o]! + a2.reduce((s, ak, k) => s + ak * W3![k * 4 + o]!, 0) - y_target![i * 4 + o]!);
      // ℓᵢ = mean_o rₒ²  ⇒  ∂ℓᵢ/∂a2 = (2/4)·W3·r,  ∂ℓᵢ/∂z2 = that ⊙ (1 − a2²),  ∂ℓᵢ/∂h = W2·(∂ℓᵢ/∂z2)
      const dz2 = a2.map((ak, k) => (1 - ak * ak) * r.reduce((s, ro, o) => s + 0.5 * ro * W3![k * 4 + o]!, 0));
      for (let j = 0; j < 16; j++) {
        const g = dz2.reduce((s, dk, k) => s + dk * W2![j * 16 + k]!, 0);
        errX = Math.max(errX, Math.abs(h[j]! - t.X_h1![i * 16 + j]!));
        errG = Math.max(errG, Math.abs(g - t.G_h1![i * 16 + j]!));
        maxX = Math.max(maxX, Math.abs(h[j]!));
        maxG = Math.max(maxG, Math.abs(g));
      }
    }
    expect(errX / maxX).toBeLessThan(1e-5);
    expect(errG / maxG).toBeLessThan(1e-4);
  });

  it("gives a finite reading with nPos ≥ 1, recipe, floor and margin at every checkpoint", () => {
    expect(cps).toHaveLength(summary.files.length);
    for (const [i, c] of cps.entries()) {
      const r = c.reading.factor!;
      expect(c.t).toBe(summary.steps[i]);
      expect(r.nPos).toBeGreaterThanOrEqual(1);
      for (const v of [r.lambdaMinPos, r.logdetPos, r.floor, r.marginDecades, r.lambdaMax, c.reading.activation.sigmaMin]) expect(Number.isFinite(v)).toBe(true);
      expect(r.marginDecades).toBeGreaterThan(0);
      for (const k of ["dds/recipe", "dds/floor", "dds/margin_decades", "gram/floor", "gram/margin_decades"]) expect(c.row[k], k).not.toBeNull();
      expect(c.row["dds/recipe"]).toBe("factor");
      // the script's report holds the same numbers the library gives on the files here
      const row = report.readings[i]!;
      for (const k of ["dds/lambda_min_pos", "dds/logdet_pos", "dds/n_pos", "act/sigma_min"]) expect(row[k], k).toBe(c.row[k]);
    }
  });

  it("trains: the loss decreases along the checkpoints", () => {
    const l = summary.losses;
    for (let i = 1; i < l.length; i++) expect(l[i]!, `loss at step ${summary.steps[i]}`).toBeLessThan(l[i - 1]!);
    expect(l[l.length - 1]!).toBeLessThan(l[0]! / 10);
  });

  it("writes a report whose keys are those of docs/report-schema.md", async () => {
    expect([report.schema, report.version, report.library.name, report.library.version]).toEqual([REPORT_SCHEMA, REPORT_VERSION, PKG.name, PKG.version]);
    expect(Object.keys(report).sort()).toEqual(["library", "paths", "ratios", "readings", "schema", "version"]);
    const rk = await documentedKeys("readings");
    const pk = await documentedKeys("paths");
    expect(rk.exact.has("dds/margin_decades") && pk.exact.has("slope/lambda_min_pos_se")).toBe(true); // the parser sees the tables
    expect(report.readings).toHaveLength(summary.files.length);
    report.readings.forEach((row, i) => checkRowAgainst(row, rk, `readings[${i}]`));
    expect(report.paths).toHaveLength(1);
    checkRowAgainst(report.paths[0]!, pk, "paths[0]");
    expect(JSON.stringify(report)).not.toMatch(/NaN|Infinity/);
  });

  it("fits finite slopes over a non-empty window", () => {
    const p = report.paths[0]!;
    expect([p.series, p.layer, p["slope/recipe"]]).toEqual(["mlp", "h1", "factor"]);
    expect(p["slope/n"] as number).toBeGreaterThanOrEqual(3);
    expect(p["slope/window_end"] as number).toBeGreaterThan(p["slope/window_start"] as number);
    for (const k of ["slope/logdet_pos", "slope/se", "slope/logdet_pos_r2", "slope/lambda_min_pos", "slope/lambda_min_pos_se"]) {
      expect(typeof p[k], k).toBe("number");
      expect(Number.isFinite(p[k] as number), k).toBe(true);
    }
    // G shrinks with the residual as the loss falls: log det⁺ goes down along training
    expect(p["slope/logdet_pos"] as number).toBeLessThan(0);
  });

  it("is deterministic: a second run writes the same bytes", async () => {
    for (const file of summary.files) {
      const name = file.slice(dirA.length + 1);
      expect(Buffer.compare(await readFile(file), await readFile(join(dirB, name))), name).toBe(0);
    }
    expect(await readFile(join(dirB, "report.json"), "utf8")).toBe(await readFile(join(dirA, "report.json"), "utf8"));
  });
});

describe("the trajectory example (examples/trajectory/README.md): dds path over the tfjs checkpoints with t = 1/step", () => {
  it("reads the run toward t → 0, overlays the loss, and gives a KL order or says why not", () => {
    const svg = join(dirA, "traj-svg");
    const r = spawnSync(process.execPath, [join(ROOT, "dist", "cli.js"), "path", ...summary.files, "--x", "X_h1", "--gamma", "G_h1", "--center-x", "--input-rtol", "1e-6",
      "--t-from-metadata", "step", "--t-transform", "inv", "--overlay", "loss", "--svg", svg, "--json", "-"], { encoding: "utf8", cwd: ROOT, timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout) as Report;
    const p = rep.paths[0]!;
    // with t = 1/step the readings fall as t falls: the slopes are positive (by step they were negative)
    expect(p["slope/lambda_min_pos"] as number).toBeGreaterThan(0);
    expect((p["slope/lambda_min_pos"] as number) + (report.paths[0]!["slope/lambda_min_pos"] as number)).toBeCloseTo(0, 10);
    // a KL order only when the λ⁺min fit passes the rule; otherwise its reason
    expect(p["kl/k"] === null ? (p["kl/reason"] as string) : "measured").toMatch(/measured|fit is poor|not significantly non-zero/);
    expect(rep.readings.every((row) => row["dds/floor_by"] === "input" && row["dds/input_rtol"] === 1e-6)).toBe(true);
    const plot = readFileSync(join(svg, "path-lambda-min.svg"), "utf8");
    expect(plot).toMatch(/x-label[^>]*>1\/step</);
    expect(plot.match(/class="overlay-point"/g)).toHaveLength(summary.files.length);
  });
});

describe("the bundled demo checkpoint examples/data/mlp/mlp-final.safetensors", () => {
  it("is small and reads to a finite λ⁺min", async () => {
    expect((await stat(DEMO)).size).toBeLessThan(200_000);
    const ins = await inspect(DEMO);
    expect(ins.metadata.step).toBe("1000");
    expect(ins.metadata.normalization).toMatch(/no LayerNorm/);
    const c = await readCheckpoint(await readFile(DEMO), { x: "X_h1", gamma: "G_h1", centerX: true, tFromMetadata: "step" });
    expect(c.t).toBe(1000);
    const r = c.reading.factor!;
    expect([c.reading.N, c.reading.d]).toEqual([256, 16]);
    expect(r.nPos).toBeGreaterThanOrEqual(1);
    expect(Number.isFinite(r.lambdaMinPos) && r.lambdaMinPos > 0).toBe(true);
    expect(r.marginDecades).toBeGreaterThan(1);
  });
});

// `dds path` on the paths users have (docs/path-statistics.md): a flat λ⁺min, a training trajectory by
// step (t grows away from the singularity), and a glob that mixes several series. Each must refuse to
// over-claim and say why, in the CLI's own output.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { orthonormal, withSingularValues } from "../helpers/spectra.js";
import { Rng } from "../helpers/prng.js";

const root = join(import.meta.dirname, "..", "..");
const cli = join(root, "dist", "cli.js");
const tmp = mkdtempSync(join(tmpdir(), "dds-path-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function dds(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const [N, d] = [160, 10];
const rng = new Rng(2024);
const factors = { U: orthonormal(rng, N, d), V: orthonormal(rng, d, d) };
const X = rng.matrix(N, d);

/** One checkpoint file per abscissa with Γ's singular values sv(x, j), metadata { key: x, ...extra }. */
async function series(name: string, xs: readonly number[], key: string, sv: (x: number, j: number) => number, extra: Record<string, string> = {}): Promise<string[]> {
  const { saveSafetensors } = await import("../../dist/index.js");
  return xs.map((x, i) => {
    const G = withSingularValues(rng, N, Array.from({ length: d }, (_, j) => sv(x, j)), factors);
    const f = join(tmp, `${name}-${String(i).padStart(2, "0")}.safetensors`);
    writeFileSync(f, saveSafetensors({ X_h1: { dtype: "F64", shape: [N, d], data: X }, G_h1: { dtype: "F64", shape: [N, d], data: G } }, { [key]: String(x), ...extra }));
    return f;
  });
}

const T = Array.from({ length: 9 }, (_, i) => 10 ** (-2 + (1.5 * i) / 8));
let flat: string[], steps: string[], mixed: string[], traj: string[];
beforeAll(async () => {
  const wobble = [1.004, 0.991, 1.008, 0.996, 1.01, 0.993, 1.002, 0.998, 1.006];
  // 3 directions fall as σ ∝ t (log det⁺ slope 6) above a smallest one that stays put within 1%
  flat = await series("flat", T, "t", (t, j) => (j === d - 1 ? 1e-4 * wobble[T.indexOf(t)]! : j >= d - 4 ? t : 1 + j));
  // λ⁺min ∝ step⁻²: the model approaches the singularity as step grows
  steps = await series("train", [100, 200, 400, 800, 1600, 3200, 6400], "step", (s, j) => (j === d - 1 ? 1 / s : 1 + j));
  // the same with a test accuracy in the metadata and a step-0 checkpoint first
  traj = [];
  for (const [i, st] of [0, 100, 200, 400, 800, 1600, 3200, 6400].entries()) {
    traj.push(...(await series(`traj${i}`, [st], "step", (s, j) => (j === d - 1 ? 1 / Math.max(s, 50) : 1 + j), { acc: String(1 - 1 / (1 + st / 100)) })));
  }
  // two series (r = 1, 2 directions at rate 6) in one glob
  mixed = [...(await series("r1", T, "t", (t, j) => (j === d - 1 ? t ** 3 : 1 + j), { r: "1" })), ...(await series("r2", T, "t", (t, j) => (j >= d - 2 ? t ** 3 : 1 + j), { r: "2" }))];
}, 60_000);

describe("dds path refuses to over-claim", () => {
  it("a flat λ⁺min: no dead count, and the reason printed", () => {
    const r = dds("path", ...flat, "--x", "X_h1", "--gamma", "G_h1", "--t-from-metadata", "t", "--json", join(tmp, "flat.json"));
    expect(r.code, r.err).toBe(0);
    const p = JSON.parse(readFileSync(join(tmp, "flat.json"), "utf8")).paths[0];
    expect(p["slope/logdet_pos"]).toBeCloseTo(6, 1);
    expect(p["count/dead"]).toBeNull();
    expect(p["kl/k"]).toBeNull();
    expect(r.out).toMatch(/notes:\n {2}path: no KL order: the λ⁺min slope .* is not significantly non-zero/);
    expect(r.out).toMatch(/no dead count: the λ⁺min slope/);
    const table = r.out.split("\n").find((l) => /^path\s+9\s/.test(l))!;
    expect(table).toMatch(/–\s+–\s*$/); // k and dead count print as "–", not a number
  });

  it("a trajectory by step: the sign check says t grows away from the singularity and what to use", () => {
    const r = dds("path", ...steps, "--x", "X_h1", "--gamma", "G_h1", "--t-from-metadata", "step", "--json", "-");
    expect(r.code, r.err).toBe(0);
    const p = JSON.parse(r.out).paths[0];
    expect(p["slope/lambda_min_pos"]).toBeCloseTo(-2, 6);
    expect([p["kl/k"], p["count/dead"]]).toEqual([null, null]);
    expect(p["kl/reason"]).toMatch(/t grows away from the singularity \(use a t that goes to 0/);
    expect(r.err).toMatch(/t grows away from the singularity/); // the notes (stderr when the JSON goes to stdout)
  });

  it("a mixed-series glob is an error that names the files and suggests --group-by-metadata r", () => {
    const r = dds("path", ...mixed, "--x", "X_h1", "--gamma", "G_h1", "--t-from-metadata", "t");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/2 checkpoints of series "path" have t = 0\.01 \(.*r1-00\.safetensors, .*r2-00\.safetensors\): a path needs one reading per t, so these are probably several series mixed into one; the metadata key\(s\) "r" differ between them: read one series per value with --group-by-metadata r/);
    expect(r.err).not.toMatch(/internal error|at .*\.js:\d+/);
    const ok = dds("path", ...mixed, "--x", "X_h1", "--gamma", "G_h1", "--t-from-metadata", "t", "--group-by-metadata", "r", "--json", "-");
    expect(ok.code, ok.err).toBe(0);
    const rep = JSON.parse(ok.out);
    expect(rep.paths.map((p: Record<string, unknown>) => p["count/dead"])).toEqual([1, 2]);
    expect(rep.ratios[0]["ratio/count"]).toBe(2);
  });

  it("prints the per-checkpoint warnings as a count by kind, and all of them with --verbose", () => {
    const bridge = Array.from({ length: 11 }, (_, k) => join(root, "examples", "data", "bridge", "r1", `t${String(k).padStart(2, "0")}.safetensors`));
    const r = dds("path", ...bridge, "--x", "X_h1", "--gamma", "G_h1", "--t-from-metadata", "t", "--quiet");
    expect(r.code, r.err).toBe(0);
    const m = /(\d+) per-checkpoint warning\(s\) on (\d+) of 11 checkpoints \(gram: (\d+), input: (\d+)\); list them with --verbose/.exec(r.out);
    expect(m, r.out).not.toBeNull();
    expect(Number(m![1])).toBe(Number(m![3]) + Number(m![4]));
    const v = dds("path", ...bridge, "--x", "X_h1", "--gamma", "G_h1", "--t-from-metadata", "t", "--quiet", "--verbose");
    expect(v.code, v.err).toBe(0);
    expect(v.out.match(/^ {2}.*t\d\d\.safetensors: (gram|input): /gm)?.length).toBe(Number(m![1]));
  });

  it("a trajectory read with --t-transform inv: step 0 left out with a note, k = 2, plots labelled 1/step with the overlay", () => {
    const svg = join(tmp, "traj-svg");
    const r = dds("path", ...traj, "--x", "X_h1", "--gamma", "G_h1", "--t-from-metadata", "step", "--t-transform", "inv", "--overlay", "acc", "--svg", svg, "--json", join(tmp, "traj.json"));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/note: 1 checkpoint\(s\) left out, their t after the transform is not positive and finite \(ln t undefined\): .*traj0-00\.safetensors \(t = 0\)/);
    expect(r.out).toMatch(/slopes against ln 1\/step/);
    const p = JSON.parse(readFileSync(join(tmp, "traj.json"), "utf8")).paths[0];
    expect(p["slope/lambda_min_pos"]).toBeCloseTo(2, 6);
    expect(p["kl/k"]).toBeCloseTo(2, 6);
    const plot = readFileSync(join(svg, "path-lambda-min.svg"), "utf8");
    expect(plot).toMatch(/class="axis-label x-label"[^>]*>1\/step</);
    expect(plot).toMatch(/class="axis-label y2-label"[^>]*>acc</);
    expect(plot.match(/class="overlay-point"/g)).toHaveLength(7);
    expect(plot).toMatch(/class="fit-line"/);
    // --no-fit and a linear x axis
    const plain = dds("path", ...traj, "--x", "X_h1", "--gamma", "G_h1", "--t-from-metadata", "step", "--t-transform", "inv", "--no-fit", "--x-scale", "linear", "--svg", join(tmp, "plain"), "--quiet");
    expect(plain.code, plain.err).toBe(0);
    const lin = readFileSync(join(tmp, "plain", "path-lambda-min.svg"), "utf8");
    expect(lin).not.toMatch(/class="fit-line"/);
    expect(lin).not.toMatch(/x-tick-label[^>]*>1e-/); // linear ticks, not decades
    expect(dds("path", ...traj, "--x", "X_h1", "--gamma", "G_h1", "--t-from-metadata", "step", "--t-transform", "sqrt").code).toBe(2);
    expect(dds("path", ...traj, "--x", "X_h1", "--gamma", "G_h1", "--t-from-metadata", "step", "--t-transform", "gap:1", "--overlay", "nokey").err).toMatch(/--overlay nokey: no checkpoint has a numeric metadata value "nokey"/);
  });
});

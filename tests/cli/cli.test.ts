// The `dds` command line as a user runs it: the built dist/cli.js in a child process.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const cli = join(root, "dist", "cli.js");
const bridge = (r: number, k: number) => join(root, "examples", "data", "bridge", `r${r}`, `t${String(k).padStart(2, "0")}.safetensors`);
const tmp = mkdtempSync(join(tmpdir(), "dds-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function dds(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("dds CLI", () => {
  it("inspect lists tensors and metadata from the header", () => {
    const r = dds("inspect", bridge(2, 5));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/X_h1\s+F64\s+\[300, 20\]\s+48000/);
    expect(r.out).toMatch(/r = 2/);
    const j = dds("inspect", bridge(2, 5), "--json", "-");
    expect(JSON.parse(j.out).tensors.map((t: { name: string }) => t.name)).toEqual(["X_h1", "G_h1"]);
  });

  it("read prints a table and writes a report with recipe, floor and margin, plus a spectrum SVG", () => {
    const json = join(tmp, "read.json");
    const svg = join(tmp, "svg-read");
    const r = dds("read", bridge(1, 0), bridge(1, 10), "--x", "X_h1", "--gamma", "G_h1", "--json", json, "--svg", svg);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/λ⁺min/);
    const rep = JSON.parse(readFileSync(json, "utf8"));
    expect([rep.schema, rep.version]).toEqual(["dds-report", 2]);
    expect(rep.readings).toHaveLength(2);
    for (const row of rep.readings) {
      for (const k of ["dds/recipe", "dds/floor", "dds/margin_decades", "dds/lambda_min_pos", "dds/logdet_pos", "gram/dropped_vs_factor", "act/sigma_min", "dir/q_dead"]) expect(row).toHaveProperty([k]);
      expect(row["dds/n_pos"]).toBe(20);
    }
    // at t = 1e-3 the Gram path loses the dead direction and the report says so
    expect(rep.readings[0]["gram/dropped_vs_factor"]).toBe(1);
    expect(rep.readings[0].warnings.join(" ")).toMatch(/gram: dropped 1 direction/);
    expect(readdirSync(svg).sort()).toEqual(["spectrum-t00.safetensors.svg", "spectrum-t10.safetensors.svg"]);
  });

  it("path gives slopes, ratios 2/3/4 and counts, with --json - on stdout and SVGs", () => {
    const files = [1, 2, 3, 4].flatMap((r) => Array.from({ length: 11 }, (_, k) => bridge(r, k)));
    const svg = join(tmp, "svg-path");
    const r = dds("path", ...files, "--x", "X_h1", "--gamma", "G_h1", "--t-from-metadata", "t", "--group-by-metadata", "r", "--json", "-", "--svg", svg);
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.out); // stdout holds only the JSON; tables went to stderr
    expect(rep.paths.map((p: Record<string, unknown>) => p["count/dead"])).toEqual([1, 2, 3, 4]);
    for (const [i, q] of rep.ratios.entries()) expect(Math.abs(q["ratio/logdet_pos"] - (i + 2))).toBeLessThan(0.05);
    expect(r.err).toMatch(/ratio to r=1/);
    expect(readdirSync(svg).sort()).toEqual(["path-lambda-min.svg", "path-logdet.svg", "path-sigma-min.svg"]);
    // --t given explicitly gives the same slopes as the metadata
    const ts = Array.from({ length: 11 }, (_, k) => JSON.parse(dds("inspect", bridge(1, k), "--json", "-").out).metadata.t);
    const one = dds("path", ...files.slice(0, 11), "--x", "X_h1", "--gamma", "G_h1", "--t", ts.join(","), "--json", "-");
    expect(JSON.parse(one.out).paths[0]["slope/logdet_pos"]).toBe(rep.paths[0]["slope/logdet_pos"]);
  });

  it("weights reports matrix metrics and LayerNorm kernels; rrr prints the exact rational", async () => {
    const { saveSafetensors } = await import("../../dist/index.js");
    const f = join(tmp, "w.safetensors");
    writeFileSync(f, saveSafetensors({
      "layer0.weight": { dtype: "F64", shape: [2, 4], data: new Float64Array([4, 0, 0, 0, 0, 2, 0, 0]) },
      "layer0.norm.weight": { dtype: "F32", shape: [4], data: new Float32Array([1, 2, 4, 8]) },
    }));
    const r = dds("weights", f, "--json", join(tmp, "w.json"));
    expect(r.code).toBe(0);
    const rep = JSON.parse(readFileSync(join(tmp, "w.json"), "utf8"));
    const w = rep.weights.find((x: Record<string, unknown>) => x.tensor === "layer0.weight");
    expect(w["w/stable_rank"]).toBe(1.25); // (16 + 4)/16
    expect(rep.weights.find((x: Record<string, unknown>) => x.tensor === "layer0.norm.weight")["ln/dim"]).toBe(4);
    expect(r.out).toMatch(/LayerNorm kernels/);
    expect(dds("rrr", "6", "6", "5", "2").out).toMatch(/λ = 15\/1 = 15, m = 2, case 1-odd/);
  });

  it("bad input exits 1 naming the file; usage errors exit 2", () => {
    const bad = join(tmp, "bad.safetensors");
    writeFileSync(bad, readFileSync(bridge(1, 0)).subarray(0, 1000));
    const r = dds("read", bad, "--x", "X_h1", "--gamma", "G_h1");
    expect(r.code).toBe(1);
    expect(r.err).toContain("bad.safetensors");
    expect(dds("read", join(tmp, "missing.safetensors"), "--x", "a", "--gamma", "b").code).toBe(1);
    expect(dds("read", bridge(1, 0), "--x", "X_h1", "--gamma", "nope").err).toMatch(/no tensor named "nope"/);
    expect(dds("rrr", "3", "3", "2", "3").code).toBe(1);
    for (const args of [[], ["frobnicate"], ["read", bridge(1, 0)], ["path", bridge(1, 0), bridge(1, 1), "--x", "a", "--gamma", "b"], ["rrr", "1", "2"], ["read", "--bogus"], ["read", bridge(1, 0), "--x", "a", "--gamma", "b", "--recipe", "svd"]]) {
      const u = dds(...args);
      expect(u.code, args.join(" ")).toBe(2);
      expect(u.err).toMatch(/usage:/);
    }
    expect(dds("--help").code).toBe(0);
  });
});

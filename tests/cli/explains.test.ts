// The CLI explains itself: every command's --help names each of its options with an example;
// errors are in user terms (file, tensor, offset; no internal function names) with the right exit
// code; file-system failures are reported as such; `weights` survives one bad tensor.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/cli/spec.js";

const root = join(import.meta.dirname, "..", "..");
const cli = join(root, "dist", "cli.js");
const bridge = join(root, "examples", "data", "bridge", "r1", "t00.safetensors");
const tmp = mkdtempSync(join(tmpdir(), "dds-explain-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function dds(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 60_000, cwd: root });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const INTERNAL = /TensorFile\.|readOpened|readCheckpoint|fileSource|openTensors|Arena\.|layerReading:|svdvals:|internal error|at .*\.js:\d+/;

describe("dds <command> --help", () => {
  it.each(Object.keys(COMMANDS))("%s: usage, every option explained, an example", (cmd) => {
    for (const form of [[cmd, "--help"], [cmd, "-h"], ["help", cmd]]) {
      const r = dds(...form);
      expect(r.code, form.join(" ")).toBe(0);
      expect(r.out).toMatch(new RegExp(`^dds ${cmd} — `));
      expect(r.out).toMatch(new RegExp(`usage: dds ${cmd} `));
      for (const [name, o] of Object.entries(COMMANDS[cmd]!.options)) {
        expect(r.out, `--${name}`).toMatch(new RegExp(`\\n  --${name}\\b`));
        expect(o.help.length).toBeGreaterThan(3);
      }
      expect(r.out).toMatch(/\nexamples:\n {2}dds /);
    }
  });

  it("path's help explains --t, --t-from-metadata and --group-by-metadata", () => {
    const out = dds("path", "--help").out;
    expect(out).toMatch(/--t V1,V2,…\s+the abscissa of each file/);
    expect(out).toMatch(/--t-from-metadata KEY\s+read each file's t from its safetensors __metadata__ KEY/);
    expect(out).toMatch(/--group-by-metadata KEY\s+one series per value of metadata KEY/);
    expect(out).toMatch(/t must go to 0 toward the singularity/);
  });

  it("the overview lists the commands; --version prints package.json's version", () => {
    const o = dds("--help");
    expect(o.code).toBe(0);
    for (const cmd of Object.keys(COMMANDS)) expect(o.out).toMatch(new RegExp(`\\n  ${cmd} `));
    const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
    expect(dds("--version").out.trim()).toBe(`dead-directions ${version}`);
    expect(dds("version").out.trim()).toBe(`dead-directions ${version}`);
  });
});

describe("errors in user terms", () => {
  it("an option of another command is a usage error naming the valid ones (exit 2)", () => {
    const r = dds("read", bridge, "--x", "X_h1", "--gamma", "G_h1", "--t", "1");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/dds read does not take --t; its options are --x, --gamma, .*--input-rtol, --flatten/);
    expect(dds("read", bridge, "--x", "X_h1", "--gamma", "G_h1", "--input-rtol", "abc").err).toMatch(/--input-rtol must be a number in \[0, 1\)/);
    expect(dds("read", bridge, "--x").code).toBe(2);
  });

  it("a wrong tensor name: exit 1, the file named, the closest name suggested, no internal names", () => {
    const r = dds("read", bridge, "--x", "X_h", "--gamma", "G_h1");
    expect(r.code).toBe(1);
    expect(r.err.trim()).toBe(`dds: ${bridge}: no tensor named "X_h"; did you mean "X_h1"? The file holds "X_h1", "G_h1"`);
  });

  it("a missing input file and an unwritable --json are file-system errors (exit 1), never internal ones", () => {
    const missing = dds("read", join(tmp, "nope.safetensors"), "--x", "a", "--gamma", "b");
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^dds: cannot open .*nope\.safetensors: no such file or directory\n$/);
    const under = dds("read", bridge, "--x", "X_h1", "--gamma", "G_h1", "--json", join(bridge, "r.json"), "--quiet");
    expect(under.code).toBe(1);
    expect(under.err).toMatch(/^dds: cannot create the folder .*t00\.safetensors for .*r\.json: a file of that name \(or on its path\) is in the way\n$/);
    const dir = dds("read", bridge, "--x", "X_h1", "--gamma", "G_h1", "--json", tmp, "--quiet");
    expect(dir.code).toBe(1);
    expect(dir.err).toMatch(/cannot write .*: it is a directory/);
    for (const r of [missing, under, dir]) expect(r.err).not.toMatch(INTERNAL);
  });

  it("--json into a folder that does not exist yet creates it", () => {
    const f = join(tmp, "a", "b", "report.json");
    const r = dds("read", bridge, "--x", "X_h1", "--gamma", "G_h1", "--json", f, "--quiet");
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(readFileSync(f, "utf8")).readings[0]["dds/n_pos"]).toBe(20);
  });

  it("tensors with three axes are refused with the --flatten hint, and read with it", async () => {
    const { saveSafetensors } = await import("../../dist/index.js");
    const f = join(tmp, "tokens.safetensors");
    const X = new Float64Array(2 * 30 * 4).map((_, i) => Math.sin(i * 1.3) + (i % 4));
    writeFileSync(f, saveSafetensors({ X: { dtype: "F64", shape: [2, 30, 4], data: X }, G: { dtype: "F64", shape: [2, 30, 4], data: X.map((v, i) => v * ((i % 3) - 1)) } }));
    const r = dds("read", f, "--x", "X", "--gamma", "G");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/tensor "X" in .*tokens\.safetensors has shape \[2, 30, 4\] \(3 axes\).*\(2·30 = 60 rows of 4\), pass flatten: true \(CLI: --flatten\)/);
    const ok = dds("read", f, "--x", "X", "--gamma", "G", "--flatten", "--json", "-", "--quiet");
    expect(ok.code, ok.err).toBe(0);
    expect([JSON.parse(ok.out).readings[0].N, JSON.parse(ok.out).readings[0].d]).toEqual([60, 4]);
  });

  it("the common failure paths never print internal function names", () => {
    const bad = join(tmp, "bad.safetensors");
    writeFileSync(bad, readFileSync(bridge).subarray(0, 1000));
    const cases = [
      dds("read", bad, "--x", "X_h1", "--gamma", "G_h1"),
      dds("read", bridge, "--x", "X_h1", "--gamma", "nope"),
      dds("path", bridge, bridge, "--x", "X_h1", "--gamma", "G_h1", "--t-from-metadata", "nokey"),
      dds("inspect", join(tmp, "none.npz")),
      dds("weights", join(tmp, "none.safetensors")),
    ];
    for (const r of cases) {
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^dds: /);
      expect(r.err).not.toMatch(INTERNAL);
    }
    expect(cases[0]!.err).toMatch(/bad\.safetensors/);
    expect(cases[2]!.err).toMatch(/metadata key "nokey" in .*t00\.safetensors is missing \(the file's metadata keys are "t", "r"/);
  });
});

describe("dds weights with one bad tensor", () => {
  it("reports that tensor's error as a row and reads the others", async () => {
    const { saveSafetensors } = await import("../../dist/index.js");
    const f = join(tmp, "w.safetensors");
    writeFileSync(f, saveSafetensors({
      "a.weight": { dtype: "F64", shape: [2, 2], data: new Float64Array([3, 0, 0, 4]) },
      "b.weight": { dtype: "F64", shape: [2, 2], data: new Float64Array([1, NaN, 0, 1]) },
    }));
    const r = dds("weights", f, "--json", join(tmp, "w.json"));
    expect(r.code, r.err).toBe(0);
    const rows = JSON.parse(readFileSync(join(tmp, "w.json"), "utf8")).weights;
    expect(rows.find((w: Record<string, unknown>) => w.tensor === "a.weight")["w/sigma_max"]).toBe(4);
    const b = rows.find((w: Record<string, unknown>) => w.tensor === "b.weight");
    expect(b.error).toMatch(/NaN.*row 0, column 1|row 0.*column 1.*NaN/);
    expect(b).not.toHaveProperty(["w/sigma_max"]);
    expect(r.err).toMatch(/failed \(1 of 2 tensors; the others are above\):\n {2}b\.weight \[2×2\]: /);
    expect(r.out).toMatch(/a\.weight/);
    // every tensor bad: exit 1
    writeFileSync(f, saveSafetensors({ "b.weight": { dtype: "F64", shape: [2, 2], data: new Float64Array([1, NaN, 0, 1]) } }));
    expect(dds("weights", f).code).toBe(1);
  });
});

describe("dds read on a numpy MLP layer stored as F64 and as F32 (tests/fixtures/honest)", () => {
  it("gives the same nPos, names the floor that bound it, and keeps the paths as given", () => {
    const rel = (f: string) => join("tests", "fixtures", "honest", f); // relative to the repository (cwd)
    const r = dds("read", rel("mlp-f64.npz"), rel("mlp-f32.npz"), "--x", "X_h1", "--gamma", "G_h1", "--json", "-", "--quiet");
    expect(r.code, r.err).toBe(0);
    const [f64, f32] = JSON.parse(r.out).readings;
    expect([f64["dds/n_pos"], f32["dds/n_pos"]]).toEqual([9, 9]);
    expect([f64["dds/floor_by"], f32["dds/floor_by"]]).toEqual(["arithmetic", "input"]);
    expect([f64.checkpoint, f32.checkpoint]).toEqual([rel("mlp-f64.npz"), rel("mlp-f32.npz")]);
    expect(r.err).toMatch(/mlp-f32\.npz: input: 23 direction\(s\) above the float64 floor .* F32 storage/);
  });
});

// The README's numpy recipe, end to end: python3 + numpy writes X and Γ to .npz, the CLI reads them.
// This group calls python3 live: it is skipped, loudly, where python3 with numpy is absent (CI has it).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const probe = spawnSync("python3", ["-c", "import numpy"], { encoding: "utf8" });
const havePython = probe.status === 0;
if (!havePython) console.warn("SKIPPED tests/examples/numpy.test.ts: python3 with numpy not found (the numpy recipe is not exercised)");
const tmp = mkdtempSync(join(tmpdir(), "dds-numpy-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// Skipped, with the warning above, only where python3 with numpy is absent (CI installs and has it).
describe.skipIf(!havePython)(`numpy recipe (live python3)${havePython ? "" : " — SKIPPED: python3 with numpy not found"}`, () => {
  it("make_layer.py → .npz → dds read gives a trusted reading of the hidden layer", () => {
    const npz = join(tmp, "layer.npz");
    const py = spawnSync("python3", [join(root, "examples", "numpy", "make_layer.py"), npz, "400", "3"], { encoding: "utf8" });
    expect(py.status, py.stderr).toBe(0);
    const r = spawnSync(process.execPath, [join(root, "dist", "cli.js"), "read", npz, "--x", "X_h1", "--gamma", "G_h1", "--center-x", "--json", join(tmp, "r.json")], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const row = JSON.parse(readFileSync(join(tmp, "r.json"), "utf8")).readings[0];
    expect([row.N, row.d]).toEqual([400, 24]);
    // Γ = residual·W2 has rank ≤ d_out = 3: the positive set is exactly 3 directions
    expect(row["dds/n_pos"]).toBe(3);
    expect(row["dds/margin_decades"]).toBeGreaterThan(1);
    expect(row["act/sigma_min"]).toBeGreaterThan(0);
  });

  it("softmax_ce.py → .npz: the naive Γ (softmax − onehot near zero loss) reads C directions with a warning, the cancellation-free Γ C − 1", () => {
    const npz = join(tmp, "softmax.npz");
    const py = spawnSync("python3", [join(root, "examples", "numpy", "softmax_ce.py"), npz, "300", "0"], { encoding: "utf8" });
    expect(py.status, py.stderr).toBe(0);
    const read = (gamma: string, ...more: string[]) => {
      const r = spawnSync(process.execPath, [join(root, "dist", "cli.js"), "read", npz, "--x", "X_h1", "--gamma", gamma, "--json", "-", "--quiet", ...more], { encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout).readings[0];
    };
    const stable = read("G_stable");
    const naive = read("G_naive");
    expect([stable["dds/n_pos"], naive["dds/n_pos"]]).toEqual([9, 10]); // C = 10 classes: rank Γ ≤ 9
    expect(stable.warnings.filter((w: string) => w.startsWith("input"))).toEqual([]);
    expect(naive.warnings.join("\n")).toMatch(/input: 1 direction\(s\) lie .* decades below the other 9 .*--input-rtol/);
    // stating the accuracy the cancellation leaves (docs/producing-gradients.md: ≈ ε·√N·max‖W_c‖/‖Γ‖_F)
    expect(read("G_naive", "--input-rtol", "2.5e-7")["dds/n_pos"]).toBe(9);
  });
});

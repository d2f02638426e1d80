// The common cases from numpy (scripts/fixtures/honest.py, outputs committed; no Python needed here):
// a tiny MLP's layer stored as F64 and as F32 reads the same nPos; a softmax classifier's Γ near zero
// loss in the naive form (softmax − onehot, cancelled) and the cancellation-free form
// (docs/producing-gradients.md, docs/trust-floors.md).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { init, readCheckpoint } from "../../src/entry/default.js";

const dir = join(import.meta.dirname, "..", "fixtures", "honest");
type Ref = { N: number; d: number; fro: number; singular_values: number[] };
const expected = JSON.parse(readFileSync(join(dir, "expected.json"), "utf8")) as {
  files: Record<string, { tensors: Record<string, Ref>; naive_input_rtol_estimate?: number; naive_input_rtol_window?: [number, number] }>;
};
const ref = (file: string, t: string) => expected.files[file]!.tensors[t]!;
const read = (file: string, gamma: string, o: Record<string, unknown> = {}) => readCheckpoint(readFileSync(join(dir, file)), { x: "X_h1", gamma, checkpoint: file, ...o });

beforeAll(async () => {
  await init();
});

/** The positive eigenvalues agree with numpy's σ²/N to 1e-10 relative (all far above the floor). */
function agrees(pos: Float64Array, r: Ref): void {
  pos.forEach((v, i) => expect(Math.abs(v / (r.singular_values[i]! ** 2 / r.N) - 1), `λ_${i + 1}`).toBeLessThan(1e-10));
}

describe("a tiny numpy MLP's layer (squared loss, 9 outputs: rank Γ = 9)", () => {
  it("reads nPos 9 stored as F64 and as F32, with the same λ⁺min to float32 accuracy", async () => {
    const f64 = await read("mlp-f64.npz", "G_h1");
    const f32 = await read("mlp-f32.npz", "G_h1");
    expect([f64.reading.factor!.nPos, f32.reading.factor!.nPos]).toEqual([9, 9]);
    expect([f64.reading.gram!.nPos, f32.reading.gram!.nPos]).toEqual([9, 9]);
    agrees(f64.reading.spectra.factor!, ref("mlp-f64.npz", "G_h1"));
    agrees(f32.reading.spectra.factor!, ref("mlp-f32.npz", "G_h1"));
    expect(Math.abs(f32.reading.factor!.lambdaMinPos / f64.reading.factor!.lambdaMinPos - 1)).toBeLessThan(1e-6);
    // the F32 floor is numpy's (u‖Γ‖_F)²/N and sits between the 9 real and the 23 rounding directions
    const r32 = ref("mlp-f32.npz", "G_h1");
    expect(f32.reading.factor!.floorInput / ((2 ** -24 * r32.fro) ** 2 / r32.N)).toBeCloseTo(1, 12);
    expect(f32.reading.factor!.floorBy).toBe("input");
    expect(f32.reading.spectra.factorBelow!.length).toBe(23);
    expect(f32.row["dds/verdict"]).toBe("trusted");
  });
});

describe("a softmax classifier near zero loss (C = 10: rank Γ ≤ 9 at any width)", () => {
  it("the cancellation-free Γ reads nPos 9, no input warning", async () => {
    const r = await read("softmax-f64.npz", "G_stable");
    expect(r.reading.factor!.nPos).toBe(9);
    agrees(r.reading.spectra.factor!, ref("softmax-f64.npz", "G_stable"));
    expect(r.reading.factor!.maxGapDecades).toBeLessThan(3);
    expect((r.row.warnings as string[]).filter((w) => w.startsWith("input"))).toEqual([]);
  });

  it("the naive Γ reads a 10th, spurious direction and warns that it may be input error", async () => {
    const r = await read("softmax-f64.npz", "G_naive");
    const f = r.reading.factor!;
    expect(f.nPos).toBe(10); // the float64 floor alone cannot see the cancellation
    expect(f.nAboveGap).toBe(9);
    expect(f.maxGapDecades).toBeGreaterThan(10);
    // the accuracy the 10th direction needs is where numpy's σ₁₀/‖Γ‖_F puts it
    const [lo] = expected.files["softmax-f64.npz"]!.naive_input_rtol_window!;
    expect(f.gapInputRtol / lo).toBeCloseTo(1, 6);
    expect((r.row.warnings as string[]).join("\n")).toMatch(/input: 1 direction\(s\) lie 10\.4 decades below the other 9 \(which span 5\.6\): they describe the network only if X and Γ are accurate to 1\.0e-8 .*softmax − onehot near zero loss.*--input-rtol/);
  });

  it("stating the input accuracy (inputRtol) removes it and keeps the nine real directions", async () => {
    const est = expected.files["softmax-f64.npz"]!.naive_input_rtol_estimate!;
    const r = await read("softmax-f64.npz", "G_naive", { inputRtol: est });
    expect(r.reading.factor!.nPos).toBe(9);
    expect(r.reading.factor!.floorBy).toBe("input");
    expect(r.row["dds/input_rtol"]).toBe(est);
    // λ₉ agrees with the cancellation-free one to what the cancellation left of it (3.3e-6 here)
    expect(Math.abs(r.reading.factor!.lambdaMinPos / (ref("softmax-f64.npz", "G_stable").singular_values[8]! ** 2 / 300) - 1)).toBeLessThan(1e-5);
    // just below the window's lower end the spurious direction still counts
    const [lo] = expected.files["softmax-f64.npz"]!.naive_input_rtol_window!;
    expect((await read("softmax-f64.npz", "G_naive", { inputRtol: 0.99 * lo })).reading.factor!.nPos).toBe(10);
    expect((await read("softmax-f64.npz", "G_naive", { inputRtol: 1.01 * lo })).reading.factor!.nPos).toBe(9);
  });
});

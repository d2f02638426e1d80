// The floor for the stored precision (docs/trust-floors.md): a Γ stored as F32/F16/BF16 carries a
// relative error u in every entry, so singular values at or below u‖Γ‖_F (eigenvalues at or below
// (u‖Γ‖_F)²/c = u²·tr G for c = N) cannot be told from rounding. These tests store matrices the way a
// dump does and check that the floor neither misses what rounding can fake nor hides what it cannot.
import { beforeAll, describe, expect, it } from "vitest";
import { activation, init, layerReading, readCheckpoint, spectrum, svdvals, unitRoundoff } from "../../src/entry/default.js";
import { lowpSafetensors, roundTo, type LowDtype } from "../helpers/lowp.js";
import { Rng } from "../helpers/prng.js";
import { withSingularValues } from "../helpers/spectra.js";

beforeAll(async () => {
  await init();
});

const frob = (a: ArrayLike<number>): number => Math.sqrt(Array.from(a).reduce((acc, v) => acc + v * v, 0));
const logspace = (a: number, b: number, n: number): number[] => Array.from({ length: n }, (_, i) => 10 ** (a + ((b - a) * i) / (n - 1)));

async function readAs(dtype: LowDtype, X: Float64Array, G: Float64Array, N: number, d: number, o: Record<string, unknown> = {}) {
  const file = lowpSafetensors({ X: { dtype, shape: [N, d], data: X }, G: { dtype, shape: [N, d], data: G } });
  return readCheckpoint(file, { x: "X", gamma: "G", ...o });
}

describe("a Γ of exact rank r stored in any float format reads nPos r", () => {
  const [N, d, r] = [2048, 256, 9];
  const rng = new Rng(11);
  const A = rng.matrix(N, r);
  const B = rng.matrix(r, d);
  const G = new Float64Array(N * d);
  for (let i = 0; i < N; i++) for (let k = 0; k < r; k++) for (let j = 0; j < d; j++) G[i * d + j]! += A[i * r + k]! * B[k * d + j]!;
  const X = rng.matrix(N, d);

  it.each(["F64", "F32", "F16", "BF16"] as const)("%s", async (dtype) => {
    const got = await readAs(dtype, X, G, N, d, { recipe: "factor" });
    const f = got.reading.factor!;
    expect(f.nPos).toBe(r);
    expect(f.inputDtype).toBe(dtype);
    expect(f.floorBy).toBe(dtype === "F64" ? "arithmetic" : "input");
    expect(got.row["dds/input_dtype"]).toBe(dtype);
    expect(got.row["dds/floor_by"]).toBe(f.floorBy);
    // the floor is (u‖Γ̃‖_F)²/N of the tensor as stored, and every real direction clears it by decades
    const u = unitRoundoff(dtype);
    const stored = roundTo(dtype, G);
    const eta = dtype === "F16" ? 2 ** -25 * Math.sqrt(N * d) : 0; // F16 entries that underflowed
    expect(f.floorInput / ((u * frob(stored) + eta) ** 2 / N)).toBeCloseTo(1, 12);
    expect(f.marginDecades).toBeGreaterThan(dtype === "BF16" ? 2 : 4);
    if (dtype !== "F64") {
      // without the input floor the rounding noise is counted: the test can fail
      const blind = await readAs(dtype, X, G, N, d, { recipe: "factor", inputRtol: 0 });
      expect(blind.reading.factor!.nPos).toBe(d);
      expect((got.row.warnings as string[]).join("\n")).toMatch(new RegExp(`input: ${d - r} direction\\(s\\) above the float64 floor .* ${dtype} storage`));
    }
  }, 30_000);
});

describe("a direction 100× below u²·tr G", () => {
  const [N, d] = [1024, 32];
  const u = unitRoundoff("F32");
  const s = logspace(0, -1, d - 1);
  // λ_d = s_d²/N = 0.01·u²·tr G, tr G = Σ s²/N
  s.push(0.1 * u * frob(s));
  const rng = new Rng(5);
  const G = withSingularValues(rng, N, s);
  const X = rng.matrix(N, d);

  it("is resolved in F64 and not counted in F32", async () => {
    const f64 = (await readAs("F64", X, G, N, d)).reading.factor!;
    expect(f64.nPos).toBe(d);
    expect(f64.lambdaMinPos / (s[d - 1]! ** 2 / N)).toBeCloseTo(1, 6);
    const f32 = (await readAs("F32", X, G, N, d)).reading.factor!;
    expect(f32.nPos).toBe(d - 1);
    expect(f32.floorBy).toBe("input");
    // the direction lies 100× (2 decades) under u²·tr G
    expect(Math.log10(f32.floorInput / (s[d - 1]! ** 2 / N))).toBeCloseTo(2, 1);
  });

  it("σ_min(X) 100× below u‖X‖_F: trusted in F64, not in F32", async () => {
    const f64 = await readAs("F64", G, X, N, d);
    expect(f64.reading.activation.trusted).toBe(true);
    expect(f64.reading.activation.sigmaMin / s[d - 1]!).toBeCloseTo(1, 6);
    const f32 = await readAs("F32", G, X, N, d);
    const a = f32.reading.activation;
    expect(a.trusted).toBe(false);
    expect(a.floorBy).toBe("input");
    expect(a.svFloorInput / (u * frob(roundTo("F32", G)))).toBeCloseTo(1, 12);
    expect(f32.row["act/floor_by"]).toBe("input");
    expect((f32.row.warnings as string[]).join("\n"), (f32.row.warnings as string[]).join("\n")).toMatch(/activation: sigmaMin .*set by X's F32 storage/);
  });
});

describe("readings above the floor move under re-rounding by less than the floor predicts", () => {
  const [N, d] = [4096, 48];
  const s = logspace(0, -3, d).map((v) => v * Math.sqrt(N));
  const G = withSingularValues(new Rng(21), N, s);
  const X = new Rng(22).matrix(N, d);

  it.each(["F32", "F16", "BF16"] as const)("%s", async (dtype) => {
    const exact = svdvals(G, [N, d]);
    const low = (await readAs(dtype, X, G, N, d, { recipe: "factor" })).reading;
    const f = low.factor!;
    const lam = Array.from(exact, (v) => (v * v) / N);
    const delta = Math.sqrt(f.floorInput * N); // u‖Γ̃‖_F
    // no cry wolf: every direction whose exact σ exceeds 2δ (hence σ̃ > δ) is counted …
    const sure = Array.from(exact).filter((v) => v > 2 * delta).length;
    expect(f.nPos).toBeGreaterThanOrEqual(sure);
    if (dtype === "F32") expect(f.nPos).toBe(d); // (the case: F32 rounding moved nothing real)
    // … and each counted λ moved by at most 2√λ·δ/√N + δ²/N (Weyl on σ, squared)
    const pos = low.spectra.factor!;
    let worst = 0;
    for (let i = 0; i < f.nPos; i++) {
      const bound = 2 * Math.sqrt(lam[i]!) * delta / Math.sqrt(N) + (delta * delta) / N;
      worst = Math.max(worst, Math.abs(pos[i]! - lam[i]!) / bound);
    }
    console.log(`${dtype}: nPos ${f.nPos}/${d}, worst movement / bound = ${worst.toPrecision(3)}`);
    expect(worst).toBeLessThan(1);
    expect(worst).toBeGreaterThan(0); // the rounding did move them: the comparison is not vacuous
  }, 30_000);
});

describe("the input floor is a property of the stored matrix", () => {
  it("centring does not lower it (‖X‖_F of X as stored)", () => {
    const [N, d] = [512, 8];
    const rng = new Rng(3);
    const X = rng.matrix(N, d, () => 1000 + rng.signed()); // a large mean, a small spread
    const data = Float32Array.from(X);
    const raw = activation({ rows: N, cols: d, data });
    const cen = activation({ rows: N, cols: d, data }, { center: true });
    expect(raw.inputDtype).toBe("F32");
    expect(cen.svFloorInput).toBe(raw.svFloorInput);
    expect(cen.svFloorInput / (2 ** -24 * frob(data))).toBeCloseTo(1, 12);
    // the centred spread (σ ~ √(N/3) ≈ 13) is far above it; the floor is binding, not the arithmetic
    expect(cen.trusted).toBe(true);
    expect(cen.floorBy).toBe("input");
  });

  it("Float32Array input defaults to F32; inputRtol overrides; bad inputRtol is an error", () => {
    const rng = new Rng(4);
    const g = rng.matrix(64, 8);
    const f32 = spectrum({ rows: 64, cols: 8, data: Float32Array.from(g) });
    const f64 = spectrum({ rows: 64, cols: 8, data: Float64Array.from(Float32Array.from(g)) });
    expect([f32.inputDtype, f32.inputRtol]).toEqual(["F32", 2 ** -24]);
    expect([f64.inputDtype, f64.inputRtol]).toEqual(["F64", 2 ** -53]);
    expect(f64.floorBy).toBe("arithmetic"); // an F64 input floor never binds (docs/trust-floors.md)
    const stated = spectrum({ rows: 64, cols: 8, data: g }, { inputRtol: 1e-3 });
    expect(stated.floorInput / ((1e-3 * frob(g)) ** 2 / 64)).toBeCloseTo(1, 12);
    expect(stated.inputDtype).toBe("F64");
    for (const bad of [-1, 1, NaN, "1e-8"]) expect(() => spectrum({ rows: 64, cols: 8, data: g }, { inputRtol: bad as number })).toThrow(/inputRtol must be a number in \[0, 1\)/);
  });

  it("layerReading takes one dtype for both or { x, gamma }", () => {
    const rng = new Rng(8);
    const X = { rows: 256, cols: 16, data: rng.matrix(256, 16) };
    const G = { rows: 256, cols: 16, data: rng.matrix(256, 16) };
    const r = layerReading(X, G, { inputDtype: { x: "BF16", gamma: "F16" } });
    expect([r.activation.inputDtype, r.factor!.inputDtype, r.gram!.inputDtype]).toEqual(["BF16", "F16", "F16"]);
    expect(r.gram!.floorInput).toBe(r.factor!.floorInput); // one input floor, both recipes
    const both = layerReading(X, G, { inputDtype: "F32" });
    expect([both.activation.inputRtol, both.factor!.inputRtol]).toEqual([2 ** -24, 2 ** -24]);
  });
});

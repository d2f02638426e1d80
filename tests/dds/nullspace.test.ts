// nullVector: a unit u with X·u = 0 for a wide X, from the QR of Xᵀ (the activation side for N < d).
import { beforeAll, describe, expect, it } from "vitest";
import { init } from "../../src/entry/default.js";
import { nullVector } from "../../src/dds/nullspace.js";
import { BINARIES, Rng, sameBits } from "../helpers/prng.js";

describe.each(BINARIES)("nullVector on the $name binary", ({ simd }) => {
  beforeAll(async () => {
    await init({ simd });
  });

  it.each([[1, 2], [3, 7], [40, 64], [120, 121], [300, 512]])("N = %i, d = %i: ‖u‖ = 1 and ‖X·u‖ ≤ 10·d·ε·‖X‖_F", (N, d) => {
    const rng = new Rng(N * 1000 + d);
    const X = rng.matrix(N, d);
    const u = nullVector("test", { rows: N, cols: d, data: X });
    let nn = 0;
    for (const v of u) nn += v * v;
    expect(Math.abs(Math.sqrt(nn) - 1)).toBeLessThan(1e-14);
    let fro = 0;
    for (const v of X) fro += v * v;
    let worst = 0;
    for (let i = 0; i < N; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += X[i * d + j]! * u[j]!;
      worst = Math.max(worst, Math.abs(s));
    }
    expect(worst).toBeLessThanOrEqual(10 * d * 2 ** -52 * Math.sqrt(fro));
  });

  it("handles a rank-deficient X and N = 0, and refuses N ≥ d", () => {
    const row = [1, 2, 3, 4];
    const u = nullVector("test", [row, row.map((v) => 2 * v)]); // rank 1
    expect(Math.abs(row.reduce((s, v, j) => s + v * u[j]!, 0))).toBeLessThan(1e-14);
    expect(Array.from(nullVector("test", { rows: 0, cols: 3, data: new Float64Array(0) }))).toEqual([0, 0, 1]);
    expect(() => nullVector("test", [[1, 2], [3, 4]])).toThrow(/needs fewer rows than columns/);
  });
});

describe("nullVector", () => {
  it("gives the same bits on both binaries", async () => {
    const X = new Rng(9).matrix(50, 80);
    await init({ simd: true });
    const a = nullVector("test", { rows: 50, cols: 80, data: X });
    await init({ simd: false });
    const b = nullVector("test", { rows: 50, cols: 80, data: X });
    await init({ simd: true });
    expect(sameBits(a, b)).toBe(true);
  });
});

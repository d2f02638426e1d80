import { Matrix, determinant } from "ml-matrix";
import { beforeAll, describe, expect, it } from "vitest";
import { LinAlgError, NonFiniteError, cholesky, init, slogdet } from "../../src/entry/default.js";
import { EPS, frob, matmul, readF64, readJson, transpose } from "../helpers/fixtures.js";
import { BINARIES, Rng } from "../helpers/prng.js";

interface Case { name: string; n: number; kind: "gen" | "spd"; sign: number; logabsdet: number; cond: number }
const { cases } = readJson<{ cases: Case[] }>("det", "index.json");

describe.each(BINARIES)("slogdet and cholesky on the $name binary", ({ simd }) => {
  beforeAll(async () => {
    await init({ simd });
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s agrees with numpy (LAPACK)", (_, c) => {
    const a = readF64("det", `${c.name}.bin`);
    const tol = 64 * c.n * EPS * Math.max(1, c.cond); // |Δ log det| ≲ n ε κ for a backward-stable factorisation
    const gen = slogdet(a, [c.n, c.n]);
    expect(gen.sign).toBe(c.sign);
    expect(Math.abs(gen.logabsdet - c.logabsdet)).toBeLessThanOrEqual(tol);
    if (c.kind === "spd") {
      const pos = slogdet(a, [c.n, c.n], { assumeA: "pos" });
      expect(pos.sign).toBe(1);
      expect(Math.abs(pos.logabsdet - c.logabsdet)).toBeLessThanOrEqual(tol);
      // cholesky residual, LAPACK style: ‖A − LLᵀ‖ / (n ‖A‖ ε)
      const L = cholesky(a, [c.n, c.n]).data;
      const r = matmul(L, transpose(L, c.n, c.n), c.n, c.n, c.n).map((v, i) => v - a[i]!);
      const ratio = frob(r) / (c.n * frob(a) * EPS);
      expect(ratio).toBeLessThan(30);
      for (let i = 0; i < c.n; i++) for (let j = i + 1; j < c.n; j++) expect(L[i * c.n + j]).toBe(0);
    }
  });

  it("needs no overflow guard: 1e±300 entries and diag(1e300, 1e-300)", () => {
    const big = slogdet([[1e300, 0], [0, 1e-300]]);
    expect(big.sign).toBe(1);
    expect(Math.abs(big.logabsdet)).toBeLessThan(1e-12); // ln(1e300) + ln(1e-300), each exact to an ulp
    const d = slogdet([[1e300, 0], [0, 1e-300]], { assumeA: "pos" });
    expect(Math.abs(d.logabsdet)).toBeLessThan(1e-12);
    const n = 50;
    const rng = new Rng(3);
    const b = rng.matrix(n, n, () => rng.normal());
    const ref = slogdet(b, [n, n]);
    for (const s of [1e300, 1e-300]) {
      const r = slogdet(b.map((v) => v * s), [n, n]);
      expect(r.sign).toBe(ref.sign);
      expect(Math.abs(r.logabsdet - (ref.logabsdet + n * Math.log(s)))).toBeLessThan(1e-9 * n * 700);
    }
  });

  it("gives (0, -Infinity) for singular matrices and signs for permutations", () => {
    expect(slogdet([[1, 2], [2, 4]])).toEqual({ sign: 0, logabsdet: -Infinity });
    expect(slogdet([[0, 0, 0], [0, 0, 0], [0, 0, 0]])).toEqual({ sign: 0, logabsdet: -Infinity });
    expect(slogdet([[0, 1], [1, 0]])).toEqual({ sign: -1, logabsdet: 0 });
    expect(slogdet([[0, 1, 0], [0, 0, 1], [1, 0, 0]])).toEqual({ sign: 1, logabsdet: 0 });
    // ln 3 correctly rounded (0x1.193ea7aad030bp+0): the log is computed in wasm; V8's Math.log(3)
    // returns the neighbour below (0.59 ulp off), which is why reported logs never come from JS Math
    expect(slogdet([[-3]])).toEqual({ sign: -1, logabsdet: 1.0986122886681098 });
    expect(slogdet([])).toEqual({ sign: 1, logabsdet: 0 });
    expect(cholesky([]).rows).toBe(0);
  });

  it("agrees with ml-matrix's determinant on small random matrices", () => {
    const rng = new Rng(17);
    for (const n of [3, 6, 9]) {
      const a = Array.from({ length: n }, () => Array.from({ length: n }, () => rng.normal()));
      const det = determinant(new Matrix(a));
      const r = slogdet(a);
      expect(r.sign).toBe(Math.sign(det));
      expect(Math.abs(r.logabsdet - Math.log(Math.abs(det)))).toBeLessThan(1e-12);
    }
  });

  it("reads only the lower triangle for cholesky and slogdet 'pos'", () => {
    const spd = [[4, 2, 0.4], [2, 5, 1], [0.4, 1, 3]];
    const garbageUpper = spd.map((row, i) => row.map((v, j) => (j > i ? 1e6 : v)));
    expect(cholesky(garbageUpper).data).toEqual(cholesky(spd).data);
    expect(slogdet(garbageUpper, { assumeA: "pos" })).toEqual(slogdet(spd, { assumeA: "pos" }));
    const U = cholesky(spd, { upper: true }).data;
    const L = cholesky(spd).data;
    expect(Array.from(U)).toEqual(Array.from(transpose(L, 3, 3)));
  });

  it("raises typed errors: not positive definite, non-square, NaN", () => {
    let err: unknown;
    try {
      cholesky([[1, 2], [2, 1]]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LinAlgError);
    expect((err as LinAlgError).code).toBe("NOT_POSITIVE_DEFINITE");
    expect((err as LinAlgError).message).toMatch(/^cholesky: .*order 2/);
    expect(() => slogdet([[1, 2], [2, 1]], { assumeA: "pos" })).toThrow(/not positive definite/);
    expect(slogdet([[1, 2], [2, 1]]).sign).toBe(-1);
    expect(() => slogdet([[1, 2, 3]])).toThrow(/must be square, got 1×3/);
    expect(() => cholesky([[1, NaN], [NaN, 1]])).toThrow(NonFiniteError);
    expect(() => slogdet([[1, 0], [0, Infinity]])).toThrow(/Infinity at row 1, column 1/);
    expect(() => slogdet([[1]], { assumeA: "sym" as "pos" })).toThrow(/assumeA must be/);
  });
});

// The bidiagonal singular values (wasm bdsvals_f64; docs/trust-floors.md, "Which SVD a reading uses"):
// normwise accurate against numpy's LAPACK on the fixture battery, the same bits on both binaries,
// a null vector from the same reduction, exact small cases — and, on graded inputs, only normwise
// accurate (which is why readings use it only where that cannot reach a reported digit).
import { beforeAll, describe, expect, it } from "vitest";
import { init, svdvals } from "../../src/entry/default.js";
import { bidiagonalSvdvals, bidiagonalSvdvalsNull } from "../../src/linalg/bdsvals.js";
import { BINARIES, Rng, sameBits } from "../helpers/prng.js";
import { CASES, EPS, RELATIVE, loadInput, svalRatio, table } from "../helpers/svd.js";

const nums = (xs: readonly string[]) => xs.map(Number);
const bits = new Map<string, Float64Array>();

describe.each(BINARIES)("bidiagonal singular values on the $name binary", ({ name, simd }) => {
  beforeAll(async () => {
    await init({ simd });
  });

  it("match numpy (LAPACK dgesdd) on the fixture battery: max|s − s_ref|/(max(m,n)·σ₁·ε) < 30, descending, same bits on both binaries", { timeout: 60_000 }, () => {
    const rows: (string | number)[][] = [];
    for (const c of CASES) {
      const a = loadInput(c);
      const s = bidiagonalSvdvals("test", { rows: c.m, cols: c.n, data: a })!;
      expect(s, c.name).not.toBeNull();
      expect(s.length).toBe(Math.min(c.m, c.n));
      for (let i = 1; i < s.length; i++) expect(s[i - 1]!).toBeGreaterThanOrEqual(s[i]!);
      for (const v of s) expect(v).toBeGreaterThanOrEqual(0);
      const r = svalRatio(s, nums(c.svals), c.m, c.n);
      rows.push([c.name, `${c.m}×${c.n}`, r]);
      expect(r, c.name).toBeLessThan(30);
      // the bound the readings rely on, η = ε·max(m, n)·σ₁, holds with room on every case
      expect(r, `${c.name}: within η`).toBeLessThan(1);
      const prev = bits.get(c.name);
      if (prev) expect(sameBits(prev, s), `${c.name}: SIMD and scalar bits`).toBe(true);
      else bits.set(c.name, s);
    }
    console.log(`bidiagonal svdvals (${name}): error ratio vs numpy\n${table(["case", "shape", "ratio"], rows)}`);
  });

  it("give exact values of small matrices, zeros, and the transpose's bits", () => {
    const v = (rows: number[][]) => Array.from(bidiagonalSvdvals("test", rows)!);
    expect(v([[3]])).toEqual([3]);
    expect(v([[-2.5]])).toEqual([2.5]);
    expect(v([[0, 0], [0, 0]])).toEqual([0, 0]);
    expect(v([[2, 0, 0], [0, -5, 0]])).toEqual([5, 2]);
    const s = v([[3, 0], [4, 5]]); // √45 and √5
    expect(Math.abs(s[0]! - Math.sqrt(45))).toBeLessThan(4 * EPS * Math.sqrt(45));
    expect(Math.abs(s[1]! - Math.sqrt(5))).toBeLessThan(4 * EPS * Math.sqrt(45));
    const rng = new Rng(77);
    const [m, n] = [23, 37];
    const a = rng.matrix(m, n);
    const at = new Float64Array(n * m);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) at[j * m + i] = a[i * n + j]!;
    // a wide input is reduced as its transpose: the same working matrix, the same bits
    expect(sameBits(bidiagonalSvdvals("test", { rows: m, cols: n, data: a })!, bidiagonalSvdvals("test", { rows: n, cols: m, data: at })!)).toBe(true);
  });

  it("scale by powers of two: A·2^±900 gives the values of A times 2^±900, bit for bit; 1e±300 entries stay finite and right", () => {
    const rng = new Rng(11);
    const [m, n] = [40, 30];
    const a = rng.matrix(m, n);
    const s = bidiagonalSvdvals("test", { rows: m, cols: n, data: a })!;
    for (const k of [900, -900]) {
      const sk = bidiagonalSvdvals("test", { rows: m, cols: n, data: a.map((x) => x * 2 ** k) })!;
      expect(sameBits(sk, s.map((x) => x * 2 ** k)), `2^${k}`).toBe(true);
    }
    for (const f of [1e300, 1e-300]) {
      const sf = bidiagonalSvdvals("test", { rows: m, cols: n, data: a.map((x) => x * f) })!;
      const ref = svdvals({ rows: m, cols: n, data: a.map((x) => x * f) });
      expect(svalRatio(sf, Array.from(ref), m, n), `×${f}`).toBeLessThan(1);
    }
  });

  it("return a unit null vector of a wide X from the same reduction: ‖X·u‖ ≤ 10·d·ε·‖X‖_F, also for rank-deficient X", () => {
    for (const [N, d, rank] of [[1, 2, 1], [5, 9, 5], [40, 64, 40], [120, 121, 120], [60, 100, 7]] as const) {
      const rng = new Rng(N * 1000 + d);
      const B = rng.matrix(N, rank);
      const C = rng.matrix(rank, d);
      const X = new Float64Array(N * d);
      for (let i = 0; i < N; i++) for (let k = 0; k < rank; k++) for (let j = 0; j < d; j++) X[i * d + j]! += B[i * rank + k]! * C[k * d + j]!;
      const r = bidiagonalSvdvalsNull("test", { rows: N, cols: d, data: X })!;
      let nn = 0;
      for (const v of r.u) nn += v * v;
      expect(Math.abs(Math.sqrt(nn) - 1)).toBeLessThan(1e-14);
      let fro = 0;
      for (const v of X) fro += v * v;
      let res = 0;
      for (let i = 0; i < N; i++) {
        let t = 0;
        for (let j = 0; j < d; j++) t += X[i * d + j]! * r.u[j]!;
        res += t * t;
      }
      expect(Math.sqrt(res), `${N}×${d} rank ${rank}`).toBeLessThanOrEqual(10 * d * EPS * Math.sqrt(fro));
      // the values are those of the values-only call, bit for bit
      expect(sameBits(r.s, bidiagonalSvdvals("test", { rows: N, cols: d, data: X })!)).toBe(true);
    }
    expect(() => bidiagonalSvdvalsNull("test", { rows: 3, cols: 3, data: new Float64Array(9) })).toThrow(/fewer rows than columns/);
  });

  it("are only normwise accurate on column-graded inputs (60-digit references): the error of σ_min is ε·σ₁-sized, not ε·σ_min-sized", () => {
    const rows: (string | number)[][] = [];
    for (const c of RELATIVE.filter((r) => r.name.startsWith("graded"))) {
      const x = loadInput(c);
      const ref = nums(c.svals_mp);
      const s = bidiagonalSvdvals("test", { rows: c.m, cols: c.n, data: x })!;
      const k = ref.length;
      const rel = Math.abs(s[k - 1]! - ref[k - 1]!) / ref[k - 1]!;
      const ratio = svalRatio(s, ref, c.m, c.n);
      rows.push([c.name, rel, ratio]);
      expect(ratio, c.name).toBeLessThan(30); // normwise: as promised
      // σ_min ≈ 1e-11·σ₁: far more than the Jacobi SVD's 1e-12 relative error (tests/linalg/svdvals.test.ts)
      expect(rel, c.name).toBeGreaterThan(1e-8);
    }
    console.log(`bidiagonal svdvals (${name}) on graded inputs\n${table(["case", "σ_min rel", "ratio"], rows)}`);
  });
});

import { Matrix } from "ml-matrix";
import { beforeAll, describe, expect, it } from "vitest";
import { LinAlgError, NonFiniteError, NotConvergedError, init, svd, svdvals, type SvdResult } from "../../src/entry/default.js";
import { BINARIES, Rng, sameBits } from "../helpers/prng.js";
import { CASES, EPS, RELATIVE, loadInput, orthoRatio, residualRatio, svalRatio, table } from "../helpers/svd.js";

/** In each row of Vh the entry of largest |value| (first on ties) is positive. */
function signsFollowConvention(Vh: Float64Array, k: number, n: number): boolean {
  for (let c = 0; c < k; c++) {
    let best = -1;
    let val = 0;
    for (let j = 0; j < n; j++) {
      const v = Vh[c * n + j]!;
      if (Math.abs(v) > best) [best, val] = [Math.abs(v), v];
    }
    if (val < 0) return false;
  }
  return true;
}

describe.each(BINARIES)("svd on the $name binary", ({ name, simd }) => {
  beforeAll(async () => {
    const info = await init({ simd });
    expect(info.simd).toBe(simd);
  });

  it("passes the LAPACK-style battery: S error, ‖A − U·S·Vh‖, ‖UᵀU − I‖, ‖VVᵀ − I‖ ratios all < 30", { timeout: 180_000 }, () => {
    const rows: (string | number)[][] = [];
    for (const c of [...CASES, ...RELATIVE.map((r) => ({ ...r, kind: "relative", svals: r.svals_mp }))]) {
      const a = loadInput(c);
      const { m, n } = c;
      const k = Math.min(m, n);
      const r = svd(a, [m, n]);
      expect([r.U.rows, r.U.cols, r.S.length, r.Vh.rows, r.Vh.cols]).toEqual([m, k, k, k, n]);
      const ratios = [
        svalRatio(r.S, c.svals.map(Number), m, n),
        residualRatio(a, m, n, r.U.data, r.S, r.Vh.data),
        orthoRatio(r.U.data, m, k, false),
        orthoRatio(r.Vh.data, n, k, true),
      ];
      rows.push([c.name, `${m}×${n}`, ...ratios]);
      for (const q of ratios) expect(q, c.name).toBeLessThan(30);
      expect(signsFollowConvention(r.Vh.data, k, n), c.name).toBe(true);
      // the values agree with svdvals's: bit for bit unless svdvals took the blocked QR (values only,
      // m > 9n or n > 9m), then to the battery's bound, and relatively on the graded cases
      const sv = svdvals(a, [m, n]);
      if (Math.max(m, n) <= 9 * Math.min(m, n)) expect(sameBits(r.S, sv), c.name).toBe(true);
      expect(svalRatio(r.S, Array.from(sv), m, n), c.name).toBeLessThan(30);
      if (c.name.startsWith("graded_")) for (let i = 0; i < k; i++) expect(Math.abs(r.S[i]! - sv[i]!) / sv[i]!, c.name).toBeLessThan(1e-12);
    }
    console.log(`svd (${name}): LAPACK-style ratios (each must be < 30)\n${table(["case", "shape", "S err", "residual", "UᵀU − I", "VVᵀ − I"], rows)}`);
  });

  it("returns exact factors for small matrices, with the documented signs", () => {
    const r = svd([[0, -2], [3, 0]]);
    expect(Array.from(r.S)).toEqual([3, 2]);
    expect(Array.from(r.U.data)).toEqual([0, -1, 1, 0]);
    expect(Array.from(r.Vh.data)).toEqual([1, 0, 0, 1]);
    expect(Object.isFrozen(r) && Object.isFrozen(r.U) && Object.isFrozen(r.Vh)).toBe(true);
    const one = svd([[-4]]);
    expect([one.U.data[0], one.S[0], one.Vh.data[0]]).toEqual([-1, 4, 1]);
    // wide input: U is m × m, Vh is m × n
    const w = svd([[1, 0, 0], [0, 0, -7]]);
    expect(Array.from(w.S)).toEqual([7, 1]);
    expect([w.U.rows, w.U.cols, w.Vh.rows, w.Vh.cols]).toEqual([2, 2, 2, 3]);
    expect(Array.from(w.Vh.data)).toEqual([0, 0, 1, 1, 0, 0]);
    expect(Array.from(w.U.data)).toEqual([0, 1, -1, 0]);
  });

  it("completes the singular vectors of exactly zero singular values to orthonormal sets", () => {
    for (const [m, n] of [[6, 4], [4, 6], [5, 5]] as const) {
      const a = new Float64Array(m * n);
      a[0] = 2;
      a[n + 1] = 2; // rank 2, a repeated value, then zeros
      const r = svd(a, [m, n]);
      const k = Math.min(m, n);
      expect(Array.from(r.S)).toEqual([2, 2, ...Array(k - 2).fill(0)]);
      expect(orthoRatio(r.U.data, m, k, false)).toBeLessThan(2);
      expect(orthoRatio(r.Vh.data, n, k, true)).toBeLessThan(2);
      expect(residualRatio(a, m, n, r.U.data, r.S, r.Vh.data)).toBe(0);
    }
    const z = svd(new Float64Array(12), [3, 4]);
    expect(Array.from(z.S)).toEqual([0, 0, 0]);
    expect(orthoRatio(z.U.data, 3, 3, false)).toBe(0);
    expect(orthoRatio(z.Vh.data, 4, 3, true)).toBe(0);
  });

  it("agrees with ml-matrix up to signs on a random matrix", () => {
    const rng = new Rng(41);
    const [m, n] = [45, 30];
    const x = rng.matrix(m, n);
    const rowsOf = Array.from({ length: m }, (_, i) => Array.from(x.subarray(i * n, (i + 1) * n)));
    const ml = new Matrix(rowsOf).transpose().mmul(new Matrix(rowsOf)); // AᵀA: its eigenvectors are V
    const r = svd(rowsOf);
    for (let c = 0; c < n; c++) {
      // ‖AᵀA·v − σ²·v‖ small for each right singular vector
      const v = Matrix.columnVector(Array.from(r.Vh.data.subarray(c * n, (c + 1) * n)));
      const res = ml.mmul(v).sub(v.clone().mul(r.S[c]! ** 2)).norm();
      expect(res).toBeLessThan(1e-12 * r.S[0]! ** 2);
    }
  });

  it("computeUV: false returns the singular values only", () => {
    const rng = new Rng(3);
    const x = rng.matrix(20, 9);
    const s = svd(x, [20, 9], { computeUV: false });
    expect(s).toBeInstanceOf(Float64Array);
    expect(sameBits(s, svdvals(x, [20, 9]))).toBe(true);
    expect(() => svd(x, [20, 9], { computeUV: "no" as unknown as boolean })).toThrow(/computeUV must be a boolean/);
  });

  it("handles empty shapes with numpy's result shapes", () => {
    const shapes = (r: SvdResult) => [r.U.rows, r.U.cols, r.S.length, r.Vh.rows, r.Vh.cols];
    expect(shapes(svd(new Float64Array(0), [0, 0]))).toEqual([0, 0, 0, 0, 0]);
    expect(shapes(svd(new Float64Array(0), [0, 5]))).toEqual([0, 0, 0, 0, 5]);
    expect(shapes(svd(new Float64Array(0), [4, 0]))).toEqual([4, 0, 0, 0, 0]);
    expect(svd(new Float64Array(0), [3, 0], { computeUV: false })).toEqual(new Float64Array(0));
  });

  it("reports NaN/Inf with row and column, and non-convergence under a 1-sweep cap", () => {
    const x = new Float64Array(6 * 3).fill(0.5);
    x[4 * 3 + 2] = NaN;
    for (const checkFinite of [true, false]) {
      let err: unknown;
      try {
        svd(x, [6, 3], { checkFinite });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(NonFiniteError);
      const e = err as NonFiniteError;
      expect([e.op, e.row, e.col, e.index]).toEqual(["svd", 4, 2, 14]);
      expect(e.message).toMatch(/^svd: a contains NaN at row 4, column 2/);
    }
    const rng = new Rng(12);
    const y = rng.matrix(25, 40);
    expect(() => svd(y, [25, 40], { maxSweeps: 1 })).toThrow(NotConvergedError);
    expect(() => svd(y, [25, 40], { maxSweeps: 1 })).toThrow(/^svd: one-sided Jacobi did not converge within 1 sweep/);
    expect(() => svd(y, [25, 40], { maxSweeps: 2.5 })).toThrow(LinAlgError);
    const r = svd(y, [25, 40]);
    expect(residualRatio(y, 25, 40, r.U.data, r.S, r.Vh.data)).toBeLessThan(30);
  });

  it("is scale-equivariant by powers of two, exactly (the kernel scales by 2^e internally)", () => {
    const rng = new Rng(17);
    const x = rng.matrix(30, 12);
    const big = x.map((v) => v * 2 ** 600);
    const a = svd(x, [30, 12]);
    const b = svd(big, [30, 12]);
    expect(sameBits(a.U.data, b.U.data) && sameBits(a.Vh.data, b.Vh.data)).toBe(true);
    expect(sameBits(a.S.map((v) => v * 2 ** 600), b.S)).toBe(true);
    expect(EPS).toBe(2 ** -52);
  });
});

describe("svd on both binaries", () => {
  it("gives the same bits for U, S and Vh", { timeout: 60_000 }, async () => {
    const rng = new Rng(77);
    const shapes: [number, number][] = [[260, 70], [70, 260], [97, 97]];
    const inputs = shapes.map(([m, n]) => rng.matrix(m, n, () => rng.normal()));
    await init({ simd: true });
    const a = inputs.map((x, i) => svd(x, shapes[i]!));
    await init({ simd: false });
    const b = inputs.map((x, i) => svd(x, shapes[i]!));
    for (let i = 0; i < shapes.length; i++) {
      expect(sameBits(a[i]!.S, b[i]!.S)).toBe(true);
      expect(sameBits(a[i]!.U.data, b[i]!.U.data)).toBe(true);
      expect(sameBits(a[i]!.Vh.data, b[i]!.Vh.data)).toBe(true);
    }
  });
});

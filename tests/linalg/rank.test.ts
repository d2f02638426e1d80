import { Matrix, pseudoInverse } from "ml-matrix";
import { beforeAll, describe, expect, it } from "vitest";
import { LinAlgError, init, matmul, matrixRank, pinv } from "../../src/entry/default.js";
import { EPS, frob, matmul as refMul } from "../helpers/fixtures.js";
import { BINARIES, Rng, sameBits } from "../helpers/prng.js";

/** m × n matrix of rank r: (m × r)(r × n) products of normals. */
function lowRank(rng: Rng, m: number, n: number, r: number): Float64Array {
  return refMul(rng.matrix(m, r, () => rng.normal()), rng.matrix(r, n, () => rng.normal()), m, r, n);
}

describe.each(BINARIES)("matmul, matrixRank, pinv on the $name binary", ({ simd }) => {
  beforeAll(async () => {
    await init({ simd });
  });

  it("matmul equals the in-order product for every transpose combination", () => {
    const rng = new Rng(4);
    const [m, k, n] = [37, 300, 29]; // k crosses the 256-step block
    const A = rng.matrix(m, k, () => rng.normal());
    const B = rng.matrix(k, n, () => rng.normal());
    const ref = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += A[i * k + t]! * B[t * n + j]!;
      ref[i * n + j] = s;
    }
    const T = (x: Float64Array, r: number, c: number) => { const t = new Float64Array(r * c); for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) t[j * r + i] = x[i * c + j]!; return t; };
    expect(sameBits(matmul({ rows: m, cols: k, data: A }, { rows: k, cols: n, data: B }).data, ref)).toBe(true);
    expect(sameBits(matmul({ rows: k, cols: m, data: T(A, m, k) }, { rows: k, cols: n, data: B }, { transA: true }).data, ref)).toBe(true);
    expect(sameBits(matmul({ rows: m, cols: k, data: A }, { rows: n, cols: k, data: T(B, k, n) }, { transB: true }).data, ref)).toBe(true);
    expect(sameBits(matmul({ rows: k, cols: m, data: T(A, m, k) }, { rows: n, cols: k, data: T(B, k, n) }, { transA: true, transB: true }).data, ref)).toBe(true);
    expect(() => matmul([[1, 2]], [[1, 2]])).toThrow(/inner dimensions differ: op\(A\) is 1×2, op\(B\) is 1×2/);
    expect(matmul([[1, 2]], [[3], [4]]).data[0]).toBe(11);
  });

  it("matrixRank follows numpy's rule, with rtol/atol and hermitian", () => {
    const rng = new Rng(8);
    for (const [m, n, r] of [[30, 20, 7], [20, 30, 13], [12, 12, 12], [50, 3, 1]] as const) {
      expect(matrixRank({ rows: m, cols: n, data: lowRank(rng, m, n, r) })).toBe(r);
    }
    expect(matrixRank([[0, 0], [0, 0]])).toBe(0);
    expect(matrixRank([])).toBe(0);
    const d = [[1, 0, 0], [0, 1e-10, 0], [0, 0, 1e-17]];
    expect(matrixRank(d)).toBe(2); // 1e-17 < 3·ε·1
    expect(matrixRank(d, { rtol: 1e-8 })).toBe(1);
    expect(matrixRank(d, { atol: 1e-20, rtol: 0 })).toBe(3);
    expect(matrixRank([[2, 1], [1, 2]], { hermitian: true })).toBe(2);
    expect(matrixRank([[1, 1], [1, 1]], { hermitian: true })).toBe(1);
    expect(() => matrixRank([[1, 2]], { hermitian: true })).toThrow(LinAlgError);
    expect(() => matrixRank([[1]], { rtol: -1 })).toThrow(/rtol and atol must be ≥ 0/);
  });

  it("pinv satisfies the Penrose conditions and matches ml-matrix", () => {
    const rng = new Rng(15);
    for (const [m, n, r] of [[40, 25, 25], [25, 40, 9], [30, 30, 30], [18, 18, 5]] as const) {
      const A = lowRank(rng, m, n, r);
      const P = pinv({ rows: m, cols: n, data: A });
      expect([P.rows, P.cols]).toEqual([n, m]);
      const AP = refMul(A, P.data, m, n, m);
      const APA = refMul(AP, A, m, m, n);
      const PAP = refMul(refMul(P.data, A, n, m, n), P.data, n, n, m);
      const scale = frob(A) * frob(P.data);
      expect(frob(APA.map((v, i) => v - A[i]!)) / frob(A)).toBeLessThan(100 * Math.max(m, n) * EPS * scale);
      expect(frob(PAP.map((v, i) => v - P.data[i]!)) / frob(P.data)).toBeLessThan(100 * Math.max(m, n) * EPS * scale);
      for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) expect(Math.abs(AP[i * m + j]! - AP[j * m + i]!)).toBeLessThan(1e-10 * scale);
      if (r === Math.min(m, n)) {
        const ref = pseudoInverse(new Matrix(Array.from({ length: m }, (_, i) => Array.from(A.subarray(i * n, (i + 1) * n)))));
        let err = 0;
        for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) err = Math.max(err, Math.abs(P.data[i * m + j]! - ref.get(i, j)));
        expect(err).toBeLessThan(1e-10 * frob(P.data));
      }
    }
    expect(pinv([[2, 0], [0, 0]]).data).toEqual(new Float64Array([0.5, 0, 0, 0]));
    expect(pinv([]).rows).toBe(0);
  });
});

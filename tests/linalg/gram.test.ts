import { Matrix } from "ml-matrix";
import { beforeAll, describe, expect, it } from "vitest";
import { LinAlgError, NonFiniteError, arena, gram, hadamardGram, init, runtimeInfo } from "../../src/entry/default.js";
import { BINARIES, Rng, sameBits } from "../helpers/prng.js";

/** Plain reference: entry (i, j) summed over rows in order, product then add (what the kernel promises). */
function refGram(x: Float64Array, n: number, d: number, c: number): Float64Array {
  const g = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += x[k * d + i]! * x[k * d + j]!;
      g[i * d + j] = s / c;
      g[j * d + i] = s / c;
    }
  }
  return g;
}

// 0×0, 1×1, N<d, odd sizes, and sizes crossing the kernel's 256-row and 128-column blocks.
const SHAPES: [number, number][] = [
  [0, 0], [1, 1], [2, 1], [1, 7], [3, 5], [7, 5], [5, 4], [9, 8], [33, 17],
  [257, 13], [300, 64], [513, 130], [40, 261],
];

describe.each(BINARIES)("gram on the $name binary", ({ simd }) => {
  beforeAll(async () => {
    const info = await init({ simd });
    expect(info.simd).toBe(simd);
  });

  it.each(SHAPES)("%i×%i matches the in-order reference bit for bit", (n, d) => {
    const rng = new Rng(1000 + n * 31 + d);
    // wide dynamic range (exact powers of two) so rounding differences would show
    const x = rng.matrix(n, d, () => rng.signed() * 2 ** Math.floor(rng.uniform() * 40 - 20));
    const g = gram(x, [n, d], { scale: "sum" });
    expect(g.rows).toBe(d);
    expect(g.cols).toBe(d);
    expect(sameBits(g.data, refGram(x, n, d, 1))).toBe(true);
  });

  it("divides by c for every scale", () => {
    const rng = new Rng(7);
    const x = rng.matrix(11, 6);
    for (const [scale, c] of [["mean", 11], ["sum", 1], ["unbiased", 10], [3, 3]] as const) {
      expect(sameBits(gram(x, [11, 6], { scale }).data, refGram(x, 11, 6, c))).toBe(true);
    }
    expect(sameBits(gram(x, [11, 6]).data, refGram(x, 11, 6, 11))).toBe(true); // default "mean"
  });

  it("is exactly symmetric and agrees with ml-matrix XᵀX", () => {
    const rng = new Rng(11);
    const n = 120, d = 45;
    const x = rng.matrix(n, d);
    const g = gram(x, [n, d], { scale: "sum" });
    const m = new Matrix(Array.from({ length: n }, (_, i) => Array.from(x.subarray(i * d, (i + 1) * d))));
    const ref = m.transpose().mmul(m);
    let maxRel = 0;
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        expect(g.data[i * d + j]).toBe(g.data[j * d + i]);
        const scaleIJ = Math.sqrt(ref.get(i, i) * ref.get(j, j));
        maxRel = Math.max(maxRel, Math.abs(g.data[i * d + j]! - ref.get(i, j)) / scaleIJ);
      }
    }
    expect(maxRel).toBeLessThan(n * 2.2e-16);
  });

  it("takes number[][], Float32Array, {data, rows, cols} and ml-matrix inputs", () => {
    const rows = [[1, 2, 3], [4, 5, 6]];
    const expected = [17, 22, 27, 22, 29, 36, 27, 36, 45];
    expect(Array.from(gram(rows, { scale: "sum" }).data)).toEqual(expected);
    expect(Array.from(gram(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3], { scale: "sum" }).data)).toEqual(expected);
    expect(Array.from(gram({ rows: 2, cols: 3, data: new Float64Array([1, 2, 3, 4, 5, 6]) }, { scale: "sum" }).data)).toEqual(expected);
    expect(Array.from(gram(new Matrix(rows), { scale: "sum" }).data)).toEqual(expected);
    // Float32 values widen exactly: 0.1f is not 0.1
    const f = new Float32Array([0.1]);
    expect(gram(f, [1, 1], { scale: "sum" }).data[0]).toBe(f[0]! * f[0]!);
  });

  it("reads an arena view in place (zero-copy)", () => {
    const a = arena();
    const mark = a.mark();
    try {
      const v = a.matrix(4, 3);
      v.array.set([1, 0, 2, 0, 1, 0, 3, 0, 1, 1, 1, 1]);
      expect(Array.from(gram(v, { scale: "sum" }).data)).toEqual([11, 1, 6, 1, 2, 1, 6, 1, 6]);
    } finally {
      a.release(mark);
    }
  });

  it("reports NaN/Inf with row and column, then keeps working", () => {
    const x = new Float64Array(4 * 5).fill(1);
    x[2 * 5 + 3] = Number.NEGATIVE_INFINITY;
    let err: unknown;
    try {
      gram(x, [4, 5]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NonFiniteError);
    expect(err).toBeInstanceOf(LinAlgError);
    const e = err as NonFiniteError;
    expect([e.op, e.code, e.row, e.col, e.index, e.value]).toEqual(["gram", "NON_FINITE", 2, 3, 13, -Infinity]);
    expect(e.message).toMatch(/^gram: .*row 2, column 3/);
    x[13] = NaN;
    expect(() => gram(x, [4, 5])).toThrow(/NaN at row 2, column 3/);
    // a NaN in the SIMD body and in the scalar tail are both found
    for (const at of [0, 7, 16, 17, 19]) {
      const y = new Float64Array(20).fill(0.5);
      y[at] = NaN;
      expect(() => gram(y, [4, 5])).toThrow(NonFiniteError);
    }
    expect(gram(x.fill(1), [4, 5], { scale: "sum" }).data[0]).toBe(4);
    // opting out propagates NaN as IEEE arithmetic does
    x[0] = NaN;
    expect(Number.isNaN(gram(x, [4, 5], { checkFinite: false }).data[0])).toBe(true);
  });

  it("rejects bad shapes and scales with LinAlgError naming the problem", () => {
    expect(() => gram(new Float64Array(6), [4, 2])).toThrow(/shape \[4, 2\] needs 8 elements/);
    // @ts-expect-error: a flat array without its shape is a type error too
    expect(() => gram(new Float64Array(6))).toThrow(/needs its shape/);
    expect(() => gram([[1]], { side: "both" as "sample" })).toThrow(/side must be/);
    expect(() => gram([[1, 2], [3]])).toThrow(/ragged.*row 1/);
    expect(() => gram(new Float64Array(0), [0, 3])).toThrow(/scale "mean" needs at least 1 row/);
    expect(() => gram([[1, 2]], { scale: "unbiased" })).toThrow(/at least 2 rows/);
    expect(() => gram([[1, 2]], { scale: -1 })).toThrow(LinAlgError);
    expect(() => gram([[1, 2]], { scale: 0 })).toThrow(/positive finite/);
    expect(gram(new Float64Array(0), [0, 3], { scale: "sum" }).data).toEqual(new Float64Array(9));
    expect(runtimeInfo()?.simd).toBe(simd);
  });
});

/** In-order reference for K = XXᵀ/c (row dot products). */
function refSampleGram(x: ArrayLike<number>, n: number, d: number, c: number): Float64Array {
  const k = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += x[i * d + t]! * x[j * d + t]!;
      k[i * n + j] = k[j * n + i] = s / c;
    }
  }
  return k;
}

describe.each(BINARIES)("gram variants on the $name binary", ({ simd }) => {
  beforeAll(async () => {
    await init({ simd });
  });

  it.each(SHAPES)("f32 input %i×%i is widened exactly and accumulated in f64", (n, d) => {
    const rng = new Rng(77 + n + 1000 * d);
    const x32 = Float32Array.from(rng.matrix(n, d, () => rng.normal()));
    const g = gram(x32, [n, d], { scale: "sum" });
    expect(sameBits(g.data, refGram(Float64Array.from(x32), n, d, 1))).toBe(true);
  });

  it.each(SHAPES)("sample side XXᵀ of %i×%i matches the in-order reference", (n, d) => {
    const rng = new Rng(5 + n * 7 + d);
    const x = rng.matrix(n, d, () => rng.normal());
    const k = gram(x, [n, d], { side: "sample", scale: "sum" });
    expect([k.rows, k.cols]).toEqual([n, n]);
    expect(sameBits(k.data, refSampleGram(x, n, d, 1))).toBe(true);
    if (n > 0) {
      const k32 = gram(Float32Array.from(x), [n, d], { side: "sample" });
      expect(sameBits(k32.data, refSampleGram(Float32Array.from(x), n, d, n))).toBe(true);
    }
  });

  it("hadamardGram equals the sample Gram of the explicit Jacobian rows a_i ⊗ δ_i", () => {
    const rng = new Rng(31);
    const n = 37, din = 6, dout = 5;
    const a = rng.matrix(n, din, () => rng.normal());
    const dl = rng.matrix(n, dout, () => rng.normal());
    const ka = refSampleGram(a, n, din, 1);
    const kd = refSampleGram(dl, n, dout, 1);
    const k = hadamardGram({ rows: n, cols: din, data: a }, { rows: n, cols: dout, data: dl });
    for (let i = 0; i < n * n; i++) expect(k.data[i]).toBe((ka[i]! * kd[i]!) / n); // exact formula
    // and it is the Gram of J (rows a_i ⊗ δ_i) up to rounding
    const J = new Float64Array(n * din * dout);
    for (let i = 0; i < n; i++) for (let p = 0; p < din; p++) for (let q = 0; q < dout; q++) J[i * din * dout + p * dout + q] = a[i * din + p]! * dl[i * dout + q]!;
    const kj = gram(J, [n, din * dout], { side: "sample" });
    for (let i = 0; i < n * n; i++) expect(Math.abs(k.data[i]! - kj.data[i]!)).toBeLessThan(1e-13 * (1 + Math.abs(kj.data[i]!)));
    expect(() => hadamardGram(a.subarray(0, 6) as unknown as number[][], [[1]])).toThrow(LinAlgError);
    expect(() => hadamardGram([[1, 2]], [[1], [2]])).toThrow(/acts has 1 rows \(samples\) but deltas has 2/);
    expect(hadamardGram([], []).rows).toBe(0);
  });
});

describe("both binaries", () => {
  it("give the same bits on the same input", async () => {
    const rng = new Rng(99);
    const x = rng.matrix(600, 70, () => rng.normal());
    await init({ simd: true });
    const a = gram(x, [600, 70]);
    await init({ simd: false });
    const b = gram(x, [600, 70]);
    expect(sameBits(a.data, b.data)).toBe(true);
  });
});

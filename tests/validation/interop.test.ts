// Interop (docs/interop.md): results to nested arrays and ml-matrix and back, load() results and the
// flat + shape form accepted by every linear-algebra function, svd's fullMatrices, and the safety
// rules of docs/validation.md that need data: sizes that would wrap, inputs aliasing wasm memory,
// saveSafetensors refusing what load refuses.

import { Matrix, SingularValueDecomposition } from "ml-matrix";
import { beforeAll, describe, expect, it } from "vitest";
import {
  DdsError,
  arena,
  cholesky,
  eigh,
  eigvalsh,
  gram,
  hadamardGram,
  init,
  load,
  matmul,
  matrixRank,
  pinv,
  saveSafetensors,
  slogdet,
  svd,
  svdvals,
  toArray,
  toMatrix,
  type Mat,
} from "../../src/entry/default.js";
import { live } from "../../src/runtime/kernels.js";
import { gemmWorkspace, syrkWorkspace, factorWorkspace, syevxWorkspace } from "../../src/runtime/workspace.js";
import { EPS } from "../helpers/fixtures.js";
import { Rng } from "../helpers/prng.js";

const rng = new Rng(1312);
const randn = (r: number, c: number): Float64Array => rng.matrix(r, c, () => rng.normal());
const nested = (data: Float64Array, r: number, c: number): number[][] => Array.from({ length: r }, (_, i) => Array.from(data.subarray(i * c, (i + 1) * c)));

/** max |(QᵀQ − I)_ij| for the columns of a row-major r × c Q. */
function orthColsError(q: Float64Array, r: number, c: number): number {
  let worst = 0;
  for (let a = 0; a < c; a++) {
    for (let b = 0; b < c; b++) {
      let s = 0;
      for (let i = 0; i < r; i++) s += q[i * c + a]! * q[i * c + b]!;
      worst = Math.max(worst, Math.abs(s - (a === b ? 1 : 0)));
    }
  }
  return worst;
}

function expectDdsError(f: () => unknown, op: string, code: string, message: RegExp): void {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(DdsError);
  expect((caught as DdsError).op).toBe(op);
  expect((caught as DdsError).code).toBe(code);
  expect((caught as DdsError).message).toMatch(message);
}

beforeAll(async () => {
  await init();
});

describe("toArray and toMatrix", () => {
  it("convert a matrix result, a vector, and 1-D / 2-D load() results", async () => {
    const g = gram([[1, 2], [3, 4], [5, 6]], { scale: "sum" });
    expect(toArray(g)).toEqual([[35, 44], [44, 56]]);
    expect(toArray(eigvalsh([[2, 1], [1, 2]]))).toEqual([1, 3]);
    expect(toArray([1.5, -2])).toEqual([1.5, -2]);
    const file = saveSafetensors({
      m: { dtype: "F64", shape: [2, 3], data: new Float64Array([1, 2, 3, 4, 5, 6]) },
      v: { dtype: "F32", shape: [3], data: new Float32Array([0.5, 1, 2]) },
    });
    expect(toArray(await load(file, "m"))).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(toArray(await load(file, "v"))).toEqual([0.5, 1, 2]);
    expect(toArray({ rows: 0, cols: 3, data: new Float64Array(0) })).toEqual([]);
    expect(toArray({ rows: 2, cols: 0, data: new Float64Array(0) })).toEqual([[], []]);
  });

  it("refuse what is not a matrix or vector, naming the problem", () => {
    expectDdsError(() => toArray(null as never), "toArray", "BAD_ARGUMENT", /m must be a matrix.*got null/);
    expectDdsError(() => toArray({ shape: [2, 2, 2], data: new Float64Array(8) }), "toArray", "BAD_ARGUMENT", /1-D or 2-D, its shape is \[2, 2, 2\]/);
    expectDdsError(() => toArray({ rows: 2, cols: 2, data: new Float64Array(3) }), "toArray", "BAD_ARGUMENT", /2 × 2 needs 4 values, data has 3/);
    expectDdsError(() => toArray({ rows: 1, cols: 2, data: [1, "2"] as unknown as number[] }), "toArray", "BAD_ARGUMENT", /data\[1\] must be a number, got the string "2" \(row 0, column 1\)/);
    expectDdsError(() => toArray(new BigInt64Array(2) as never), "toArray", "BAD_ARGUMENT", /got an object \(BigInt64Array\)|BigInt64Array/);
    expectDdsError(() => toMatrix(gram([[1]]), 42 as never), "toMatrix", "BAD_ARGUMENT", /MatrixClass must be a class/);
    expectDdsError(() => toMatrix({ shape: [1, 1, 1], data: new Float64Array(1) }, Matrix), "toMatrix", "BAD_ARGUMENT", /1-D or 2-D/);
  });

  it("round-trip through ml-matrix: Matrix in, results out as Matrix, equal to ml-matrix's own", () => {
    const X = new Matrix(nested(randn(9, 4), 9, 4));
    const G = toMatrix(gram(X, { scale: "sum" }), Matrix);
    expect(G).toBeInstanceOf(Matrix);
    const ref = X.transpose().mmul(X);
    expect(G.rows).toBe(4);
    expect(G.columns).toBe(4);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) expect(Math.abs(G.get(i, j) - ref.get(i, j))).toBeLessThan(1e-12 * ref.norm());
    // and back in: a Matrix made by toMatrix is accepted as it is, giving the same bits as the original
    expect(Array.from(svdvals(G))).toEqual(Array.from(svdvals(gram(X, { scale: "sum" }))));
    // svd factors as Matrix: U·diag(S)·Vh rebuilds X
    const { U, S, Vh } = svd(X);
    const rebuilt = toMatrix(U, Matrix).mmul(Matrix.diag(Array.from(S))).mmul(toMatrix(Vh, Matrix));
    expect(rebuilt.sub(X).norm()).toBeLessThan(50 * EPS * X.norm());
    // singular values as ml-matrix computes them
    const mlS = new SingularValueDecomposition(X).diagonal;
    for (let i = 0; i < 4; i++) expect(Math.abs(S[i]! - mlS[i]!)).toBeLessThan(1e-12 * mlS[0]!);
    // an ml-matrix Matrix converts to nested arrays too
    expect(toArray(new Matrix([[1, 2], [3, 4.5]]))).toEqual([[1, 2], [3, 4.5]]);
    // a vector becomes a column
    const col = toMatrix(S, Matrix);
    expect([col.rows, col.columns]).toEqual([4, 1]);
    expect(col.getColumn(0)).toEqual(Array.from(S));
  });
});

describe("load() results and the flat + shape form in every linear-algebra function", () => {
  const n = 5;
  const A = randn(n, n);
  const spd = (() => {
    const g = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) g[i * n + j] = g[i * n + j]! + A[k * n + i]! * A[k * n + j]!;
    for (let i = 0; i < n; i++) g[i * n + i] = g[i * n + i]! + 1;
    return g;
  })();
  const calls: [string, (x: unknown) => unknown][] = [
    ["gram", (x) => gram(x as never)],
    ["hadamardGram", (x) => hadamardGram(x as never, x as never)],
    ["cholesky", (x) => cholesky(x as never)],
    ["slogdet", (x) => slogdet(x as never)],
    ["eigvalsh", (x) => eigvalsh(x as never)],
    ["eigh", (x) => eigh(x as never)],
    ["svdvals", (x) => svdvals(x as never)],
    ["svd", (x) => svd(x as never)],
    ["matmul", (x) => matmul(x as never, x as never)],
    ["matrixRank", (x) => matrixRank(x as never)],
    ["pinv", (x) => pinv(x as never)],
  ];

  it.each(calls)("%s takes a load() result as it is, with the same bits as number[][]", async (_name, f) => {
    const file = saveSafetensors({ a: { dtype: "F64", shape: [n, n], data: spd } });
    const t = await load(file, "a");
    expect(f(t)).toEqual(f(nested(spd, n, n)));
  });

  it.each(calls)("%s refuses a load() result with more than 2 axes, saying so", async (name, f) => {
    const t = await load(saveSafetensors({ a: { dtype: "F64", shape: [1, n, n], data: spd } }), "a");
    expectDdsError(() => f(t), name, "BAD_ARGUMENT", /must be 2-D: its shape is \[1, 5, 5\]/);
  });

  it("one-matrix functions take (flat, [rows, cols]) and matmul/hadamardGram { data, shape }, as their messages say", () => {
    const ref = nested(spd, n, n);
    const shape = [n, n] as const;
    expect(gram(spd, shape)).toEqual(gram(ref));
    expect(cholesky(spd, shape)).toEqual(cholesky(ref));
    expect(slogdet(spd, shape)).toEqual(slogdet(ref));
    expect(eigvalsh(spd, shape)).toEqual(eigvalsh(ref));
    expect(eigh(spd, shape)).toEqual(eigh(ref));
    expect(svdvals(spd, shape)).toEqual(svdvals(ref));
    expect(svd(spd, shape)).toEqual(svd(ref));
    expect(matrixRank(spd, shape)).toBe(n);
    expect(matrixRank(spd, shape, { rtol: 0.9 })).toBe(matrixRank(ref, { rtol: 0.9 }));
    expect(pinv(spd, shape)).toEqual(pinv(ref));
    expect(matmul({ data: spd, shape }, { data: spd, shape })).toEqual(matmul(ref, ref));
    expect(hadamardGram({ data: spd, shape }, { data: spd, shape })).toEqual(hadamardGram(ref, ref));
    // the messages suggest the form the function takes
    expectDdsError(() => matrixRank(spd as never), "matrixRank", "BAD_ARGUMENT", /needs its shape: pass \(x, \[rows, cols\]\)/);
    expectDdsError(() => pinv(spd as never), "pinv", "BAD_ARGUMENT", /needs its shape: pass \(x, \[rows, cols\]\)/);
    expectDdsError(() => matmul(spd as never, ref), "matmul", "BAD_ARGUMENT", /A: a flat Float64Array needs its shape: pass \{ data: x, shape: \[rows, cols\] \}/);
    expectDdsError(() => hadamardGram(ref, spd as never), "hadamardGram", "BAD_ARGUMENT", /deltas: a flat Float64Array needs its shape: pass \{ data: x, shape: \[rows, cols\] \}/);
    // and each form that is suggested works: matrixRank of a rank-2 product
    const low = matmul({ data: randn(6, 2), shape: [6, 2] }, { data: randn(2, 6), shape: [2, 6] });
    expect(matrixRank(low.data, [6, 6])).toBe(2);
    // a shape with a matrix that carries its own is refused
    expectDdsError(() => gram(ref as never, [n, n] as never), "gram", "BAD_ARGUMENT", /a shape \[rows, cols\] goes only with a flat/);
  });
});

describe("svd fullMatrices (numpy's full_matrices)", () => {
  it.each([
    [7, 3],
    [3, 7],
    [5, 5],
    [40, 6],
  ])("%i × %i: U is m × m, Vh n × n, both orthogonal; the first k columns/rows are the thin factors", (m, n) => {
    const a = randn(m, n);
    const k = Math.min(m, n);
    const thin = svd(a, [m, n]);
    const full = svd(a, [m, n], { fullMatrices: true });
    expect([full.U.rows, full.U.cols, full.Vh.rows, full.Vh.cols]).toEqual([m, m, n, n]);
    expect(full.S).toEqual(thin.S);
    expect(orthColsError(full.U.data, m, m)).toBeLessThan(30 * m * EPS);
    // rows of Vh orthonormal = columns of Vhᵀ
    const vt = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) vt[j * n + i] = full.Vh.data[i * n + j]!;
    expect(orthColsError(vt, n, n)).toBeLessThan(30 * n * EPS);
    for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) expect(full.U.data[i * m + j]).toBe(thin.U.data[i * k + j]);
    expect(Array.from(full.Vh.data.subarray(0, k * n))).toEqual(Array.from(thin.Vh.data));
    // the completion spans the null space of Aᵀ (U) and of A (Vh): Aᵀ·U[:, k:] = 0 and A·Vh[k:]ᵀ = 0
    const mlA = new Matrix(nested(a, m, n));
    if (m > k) expect(mlA.transpose().mmul(toMatrix(full.U, Matrix).subMatrix(0, m - 1, k, m - 1)).norm()).toBeLessThan(100 * EPS * mlA.norm());
    if (n > k) expect(mlA.mmul(toMatrix(full.Vh, Matrix).subMatrix(k, n - 1, 0, n - 1).transpose()).norm()).toBeLessThan(100 * EPS * mlA.norm());
  });

  it("rank-deficient and empty inputs, default thin, and the option is checked", () => {
    const low = matmul({ data: randn(8, 2), shape: [8, 2] }, { data: randn(2, 5), shape: [2, 5] });
    const full = svd(low, { fullMatrices: true });
    expect(orthColsError(full.U.data, 8, 8)).toBeLessThan(30 * 8 * EPS);
    expect(svd(low).U.cols).toBe(5); // default: thin, for compatibility (numpy defaults to full)
    const e = svd(new Float64Array(0), [3, 0], { fullMatrices: true });
    expect(toArray(e.U)).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    expect([e.Vh.rows, e.Vh.cols]).toEqual([0, 0]);
    const w = svd(new Float64Array(0), [0, 2], { fullMatrices: true });
    expect([w.U.rows, w.U.cols]).toEqual([0, 0]);
    expect(toArray(w.Vh)).toEqual([[1, 0], [0, 1]]);
    expectDdsError(() => svd([[1]], { fullMatrices: "yes" as never }), "svd", "BAD_ARGUMENT", /option fullMatrices must be a boolean/);
    expectDdsError(() => svd([[1]], { full_matrices: true } as never), "svd", "BAD_ARGUMENT", /unknown option "full_matrices"; svd takes .*"fullMatrices"/);
  });
});

describe("sizes never wrap", () => {
  it("the JS workspace sizes equal the kernels' wherever these fit in an i32", () => {
    const ex = live("test").exports;
    for (const [m, n, k] of [[1, 1, 1], [5, 7, 3], [300, 129, 257], [1000, 3, 70000]] as const) {
      expect(gemmWorkspace("t", m, n, k)).toBe(ex.gemm_workspace(m, n, k));
      expect(syrkWorkspace("t", m, n)).toBe(ex.syrk_workspace(m, n));
      expect(factorWorkspace("t", m, "cholesky")).toBe(ex.potrf_workspace(m));
      expect(factorWorkspace("t", m, "lu")).toBe(ex.getrf_workspace(m));
      expect(syevxWorkspace("t", m, Math.min(m, n), true)).toBe(ex.syevx_f64_workspace(m, Math.min(m, n), 1));
    }
  });

  it("matmul needing more than 2 GiB of workspace says so with the true size, and the library stays usable", () => {
    // shapes only (getRow is never called: the size is refused before anything is staged)
    const tall = { rows: 2 ** 20, columns: 256, getRow: () => { throw new Error("not reached"); } };
    const wide = { rows: 256, columns: 2 ** 20, getRow: () => { throw new Error("not reached"); } };
    const bytes = (2 ** 20 * 256 + 2 ** 20 * 256) * 8 + 128; // two packed panels, kc = 256
    expectDdsError(() => matmul(tall, wide), "matmul", "OUT_OF_MEMORY", new RegExp(`needs ${bytes} bytes \\(4\\.00 GiB\\) of wasm workspace`));
    expect(toArray(matmul([[1, 2]], [[3], [4]]))).toEqual([[11]]);
  });
});

describe("inputs that alias wasm memory survive its growth", () => {
  it("{ data: view.data }, { shape, data: view.data } and rows that are subarrays of a view", () => {
    const before = arena().memoryBytes;
    const rows = Math.ceil(before / 16 / 2) + 65536; // the view holds over half the memory: a staged copy must grow it
    const view = arena().matrix(rows, 2);
    try {
      const d = view.data;
      for (let i = 0; i < d.length; i++) d[i] = ((i * 7919) % 1000) / 1000;
      const zeroCopy = gram(view);
      const g1 = gram({ rows, cols: 2, data: view.data });
      expect(arena().memoryBytes).toBeGreaterThan(before);
      expect(g1).toEqual(zeroCopy);
      expect(gram({ shape: [rows, 2], data: view.data })).toEqual(zeroCopy);
      const small = arena().matrix(3, 2);
      small.data.set([1, 2, 3, 4, 5, 6]);
      const nestedRows = [0, 1, 2].map((i) => small.data.subarray(2 * i, 2 * i + 2));
      expect(toArray(gram(nestedRows, { scale: "sum" }))).toEqual([[35, 44], [44, 56]]);
      small.free();
    } finally {
      view.free();
    }
  });
});

describe("saveSafetensors refuses what load refuses", () => {
  /** A safetensors file written without any check, to show the loader's side of each refusal. */
  function rawFile(header: Record<string, unknown>, dataBytes: number): Uint8Array {
    const json = new TextEncoder().encode(JSON.stringify(header));
    const out = new Uint8Array(8 + json.length + dataBytes);
    new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
    out.set(json, 8);
    return out;
  }

  it("round trip: every dtype, shapes with zeros, metadata", async () => {
    const f16 = new Uint16Array([0x3c00, 0xc000, 0x7c00]); // 1, -2, +Inf
    const file = saveSafetensors(
      {
        a: { dtype: "F64", shape: [2, 3], data: new Float64Array([1, -2, 3.5, 1e-300, 0, 7]) },
        b: { dtype: "F32", shape: [3], data: new Float32Array([0.1, 2, -3]) },
        c: { dtype: "F16", shape: [3, 1], data: f16 },
        e: { dtype: "F64", shape: [0, 4], data: new Float64Array(0) },
      },
      { step: "12", note: "ünïcode" },
    );
    expect(Array.from((await load(file, "a")).data)).toEqual([1, -2, 3.5, 1e-300, 0, 7]);
    expect(Array.from((await load(file, "b")).data)).toEqual(Array.from(new Float32Array([0.1, 2, -3])));
    expect(Array.from((await load(file, "c", { checkFinite: false })).data)).toEqual([1, -2, Infinity]);
    expect((await load(file, "e")).shape).toEqual([0, 4]);
    const { openTensors } = await import("../../src/entry/default.js");
    const tf = await openTensors(file);
    expect(tf.metadata).toEqual({ step: "12", note: "ünïcode" });
    await tf.close();
  });

  it.each([
    ["a negative dimension", { t: { dtype: "F64", shape: [-1, 2], data: new Float64Array(0) } }, undefined, /shape\[0\] must be a non-negative integer, got -1/],
    ["a fractional dimension", { t: { dtype: "F64", shape: [1.5, 2], data: new Float64Array(3) } }, undefined, /shape\[0\] must be a non-negative integer, got 1\.5/],
    ["a string dimension", { t: { dtype: "F64", shape: ["2"], data: new Float64Array(2) } }, undefined, /shape\[0\] must be a non-negative integer, got the string "2"/],
    ["a NaN dimension", { t: { dtype: "F64", shape: [NaN], data: new Float64Array(0) } }, undefined, /shape\[0\] must be a non-negative integer, got NaN/],
    ["a tensor named __metadata__", { __metadata__: { dtype: "F64", shape: [1], data: new Float64Array(1) } }, undefined, /cannot be named "__metadata__"/],
    ["a non-string metadata value", { t: { dtype: "F64", shape: [1], data: new Float64Array(1) } }, { step: 12 }, /metadata\["step"\] must be a string/],
    ["a shape/data length mismatch", { t: { dtype: "F64", shape: [2, 2], data: new Float64Array(3) } }, undefined, /shape \[2, 2\] has 4 elements, data has 3/],
    ["an unknown dtype", { t: { dtype: "I64", shape: [1], data: new Float64Array(1) } }, undefined, /cannot write dtype I64/],
    ["data of the wrong type", { t: { dtype: "F32", shape: [1], data: new Float64Array(1) } }, undefined, /dtype F32 needs a Float32Array, got a Float64Array/],
  ])("refuses %s", (_what, tensors, metadata, message) => {
    expectDdsError(() => saveSafetensors(tensors as never, metadata as never), "saveSafetensors", "FORMAT", message);
  });

  it("refuses arguments of the wrong kind, and the loader refuses the same files written without checks", async () => {
    expectDdsError(() => saveSafetensors(null as never), "saveSafetensors", "BAD_ARGUMENT", /tensors must be an object.*got null/);
    expectDdsError(() => saveSafetensors([] as never), "saveSafetensors", "BAD_ARGUMENT", /tensors must be an object.*got an array/);
    expectDdsError(() => saveSafetensors({ t: 42 } as never), "saveSafetensors", "BAD_ARGUMENT", /tensor "t" must be an object \{ dtype, shape, data \}, got 42/);
    expectDdsError(() => saveSafetensors({}, "x" as never), "saveSafetensors", "BAD_ARGUMENT", /metadata must be an object of strings/);
    await expect(load(rawFile({ t: { dtype: "F64", shape: [-1], data_offsets: [0, 0] } }, 0), "t")).rejects.toThrow(/shape\[0\] must be a non-negative integer/);
    await expect(load(rawFile({ t: { dtype: "F64", shape: [1.5], data_offsets: [0, 0] } }, 0), "t")).rejects.toThrow(/shape\[0\] must be a non-negative integer/);
    await expect(load(rawFile({ __metadata__: { step: 12 }, t: { dtype: "F64", shape: [1], data_offsets: [0, 8] } }, 8), "t")).rejects.toThrow(/__metadata__\["step"\] must be a string/);
    await expect(load(rawFile({ t: { dtype: "F64", shape: [2], data_offsets: [0, 8] } }, 8), "t")).rejects.toThrow(DdsError);
  });
});

/** Keep the Mat type import used (documents what the helpers take). */
export type { Mat };

describe("node entry paths", () => {
  it("fileSource and the path loaders refuse a path that is not one, and bad options before opening it", async () => {
    const nodeEntry = await import("../../src/entry/node.js");
    for (const bad of [42, "", new URL("https://example.com/x.npy")]) {
      const err = await nodeEntry.fileSource(bad as never).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DdsError);
      expect((err as DdsError).op).toBe("fileSource");
      expect((err as DdsError).code).toBe("BAD_ARGUMENT");
    }
    const path = new URL(import.meta.url);
    for (const bad of [42, [1], new Float64Array(1)]) {
      const err = await nodeEntry.load(path, "x", bad as never).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DdsError);
      expect((err as DdsError).op).toBe("load");
      expect((err as DdsError).message).toMatch(/options must be an object/);
    }
    const err = await nodeEntry.openTensors(path, { fileNmae: "x" } as never).catch((e: unknown) => e);
    expect((err as DdsError).message).toMatch(/unknown option "fileNmae"; openTensors takes "format", "fileName"/);
  });
});

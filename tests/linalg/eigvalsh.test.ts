import { beforeAll, describe, expect, it } from "vitest";
import { LinAlgError, NonFiniteError, NotConvergedError, arena, eigvalsh, init } from "../../src/entry/default.js";
import { HEADER, buildMatrix, crc32, loadCases, ratios, row } from "../helpers/eigen.js";
import { BINARIES, sameBits } from "../helpers/prng.js";

const cases = loadCases();
const matrices = new Map(cases.map((c) => [c.name, buildMatrix(c)] as const));
const get = (name: string) => cases.find((c) => c.name === name)!;

/** Points strictly inside the gaps of `w` below index i (between w[i−1] and w[i]), or −∞ at the start. */
function gapBelow(w: ArrayLike<number>, i: number): number {
  return i === 0 ? -Infinity : (w[i - 1]! + w[i]!) / 2;
}

describe("eigen fixtures", () => {
  it("rebuild numpy's matrices bit for bit (CRC-32 of the bytes)", () => {
    for (const c of cases) expect(crc32(matrices.get(c.name)!), c.name).toBe(c.crc32);
  }, 30_000);
});

describe.each(BINARIES)("eigvalsh on the $name binary", ({ name, simd }) => {
  beforeAll(async () => {
    await init({ simd });
  });

  it("accuracy battery: max|w − w_numpy| / (n·‖A‖₁·ε) < 30, ascending", () => {
    const lines = [HEADER];
    for (const c of cases) {
      const a = matrices.get(c.name)!;
      const t0 = performance.now();
      const w = eigvalsh(a, [c.n, c.n]);
      const ms = performance.now() - t0;
      const r = ratios(a, c.n, w, c.eigenvalues);
      lines.push(row(c.name, c.n, r, ms));
      expect(w.length).toBe(c.n);
      for (let i = 1; i < c.n; i++) expect(w[i]!).toBeGreaterThanOrEqual(w[i - 1]!);
      expect(r.value, c.name).toBeLessThan(30);
    }
    console.log(`eigvalsh on the ${name} binary (ratios: value error; residual/orthogonality n/a)\n${lines.join("\n")}`);
  }, 60_000);

  it("is exact where the answer is: diagonal, zero, 1×1, 2×2", () => {
    expect(Array.from(eigvalsh([[3, 0, 0], [0, -1, 0], [0, 0, 2]]))).toEqual([-1, 2, 3]);
    expect(Array.from(eigvalsh(new Float64Array(16), [4, 4]))).toEqual([0, 0, 0, 0]);
    expect(Array.from(eigvalsh([[-7.25]]))).toEqual([-7.25]);
    expect(Array.from(eigvalsh([[2, 1], [1, 2]]))).toEqual([1, 3]);
    // ties, also across the blocks T splits into: subsets cut through them cleanly
    const dd = [2, 1, 2, 1, 1, 2].map((x, i, all) => all.map((_, j) => (i === j ? x : 0)));
    expect(Array.from(eigvalsh(dd, { subsetByIndex: [1, 4] }))).toEqual([1, 1, 2, 2]);
    expect(Array.from(eigvalsh(dd, { subsetByValue: [1, 2] }))).toEqual([2, 2, 2]);
    const blocks = [[2, 1, 0, 0, 0, 0], [1, 2, 1, 0, 0, 0], [0, 1, 2, 0, 0, 0], [0, 0, 0, 2, 1, 0], [0, 0, 0, 1, 2, 1], [0, 0, 0, 0, 1, 2]];
    const wb = eigvalsh(blocks, { subsetByIndex: [2, 3] });
    expect(wb.length).toBe(2);
    for (const x of wb) expect(Math.abs(x - 2)).toBeLessThan(4 * 6 * 4 * 2 ** -52);
    const d = matrices.get("diagonal150")!;
    const diag = Array.from({ length: 150 }, (_, i) => d[i * 150 + i]!).sort((x, y) => x - y);
    expect(Array.from(eigvalsh(d, [150, 150]))).toEqual(diag);
  }, 10_000);

  it("reads only the chosen triangle (lower by default, like numpy's UPLO='L')", () => {
    const c = get("random32");
    const a = matrices.get(c.name)!;
    const ref = eigvalsh(a, [32, 32]);
    const lowerOnly = a.map((v, k) => (k % 32 > Math.floor(k / 32) ? 1e300 : v));
    const upperOnly = a.map((v, k) => (k % 32 < Math.floor(k / 32) ? NaN : v));
    expect(sameBits(eigvalsh(lowerOnly, [32, 32]), ref)).toBe(true);
    expect(sameBits(eigvalsh(upperOnly, [32, 32], { lower: false, checkFinite: false }), ref)).toBe(true);
  }, 10_000);

  it("subsetByIndex and subsetByValue agree with numpy and with the full solve", () => {
    for (const nm of ["random100", "clustered60", "repeated45", "wilkinson21", "wilkinson101", "graded40", "rankdef50", "diagonal150", "scaled40_1e-150", "scaled24_1e+300"]) {
      const c = get(nm);
      const { n } = c;
      const a = matrices.get(nm)!;
      const full = eigvalsh(a, [n, n]);
      const ranges: [number, number][] = [[0, 0], [n - 1, n - 1], [Math.floor(n / 3), Math.floor((2 * n) / 3)], [1, n - 1]];
      for (const [lo, hi] of ranges) {
        const w = eigvalsh(a, [n, n], { subsetByIndex: [lo, hi] });
        expect(w.length).toBe(hi - lo + 1);
        expect(ratios(a, n, w, c.eigenvalues.slice(lo, hi + 1)).value, `${nm} [${lo}, ${hi}]`).toBeLessThan(30);
        expect(ratios(a, n, w, full.subarray(lo, hi + 1)).value).toBeLessThan(30);
      }
      // value ranges cut in the middle of gaps wider than 1e-6·‖A‖, so the count is unambiguous
      const ref = c.eigenvalues;
      const scale = Math.max(...ref.map(Math.abs));
      const cuts = [0, ...ref.keys()].filter((i) => i === 0 || i === n || ref[i]! - ref[i - 1]! > 1e-6 * scale);
      const i0 = cuts[Math.floor(cuts.length / 4)]!, i1 = cuts[Math.floor((3 * cuts.length) / 4)]!;
      for (const [lo, hi] of [[i0, i1], [0, i1], [i0, n]] as const) {
        if (hi <= lo) continue;
        const vl = gapBelow(ref, lo), vu = hi === n ? Infinity : gapBelow(ref, hi);
        const w = eigvalsh(a, [n, n], { subsetByValue: [vl, vu] });
        expect(w.length, `${nm} (${vl}, ${vu}]`).toBe(hi - lo);
        expect(ratios(a, n, w, ref.slice(lo, hi)).value).toBeLessThan(30);
        for (const x of w) expect(x > vl && x <= vu).toBe(true);
      }
    }
    expect(eigvalsh([[1, 0], [0, 2]], { subsetByValue: [5, 6] }).length).toBe(0);
    expect(Array.from(eigvalsh([[1, 0], [0, 2]], { subsetByValue: [1, 2] }))).toEqual([2]); // half-open (1, 2]
  }, 30_000);

  it("NaN/±Inf → NonFiniteError naming the function, row and column", () => {
    const a = Array.from({ length: 5 }, (_, i) => Array.from({ length: 5 }, (_, j): number => (i === j ? 2 : 0.5)));
    a[3]![1] = NaN;
    const err = (() => { try { eigvalsh(a); } catch (e) { return e; } })() as NonFiniteError;
    expect(err).toBeInstanceOf(NonFiniteError);
    expect(err.op).toBe("eigvalsh");
    expect([err.row, err.col]).toEqual([3, 1]);
    expect(err.message).toMatch(/^eigvalsh: .*NaN.*row 3, column 1/);
    // with checkFinite: false the kernel still refuses a non-finite entry of the triangle it reads
    a[3]![1] = -Infinity;
    expect(() => eigvalsh(a, { checkFinite: false })).toThrow(expect.objectContaining({ name: "NonFiniteError", row: 3, col: 1, value: -Infinity }));
    // …but not one in the triangle it ignores
    expect(eigvalsh(a, { checkFinite: false, lower: false }).length).toBe(5);
  }, 10_000);

  it("maxIter: 1 → NotConvergedError (full and subset); the instance stays usable", () => {
    const a = matrices.get("random64")!;
    for (const opts of [{ maxIter: 1 }, { maxIter: 1, subsetByIndex: [3, 9] as const }]) {
      const err = (() => { try { eigvalsh(a, [64, 64], opts); } catch (e) { return e; } })() as NotConvergedError;
      expect(err).toBeInstanceOf(NotConvergedError);
      expect(err.op).toBe("eigvalsh");
      expect(err.unconverged).toBeGreaterThan(0);
    }
    expect(ratios(a, 64, eigvalsh(a, [64, 64], { maxIter: 10_000 }), get("random64").eigenvalues).value).toBeLessThan(30);
  }, 10_000);

  it("0×0, non-square and invalid options", () => {
    expect(eigvalsh([]).length).toBe(0);
    expect(eigvalsh(new Float64Array(0), [0, 0]).length).toBe(0);
    const sq = (f: () => unknown) => expect(f).toThrow(expect.objectContaining({ name: "LinAlgError", code: "BAD_ARGUMENT" }));
    sq(() => eigvalsh(new Float64Array(6), [2, 3]));
    expect(() => eigvalsh([[1, 2, 3], [4, 5, 6]])).toThrow(/^eigvalsh: a must be square, got 2 × 3/);
    sq(() => eigvalsh([[1]], { maxIter: 0 }));
    sq(() => eigvalsh([[1]], { maxIter: 2.5 }));
    sq(() => eigvalsh([[1, 0], [0, 1]], { subsetByIndex: [1, 0] }));
    sq(() => eigvalsh([[1, 0], [0, 1]], { subsetByIndex: [0, 2] }));
    sq(() => eigvalsh([[1, 0], [0, 1]], { subsetByValue: [1, 1] }));
    sq(() => eigvalsh([[1, 0], [0, 1]], { subsetByValue: [NaN, 1] }));
    sq(() => eigvalsh([[1, 0], [0, 1]], { subsetByIndex: [0, 1], subsetByValue: [0, 1] }));
    expect(() => eigvalsh([[1]], { lower: "yes" as unknown as boolean })).toThrow(LinAlgError);
  }, 10_000);

  it("takes number[][], Float32Array + shape and arena views (left unmodified)", () => {
    const a = matrices.get("random13")!;
    const ref = eigvalsh(a, [13, 13]);
    const nested = Array.from({ length: 13 }, (_, i) => Array.from(a.subarray(i * 13, i * 13 + 13)));
    expect(sameBits(eigvalsh(nested), ref)).toBe(true);
    const f32 = Float32Array.from([4, 1, 1, 3]);
    expect(eigvalsh(f32, [2, 2])[1]).toBeCloseTo((7 + Math.sqrt(5)) / 2, 14);
    const view = arena().matrix(13, 13);
    view.array.set(a);
    expect(sameBits(eigvalsh(view), ref)).toBe(true);
    expect(sameBits(view.array, a)).toBe(true);
  }, 10_000);
});

describe("eigvalsh: the SIMD and scalar binaries agree bit for bit", () => {
  it("on random200, clustered180 and graded130 (full and subset)", async () => {
    const names = ["random200", "clustered180", "graded130"];
    const run = () => names.flatMap((nm) => {
      const { n } = get(nm);
      return [eigvalsh(matrices.get(nm)!, [n, n]), eigvalsh(matrices.get(nm)!, [n, n], { subsetByIndex: [5, 40] })];
    });
    await init({ simd: true });
    const a = run();
    await init({ simd: false });
    const b = run();
    a.forEach((w, i) => expect(sameBits(w, b[i]!)).toBe(true));
  }, 30_000);
});

import { beforeAll, describe, expect, it } from "vitest";
import { NonFiniteError, NotConvergedError, eigh, eigvalsh, init } from "../../src/entry/default.js";
import { HEADER, buildMatrix, loadCases, ratios, row } from "../helpers/eigen.js";
import { BINARIES, sameBits } from "../helpers/prng.js";

const cases = loadCases();
const matrices = new Map(cases.map((c) => [c.name, buildMatrix(c)] as const));
const get = (name: string) => cases.find((c) => c.name === name)!;

/** The documented sign convention: each column's largest-|.| entry (first on ties) is positive. */
function signsOk(v: Float64Array, n: number, m: number): boolean {
  for (let j = 0; j < m; j++) {
    let best = -1, at = 0;
    for (let i = 0; i < n; i++) if (Math.abs(v[i * m + j]!) > best) { best = Math.abs(v[i * m + j]!); at = i; }
    if (!(v[at * m + j]! > 0)) return false;
  }
  return true;
}

describe.each(BINARIES)("eigh on the $name binary", ({ name, simd }) => {
  beforeAll(async () => {
    await init({ simd });
  });

  it("accuracy battery: value error, ‖AV − VΛ‖₁/(n‖A‖₁ε), ‖VᵀV − I‖₁/(nε) all < 30", () => {
    const lines = [HEADER];
    for (const c of cases) {
      const a = matrices.get(c.name)!;
      const t0 = performance.now();
      const { eigenvalues: w, eigenvectors: v } = eigh(a, [c.n, c.n]);
      const ms = performance.now() - t0;
      expect([v.rows, v.cols, w.length]).toEqual([c.n, c.n, c.n]);
      const r = ratios(a, c.n, w, c.eigenvalues, v.data);
      lines.push(row(c.name, c.n, r, ms));
      expect(r.value, c.name).toBeLessThan(30);
      expect(r.residual, c.name).toBeLessThan(30);
      expect(r.orthogonality, c.name).toBeLessThan(30);
      expect(signsOk(v.data, c.n, c.n), c.name).toBe(true);
      // the values of eigh are those of eigvalsh up to rounding (different QL variants)
      expect(ratios(a, c.n, w, eigvalsh(a, [c.n, c.n])).value, c.name).toBeLessThan(30);
    }
    console.log(`eigh on the ${name} binary\n${lines.join("\n")}`);
  }, 120_000);

  it("subsets (by index, by value) meet the same ratios and match the full solve", () => {
    const lines = [HEADER];
    for (const nm of ["random200", "clustered60", "clustered180", "repeated45", "wilkinson21", "wilkinson101", "graded130", "rankdef160", "diagonal10", "scaled40_1e+150", "scaled24_1e-300"]) {
      const c = get(nm);
      const { n } = c;
      const a = matrices.get(nm)!;
      const full = eigh(a, [n, n]);
      const third = Math.floor(n / 3);
      const sets: [string, { subsetByIndex?: readonly [number, number]; subsetByValue?: readonly [number, number] }, number, number][] = [
        ["[0,0]", { subsetByIndex: [0, 0] }, 0, 1],
        [`[${third},${2 * third}]`, { subsetByIndex: [third, 2 * third] }, third, 2 * third + 1],
        ["top", { subsetByIndex: [n - 1, n - 1] }, n - 1, n],
        ["(-inf,inf]", { subsetByValue: [-Infinity, Infinity] }, 0, n],
      ];
      for (const [label, opts, lo, hi] of sets) {
        const t0 = performance.now();
        const { eigenvalues: w, eigenvectors: v } = eigh(a, [n, n], opts);
        const ms = performance.now() - t0;
        expect([v.rows, v.cols, w.length], `${nm} ${label}`).toEqual([n, hi - lo, hi - lo]);
        const r = ratios(a, n, w, c.eigenvalues.slice(lo, hi), v.data);
        lines.push(row(`${nm} ${label}`, n, r, ms));
        expect(r.value, `${nm} ${label}`).toBeLessThan(30);
        expect(r.residual, `${nm} ${label}`).toBeLessThan(30);
        expect(r.orthogonality, `${nm} ${label}`).toBeLessThan(30);
        expect(ratios(a, n, w, full.eigenvalues.subarray(lo, hi)).value).toBeLessThan(30);
        expect(signsOk(v.data, n, hi - lo)).toBe(true);
      }
    }
    console.log(`eigh subsets on the ${name} binary\n${lines.join("\n")}`);
  }, 60_000);

  it("matches analytic eigenpairs, with the documented signs", () => {
    const r = eigh([[2, 1], [1, 2]]);
    expect(Array.from(r.eigenvalues)).toEqual([1, 3]);
    const s = Math.SQRT1_2;
    // λ=1: ±(1, −1)/√2 — exact tie in magnitude, so the first entry is made positive
    expect(Array.from(r.eigenvectors.data).map((x) => Math.abs(Math.abs(x) - s) < 1e-15)).toEqual([true, true, true, true]);
    expect(r.eigenvectors.data[0]).toBeGreaterThan(0);
    expect(r.eigenvectors.data[2]).toBeLessThan(0);
    const d = eigh([[3, 0, 0], [0, -1, 0], [0, 0, 2]]);
    expect(Array.from(d.eigenvalues)).toEqual([-1, 2, 3]);
    expect(Array.from(d.eigenvectors.data)).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0]);
    const z = eigh(new Float64Array(9), [3, 3]);
    expect(Array.from(z.eigenvalues)).toEqual([0, 0, 0]);
    expect(Array.from(z.eigenvectors.data)).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    // a double eigenvalue split across two identical blocks: an orthonormal pair, one per block
    const blocks = [[2, 1, 0, 0, 0, 0], [1, 2, 1, 0, 0, 0], [0, 1, 2, 0, 0, 0], [0, 0, 0, 2, 1, 0], [0, 0, 0, 1, 2, 1], [0, 0, 0, 0, 1, 2]];
    for (const opts of [{}, { subsetByIndex: [2, 3] as const }]) {
      const b = eigh(blocks, opts);
      const m = b.eigenvalues.length;
      const flat = Float64Array.from(blocks.flat());
      const rr = ratios(flat, 6, b.eigenvalues, m === 6 ? [2 - Math.SQRT2, 2 - Math.SQRT2, 2, 2, 2 + Math.SQRT2, 2 + Math.SQRT2] : [2, 2], b.eigenvectors.data);
      expect(Math.max(rr.value, rr.residual, rr.orthogonality)).toBeLessThan(30);
    }
    expect(Object.isFrozen(r)).toBe(true);
    expect(Object.isFrozen(r.eigenvectors)).toBe(true);
  }, 10_000);

  it("0×0, NaN input, maxIter: 1", () => {
    const e = eigh([]);
    expect([e.eigenvalues.length, e.eigenvectors.rows, e.eigenvectors.cols, e.eigenvectors.data.length]).toEqual([0, 0, 0, 0]);
    const bad = [[1, 2], [Infinity, 1]];
    expect(() => eigh(bad)).toThrow(expect.objectContaining({ name: "NonFiniteError", op: "eigh", row: 1, col: 0 }));
    expect(() => eigh(bad)).toThrow(NonFiniteError);
    expect(() => eigh(bad)).toThrow(/^eigh: a contains Infinity at row 1, column 0/);
    const a = matrices.get("random100")!;
    for (const opts of [{ maxIter: 1 }, { maxIter: 1, subsetByValue: [-1, 1] as const }]) {
      expect(() => eigh(a, [100, 100], opts)).toThrow(expect.objectContaining({ name: "NotConvergedError", op: "eigh" }));
      expect(() => eigh(a, [100, 100], opts)).toThrow(NotConvergedError);
    }
    expect(eigh(a, [100, 100]).eigenvalues.length).toBe(100);
  }, 10_000);
});

/** Row-major n × n tridiagonal matrix with diagonal d and off-diagonal e. */
function tridiag(d: readonly number[], e: readonly number[]): Float64Array {
  const n = d.length;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    a[i * n + i] = d[i]!;
    if (i > 0) a[i * n + i - 1] = a[(i - 1) * n + i] = e[i - 1]!;
  }
  return a;
}

/** Inputs that stress divide and conquer (n > 96): deflation of every kind, splits, grading. */
function dcCases(): { name: string; n: number; a: Float64Array; ref: number[] | "eigvalsh" }[] {
  const out: { name: string; n: number; a: Float64Array; ref: number[] | "eigvalsh" }[] = [];
  {
    // 1-2-1: λ_k = 2 − 2cos(kπ/(n+1)), well separated, no deflation
    const n = 300;
    const ref = Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1)));
    out.push({ name: "toeplitz121_300", n, a: tridiag(Array(n).fill(2), Array(n - 1).fill(-1)), ref });
  }
  {
    // ten Wilkinson W21 glued by 1e-10: pairs equal to ~1e-14, deflated by rotations
    const d: number[] = [], e: number[] = [];
    for (let c = 0; c < 10; c++) {
      for (let i = 0; i < 21; i++) d.push(Math.abs(10 - i));
      for (let i = 0; i < 20; i++) e.push(1);
      if (c < 9) e.push(1e-10);
    }
    out.push({ name: "gluedWilkinson210", n: 210, a: tridiag(d, e), ref: "eigvalsh" });
  }
  {
    // I + u·uᵀ: 1 with multiplicity n − 1 (massive deflation of equal poles), and 1 + ‖u‖²
    const n = 150;
    const u = Array.from({ length: n }, (_, i) => Math.sin(i + 1));
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = (i === j ? 1 : 0) + u[i]! * u[j]!;
    const ref = [...Array(n - 1).fill(1), 1 + u.reduce((s, x) => s + x * x, 0)];
    out.push({ name: "identityPlusRank1_150", n, a, ref });
  }
  {
    // diagonal with triples: every off-diagonal zero, blocks of order 1 only
    const n = 120;
    const d = Array.from({ length: n }, (_, i) => (i % 3) - 1);
    out.push({ name: "diagonalTriples120", n, a: tridiag(d, Array(n - 1).fill(0)), ref: [...d].sort((x, y) => x - y) });
  }
  {
    // off-diagonals just above the split threshold: every merge deflates completely (K = 0)
    const n = 200;
    const d = Array.from({ length: n }, (_, i) => Math.cos(3 * i));
    out.push({ name: "tinyOffdiag200", n, a: tridiag(d, Array(n - 1).fill(5e-17)), ref: "eigvalsh" });
  }
  {
    // graded: entries from 1 down to 1e-20
    const n = 200;
    const d = Array.from({ length: n }, (_, i) => 10 ** (-i / 10));
    const e = Array.from({ length: n - 1 }, (_, i) => 10 ** (-(i + 0.5) / 10));
    out.push({ name: "gradedTridiag200", n, a: tridiag(d, e), ref: "eigvalsh" });
  }
  out.push({ name: "zero130", n: 130, a: new Float64Array(130 * 130), ref: Array(130).fill(0) });
  return out;
}

describe.each(BINARIES)("eigh by divide and conquer (n > 96) on the $name binary", ({ name, simd }) => {
  beforeAll(async () => {
    await init({ simd });
  });

  it("deflation, splits, grading and repeated values: all ratios < 30", () => {
    const lines = [HEADER];
    for (const c of dcCases()) {
      const t0 = performance.now();
      const { eigenvalues: w, eigenvectors: v } = eigh(c.a, [c.n, c.n]);
      const ms = performance.now() - t0;
      const ref = c.ref === "eigvalsh" ? eigvalsh(c.a, [c.n, c.n]) : c.ref;
      const r = ratios(c.a, c.n, w, ref, v.data);
      lines.push(row(c.name, c.n, r, ms));
      expect(r.value, c.name).toBeLessThan(30);
      expect(r.residual, c.name).toBeLessThan(30);
      expect(r.orthogonality, c.name).toBeLessThan(30);
      expect(signsOk(v.data, c.n, c.n), c.name).toBe(true);
      for (let i = 1; i < c.n; i++) expect(w[i]! >= w[i - 1]!, c.name).toBe(true);
    }
    console.log(`eigh (divide and conquer) on the ${name} binary\n${lines.join("\n")}`);
  }, 60_000);

  it("maxIter caps the QL/QR sweeps of the leaves", () => {
    const a = matrices.get("random200")!;
    expect(() => eigh(a, [200, 200], { maxIter: 1 })).toThrow(NotConvergedError);
    expect(() => eigh(a, [200, 200], { maxIter: 1 })).toThrow(expect.objectContaining({ name: "NotConvergedError", op: "eigh" }));
    // 8 leaves of 25: a budget of 30·200 sweeps in all is ample
    expect(eigh(a, [200, 200], { maxIter: 6000 }).eigenvalues).toEqual(eigh(a, [200, 200]).eigenvalues);
  }, 10_000);
});

describe("eigh: the SIMD and scalar binaries agree bit for bit", () => {
  it("on random200, wilkinson101 (divide and conquer) and clustered60 (QL/QR), full and subset", async () => {
    const run = () => ["random200", "wilkinson101", "clustered60"].flatMap((nm) => {
      const { n } = get(nm);
      const full = eigh(matrices.get(nm)!, [n, n]);
      const sub = eigh(matrices.get(nm)!, [n, n], { subsetByIndex: [2, 20] });
      return [full.eigenvalues, full.eigenvectors.data, sub.eigenvalues, sub.eigenvectors.data];
    });
    await init({ simd: true });
    const a = run();
    await init({ simd: false });
    const b = run();
    a.forEach((x, i) => expect(sameBits(x, b[i]!)).toBe(true));
  }, 30_000);
});

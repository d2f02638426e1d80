// The streaming readout (docs/streaming.md): X and Γ reduced block by block by a TSQR, from memory
// (layerReading) or straight from a file (readCheckpoint) — the same bits either way, the accuracy of
// the in-memory SVD, O(d²) memory whatever N is, progress, cancellation and a clear limit.
import { beforeAll, describe, expect, it } from "vitest";
import { AbortedError, LinAlgError, arena, NonFiniteError, init, layerReading, load, readCheckpoint, runtimeInfo, saveSafetensors, svdvals } from "../../src/entry/default.js";
import { blockRows, factorOf, workingSetBytes } from "../../src/dds/stream.js";
import { centered } from "../../src/dds/prep.js";
import { BINARIES, Rng, sameBits } from "../helpers/prng.js";
import { CASES, RELATIVE, loadInput, svalRatio, table } from "../helpers/svd.js";

const nums = (xs: readonly string[]) => xs.map(Number);

function file(N: number, d: number, seed: number, dtype: "F64" | "F32" = "F64", edit?: (X: Float64Array, G: Float64Array) => void): Uint8Array {
  const rng = new Rng(seed);
  const X = rng.matrix(N, d);
  const G = rng.matrix(N, d);
  for (let i = 0; i < N; i++) G[i * d + d - 1] = G[i * d]! + G[i * d + 1]!; // rank d − 1 (N ≥ d)
  edit?.(X, G);
  const data = (a: Float64Array) => (dtype === "F32" ? Float32Array.from(a) : a);
  return saveSafetensors({ X: { dtype, shape: [N, d], data: data(X) }, G: { dtype, shape: [N, d], data: data(G) } });
}

describe.each(BINARIES)("streaming readout on the $name binary", ({ simd }) => {
  beforeAll(async () => {
    await init({ simd });
  });

  it("readCheckpoint of a file and layerReading of its loaded tensors give the same bits (one block, many, N < d, centred)", async () => {
    for (const [N, d, dtype, cx, cg] of [[50, 20, "F64", false, false], [9000, 40, "F32", true, false], [9000, 40, "F64", false, true], [30, 64, "F32", true, true], [64, 64, "F64", false, false]] as const) {
      const bytes = file(N, d, N + d, dtype);
      if (N > d) expect(N > blockRows(d) || d === 20).toBe(true);
      const o = { x: "X", gamma: "G", centerX: cx, centerGamma: cg };
      const got = await readCheckpoint(bytes, o);
      const X = await load(bytes, "X");
      const G = await load(bytes, "G");
      const ref = layerReading({ rows: N, cols: d, data: X.data }, { rows: N, cols: d, data: G.data }, { centerX: cx, centerGamma: cg, inputDtype: dtype });
      expect(JSON.stringify(got.reading.factor), `${N}×${d}`).toBe(JSON.stringify(ref.factor));
      expect(JSON.stringify(got.reading.gram)).toBe(JSON.stringify(ref.gram));
      expect(sameBits(got.reading.activation.singularValues, ref.activation.singularValues)).toBe(true);
      expect(sameBits(got.reading.activation.uDead, ref.activation.uDead)).toBe(true);
      expect([got.reading.qDead, got.reading.z]).toEqual([ref.qDead, ref.z]);
      if (N >= d) expect(got.reading.factor!.nPos, `${N}×${d}: rank d − 1`).toBe(d - 1);
    }
  });

  it("keeps the SVD's accuracy: the fixture battery through the TSQR at three block sizes, ratio < 30", () => {
    const rows: (string | number)[][] = [];
    for (const c of CASES) {
      if (c.m < c.n) continue; // wide inputs are never reduced (fewer rows than d are kept as they are)
      const a = loadInput(c);
      const ref = nums(c.svals);
      for (const b of [blockRows(c.n), 7, c.n + 1]) {
        const f = factorOf("test", { rows: c.m, cols: c.n, data: a }, false, "X", b);
        const s = svdvals(f.R);
        const r = svalRatio(s, ref, c.m, c.n);
        rows.push([c.name, `${c.m}×${c.n}`, b, r]);
        expect(r, `${c.name}, blocks of ${b}`).toBeLessThan(30);
      }
    }
    console.log(`streaming TSQR: singular-value error ratio vs numpy\n${table(["case", "shape", "block rows", "ratio"], rows)}`);
  });

  it("keeps relative accuracy for column-graded X (σ_min ≈ 1e-11 to 1e-12 relative, 60-digit references)", () => {
    for (const c of RELATIVE) {
      if (!c.name.startsWith("graded")) continue;
      const x = loadInput(c);
      const ref = nums(c.svals_mp);
      for (const b of [blockRows(c.n), 5, c.n]) {
        const s = svdvals(factorOf("test", { rows: c.m, cols: c.n, data: x }, false, "X", b).R);
        for (let i = 0; i < ref.length; i++) expect(Math.abs(s[i]! - ref[i]!) / ref[i]!, `${c.name} σ${i}, blocks of ${b}`).toBeLessThanOrEqual(1e-12);
      }
    }
  });

  it("centres in one pass to the accuracy the data allows, under a mean 1e8 times the spread", () => {
    // rows in ± pairs of dyadic e plus an integer mean M_j: every entry M_j ± e is exact, the column
    // means are exactly M_j, so the exactly centred matrix is e itself. A one-pass E[x²] − E[x]² would
    // lose everything (ε·M² ≫ σ²); the pairwise update must stay within ‖E‖_F ≲ ε·max|a|·√(N·d).
    const rng = new Rng(5);
    const [N, d] = [5000, 12];
    const e = new Float64Array(N * d);
    const a = new Float64Array(N * d);
    for (let i = 0; i < N; i += 2) {
      for (let j = 0; j < d; j++) {
        const k = Math.round(rng.signed() * 2 ** 19) * 2 ** -20;
        e[i * d + j] = k;
        e[(i + 1) * d + j] = -k;
        a[i * d + j] = (j + 1) * 2 ** 26 + k;
        a[(i + 1) * d + j] = (j + 1) * 2 ** 26 - k;
      }
    }
    const ref = svdvals({ rows: N, cols: d, data: e });
    const bound = 10 * 2 ** -52 * 13 * 2 ** 26 * Math.sqrt(N * d);
    const first = svdvals(centered("test", { rows: N, cols: d, data: a }));
    for (const b of [blockRows(d), 3, 97, N]) {
      const s = svdvals(factorOf("test", { rows: N, cols: d, data: a }, true, "X", b).R);
      for (let i = 0; i < d; i++) {
        expect(Math.abs(s[i]! - ref[i]!), `σ${i}, blocks of ${b}`).toBeLessThan(bound);
        expect(Math.abs(first[i]! - ref[i]!), `σ${i}, centred first`).toBeLessThan(bound);
      }
      expect(bound / ref[d - 1]!).toBeLessThan(1e-4); // the bound is a real constraint
    }
  });

  it("holds O(d²) memory: a reading 16× longer grows wasm memory by nothing", async () => {
    const d = 32;
    const b = blockRows(d);
    await readCheckpoint(file(2 * b, d, 1, "F32"), { x: "X", gamma: "G" });
    const before = runtimeInfo()!.memoryBytes;
    const long = file(16 * b, d, 2, "F32");
    const r = await readCheckpoint(long, { x: "X", gamma: "G" });
    expect(r.reading.N).toBe(16 * b);
    // the 2 MiB file's 16 blocks pass through the same state and block buffers: wasm memory does not grow
    expect(runtimeInfo()!.memoryBytes - before).toBe(0);
    expect(long.length).toBeGreaterThan(4 * 2 ** 20);
    expect(workingSetBytes(d)).toBeLessThan(2 ** 24);
  });

  it("reports progress in stored bytes and stops promptly on an AbortSignal, leaving the library usable", async () => {
    const d = 16;
    const N = 5 * blockRows(d) + 3;
    const bytes = file(N, d, 9, "F32");
    const seen: [number, number][] = [];
    const full = await readCheckpoint(bytes, { x: "X", gamma: "G", onProgress: (done, total) => seen.push([done, total]) });
    expect(seen[0]).toEqual([0, 2 * N * d * 4]);
    expect(seen.at(-1)).toEqual([2 * N * d * 4, 2 * N * d * 4]);
    for (let i = 1; i < seen.length; i++) expect(seen[i]![0]).toBeGreaterThan(seen[i - 1]![0]);
    expect(seen.length).toBe(1 + 2 * 6);

    const ac = new AbortController();
    let calls = 0;
    const err = await readCheckpoint(bytes, { x: "X", gamma: "G", signal: ac.signal, onProgress: () => { if (++calls === 3) ac.abort(new Error("user pressed stop")); } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AbortedError);
    expect(err).toMatchObject({ name: "AbortError", code: "ABORTED", op: "readCheckpoint" });
    expect((err as Error).message).toContain("user pressed stop");
    expect(calls).toBe(3); // no block after the abort
    expect(arena().used).toBe(0); // nothing left allocated
    const already = await readCheckpoint(bytes, { x: "X", gamma: "G", signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(already).toBeInstanceOf(AbortedError);
    const again = await readCheckpoint(bytes, { x: "X", gamma: "G" });
    expect(JSON.stringify(again.row)).toBe(JSON.stringify(full.row));
  });

  it("names tensor, row and column of a NaN in a later block", async () => {
    const d = 8;
    const row = 3 * blockRows(d) + 5;
    const bytes = file(row + 10, d, 4, "F32", (_X, G) => { G[row * d + 6] = NaN; });
    const err = await readCheckpoint(bytes, { x: "X", gamma: "G" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonFiniteError);
    expect(err).toMatchObject({ tensor: "G", row, col: 6 });
  });

  it("refuses a d whose O(d²) working set cannot fit in wasm32 memory, before reading any data", async () => {
    const d = 20000;
    const bytes = saveSafetensors({ X: { dtype: "F32", shape: [2, d], data: new Float32Array(2 * d) }, G: { dtype: "F32", shape: [2, d], data: new Float32Array(2 * d) } });
    const err = await readCheckpoint(bytes, { x: "X", gamma: "G" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LinAlgError);
    expect(err).toMatchObject({ code: "OUT_OF_MEMORY" });
    expect((err as Error).message).toMatch(/d = 20000 columns needs a working set of about \d+\.\d\d GiB/);
  });
});

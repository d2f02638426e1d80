// Issue 12 items 3–4 on the DDS layer: options refused by name, wrong kinds refused instead of
// silent 0/NaN/[], scale-invariant statistics right at 1e±200, non-finite input refused, overflow
// reported, exact rationals. Each expectation is a value the old code got wrong.
import { beforeAll, describe, expect, it } from "vitest";
import * as dds from "../../src/entry/default.js";
import { DdsError, NonFiniteError, init } from "../../src/entry/default.js";

beforeAll(async () => {
  await init();
});

const bad = (f: () => unknown, op: string, re: RegExp): void => {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err, `${op} should throw`).toBeInstanceOf(DdsError);
  expect((err as DdsError).op).toBe(op);
  expect((err as DdsError).message).toMatch(re);
};

describe("DDS options are checked by name and value", () => {
  const X = [[1, 0], [0, 2], [1, 1]];
  it("refuses unknown options, wrong enums, negative tolerances and non-boolean flags", () => {
    bad(() => dds.activation(X, { rtol: -1 }), "activation", /option rtol must be a number ≥ 0, got -1/);
    bad(() => dds.layerReading(X, X, { recipe: "foo" as never }), "layerReading", /option recipe must be one of "factor", "gram", "both"/);
    bad(() => dds.spectrum(X, { side: "bar" as never }), "spectrum", /option side must be one of "auto", "feature", "sample"/);
    bad(() => dds.layerReading(X, X, { centerX: 1 as never }), "layerReading", /option centerX must be a boolean \(true or false\), got 1/);
    bad(() => dds.spectrum(X, { rtoll: 1e-3 } as never), "spectrum", /unknown option "rtoll"; spectrum takes "scale", "center", "rtol"/);
    bad(() => dds.nullStats(X, { traces: { trG: NaN, trG2: 1 } }), "nullStats", /option traces must be \{ trG, trG2 \} of finite numbers/);
    bad(() => dds.activation(X, { inputDtype: "F33" }), "activation", /option inputDtype must be a stored dtype/);
  });
  it("refuses readCheckpoint options it does not know before opening anything", async () => {
    const err = await dds.readCheckpoint(new Uint8Array(8), { x: "X", gamma: "G", centreX: true } as never).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "DdsError", code: "BAD_ARGUMENT", op: "readCheckpoint" });
    expect((err as Error).message).toMatch(/unknown option "centreX"/);
  });
});

describe("wrong kinds are errors, not 0, NaN or []", () => {
  it("vector statistics given a matrix, {} or 42", () => {
    for (const [f, op] of [[dds.effectiveRank, "effectiveRank"], [dds.stableRank, "stableRank"], [dds.spectralEntropy, "spectralEntropy"], [dds.participationRatio, "participationRatio"], [dds.layerNormKernel, "layerNormKernel"], [dds.rankdata, "rankdata"], [dds.median, "median"]] as const) {
      bad(() => (f as (x: unknown) => unknown)([[1, 2], [3, 4]]), op, /this looks like a matrix/);
      bad(() => (f as (x: unknown) => unknown)({}), op, /must be an array of numbers/);
      bad(() => (f as (x: unknown) => unknown)(42), op, /must be an array of numbers/);
    }
    bad(() => dds.topKEnergy([[1, 2]] as never, 1), "topKEnergy", /looks like a matrix/);
    bad(() => dds.ols({} as never, [1, 2]), "ols", /x must be an array of numbers/);
    bad(() => dds.classifyDirection(42 as never, [1], [1]), "classifyDirection", /t must be an array of numbers/);
  });
  it("activation statistics check their matrix", () => {
    bad(() => dds.activationSparsity({ rows: 2, cols: 2, data: [0, 1, 2] }), "activationSparsity", /X.data has 3 values but X is 2 × 2/);
    bad(() => dds.deadUnits({ rows: 2, cols: 2, data: [0, null, 2, 3] as never }), "deadUnits", /X.data\[1\] must be a number, got null/);
    bad(() => dds.activationSparsity({ rows: 1, cols: 1, data: [0] }, -1), "activationSparsity", /thr must be a number ≥ 0/);
    expect(dds.deadUnits({ rows: 2, cols: 3, data: [0, 1, 0, 0, 2, 0] })).toBe(2);
  });
});

describe("numbers at the edges", () => {
  it("scale-invariant statistics scale before squaring", () => {
    expect(dds.stableRank([2e200, 1e200])).toBeCloseTo(1.25, 14); // was NaN
    expect(dds.participationRatio([1e-200, 1e-200])).toBeCloseTo(2, 14); // was 0
    expect(dds.participationRatio([3e300, 1e300])).toBeCloseTo(16 / 10, 14);
    const u = dds.layerNormKernel([1e300, 2e300]); // was [Inf, Inf]
    expect(u[0]).toBeCloseTo(2 / Math.sqrt(5), 14);
    expect(u[1]).toBeCloseTo(1 / Math.sqrt(5), 14);
    const v = dds.layerNormKernel([1e-310, 2e-310]); // 1/γ overflows for subnormal γ
    expect(v[0]).toBeCloseTo(2 / Math.sqrt(5), 12);
    const x = [1, 2, 3, 4, 6];
    const y = [2, 1, 4, 3, 7];
    const r = dds.pearson(x, y);
    expect(dds.pearson(x.map((a) => a * 1e200), y)).toBeCloseTo(r, 14); // was 0
    expect(dds.pearson(x.map((a) => a * 1e-200), y.map((b) => b * 1e250))).toBeCloseTo(r, 14);
    expect(dds.pearson(x, y)).toBe(r); // ordinary data keep their bits (no rescaling)
  });
  it("refuses NaN/Inf where numpy would propagate them silently", () => {
    expect(() => dds.median([NaN, 1, 2])).toThrow(NonFiniteError); // was 2
    expect(() => dds.pearson([1, NaN, 3], [1, 2, 3])).toThrow(NonFiniteError);
    expect(() => dds.ols([1, 2, 3], [1, Infinity, 3])).toThrow(NonFiniteError);
    expect(() => dds.linearLayerGrads([[1, NaN]], [[1]])).toThrow(/acts has NaN at row 0, column 1/);
    expect(() => dds.readGram(new Float64Array([1, NaN]))).toThrow(NonFiniteError);
    expect(() => dds.median([])).toThrow(/at least 1 value/);
  });
  it("directional Fisher of a scaled direction is the same number", () => {
    const G = [[1, 2], [3, 4], [5, 6]];
    const q = dds.dirFisher(G, [1, 1]);
    expect(dds.dirFisher(G, [1e200, 1e200])).toBeCloseTo(q, 12); // was NaN
    expect(dds.dirFisher(G, [1e-200, 1e-200])).toBeCloseTo(q, 12); // was "the zero vector"
    expect(() => dds.dirFisher(G, [0, 0])).toThrow(/the zero vector/);
  });
  it("a spectrum of a finite Γ never reports λ = Infinity", () => {
    let s: dds.Spectrum | undefined;
    let err: unknown;
    try {
      s = dds.spectrum([[1.2e154], [1.2e154]]);
    } catch (e) {
      err = e;
    }
    if (s) {
      expect(Number.isFinite(s.lambdaMax)).toBe(true);
      expect(Number.isFinite(s.lambdaMinPos)).toBe(true);
      expect(Number.isFinite(s.logdetPos)).toBe(true);
    } else {
      expect(err).toBeInstanceOf(DdsError);
      expect((err as Error).message).toMatch(/overflow/);
    }
  });
  it("a layer reading near the top of the float64 range reports finite λ, q_dead and null, both recipes", () => {
    const r = dds.layerReading([[1], [2]], [[1.2e154], [1.2e154]]);
    for (const v of [r.factor!.lambdaMax, r.gram!.lambdaMax, r.factor!.lambdaMinPos, r.qDead, r.nullMean]) expect(v).toBeCloseTo(1.44e308, -300);
    expect(Number.isFinite(r.factor!.logdetPos)).toBe(true);
    expect(() => dds.spectrum([[1e200], [1e200]])).toThrow(/overflows float64/);
  });
  it("rrrRLCT is exact for safe integers and refuses the rest", () => {
    expect(dds.rrrRLCT(100000007, 100000037, 100000039, 99999989).lambdaNumExact).toBe("10000004400000195");
    bad(() => dds.rrrRLCT(2 ** 53, 1, 1, 0), "rrrRLCT", /M must be an integer ≥ 1/);
    bad(() => dds.rrrRLCT("3" as never, 1, 1, 0), "rrrRLCT", /M must be an integer ≥ 1, got 3/);
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { additiveRLCT, classifyDirection, collapseRatio, init, llcFromSgld, rankTracking, structuralCorrelation } from "../../src/entry/default.js";

beforeAll(async () => {
  await init();
});

describe("cross-sectional statistics and extensions", () => {
  it("structural correlation, per seed, with the random-direction null", () => {
    const cells = [1, 2, 3, 4, 5, 6].map((i) => ({
      lambdaMinPos: i * i, sigmaMin: i, qDead: 2 * i + 0.1, qRand: [3, 1, 2, 6, 4, 5][i - 1]!, seed: i <= 3 ? "a" : "b",
    }));
    const s = structuralCorrelation(cells);
    expect(s.rhoStruct).toBe(1);
    expect(s.rhoDead).toBe(1);
    expect(s.rhoRand).toBeCloseTo(0.6571428571428571, 14); // ranks [3,1,2,6,4,5] vs [1..6]
    expect(s.perSeed.map((p) => [p.seed, p.n, p.rhoDead])).toEqual([["a", 3, 1], ["b", 3, 1]]);
    expect(s.rhoDeadMean).toBe(1);
    expect(s.rhoDeadStd).toBe(0);
    expect(s.rhoTop).toBeUndefined();
  });

  it("rank tracking and collapse ratio", () => {
    const lam = [3, 5.5, 8, 10];
    expect(rankTracking({ a: [4, 3, 2, 1], b: [1, 2, 3, 4] }, lam)).toEqual({ a: -1, b: 1 });
    expect(collapseRatio([2, 1e-4, 3, 2e-4, 1e-4], [0, 1, 0, 2, 1])).toBe(2.5 / 1e-4);
    expect(() => collapseRatio([1], [0, 1])).toThrow(/values has 1 values, deficits has 2/);
    expect(() => collapseRatio([1, 2], [1, 1])).toThrow(/needs values at deficit 0 and at deficit ≥ 1, got 0 and 2/);
  });

  it("classifies directions: gauge, regular, singular(k)", () => {
    const t = [1e-3, 1e-2, 1e-1, 1];
    expect(classifyDirection(t, [1e-20, 1e-20, 1e-20, 1e-20], [1e-16, 1e-16, 1e-16, 1e-16])).toEqual({ kind: "gauge" });
    const reg = classifyDirection(t, t.map(() => 0.7), t.map(() => 1e-16));
    expect(reg.kind).toBe("regular");
    const sing = classifyDirection(t, t.map((v) => 3 * v ** 6), t.map(() => 1e-30));
    expect(sing.kind).toBe("singular");
    if (sing.kind !== "gauge") expect(sing.k).toBeCloseTo(4, 10);
  });

  it("additive RLCT assembly and the LLC hook", () => {
    expect(additiveRLCT([1, 2, Infinity])).toEqual({ lambda: 0.75, m: 1 });
    expect(() => additiveRLCT([0.5])).toThrow(/≥ 1/);
    expect(llcFromSgld({ n: 100, meanLoss: 1.5, initLoss: 1.0, nBeta: 10 })).toBe(5);
    expect(llcFromSgld({ n: Math.E ** 2, meanLoss: 2, initLoss: 1 })).toBeCloseTo(Math.E ** 2 / 2, 12);
  });
});

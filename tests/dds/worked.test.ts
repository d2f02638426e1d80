// The worked examples W4–W8 and the RRR table of docs/observables.md, with their exact numbers.
import { beforeAll, describe, expect, it } from "vitest";
import {
  bandFloor, effectiveRank, fitLoglog, fitWindow, init, klOrder, participationRatio, rankdata, rrrRLCT,
  slopeRatio, spearman, spectralEntropy, stableRank, topKEnergy, deadCount, layerNormKernel, activationSparsity, deadUnits,
} from "../../src/entry/default.js";

/** |got − exp| ≤ rtol·|exp| + atol (docs/observables.md, "Worked examples" tolerances). */
function close(got: number, exp: number, rtol = 1e-12, atol = 0): void {
  expect(Math.abs(got - exp), `got ${got}, expected ${exp}`).toBeLessThanOrEqual(rtol * Math.abs(exp) + atol);
}

beforeAll(async () => {
  await init();
});

describe("W4 — slope to order", () => {
  it("λ = 2t⁶ gives slope 6, intercept ln 2, k = 4, λ_dir = 1/8", () => {
    const t = [1e-3, 1e-2, 1e-1, 1];
    const fit = fitLoglog(t, t.map((v) => 2 * v ** 6));
    close(fit.slope, 6, 1e-12);
    close(fit.intercept, Math.LN2, 1e-11, 1e-12);
    close(fit.r2, 1, 1e-12);
    const k = klOrder(fit.slope, fit.seSlope);
    close(k.k, 4, 1e-12);
    close(k.lambdaDir, 1 / 8, 1e-12);
    expect(k.kInt).toBe(4);
  });

  it("the noisy fit matches the spec's standard errors and R²", () => {
    const fit = fitLoglog([0, 1, 2, 3, 4], [0.1, 2.2, 3.9, 6.1, 8.0], { logT: false, logY: false });
    close(fit.slope, 1.97, 1e-14);
    close(fit.intercept, 0.12, 1e-13);
    close(fit.seSlope, 0.03785938897200177, 1e-13);
    close(fit.seIntercept, 0.09273618495495692, 1e-13);
    close(fit.r2, 0.9988932358694533, 1e-14);
    expect(fit.n).toBe(5);
    const k = klOrder(fit.slope, fit.seSlope);
    close(k.k, 1.985, 1e-14);
    close(k.seK, 0.018929694486000886, 1e-13);
    close(k.lambdaDir, 0.2518891687657431, 1e-14);
    expect(k.kInt).toBe(2); // |1.985 − 2| ≤ 2·0.0189
    expect(klOrder(1.5, 0.01).kInt).toBeUndefined(); // k = 1.75 is 0.25 from an integer: no snapping
  });

  it("SE is NaN for two points; masks select points; bad input throws", () => {
    const two = fitLoglog([1, 2], [3, 12]);
    close(two.slope, 2, 1e-14);
    expect(Number.isNaN(two.seSlope)).toBe(true);
    const m = fitLoglog([1, 2, 4, 8], [1, 4, 16, 1e9], { mask: [true, true, true, false] });
    close(m.slope, 2, 1e-14);
    expect(() => fitLoglog([1, 0], [1, 2])).toThrow(/t\[1\] = 0 must be positive/);
    expect(() => fitLoglog([1, 2], [1])).toThrow(/t has 2 values, y has 1/);
    expect(() => fitLoglog([2, 2, 2], [1, 2, 3])).toThrow(/abscissae are equal/);
  });
});

describe("W5 — Spearman with ties", () => {
  it("average ranks and ρ", () => {
    expect(Array.from(rankdata([2, 1, 4, 4, 6, 5]))).toEqual([2, 1, 3.5, 3.5, 6, 5]);
    close(spearman([1, 2, 3, 4, 5, 6], [2, 1, 4, 4, 6, 5]), 0.8696565534786727, 1e-15);
    expect(Number.isNaN(spearman([1, 2, 3], [5, 5, 5]))).toBe(true);
    expect(spearman([1, 2, 3], [30, 20, 10])).toBe(-1);
    expect(() => spearman([1, NaN], [1, 2])).toThrow(/x\[1\] is NaN/);
  });
});

describe("W6 — trust floors", () => {
  it("match the spec for ‖G‖ = 2, n = 100, factor 1000 × 100, ε_T = 1e−8", () => {
    expect(bandFloor(2, 100, "fp64-gram")).toBe(4.440892098500626e-14);
    expect(bandFloor(2, 100, "fp32-gram")).toBe(2.384185791015625e-5);
    expect(bandFloor(2, 100, "fp64-gram-tikhonov", { tikhonov: 1e-8 })).toBe(1e-8);
    expect(bandFloor(2, 100, "fp32-gram-tikhonov")).toBe(2.384185791015625e-5);
    close(bandFloor(2, 100, "fp64-factor", { N: 1000, p: 100 }), 9.860761315262648e-26, 1e-15);
    expect(() => bandFloor(2, 100, "fp64-factor")).toThrow(/needs the factor's shape/);
  });
});

describe("W7 — RRR λ", () => {
  const table: [number, number, number, number, number, number, number, string][] = [
    [5, 5, 3, 0, 13, 2, 2, "1-odd"], [5, 5, 4, 0, 8, 1, 1, "1-even"], [4, 8, 3, 0, 6, 1, 1, "2"],
    [8, 4, 3, 0, 6, 1, 1, "3"], [3, 4, 8, 0, 6, 1, 1, "4"], [6, 6, 3, 3, 27, 2, 1, "1-even"],
    [6, 6, 5, 2, 15, 1, 2, "1-odd"], [4, 8, 3, 2, 11, 1, 1, "2"], [7, 5, 4, 1, 23, 2, 2, "1-odd"],
    [1, 1, 1, 0, 1, 2, 2, "1-odd"], [4, 4, 7, 3, 8, 1, 1, "4"],
  ];
  it.each(table)("(%i,%i,%i,%i) → %i/%i, m = %i, case %s", (M, N, H, r, num, den, m, caseId) => {
    const got = rrrRLCT(M, N, H, r);
    expect(got).toEqual({ lambdaNum: num, lambdaDen: den, lambdaNumExact: String(num), lambdaDenExact: String(den), lambda: num / den, m, caseId });
  });
  it("is exact for every safe-integer input (BigInt): the issue's (100000007, 100000037, 100000039, 99999989)", () => {
    const got = rrrRLCT(100000007, 100000037, 100000039, 99999989);
    // case 1 with M + N + H + r even: (2(H+r)(M+N) − (M−N)² − (H+r)²)/8, reduced
    const [M, N, H, r] = [100000007n, 100000037n, 100000039n, 99999989n];
    const num = 2n * (H + r) * (M + N) - (M - N) ** 2n - (H + r) ** 2n;
    expect([got.lambdaNumExact, got.lambdaDenExact]).toEqual(["10000004400000195", "2"]);
    expect(BigInt(got.lambdaNumExact) * 8n).toBe(num * BigInt(got.lambdaDenExact));
    expect(got.lambdaNum).toBeNull(); // 10000004400000195 > 2⁵³: no exact double
    expect(got.lambda).toBe(Number(10000004400000195n) / 2);
    expect([got.m, got.caseId]).toEqual([1, "1-even"]);
    const big = rrrRLCT(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 1, 0);
    expect(big.lambdaNumExact).toBe(String(BigInt(Number.MAX_SAFE_INTEGER)));
  });
  it("r = H gives H(M+N−H)/2 (regular after the gauge)", () => {
    for (const [M, N, H] of [[6, 6, 3], [5, 7, 2], [4, 4, 4]] as const) {
      expect(rrrRLCT(M, N, H, H).lambda).toBe((H * (M + N - H)) / 2);
    }
  });
  it("throws on invalid input", () => {
    expect(() => rrrRLCT(3, 3, 2, 3)).toThrow(/r must satisfy 0 ≤ r ≤ min\(H, M, N\) = 2/);
    expect(() => rrrRLCT(2, 5, 4, 3)).toThrow(/r must satisfy/);
    expect(() => rrrRLCT(0, 1, 1, 0)).toThrow(/M must be an integer ≥ 1/);
    expect(() => rrrRLCT(2, 2, 1.5, 0)).toThrow(/H must be an integer/);
    expect(() => rrrRLCT(2, 2, 2, -1)).toThrow(/r must be an integer ≥ 0/);
  });
});

describe("W8 — extras on singular values (4, 2, 1, 1)", () => {
  const sv = [4, 2, 1, 1];
  const eig = sv.map((s) => s * s);
  it("effective rank, stable rank, entropy, participation ratio, top-1 energy", () => {
    close(effectiveRank(sv), 3.363585661014858, 1e-14);
    expect(stableRank(sv)).toBe(1.375);
    close(spectralEntropy(eig), 0.8225607715257676, 1e-14);
    close(spectralEntropy(eig, { normalize: true }), 0.5933521729550123, 1e-14);
    close(participationRatio(eig), 1.7664233576642336, 1e-15);
    expect(topKEnergy(sv, 1)).toBe(16 / 22);
    close(topKEnergy([1, 4, 1, 2], 1), 8 / 11, 1e-15); // any order
    close(effectiveRank(sv, { of: "eig" }), Math.exp(0.8225607715257676), 1e-14);
  });
  it("zeros are ignored, empty spectra give 0", () => {
    close(effectiveRank([4, 2, 1, 1, 0, 0]), 3.363585661014858, 1e-14);
    expect(effectiveRank([0, 0])).toBe(0);
    expect(participationRatio([])).toBe(0);
  });
});

describe("§6.2 counts and §9 E3d/E4", () => {
  it("slope ratio with delta-method SE, and deadCount", () => {
    const r = slopeRatio({ slope: 12.2, seSlope: 0.2 }, { slope: 6.1, seSlope: 0.1 });
    close(r.ratio, 2, 1e-15);
    close(r.se, 2 * Math.sqrt(2 * (0.2 / 12.2) ** 2), 1e-12);
    expect(r.count).toBe(2);
    expect(deadCount(18.3, 6.1)).toBe(3);
  });
  it("fitWindow: the longest run of constant nPos with non-negative margin, earliest on ties", () => {
    const pts = [
      { nPos: 5, marginDecades: 2 }, { nPos: 5, marginDecades: 1 }, { nPos: 4, marginDecades: 3 },
      { nPos: 4, marginDecades: 3 }, { nPos: 4, marginDecades: -1 }, { nPos: 4, marginDecades: 0 },
    ];
    expect(fitWindow(pts)).toEqual([true, true, false, false, false, false]);
    expect(fitWindow(pts.slice(1))).toEqual([false, true, true, false, false]);
    expect(fitWindow([{ nPos: 1, marginDecades: NaN }])).toEqual([false]);
  });
  it("activation sparsity, dead units, LayerNorm kernel", () => {
    const X = { rows: 3, cols: 3, data: [0, 1, 0, 0, 0, 2, 0, 0, 0] };
    expect(activationSparsity(X)).toBe(7 / 9);
    expect(deadUnits(X)).toBe(1);
    const u = layerNormKernel([1, 2, 4]);
    const inv = [1, 0.5, 0.25];
    const nrm = Math.sqrt(1 + 0.25 + 0.0625);
    expect(Array.from(u)).toEqual(inv.map((v) => v / nrm));
    expect(() => layerNormKernel([1, 0])).toThrow(/gamma\[1\] = 0/);
  });
});

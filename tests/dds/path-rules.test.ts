// Path statistics that refuse to over-claim (docs/path-statistics.md): a dead count or KL order only
// from slopes that are measurements (|b| ≥ 3 SE, R² ≥ 0.9, ≥ 3 points) with the sign of an approach to
// the singularity, and a count between 1 and nPos near an integer; otherwise null with the reason.
import { beforeAll, describe, expect, it } from "vitest";
import { init, layerReading, pathRow, ratioRow, SLOPE_RULE, slopeProblem, type LayerReading } from "../../src/entry/default.js";
import { orthonormal, withSingularValues } from "../helpers/spectra.js";
import { Rng } from "../helpers/prng.js";

beforeAll(async () => {
  await init();
});

const [N, d] = [200, 12];
const rng = new Rng(77);
const factors = { U: orthonormal(rng, N, d), V: orthonormal(rng, d, d) };
const X = { rows: N, cols: d, data: rng.matrix(N, d) };
const T = Array.from({ length: 9 }, (_, i) => 10 ** (-2 + (1.5 * i) / 8)); // 1e-2 … 10^-0.5

/** Layer readings along t of a Γ with singular values sv(t) (σ, so λ = σ²/N). */
function path(sv: (t: number, j: number) => number, ts = T): LayerReading[] {
  return ts.map((t) => layerReading(X, { rows: N, cols: d, data: withSingularValues(rng, N, Array.from({ length: d }, (_, j) => sv(t, j)), factors) }, { recipe: "factor" }));
}

describe("pathRow", () => {
  it("counts dead directions when the slopes are measurements (2 directions at rate 6)", () => {
    const row = pathRow({ series: "r=2", layer: "h", x: T, readings: path((t, j) => (j >= d - 2 ? t ** 3 : 1 + j)) });
    expect(row["slope/lambda_min_pos"]).toBeCloseTo(6, 8);
    expect(row["slope/logdet_pos"]).toBeCloseTo(12, 8);
    expect(row["count/dead"]).toBe(2);
    expect(row["kl/k"]).toBeCloseTo(4, 8);
    expect([row["count/reason"], row["kl/reason"]]).toEqual([null, null]);
  });

  it("gives no count from a flat λ⁺min (the old code printed thousands), and says why", () => {
    // 3 directions fall with σ ∝ t (log det⁺ slope 6) but stay above a flat smallest one that wobbles 1%
    const wobble = [1.004, 0.991, 1.008, 0.996, 1.01, 0.993, 1.002, 0.998, 1.006];
    const rs = path((t, j) => (j === d - 1 ? 1e-4 * wobble[T.indexOf(t)]! : j >= d - 4 ? t : 1 + j));
    const row = pathRow({ series: "flat", layer: "h", x: T, readings: rs });
    expect(row["slope/logdet_pos"]).toBeCloseTo(6, 1);
    expect(Math.abs(row["slope/lambda_min_pos"] as number)).toBeLessThan(0.01);
    const naive = Math.round((row["slope/logdet_pos"] as number) / (row["slope/lambda_min_pos"] as number));
    expect(Math.abs(naive)).toBeGreaterThan(d); // what a bare quotient would have claimed
    expect(row["count/dead"]).toBeNull();
    expect(row["kl/k"]).toBeNull();
    expect(row["count/reason"]).toMatch(/no dead count: the λ⁺min slope .* is not significantly non-zero \(\|b\|\/SE = .* < 3\)/);
    expect(row.warnings as string[]).toContain(row["kl/reason"]);
  });

  it("an exactly flat λ⁺min gives no count either (the quotient exceeds nPos)", () => {
    const row = pathRow({ series: "flat", layer: "h", x: T, readings: path((t, j) => (j === d - 1 ? 1e-4 : j >= d - 4 ? t : 1 + j)) });
    expect(row["count/dead"]).toBeNull();
    expect(row["count/reason"]).toMatch(/no dead count/);
  });

  it("a trajectory by step (t grows away from the singularity): no k, no count, a warning that says what to do", () => {
    const steps = [100, 200, 400, 800, 1600, 3200, 6400];
    const rs = path((t, j) => (j === d - 1 ? 1 / t : 1 + j), steps); // λ⁺min ∝ step⁻²: falls as step grows
    const row = pathRow({ series: "train", layer: "h", x: steps, readings: rs });
    expect(row["slope/lambda_min_pos"]).toBeCloseTo(-2, 6);
    expect(row["kl/k"]).toBeNull();
    expect(row["count/dead"]).toBeNull();
    expect(row["kl/reason"]).toMatch(/t grows away from the singularity \(use a t that goes to 0 toward it, e\.g\. the loss gap/);
    // with t = 1/step the same readings are an approach: k = 1 + 2/2 = 2
    const inv = pathRow({ series: "train", layer: "h", x: steps.map((s) => 1 / s), readings: rs });
    expect(inv["kl/k"]).toBeCloseTo(2, 6);
  });

  it("a poor fit (R² < 0.9) is not a measurement", () => {
    const noisy = [1, 40, 0.2, 3, 0.05, 9, 0.01, 0.5, 0.001];
    const row = pathRow({ series: "cloud", layer: "h", x: T, readings: path((t, j) => (j === d - 1 ? 1e-3 * noisy[T.indexOf(t)]! * t : 1 + j)) });
    expect(row["slope/lambda_min_pos_r2"] as number).toBeLessThan(SLOPE_RULE.minR2);
    expect(row["kl/k"]).toBeNull();
    expect(row["kl/reason"]).toMatch(/fit is poor \(R² = .* < 0\.9\)|not significantly non-zero/);
  });

  it("a ratio that is not near an integer is a rate-weighted sum, not a count", () => {
    // one direction at rate 4 (λ⁺min) and one at rate 2: log det⁺ slope 6, ratio 1.5
    const row = pathRow({ series: "mixed", layer: "h", x: T, readings: path((t, j) => (j === d - 1 ? t * t : j === d - 2 ? 0.5 * t : 1 + j)) });
    expect(row["slope/logdet_pos"]).toBeCloseTo(6, 6);
    expect(row["slope/lambda_min_pos"]).toBeCloseTo(4, 6);
    expect(row["count/dead"]).toBeNull();
    expect(row["count/reason"]).toMatch(/ratio 1\.50 .* is not near an integer/);
    expect(row["kl/k"]).toBeCloseTo(3, 6); // the KL order of the fastest direction is still a reading
  });

  it("refuses repeated t in one series and suggests grouping", () => {
    const rs = path((t, j) => (j === d - 1 ? t : 1 + j), [0.1, 0.2, 0.1, 0.2]);
    expect(() => pathRow({ series: "path", layer: "h", x: [0.1, 0.2, 0.1, 0.2], readings: rs })).toThrow(/series "path" has t = 0\.1 at points 0 and 2: a path needs one reading per t.*--group-by-metadata KEY/);
  });

  it("ratioRow gives a count only between measured, positive slopes", () => {
    const r1 = pathRow({ series: "r=1", layer: "h", x: T, readings: path((t, j) => (j === d - 1 ? t ** 3 : 1 + j)) });
    const r3 = pathRow({ series: "r=3", layer: "h", x: T, readings: path((t, j) => (j >= d - 3 ? t ** 3 : 1 + j)) });
    const flat = pathRow({ series: "flat", layer: "h", x: T, readings: path((_t, j) => 1 + j) });
    const q = ratioRow(r3, r1);
    expect(q["ratio/logdet_pos"]).toBeCloseTo(3, 8);
    expect([q["ratio/count"], q["ratio/reason"]]).toEqual([3, null]);
    const z = ratioRow(flat, r1);
    expect(z["ratio/count"]).toBeNull();
    expect(z["ratio/reason"]).toMatch(/flat log det⁺ slope .* not significantly non-zero|flat log det⁺ fit is poor/);
  });
});

describe("slopeProblem", () => {
  it("states each rule", () => {
    expect(slopeProblem("x", { slope: 2, seSlope: 0.1, r2: 0.99, n: 2 })).toMatch(/rests on 2 point/);
    expect(slopeProblem("x", { slope: 0.2, seSlope: 0.1, r2: 0.99, n: 9 })).toMatch(/\|b\|\/SE = 2\.0 < 3/);
    expect(slopeProblem("x", { slope: 2, seSlope: 0.1, r2: 0.5, n: 9 })).toMatch(/R² = 0\.50 < 0\.9/);
    expect(slopeProblem("x", { slope: -2, seSlope: 0.1, r2: 0.99, n: 9 })).toMatch(/negative/);
    expect(slopeProblem("x", { slope: 2, seSlope: 0.1, r2: 0.99, n: 9 })).toBeUndefined();
    expect(slopeProblem("x", { slope: 2, seSlope: 0.1, r2: 0.95, n: 9 }, { ...SLOPE_RULE, minR2: 0.99 })).toMatch(/R² = 0\.95 < 0\.99/);
  });
});

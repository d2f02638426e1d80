// docs/observables.md W1 (Gram vs factor path) and W2 (directional Fisher and null) with its numbers.
import { beforeAll, describe, expect, it } from "vitest";
import { activation, dirFisher, init, nullCompare, nullStats, spectrum } from "../../src/entry/default.js";
import { BINARIES } from "../helpers/prng.js";

function close(got: number, exp: number, rtol = 1e-12, atol = 0): void {
  expect(Math.abs(got - exp), `got ${got}, expected ${exp}`).toBeLessThanOrEqual(rtol * Math.abs(exp) + atol);
}
const EPS = 2 ** -52;
const r = Math.SQRT1_2;
const W1 = [[r, r], [1e-9 * r, -1e-9 * r]];

describe.each(BINARIES)("worked examples on the $name binary", ({ simd }) => {
  beforeAll(async () => {
    await init({ simd });
  });

  it("W1 factor path: both directions, log det⁺ = ln 0.5 + ln 5e−19", () => {
    const f = spectrum(W1);
    expect(f.recipe).toBe("factor");
    expect(f.nPos).toBe(2);
    close(f.pos[0]!, 0.5, 1e-15);
    close(f.pos[1]!, 5e-19, 1e-7); // relative accuracy of the tiny one is limited by the rounded input entries
    close(f.logdetPos, -42.832826035012715, 1e-14);
    close(f.floor, (EPS * 2 * 1) ** 2 / 2, 1e-14);
    close(f.lambdaMax, 0.5, 1e-15);
    expect(f.marginDecades).toBeGreaterThan(10);
  });

  it("W1 Gram path: ΓᵀΓ/2 rounds to 0.25·ones, one direction is lost", () => {
    const g = spectrum(W1, { recipe: "gram" });
    expect(g.recipe).toBe("gram");
    expect(g.nPos).toBe(1);
    close(g.lambdaMinPos, 0.5, 1e-15);
    close(g.logdetPos, Math.log(0.5), 1e-15);
    close(g.floor, 2.220446049250313e-16, 4 * EPS); // ε·n·‖M‖₂ with ‖M‖₂ = 0.5 to an ulp
    expect(spectrum(W1).nPos - g.nPos).toBe(1); // droppedVsFactor
  });

  it("W1 activation side: σ_min = 1e−9 and u_dead = ±(1, −1)/√2 with the sign rule", () => {
    const a = activation(W1);
    close(a.sigmaMin, 1e-9, 1e-7);
    close(a.sigmaMax, 1, 1e-15);
    expect(a.trusted).toBe(true);
    expect(a.unique).toBe(true);
    expect(a.xNullDim).toBe(0);
    // |⟨u, (1,−1)/√2⟩| = 1 and the largest-|·| entry (the first, on this tie) is positive
    close(Math.abs(a.uDead[0]! * r - a.uDead[1]! * r), 1, 1e-14);
    expect(a.uDead[0]).toBeGreaterThan(0);
  });

  it("W2: uᵀGu = 0.25 at e₃, null mean 1.75, var 1.05, z, separation 7", () => {
    const s3 = Math.sqrt(3);
    const gamma = [[2 * s3, 0, 0], [0, s3, 0], [0, 0, 0.5 * s3]];
    close(dirFisher(gamma, [0, 0, 1]), 0.25, 1e-14);
    close(dirFisher(gamma, [0, 0, 7]), 0.25, 1e-14); // any length
    const ns = nullStats(gamma);
    close(ns.mean, 1.75, 1e-14);
    close(ns.var, 1.05, 1e-13);
    const cmp = nullCompare(gamma, [0, 0, 1], [[1, 0, 0], [0, 1, 0], [1, 1, 1]]);
    close(cmp.qDead, 0.25, 1e-14);
    close(cmp.z, -1.4638501094227996, 1e-13);
    close(cmp.separation, 7, 1e-14);
    expect(Array.from(cmp.qNull).map((q) => Math.round(q * 1e12) / 1e12)).toEqual([4, 1, 1.75]);
    expect(cmp.fracNullBelow).toBe(0);
    close(cmp.separationMedian, 1.75 / 0.25, 1e-13);
    expect(() => dirFisher(gamma, [0, 0])).toThrow(/u has 2 entries but Γ has 3 columns/);
    expect(() => dirFisher(gamma, [0, 0, 0])).toThrow(/zero vector/);
  });

  it("σ_min of a wide X is 0 with the structural null space counted; repeated bottom values are not unique", () => {
    const a = activation([[1, 0, 0], [0, 2, 0]]);
    expect(a.sigmaMin).toBe(0);
    expect(a.xNullDim).toBe(1);
    expect(a.trusted).toBe(false);
    expect(a.unique).toBe(true); // d − N = 1: the null vector e₃ is unique
    expect(Array.from(a.uDead).map(Math.abs)).toEqual([0, 0, 1]);
    const b = activation([[1, 0, 0, 0], [0, 2, 0, 0]]);
    expect([b.xNullDim, b.unique]).toEqual([2, false]);
    const c = activation([[3, 0], [0, 3]]);
    expect(c.unique).toBe(false);
  });

  it("centring options change the readings as defined", () => {
    const X = [[1, 2], [3, 4], [5, 7]];
    const centeredX = [[-2, -2.333333333333333], [0, -0.33333333333333304], [2, 2.666666666666667]];
    const a = spectrum(X, { center: true });
    const b = spectrum(centeredX);
    close(a.lambdaMax, b.lambdaMax, 1e-14);
    close(a.logdetPos, b.logdetPos, 1e-10);
  });
});

describe("W3 — Kronecker identities", () => {
  it("A eig {2, 0.5}, S eig {3, 1, 0} under rotations: nPos 4, log det⁺ = ln 9, λ⁺_min = 0.5", async () => {
    const { kronReading } = await import("../../src/entry/default.js");
    const c = Math.cos(0.3), s = Math.sin(0.3);
    const R2 = [[c, -s], [s, c]];
    const A = conj(R2, [2, 0.5]);
    const q = 1 / Math.sqrt(3), h = 1 / Math.sqrt(2), w = 1 / Math.sqrt(6);
    const R3 = [[q, h, w], [q, -h, w], [q, 0, -2 * w]];
    const S = conj(R3, [3, 1, 0]);
    const k = kronReading(A, S);
    expect(k.nPos).toBe(4);
    expect([k.rankA, k.rankS]).toEqual([2, 2]);
    close(k.logdetPos, 2.1972245773362196, 1e-14);
    close(k.lambdaMinPos, 0.5, 1e-14);
    close(k.lambdaMax, 6, 1e-14);
  });
});

/** R diag(v) Rᵀ */
function conj(R: number[][], v: number[]): number[][] {
  const n = v.length;
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => {
    let t = 0;
    for (let k = 0; k < n; k++) t += R[i]![k]! * v[k]! * R[j]![k]!;
    return t;
  }));
}

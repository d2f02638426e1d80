// Which SVD a reading uses (docs/trust-floors.md, "Which SVD a reading uses"): the bidiagonal values
// are taken only when their error bound η = ε·max(m, n)·σ₁ is at most 1/16 of the floor and of u·σ_r
// (u the stored data's relative accuracy, σ_r the smallest singular value above the floor). Shown
// here: where the rule takes them, no reported number moves by more than that promise against the
// Jacobi reading; where digits would be lost (float64 data, graded spectra), it keeps Jacobi and the
// reading is the Jacobi reading bit for bit.
import { beforeAll, describe, expect, it } from "vitest";
import { init } from "../../src/entry/default.js";
import { layerReading, layerRow, readFactor, spectrum, svdvals, type LayerReading } from "../../src/index.js";
import { bidiagonalSvdvals } from "../../src/linalg/bdsvals.js";
import { factorInput } from "../../src/dds/reading.js";
import { BIDIAG_MARGIN, bidiagonalSuffices } from "../../src/dds/svdchoice.js";
import { Rng, sameBits } from "../helpers/prng.js";
import { RELATIVE, loadInput, table } from "../helpers/svd.js";

const U32 = 2 ** -24;
const EPS = 2 ** -52;

/** A Float32Array N × d: uniform entries, columns scaled by 10^(−decades·j/(d − 1)) when graded. */
function f32(N: number, d: number, seed: number, decades = 0): Float32Array {
  const rng = new Rng(seed);
  const out = new Float32Array(N * d);
  for (let i = 0; i < N; i++) for (let j = 0; j < d; j++) out[i * d + j] = rng.signed() * 10 ** (-(decades * j) / Math.max(1, d - 1));
  return out;
}

/** The factor reading a Jacobi SVD of Γ gives, with the same floors as layerReading's. */
function jacobiReading(G: Float32Array | Float64Array, N: number, d: number, o: { inputRtol?: number; inputDtype?: string } = {}) {
  const m = { rows: N, cols: d, data: G };
  return readFactor(svdvals(Float64Array.from(G), [N, d]).slice(0, Math.min(N, d)), N, d, N, {}, factorInput("test", m, o));
}

describe("which SVD a reading uses", () => {
  beforeAll(async () => {
    await init();
  });

  it("F32-stored X and Γ, wide and tall: bidiagonal values, and every positive λ within 2u/16 of the Jacobi reading's", () => {
    const rows: (string | number)[][] = [];
    for (const [N, d] of [[80, 120], [400, 60], [961, 1024]] as const) {
      const X = f32(N, d, N + d);
      const G = f32(N, d, N * d);
      const r = layerReading({ rows: N, cols: d, data: X }, { rows: N, cols: d, data: G });
      expect(r.factor!.svd, `${N}×${d}`).toBe("bidiagonal");
      // the activation side takes them only for N < d (for N ≥ d u_dead needs V: Jacobi)
      expect(r.activation.svd, `${N}×${d}`).toBe(N < d ? "bidiagonal" : "jacobi");
      const j = jacobiReading(G, N, d);
      expect(r.factor!.nPos).toBe(j.nPos);
      expect(r.factor!.floor).toBe(j.floor);
      let worst = 0;
      for (let i = 0; i < j.nPos; i++) worst = Math.max(worst, Math.abs(r.spectra.factor![i]! - j.pos[i]!) / j.pos[i]!);
      // σ within u/16 relative ⇒ λ = σ²/c within (1 + u/16)² − 1 ≈ 2u/16
      expect(worst, `${N}×${d}`).toBeLessThanOrEqual((2 * U32) / BIDIAG_MARGIN);
      expect(Math.abs(r.factor!.logdetPos - j.logdetPos)).toBeLessThanOrEqual((j.nPos * 2 * U32) / BIDIAG_MARGIN);
      expect(r.factor!.verdict).toBe(j.verdict);
      rows.push([`${N}×${d}`, r.factor!.nPos, worst, (2 * U32) / BIDIAG_MARGIN]);
      if (N < d) {
        expect(r.activation.xNullDim).toBe(d - N);
        expect(r.activation.sigmaMin).toBe(0);
        // u_dead from the same reduction: X·u = 0 to rounding
        let res = 0;
        let fro = 0;
        for (let i = 0; i < N; i++) {
          let t = 0;
          for (let k = 0; k < d; k++) t += X[i * d + k]! * r.activation.uDead[k]!;
          res += t * t;
        }
        for (const v of X) fro += v * v;
        expect(Math.sqrt(res)).toBeLessThanOrEqual(10 * d * EPS * Math.sqrt(fro));
      }
    }
    console.log(`F32 readings, bidiagonal vs Jacobi: max relative difference of the positive λ\n${table(["shape", "nPos", "max rel", "promise 2u/16"], rows)}`);
  });

  it("float64 data keep the Jacobi SVD: on a column-graded Γ the bidiagonal σ_min would be off by 1e-6 relative, the reading keeps the Jacobi λ⁺min", () => {
    const c = RELATIVE.find((r) => r.name === "graded_dec_400x40")!;
    const G = loadInput(c);
    const [N, d] = [c.m, c.n];
    const X = new Rng(3).matrix(N, d);
    const r = layerReading({ rows: N, cols: d, data: X }, { rows: N, cols: d, data: G });
    expect(r.factor!.svd).toBe("jacobi");
    expect(r.activation.svd).toBe("jacobi");
    const j = jacobiReading(G, N, d);
    const s = bidiagonalSvdvals("test", { rows: N, cols: d, data: G })!;
    const sj = svdvals(G, [N, d]);
    const k = j.nPos - 1;
    // the digits the rule protects: σ_min of this Γ is determined to ~ε relative by its f64 entries
    expect(Math.abs(s[k]! - sj[k]!) / sj[k]!).toBeGreaterThan(1e6 * EPS);
    expect(bidiagonalSuffices(s, N, d, 2 ** -53, () => 0)).toBe(false);
    // with the Jacobi SVD the reading reports the same λ⁺min the factor-path reading of the same Γ does
    // (the streaming factor R of a 400-row Γ is Γ's own QR: agree to a few ulps, not to the bit)
    expect(Math.abs(r.factor!.lambdaMinPos - j.lambdaMinPos) / j.lambdaMinPos).toBeLessThan(1e-12);
  });

  it("F32 data with a spectrum too wide for the bound keep Jacobi, and the reading's spectrum is the Jacobi SVD's of the same factor", () => {
    // columns graded over 6 decades: σ_r/σ₁ ≈ 3e-6 (above the F32 input floor ≈ 1e-7·σ₁), below
    // 16·η/u = 16·ε·max(m, n)/u ≈ 1.9e-5
    const [N, d] = [300, 30];
    const G = f32(N, d, 5, 6);
    const X = f32(N, d, 6);
    const r = layerReading({ rows: N, cols: d, data: X }, { rows: N, cols: d, data: G });
    expect(r.factor!.svd).toBe("jacobi");
    const sr = r.spectra.factor![r.factor!.nPos - 1]!;
    expect(r.factor!.nPos).toBe(d); // the smallest σ is above the floor: it is reported, so its digits count
    expect(Math.sqrt(sr / r.factor!.lambdaMax)).toBeLessThan(1.9e-5);
    const sp = spectrum({ rows: N, cols: d, data: G });
    expect(sp.svd).toBe("jacobi");
    expect(sameBits(sp.pos, jacobiReading(G, N, d).pos)).toBe(true);
    // the same Γ over 2 decades fits: bidiagonal
    const G2 = f32(N, d, 5, 2);
    expect(layerReading({ rows: N, cols: d, data: X }, { rows: N, cols: d, data: G2 }).factor!.svd).toBe("bidiagonal");
  });

  it("inputRtol decides for float64 data: stated 1e-7 (float32 arithmetic) → bidiagonal, 0 (exact) → Jacobi", () => {
    const [N, d] = [60, 90];
    const rng = new Rng(9);
    const X = rng.matrix(N, d);
    const G = rng.matrix(N, d);
    const m = (a: Float64Array) => ({ rows: N, cols: d, data: a });
    const pick = (r: LayerReading) => `${r.factor!.svd}/${r.activation.svd}`;
    expect(pick(layerReading(m(X), m(G)))).toBe("jacobi/jacobi");
    expect(pick(layerReading(m(X), m(G), { inputRtol: 1e-7 }))).toBe("bidiagonal/bidiagonal");
    expect(pick(layerReading(m(X), m(G), { inputRtol: 0 }))).toBe("jacobi/jacobi");
    expect(pick(layerReading(m(X), m(G), { inputDtype: "BF16" }))).toBe("bidiagonal/bidiagonal");
    // the report says which
    const row = layerRow("c", "l", layerReading(m(X), m(G), { inputRtol: 1e-7 }));
    expect(row["dds/svd"]).toBe("bidiagonal");
    expect(row["act/svd"]).toBe("bidiagonal");
  });

  it("the rule itself: the bound against the floor and against u·σ_r, at the boundary", () => {
    const [m, n] = [100, 100];
    const eta = EPS * 100; // σ₁ = 1
    const u = U32;
    const edge = (BIDIAG_MARGIN * eta) / u + eta; // the smallest σ_r the rule accepts
    const floor = () => 1e-9;
    expect(bidiagonalSuffices(new Float64Array([1, edge * (1 + 1e-9)]), m, n, u, floor)).toBe(true);
    expect(bidiagonalSuffices(new Float64Array([1, edge * (1 - 1e-9)]), m, n, u, floor)).toBe(false);
    // values at or below the floor do not count; a floor below 16η refuses outright
    expect(bidiagonalSuffices(new Float64Array([1, 1e-10]), m, n, u, floor)).toBe(true);
    expect(bidiagonalSuffices(new Float64Array([1, 0.5]), m, n, u, () => BIDIAG_MARGIN * eta * 0.99)).toBe(false);
    expect(bidiagonalSuffices(new Float64Array([1, 0.5]), m, n, 0, floor)).toBe(false);
    expect(bidiagonalSuffices(new Float64Array([0, 0]), m, n, u, floor)).toBe(true);
  });
});

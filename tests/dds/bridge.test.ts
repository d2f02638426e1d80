// docs/observables.md#deep-linear-bridge: the deep-linear noisy bridge (L = 4, D = 20, N = 300, σ = 0.1, r = 1…4, 11 values of t
// in logspace(−3, −0.5)). log det⁺ counts dead directions, λ⁺_min cannot, and the Gram path needs
// the validity window.
import { beforeAll, describe, expect, it } from "vitest";
import { BRIDGE_T, deepLinearBridge, fitLoglog, fitWindow, init, slopeRatio, spectrum, type LoglogFit, type SpectralReading } from "../../src/entry/default.js";

interface Row { r: number; factor: SpectralReading[]; gram: SpectralReading[]; logdet: LoglogFit; lmin: LoglogFit; gramAll: LoglogFit; gramWindow: LoglogFit; window: boolean[] }
const rows: Row[] = [];

beforeAll(async () => {
  await init();
  for (const r of [1, 2, 3, 4]) {
    const pts = deepLinearBridge({ L: 4, D: 20, N: 300, sigma: 0.1, r });
    const factor = pts.map((p) => spectrum(p.gamma[0]!)); // G_h1, factor path (default)
    const gram = pts.map((p) => spectrum(p.gamma[0]!, { recipe: "gram" }));
    const t = pts.map((p) => p.t);
    const window = fitWindow(gram);
    rows.push({
      r, factor, gram, window,
      logdet: fitLoglog(t, factor.map((x) => x.logdetPos), { logY: false }),
      lmin: fitLoglog(t, factor.map((x) => x.lambdaMinPos)),
      gramAll: fitLoglog(t, gram.map((x) => x.logdetPos), { logY: false }),
      gramWindow: fitLoglog(t, gram.map((x) => x.logdetPos), { logY: false, mask: window }),
    });
  }
  console.log("r  logdet slope (SE)      ratio to r=1   λ⁺min slope   Gram all-t slope   Gram windowed slope   window");
  for (const w of rows) {
    const ratio = slopeRatio(w.logdet, rows[0]!.logdet);
    console.log(`${w.r}  ${w.logdet.slope.toFixed(4)} (${w.logdet.seSlope.toExponential(1)})   ${ratio.ratio.toFixed(4)} ± ${ratio.se.toExponential(1)}   ${w.lmin.slope.toFixed(4)}        ${w.gramAll.slope.toFixed(3).padStart(8)}           ${w.gramWindow.slope.toFixed(4)}            ${w.window.map(Number).join("")}`);
  }
}, 60_000);

describe("deep-linear bridge, layer h1", () => {
  it("uses the spec's path: 11 values of logspace(−3, −0.5)", () => {
    expect(BRIDGE_T).toHaveLength(11);
    expect(BRIDGE_T[0]).toBe(1e-3);
    expect(Math.abs(BRIDGE_T[10]! - 10 ** -0.5)).toBeLessThan(1e-16);
  });

  it("factor path: every direction is resolved at every t (nPos = D, positive margin)", () => {
    for (const w of rows) {
      for (const f of w.factor) {
        expect(f.nPos).toBe(20);
        expect(f.marginDecades).toBeGreaterThan(1);
      }
    }
  });

  it("log det⁺(G_h1) slopes are 6r: ratios to r = 1 of 2, 3, 4 within 0.05", () => {
    for (const w of rows) expect(Math.abs(w.logdet.slope - 6 * w.r)).toBeLessThan(0.05 * w.r);
    for (const w of rows.slice(1)) {
      const ratio = slopeRatio(w.logdet, rows[0]!.logdet);
      expect(Math.abs(ratio.ratio - w.r)).toBeLessThan(0.05);
      expect(ratio.count).toBe(w.r);
    }
  });

  it("λ⁺_min(G_h1) slope is the same for every r (rank-blind), ≈ 2(L − 1) = 6", () => {
    for (const w of rows) {
      expect(Math.abs(w.lmin.slope - rows[0]!.lmin.slope)).toBeLessThan(0.1);
      expect(Math.abs(w.lmin.slope - 6)).toBeLessThan(0.1);
    }
  });

  it("the Gram path over all t is visibly wrong; fitWindow recovers the right slopes", () => {
    for (const w of rows) {
      expect(w.gramAll.slope).toBeLessThan(0); // dead eigenvalues fall below ε·n·‖G‖ and leave the sum
      expect(new Set(w.gram.map((g) => g.nPos)).size).toBeGreaterThan(1);
      expect(w.window.filter(Boolean).length).toBeGreaterThanOrEqual(5);
      expect(Math.abs(w.gramWindow.slope - w.logdet.slope)).toBeLessThan(0.05 * w.r);
    }
  });
});

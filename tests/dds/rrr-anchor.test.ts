// The reduced-rank-regression anchor (docs/observables.md#rank-tracking, src/dds/rrr-anchor.ts):
// rank-H truncated least-squares fits y ≈ B·A·x of rank-r truth, cells (H, r) over M = N = 6, in the
// balanced gauge; layer h1 is the H-wide bottleneck (Γ_h1 = ∂ℓ/∂h1), layer h2 the output (Γ_h2 = ŷ − y).
import { beforeAll, describe, expect, it } from "vitest";
import { activation, init, median, rrrAnchor, spearman, spectrum } from "../../src/entry/default.js";

interface Cell { H: number; r: number; lambda: number; lminH1: number; logdetH1: number; sminX1: number; lminH2: number }
const cells: Cell[] = [];

beforeAll(async () => {
  await init();
  for (const c of rrrAnchor()) {
    const s1 = spectrum({ rows: c.n, cols: c.H, data: c.G_h1 });
    cells.push({
      H: c.H, r: c.r, lambda: c.lambda, lminH1: s1.lambdaMinPos, logdetH1: s1.logdetPos,
      sminX1: activation({ rows: c.n, cols: c.H, data: c.X_h1 }).sigmaMin,
      lminH2: spectrum({ rows: c.n, cols: c.N, data: c.G_h2 }).lambdaMinPos,
    });
  }
  console.log("H r  λ_RRR   λ⁺min(G_h1)   log det⁺(G_h1)  σmin(X_h1)   λ⁺min(G_h2)");
  for (const c of cells) console.log(`${c.H} ${c.r}  ${c.lambda.toFixed(1).padStart(5)}   ${c.lminH1.toExponential(3)}    ${c.logdetH1.toFixed(3).padStart(8)}     ${c.sminX1.toExponential(3)}   ${c.lminH2.toExponential(4)}`);
}, 60_000);

describe("RRR anchor (M = N = 6, 14 cells)", () => {
  it("λ⁺_min(G_h1) collapses ≥ 100× from deficit-0 to deficit-≥1 cells", () => {
    const d0 = cells.filter((c) => c.H === c.r).map((c) => c.lminH1);
    const d1 = cells.filter((c) => c.H > c.r).map((c) => c.lminH1);
    const collapse = median(d0) / median(d1);
    console.log(`collapse ratio (median deficit-0 / median deficit-≥1): ${collapse.toFixed(1)}×`);
    expect(cells).toHaveLength(14);
    expect(collapse).toBeGreaterThanOrEqual(100);
  });

  it("the output layer is flat: λ⁺_min(G_h2) relative spread < 2% across cells", () => {
    const v = cells.map((c) => c.lminH2);
    const spread = (Math.max(...v) - Math.min(...v)) / median(v);
    console.log(`output-layer relative spread: ${(100 * spread).toFixed(3)}%`);
    expect(spread).toBeLessThan(0.02);
  });

  it("bottleneck observables rank-track the RRR λ with negative sign", () => {
    const lam = cells.map((c) => c.lambda);
    const rho = {
      lminH1: spearman(cells.map((c) => c.lminH1), lam),
      logdetH1: spearman(cells.map((c) => c.logdetH1), lam),
      sminX1: spearman(cells.map((c) => c.sminX1), lam),
    };
    console.log("Spearman ρ vs λ:", rho);
    expect(rho.lminH1).toBeLessThan(0);
    expect(rho.logdetH1).toBeLessThan(0);
    expect(rho.sminX1).toBeLessThan(0);
  });
});

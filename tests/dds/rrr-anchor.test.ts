// DDS.md §5.3 and §8: the reduced-rank-regression anchor. Rank-H truncated least-squares fits
// y ≈ B·A·x of rank-r truth, cells (H, r) over M = N = 6, factored in the balanced gauge; layer h1 is the
// H-wide bottleneck (Γ_h1 = ∂ℓ/∂h1), layer h2 the output (Γ_h2 = ŷ − y).
import { beforeAll, describe, expect, it } from "vitest";
import { SeededRandom, activation, init, median, randomOrthogonal, rrrRLCT, spearman, spectrum, svd } from "../../src/entry/default.js";

const M = 6, Nout = 6, n = 4000, sigma = 0.1;
const TRUE_S = [2.0, 1.7, 1.4, 1.1, 0.8, 0.5];

interface Cell { H: number; r: number; lambda: number; lminH1: number; logdetH1: number; sminX1: number; lminH2: number }
const cells: Cell[] = [];

/** C (a×c) = A (a×b) · B (b×c), row-major. */
function mm(A: Float64Array, B: Float64Array, a: number, b: number, c: number): Float64Array {
  const C = new Float64Array(a * c);
  for (let i = 0; i < a; i++) for (let k = 0; k < b; k++) {
    const v = A[i * b + k]!;
    for (let j = 0; j < c; j++) C[i * c + j]! += v * B[k * c + j]!;
  }
  return C;
}
const tr = (A: Float64Array, r: number, c: number): Float64Array => {
  const T = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) T[j * r + i] = A[i * c + j]!;
  return T;
};
/** Solve S·Z = R for symmetric positive definite S (m×m), R (m×k), by Gauss–Jordan. */
function solve(S: Float64Array, R: Float64Array, m: number, k: number): Float64Array {
  const A = Float64Array.from(S), Z = Float64Array.from(R);
  for (let p = 0; p < m; p++) {
    const piv = A[p * m + p]!;
    for (let j = 0; j < m; j++) A[p * m + j]! /= piv;
    for (let j = 0; j < k; j++) Z[p * k + j]! /= piv;
    for (let i = 0; i < m; i++) if (i !== p) {
      const f = A[i * m + p]!;
      for (let j = 0; j < m; j++) A[i * m + j]! -= f * A[p * m + j]!;
      for (let j = 0; j < k; j++) Z[i * k + j]! -= f * Z[p * k + j]!;
    }
  }
  return Z;
}

beforeAll(async () => {
  await init();
  const rng = new SeededRandom(2026);
  const Uo = randomOrthogonal(Nout, rng), Vi = randomOrthogonal(M, rng);
  const X = Float64Array.from({ length: n * M }, () => rng.normal()); // the same inputs and noise in every cell
  const E = Float64Array.from({ length: n * Nout }, () => rng.normal());
  for (let H = 1; H <= 4; H++) for (let r = 0; r <= H; r++) {
    // truth T = Σ_{k<r} s_k u_k v_kᵀ (N × M); Y = X Tᵀ + σE
    const T = new Float64Array(Nout * M);
    for (let k = 0; k < r; k++) for (let i = 0; i < Nout; i++) for (let j = 0; j < M; j++) T[i * M + j]! += TRUE_S[k]! * Uo[i * Nout + k]! * Vi[j * M + k]!;
    const Y = mm(X, tr(T, Nout, M), n, M, Nout).map((v, i) => v + sigma * E[i]!);
    // OLS Ŵᵀ = (XᵀX)⁻¹XᵀY, then rank-H truncation of the fitted values' output space
    const Wt = solve(mm(tr(X, n, M), X, M, n, M), mm(tr(X, n, M), Y, M, n, Nout), M, Nout); // M × N
    const fitted = mm(X, Wt, n, M, Nout);
    const Vh = svd({ rows: n, cols: Nout, data: fitted }).Vh; // rows: output directions
    const P = new Float64Array(Nout * Nout);
    for (let k = 0; k < H; k++) for (let i = 0; i < Nout; i++) for (let j = 0; j < Nout; j++) P[i * Nout + j]! += Vh.data[k * Nout + i]! * Vh.data[k * Nout + j]!;
    const WH = mm(P, tr(Wt, M, Nout), Nout, Nout, M); // N × M, rank H
    // balanced factors B = U√S (N × H), A = √S Vᵀ (H × M)
    const f = svd({ rows: Nout, cols: M, data: WH });
    const B = new Float64Array(Nout * H), A = new Float64Array(H * M);
    for (let k = 0; k < H; k++) {
      const rs = Math.sqrt(f.S[k]!);
      for (let i = 0; i < Nout; i++) B[i * H + k] = f.U.data[i * Math.min(Nout, M) + k]! * rs;
      for (let j = 0; j < M; j++) A[k * M + j] = f.Vh.data[k * M + j]! * rs;
    }
    const h1 = mm(X, tr(A, H, M), n, M, H); // n × H
    const yhat = mm(h1, tr(B, Nout, H), n, H, Nout);
    const g2 = yhat.map((v, i) => v - Y[i]!); // ∂ℓ/∂ŷ for ℓ = ½‖ŷ − y‖²
    const g1 = mm(g2, B, n, Nout, H); // ∂ℓ/∂h1 = Bᵀ g2 per sample
    const s1 = spectrum({ rows: n, cols: H, data: g1 });
    cells.push({
      H, r, lambda: rrrRLCT(M, Nout, H, r).lambda,
      lminH1: s1.lambdaMinPos, logdetH1: s1.logdetPos,
      sminX1: activation({ rows: n, cols: H, data: h1 }).sigmaMin,
      lminH2: spectrum({ rows: n, cols: Nout, data: g2 }).lambdaMinPos,
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

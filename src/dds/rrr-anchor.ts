// The reduced-rank-regression anchor (docs/observables.md#rank-tracking): rank-H truncated
// least-squares fits y ≈ B·A·x of a rank-r truth, one cell per (H, r) over M = N = 6, factored in the
// balanced gauge; layer h1 is the H-wide bottleneck (Γ_h1 = ∂ℓ/∂h1 = Bᵀ(ŷ − y)), h2 the output
// (Γ_h2 = ŷ − y). The same inputs and noise in every cell. Deterministic (+ − × ÷ √ and wasm SVDs).

import { is, options } from "./args.js";
import { svd } from "../linalg/svd.js";
import { rrrRLCT } from "./rrr.js";
import { randomOrthogonal, SeededRandom } from "./synthetic.js";

export interface RrrAnchorOptions {
  /** Samples (default 4000). */
  readonly n?: number;
  /** Label noise σ (default 0.1). */
  readonly sigma?: number;
  /** Seed of the inputs, the noise and the true directions (default 2026). */
  readonly seed?: number;
  /** Largest bottleneck width H (default 4; cells H = 1…maxH, r = 0…H). */
  readonly maxH?: number;
}

export interface RrrCell {
  readonly M: number;
  readonly N: number;
  readonly H: number;
  readonly r: number;
  /** The RLCT of the cell (rrrRLCT) and its exact rational. */
  readonly lambda: number;
  readonly lambdaNum: number;
  readonly lambdaDen: number;
  /** Activations and per-sample gradients at the bottleneck h1 (n × H) and gradients at the output (n × N), row-major. */
  readonly X_h1: Float64Array;
  readonly G_h1: Float64Array;
  readonly G_h2: Float64Array;
  readonly n: number;
}

const TRUE_S = [2.0, 1.7, 1.4, 1.1, 0.8, 0.5];

/** C (a×c) = A (a×b) · B (b×c), row-major. */
function mm(A: Float64Array, B: Float64Array, a: number, b: number, c: number): Float64Array {
  const C = new Float64Array(a * c);
  for (let i = 0; i < a; i++) for (let k = 0; k < b; k++) {
    const v = A[i * b + k]!;
    for (let j = 0; j < c; j++) C[i * c + j]! += v * B[k * c + j]!;
  }
  return C;
}

function tr(A: Float64Array, r: number, c: number): Float64Array {
  const T = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) T[j * r + i] = A[i * c + j]!;
  return T;
}

/** Solve S·Z = R for symmetric positive definite S (m×m), R (m×k), by Gauss–Jordan. */
function solve(S: Float64Array, R: Float64Array, m: number, k: number): Float64Array {
  const A = Float64Array.from(S);
  const Z = Float64Array.from(R);
  for (let p = 0; p < m; p++) {
    const piv = A[p * m + p]!;
    for (let j = 0; j < m; j++) A[p * m + j]! /= piv;
    for (let j = 0; j < k; j++) Z[p * k + j]! /= piv;
    for (let i = 0; i < m; i++) {
      if (i === p) continue;
      const f = A[i * m + p]!;
      for (let j = 0; j < m; j++) A[i * m + j]! -= f * A[p * m + j]!;
      for (let j = 0; j < k; j++) Z[i * k + j]! -= f * Z[p * k + j]!;
    }
  }
  return Z;
}

/** The cells (H, r) for H = 1…maxH, r = 0…H, of the reduced-rank-regression anchor with M = N = 6. */
export function rrrAnchor(o: RrrAnchorOptions = {}): RrrCell[] {
  o = options<RrrAnchorOptions>("rrrAnchor", o, { n: is.num({ integer: true, min: 2, max: 1e7 }), sigma: is.num({ min: 0 }), seed: is.num({ integer: true }), maxH: is.num({ integer: true, min: 1, max: 6 }) });
  const M = 6;
  const Nout = 6;
  const n = o.n ?? 4000;
  const sigma = o.sigma ?? 0.1;
  const rng = new SeededRandom(o.seed ?? 2026);
  const Uo = randomOrthogonal(Nout, rng);
  const Vi = randomOrthogonal(M, rng);
  const X = Float64Array.from({ length: n * M }, () => rng.normal());
  const E = Float64Array.from({ length: n * Nout }, () => rng.normal());
  const cells: RrrCell[] = [];
  for (let H = 1; H <= (o.maxH ?? 4); H++) {
    for (let r = 0; r <= H; r++) {
      // truth T = Σ_{k<r} s_k u_k v_kᵀ (N × M); Y = X Tᵀ + σE
      const T = new Float64Array(Nout * M);
      for (let k = 0; k < r; k++) for (let i = 0; i < Nout; i++) for (let j = 0; j < M; j++) T[i * M + j]! += TRUE_S[k]! * Uo[i * Nout + k]! * Vi[j * M + k]!;
      const Y = mm(X, tr(T, Nout, M), n, M, Nout).map((v, i) => v + sigma * E[i]!);
      // OLS Ŵᵀ = (XᵀX)⁻¹XᵀY, then the rank-H truncation in the fitted values' output space
      const Wt = solve(mm(tr(X, n, M), X, M, n, M), mm(tr(X, n, M), Y, M, n, Nout), M, Nout);
      const Vh = svd({ rows: n, cols: Nout, data: mm(X, Wt, n, M, Nout) }).Vh;
      const P = new Float64Array(Nout * Nout);
      for (let k = 0; k < H; k++) for (let i = 0; i < Nout; i++) for (let j = 0; j < Nout; j++) P[i * Nout + j]! += Vh.data[k * Nout + i]! * Vh.data[k * Nout + j]!;
      const WH = mm(P, tr(Wt, M, Nout), Nout, Nout, M);
      // balanced factors B = U√S (N × H), A = √S Vᵀ (H × M)
      const f = svd({ rows: Nout, cols: M, data: WH });
      const B = new Float64Array(Nout * H);
      const A = new Float64Array(H * M);
      for (let k = 0; k < H; k++) {
        const rs = Math.sqrt(f.S[k]!);
        for (let i = 0; i < Nout; i++) B[i * H + k] = f.U.data[i * Math.min(Nout, M) + k]! * rs;
        for (let j = 0; j < M; j++) A[k * M + j] = f.Vh.data[k * M + j]! * rs;
      }
      const h1 = mm(X, tr(A, H, M), n, M, H);
      const g2 = mm(h1, tr(B, Nout, H), n, H, Nout).map((v, i) => v - Y[i]!);
      const q = rrrRLCT(M, Nout, H, r);
      cells.push({ M, N: Nout, H, r, lambda: q.lambda, lambdaNum: q.lambdaNum!, lambdaDen: q.lambdaDen, X_h1: h1, G_h1: mm(g2, B, n, Nout, H), G_h2: g2, n });
    }
  }
  return cells;
}

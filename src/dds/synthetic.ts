// Synthetic data with known dead-direction structure, for tests, demos and users' own checks:
// the deep-linear noisy bridge of docs/observables.md#deep-linear-bridge. Deterministic to the bit in every engine: a seeded
// xorshift generator, Irwin–Hall normals and modified Gram–Schmidt use only + − × ÷ √.

import { is, num, options } from "./args.js";
import { DdsError } from "../errors.js";
import type { Mat } from "../linalg/input.js";

/** Seeded uniform and approximately normal draws (Irwin–Hall: Σ of 12 uniforms − 6). */
export class SeededRandom {
  private s: number;
  constructor(seed: number) {
    num("SeededRandom", "seed", seed, { integer: true });
    this.s = (seed >>> 0) ^ 0x9e3779b9 || 1;
  }
  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const u32 = (): number => {
      let x = this.s;
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (this.s = x >>> 0);
    };
    return ((u32() >>> 5) * 67108864 + (u32() >>> 6)) / 9007199254740992;
  }
  /** Mean 0, variance 1, support [−6, 6]. */
  normal(): number {
    let s = -6;
    for (let i = 0; i < 12; i++) s += this.uniform();
    return s;
  }
}

/** A D × D orthogonal matrix (row-major) from modified Gram–Schmidt, applied twice, on normal columns. */
export function randomOrthogonal(D: number, rng: SeededRandom): Float64Array {
  num("randomOrthogonal", "D", D, { integer: true, min: 1, max: 4096 });
  if (!(rng instanceof SeededRandom)) throw new DdsError("randomOrthogonal", "BAD_ARGUMENT", "rng must be a SeededRandom (new SeededRandom(seed))");
  const q = Float64Array.from({ length: D * D }, () => rng.normal()); // column j = q[··D + j]
  for (let j = 0; j < D; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        let dot = 0;
        for (let i = 0; i < D; i++) dot += q[i * D + k]! * q[i * D + j]!;
        for (let i = 0; i < D; i++) q[i * D + j]! -= dot * q[i * D + k]!;
      }
    }
    let nrm = 0;
    for (let i = 0; i < D; i++) nrm += q[i * D + j]! ** 2;
    nrm = Math.sqrt(nrm);
    for (let i = 0; i < D; i++) q[i * D + j]! /= nrm;
  }
  return q;
}

export interface BridgeOptions {
  /** Depth (default 4). */
  L?: number;
  /** Width (default 20). */
  D?: number;
  /** Samples (default 300). */
  N?: number;
  /** Label noise (default 0.1). */
  sigma?: number;
  /** Dead coordinates per layer (default 1). */
  r?: number;
  /** Path parameters (default 11 values of logspace(−3, −0.5)). */
  t?: readonly number[];
  /** Seed (default 1); the same x, noise and orthogonal bases are used for every t. */
  seed?: number;
}

/** One path point: activations X_ℓ = h_ℓ and per-sample gradients Γ_ℓ = ∂ℓ_i/∂h_ℓ, ℓ = 1..L. */
export interface BridgePoint {
  readonly t: number;
  /** Index ℓ − 1 holds layer h_ℓ. */
  readonly X: readonly Mat[];
  readonly gamma: readonly Mat[];
}

/** The default path: the 11 points of logspace(−3, −0.5). */
export const BRIDGE_T: readonly number[] = Object.freeze([
  0.001, 0.0017782794100389228, 0.0031622776601683794, 0.005623413251903491, 0.01, 0.01778279410038923,
  0.03162277660168379, 0.05623413251903491, 0.1, 0.1778279410038923, 0.31622776601683794,
]); // numpy.logspace(-3, -0.5, 11), as numpy prints them

/**
 * The deep-linear noisy bridge (docs/observables.md#deep-linear-bridge): W_ℓ(t) = U_ℓ diag(s_ℓ(t)) U_{ℓ−1}ᵀ with the last r
 * coordinates of every s_ℓ equal to c_ℓⱼ·t (dead) and the others in [0.5, 1.5] (live); labels
 * y = W(0)x + σε, loss ½‖ŷ − y‖². At layer h_ℓ the gradient-side rate is 2(L − ℓ), the activation side
 * 2ℓ, and the log det⁺(G_ℓ) slope is 2(L − ℓ)·r.
 */
export function deepLinearBridge(o: BridgeOptions = {}): BridgePoint[] {
  const op = "deepLinearBridge";
  const int = (min: number, max = 1e6) => is.num({ integer: true, min, max });
  o = options<BridgeOptions>(op, o, { L: int(1, 64), D: int(1, 4096), N: int(1, 1e7), sigma: is.num({ min: 0 }), r: int(0, 4096), t: (v) => (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === "number" && x > 0 && Number.isFinite(x)) ? undefined : "must be a non-empty array of positive numbers"), seed: is.num({ integer: true }) });
  const { L = 4, D = 20, N = 300, sigma = 0.1, r = 1, t = BRIDGE_T, seed = 1 } = o;
  if (!(Number.isInteger(L) && L >= 1 && Number.isInteger(D) && D >= 1 && Number.isInteger(N) && N >= 1 && Number.isInteger(r) && r >= 0 && r <= D)) {
    throw new DdsError("deepLinearBridge", "BAD_ARGUMENT", `need integers L, D, N ≥ 1 and 0 ≤ r ≤ D; got L=${L}, D=${D}, N=${N}, r=${r}`);
  }
  const rng = new SeededRandom(seed);
  const U = Array.from({ length: L + 1 }, () => randomOrthogonal(D, rng));
  const live = Array.from({ length: L }, () => Float64Array.from({ length: D }, () => 0.5 + rng.uniform()));
  const x = Float64Array.from({ length: N * D }, () => rng.normal());
  const eps = Float64Array.from({ length: N * D }, () => rng.normal());
  const weights = (tv: number): Float64Array[] =>
    live.map((s, l) => {
      const sv = s.map((v, j) => (j >= D - r ? v * tv : v)); // dead: c_ℓⱼ·t with c_ℓⱼ = the drawn value
      const W = new Float64Array(D * D); // U_{ℓ+1} diag(sv) U_ℓᵀ
      const Uo = U[l + 1]!;
      const Ui = U[l]!;
      for (let i = 0; i < D; i++) for (let j = 0; j < D; j++) {
        let acc = 0;
        for (let k = 0; k < D; k++) acc += Uo[i * D + k]! * sv[k]! * Ui[j * D + k]!;
        W[i * D + j] = acc;
      }
      return W;
    });
  // y = W(0) x + σ ε
  let y: Float64Array = x;
  for (const W of weights(0)) y = apply(W, y, N, D);
  y = y.map((v, i) => v + sigma * eps[i]!);
  return t.map((tv) => {
    const Ws = weights(tv);
    const hs: Float64Array[] = [];
    let h: Float64Array = x;
    for (const W of Ws) hs.push((h = apply(W, h, N, D)));
    const gs: Float64Array[] = new Array(L);
    let g: Float64Array = h.map((v, i) => v - y[i]!); // ∂ℓ/∂ŷ
    for (let l = L - 1; l >= 0; l--) {
      gs[l] = g;
      g = applyT(Ws[l]!, g, N, D);
    }
    const mat = (data: Float64Array): Mat => Object.freeze({ rows: N, cols: D, data });
    return Object.freeze({ t: tv, X: hs.map(mat), gamma: gs.map((v) => mat(v!)) });
  });
}

/** Rows h_i ← W h_i (h is N × D row-major). */
function apply(W: Float64Array, h: Float64Array, N: number, D: number): Float64Array {
  const out = new Float64Array(N * D);
  for (let n = 0; n < N; n++) for (let i = 0; i < D; i++) {
    let acc = 0;
    for (let k = 0; k < D; k++) acc += W[i * D + k]! * h[n * D + k]!;
    out[n * D + i] = acc;
  }
  return out;
}

/** Rows g_i ← Wᵀ g_i. */
function applyT(W: Float64Array, g: Float64Array, N: number, D: number): Float64Array {
  const out = new Float64Array(N * D);
  for (let n = 0; n < N; n++) for (let j = 0; j < D; j++) {
    let acc = 0;
    for (let k = 0; k < D; k++) acc += W[k * D + j]! * g[n * D + k]!;
    out[n * D + j] = acc;
  }
  return out;
}

// Spectral extensions of DDS.md §9 (E1–E4) on given spectra; logs and exps are taken in wasm.

import { DdsError } from "../errors.js";
import { exp, ln, lnArray } from "./wmath.js";

function positives(op: string, values: ArrayLike<number>): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) throw new DdsError(op, "NON_FINITE", `values[${i}] is ${v}`, { index: i });
    if (v > 0) out.push(v);
  }
  return Float64Array.from(out);
}

/** −Σ p_i ln p_i with p = v/Σv over the positive values v (0 for none). */
function entropyOf(v: Float64Array): number {
  if (v.length === 0) return 0;
  let s = 0;
  for (const x of v) s += x;
  const p = v.map((x) => x / s);
  const lp = lnArray(p);
  let h = 0;
  for (let i = 0; i < p.length; i++) h -= p[i]! * lp[i]!;
  return h;
}

/**
 * E1 effective rank exp(−Σ p_i ln p_i), p_i = v_i/Σv over the positive values (Roy & Vetterli).
 * `values` are singular values; `of: "eig"` uses their squares (the Gram's eigenvalues) instead.
 */
export function effectiveRank(values: ArrayLike<number>, o: { of?: "sv" | "eig" } = {}): number {
  let v = positives("effectiveRank", values);
  if (o.of === "eig") v = v.map((x) => x * x);
  return v.length === 0 ? 0 : exp(entropyOf(v));
}

/** E2 stable rank ‖X‖_F² / ‖X‖₂² from the singular values of X (0 for a zero matrix). */
export function stableRank(singularValues: ArrayLike<number>): number {
  const v = positives("stableRank", singularValues);
  let top = 0;
  let fro = 0;
  for (const s of v) [top, fro] = [Math.max(top, s), fro + s * s];
  return top === 0 ? 0 : fro / (top * top);
}

/** E3 spectral entropy −Σ p ln p over the positive eigenvalues; `normalize` divides by ln(#positive). */
export function spectralEntropy(eigenvalues: ArrayLike<number>, o: { normalize?: boolean } = {}): number {
  const v = positives("spectralEntropy", eigenvalues);
  const h = entropyOf(v);
  if (!o.normalize) return h;
  return v.length > 1 ? h / ln(v.length) : 0;
}

/** E3b participation ratio (Σλ)²/Σλ² over the positive eigenvalues (0 for none). */
export function participationRatio(eigenvalues: ArrayLike<number>): number {
  const v = positives("participationRatio", eigenvalues);
  let s = 0;
  let s2 = 0;
  for (const x of v) [s, s2] = [s + x, s2 + x * x];
  return s2 === 0 ? 0 : (s * s) / s2;
}

/** E3c top-k energy Σ_{i≤k} σ_i² / Σ σ_i² over singular values taken in descending order. */
export function topKEnergy(singularValues: ArrayLike<number>, k: number): number {
  if (!Number.isInteger(k) || k < 0) throw new DdsError("topKEnergy", "BAD_ARGUMENT", `k must be a non-negative integer, got ${k}`);
  const v = positives("topKEnergy", singularValues).sort().reverse();
  let top = 0;
  let all = 0;
  v.forEach((s, i) => {
    all += s * s;
    if (i < k) top += s * s;
  });
  return all === 0 ? 0 : top / all;
}

/** A row-major matrix for the activation statistics. */
export interface Activations {
  readonly rows: number;
  readonly cols: number;
  readonly data: ArrayLike<number>;
}

/** E3d fraction of entries with |X_ij| ≤ thr. */
export function activationSparsity(X: Activations, thr = 0): number {
  const n = X.rows * X.cols;
  if (n === 0) return NaN;
  let c = 0;
  for (let i = 0; i < n; i++) if (Math.abs(X.data[i]!) <= thr) c++;
  return c / n;
}

/** E3d number of columns (units) with every |X_ij| ≤ thr. */
export function deadUnits(X: Activations, thr = 0): number {
  let dead = 0;
  for (let j = 0; j < X.cols; j++) {
    let all = true;
    for (let i = 0; i < X.rows && all; i++) all = Math.abs(X.data[i * X.cols + j]!) <= thr;
    if (all && X.rows > 0) dead++;
  }
  return dead;
}

/**
 * E4 the exact kernel direction of post-LayerNorm centred activations: u_LN = γ⁻¹ / ‖γ⁻¹‖ (DDS.md §9,
 * from γ alone). RMSNorm has no such kernel.
 * @throws {DdsError} a zero or non-finite γ entry.
 */
export function layerNormKernel(gamma: ArrayLike<number>): Float64Array {
  const inv = new Float64Array(gamma.length);
  let s = 0;
  for (let i = 0; i < gamma.length; i++) {
    const g = gamma[i]!;
    if (!Number.isFinite(g) || g === 0) throw new DdsError("layerNormKernel", "BAD_ARGUMENT", `gamma[${i}] = ${g}: the LayerNorm kernel needs every γ finite and non-zero`, { index: i });
    inv[i] = 1 / g;
    s += inv[i]! * inv[i]!;
  }
  const norm = Math.sqrt(s);
  return inv.map((v) => v / norm);
}

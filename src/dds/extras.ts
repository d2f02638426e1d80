// Spectral extensions (docs/observables.md#extensions, E1–E4) on given spectra; logs and exps are taken in wasm.

import { DdsError } from "../errors.js";
import { is, num, options, record, vector, field } from "./args.js";
import { exp, ln, lnArray } from "./wmath.js";

/**
 * The positive values of a checked vector, divided by the largest (these statistics are
 * scale-invariant: scaling first keeps squares and sums of 1e±200 spectra in range).
 */
function positives(op: string, values: unknown, name: string): Float64Array {
  const v = vector(op, name, values);
  let top = 0;
  for (const x of v) top = Math.max(top, x);
  const out: number[] = [];
  for (const x of v) if (x > 0) out.push(x / top);
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
  const op = "effectiveRank";
  const opts = options<{ of?: "sv" | "eig" }>(op, o, { of: is.oneOf("sv", "eig") });
  let v = positives(op, values, "values");
  if (opts.of === "eig") v = v.map((x) => x * x);
  return v.length === 0 ? 0 : exp(entropyOf(v));
}

/** E2 stable rank ‖X‖_F² / ‖X‖₂² from the singular values of X (0 for a zero matrix). */
export function stableRank(singularValues: ArrayLike<number>): number {
  const v = positives("stableRank", singularValues, "singularValues");
  let top = 0;
  let fro = 0;
  for (const s of v) [top, fro] = [Math.max(top, s), fro + s * s];
  return top === 0 ? 0 : fro / (top * top);
}

/** E3 spectral entropy −Σ p ln p over the positive eigenvalues; `normalize` divides by ln(#positive). */
export function spectralEntropy(eigenvalues: ArrayLike<number>, o: { normalize?: boolean } = {}): number {
  const op = "spectralEntropy";
  const opts = options<{ normalize?: boolean }>(op, o, { normalize: is.bool });
  const v = positives(op, eigenvalues, "eigenvalues");
  const h = entropyOf(v);
  if (!opts.normalize) return h;
  return v.length > 1 ? h / ln(v.length) : 0;
}

/** E3b participation ratio (Σλ)²/Σλ² over the positive eigenvalues (0 for none). */
export function participationRatio(eigenvalues: ArrayLike<number>): number {
  const v = positives("participationRatio", eigenvalues, "eigenvalues");
  let s = 0;
  let s2 = 0;
  for (const x of v) [s, s2] = [s + x, s2 + x * x];
  return s2 === 0 ? 0 : (s * s) / s2;
}

/** E3c top-k energy Σ_{i≤k} σ_i² / Σ σ_i² over singular values taken in descending order. */
export function topKEnergy(singularValues: ArrayLike<number>, k: number): number {
  const v = positives("topKEnergy", singularValues, "singularValues").sort().reverse();
  num("topKEnergy", "k", k, { integer: true, min: 0 });
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

/** A checked activation matrix: { rows, cols, data } with rows·cols finite numbers, and thr ≥ 0. */
function activations(op: string, X: unknown, thr: unknown): [Activations & { data: Float64Array }, number] {
  const m = record<Activations>(op, "X", X, { rows: field.num({ integer: true, min: 0 }), cols: field.num({ integer: true, min: 0 }), data: field.numbers });
  const data = vector(op, "X.data", m.data);
  if (data.length !== m.rows * m.cols) throw new DdsError(op, "BAD_ARGUMENT", `X.data has ${data.length} values but X is ${m.rows} × ${m.cols} (${m.rows * m.cols})`);
  return [{ rows: m.rows, cols: m.cols, data }, num(op, "thr", thr, { min: 0 })];
}

/** E3d fraction of entries with |X_ij| ≤ thr (X non-empty). */
export function activationSparsity(X: Activations, thr = 0): number {
  const op = "activationSparsity";
  const [m, t] = activations(op, X, thr);
  const n = m.rows * m.cols;
  if (n === 0) throw new DdsError(op, "BAD_ARGUMENT", `X is ${m.rows} × ${m.cols}: an empty matrix has no sparsity`);
  let c = 0;
  for (let i = 0; i < n; i++) if (Math.abs(m.data[i]!) <= t) c++;
  return c / n;
}

/** E3d number of columns (units) with every |X_ij| ≤ thr (0 when X has no rows). */
export function deadUnits(X: Activations, thr = 0): number {
  const [m, t] = activations("deadUnits", X, thr);
  let dead = 0;
  for (let j = 0; j < m.cols; j++) {
    let all = true;
    for (let i = 0; i < m.rows && all; i++) all = Math.abs(m.data[i * m.cols + j]!) <= t;
    if (all && m.rows > 0) dead++;
  }
  return dead;
}

/**
 * E4 the exact kernel direction of post-LayerNorm centred activations: u_LN = γ⁻¹ / ‖γ⁻¹‖ (docs/observables.md#extensions,
 * from γ alone). RMSNorm has no such kernel.
 * @throws {DdsError} a zero or non-finite γ entry.
 */
export function layerNormKernel(gamma: ArrayLike<number>): Float64Array {
  const op = "layerNormKernel";
  const g = vector(op, "gamma", gamma, { minLength: 1 });
  let m = Infinity;
  for (let i = 0; i < g.length; i++) {
    if (g[i] === 0) throw new DdsError(op, "BAD_ARGUMENT", `gamma[${i}] = 0: the LayerNorm kernel needs every γ non-zero`, { index: i });
    m = Math.min(m, Math.abs(g[i]!));
  }
  // u ∝ γ⁻¹, computed as min|γ|/γ_i (|·| ≤ 1: no overflow for tiny γ, no underflow to 0 for huge γ)
  const inv = g.map((x) => m / x);
  let s = 0;
  for (const v of inv) s += v * v;
  const norm = Math.sqrt(s);
  return inv.map((v) => v / norm);
}

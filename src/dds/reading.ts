// Single-checkpoint spectral readings (DDS.md §3–§4): the positive spectrum of G = ΓᵀΓ/c by the
// factor path (SVD of Γ, default) or the Gram path (eigensolver on the formed Gram), each with its
// trust floor and margin, so a caller can see where fp64 stops being trustworthy.

import { DdsError } from "../errors.js";
import { gram, scaleDivisor, type Scale } from "../linalg/gram.js";
import { eigvalsh } from "../linalg/eigvalsh.js";
import { shapeOf, type MatrixInput } from "../linalg/input.js";
import { svdvals } from "../linalg/svdvals.js";
import { EPS64 } from "./band.js";
import { centered } from "./prep.js";
import { ln, log10, sumLn } from "./wmath.js";

/** Options shared by every reading (DDS.md §1, §3). */
export interface ReadingOptions {
  /** Gram normaliser: "mean" (c = N, default), "sum" (c = 1), "unbiased" (c = N − 1) or a number. */
  scale?: Scale;
  /** Subtract column means first (default false: the empirical Fisher is an uncentred moment). */
  center?: boolean;
  /** Relative tolerance of the positive set (factor: on singular values, default ε·max(N,p);
   * Gram: on eigenvalues, default ε·n). */
  rtol?: number;
  /** Absolute tolerance, same units as rtol's; the threshold is max(rtol·norm, atol). */
  atol?: number;
  /** "factor" (SVD of Γ, default) or "gram" (eigenvalues of the formed Gram). */
  recipe?: "factor" | "gram";
  /** Gram path: which Gram to form; "auto" (default) takes the smaller order. */
  side?: "auto" | "feature" | "sample";
}

/** A reading of the positive spectrum with its trust band (DDS.md §3.3). */
export interface SpectralReading {
  readonly recipe: "factor" | "gram";
  /** Factor path: the number of singular values min(N, p); Gram path: the order of the Gram formed. */
  readonly order: number;
  /** Size of the positive set P (the active rank). */
  readonly nPos: number;
  readonly lambdaMax: number;
  /** Threshold in eigenvalue units: values at or below it count as zero. */
  readonly floor: number;
  /** min P, NaN when P is empty. */
  readonly lambdaMinPos: number;
  /** Σ_{λ∈P} ln λ, 0 when P is empty (natural log, computed in wasm). */
  readonly logdetPos: number;
  /** log10(lambdaMax / floor). */
  readonly bandDecades: number;
  /** log10(lambdaMinPos / floor): below 1 the reading is marginal, below 0 untrusted. */
  readonly marginDecades: number;
  /** nPos(factor) − nPos(gram), set on the Gram reading when both paths ran. */
  readonly droppedVsFactor?: number;
  /** Gram path: which Gram was formed. */
  readonly side?: "feature" | "sample";
}

/** A reading together with its positive eigenvalues in descending order. */
export type Spectrum = SpectralReading & { readonly pos: Float64Array };

function tolerance(op: string, o: ReadingOptions, defaultRtol: number): [number, number] {
  const rtol = o.rtol ?? defaultRtol;
  const atol = o.atol ?? 0;
  if (!(rtol >= 0) || !(atol >= 0) || !Number.isFinite(rtol) || !Number.isFinite(atol)) {
    throw new DdsError(op, "BAD_ARGUMENT", `rtol and atol must be finite and ≥ 0, got rtol=${rtol}, atol=${atol}`);
  }
  return [rtol, atol];
}

function finish(recipe: "factor" | "gram", order: number, pos: Float64Array, lambdaMax: number, floor: number, logdetPos: number, side?: "feature" | "sample"): Spectrum {
  const lambdaMinPos = pos.length > 0 ? pos[pos.length - 1]! : NaN;
  const r: Record<string, unknown> = {
    recipe, order, nPos: pos.length, lambdaMax, floor, lambdaMinPos, logdetPos,
    bandDecades: log10(lambdaMax / floor),
    marginDecades: pos.length > 0 ? log10(lambdaMinPos / floor) : NaN,
    pos,
  };
  if (side) r.side = side;
  return Object.freeze(r) as unknown as Spectrum;
}

/**
 * Factor path from singular values s (descending) of an N × p factor: λ = s²/c on the set s > τ_s,
 * τ_s = max(rtol·s₁, atol), floor τ_s²/c; ln λ = 2 ln s − ln c (no underflow for tiny s).
 */
export function readFactor(s: Float64Array, N: number, p: number, c: number, o: ReadingOptions = {}): Spectrum {
  const [rtol, atol] = tolerance("spectrum", o, EPS64 * Math.max(N, p));
  const s1 = s.length > 0 ? s[0]! : 0;
  const tau = Math.max(rtol * s1, atol);
  let k = 0;
  while (k < s.length && s[k]! > tau) k++;
  const sPos = s.subarray(0, k);
  const pos = sPos.map((v) => (v * v) / c);
  const logdet = k > 0 ? 2 * sumLn(sPos) - k * ln(c) : 0;
  return finish("factor", s.length, pos, (s1 * s1) / c, (tau * tau) / c, logdet);
}

/** Gram path from eigenvalues w (any order) of a symmetric PSD matrix of order n: P = {w > τ}, τ = max(rtol·max|w|, atol). */
export function readGram(w: Float64Array, o: ReadingOptions = {}, side?: "feature" | "sample"): Spectrum {
  const n = w.length;
  const [rtol, atol] = tolerance("spectrum", o, EPS64 * n);
  const desc = Float64Array.from(w).sort().reverse();
  let norm = 0;
  for (const v of desc) norm = Math.max(norm, Math.abs(v));
  const tau = Math.max(rtol * norm, atol);
  let k = 0;
  while (k < n && desc[k]! > tau) k++;
  const pos = desc.slice(0, k);
  return finish("gram", n, pos, n > 0 ? desc[0]! : NaN, tau, k > 0 ? sumLn(pos) : 0, side);
}

/**
 * The positive spectrum of `G = ΓᵀΓ/c` (DDS.md §3.2): factor path (SVD of Γ) by default, Gram path
 * with `recipe: "gram"`. `pos` holds the positive eigenvalues in descending order.
 * @throws {NonFiniteError} NaN/±Inf in Γ. @throws {DdsError} bad options.
 */
export function spectrum(gamma: MatrixInput, o: ReadingOptions = {}): Spectrum {
  const op = "spectrum";
  const [N, p] = shapeOf(op, gamma);
  const c = scaleDivisor(op, o.scale, N);
  const G = o.center ? centered(op, gamma) : gamma;
  if ((o.recipe ?? "factor") === "factor") return readFactor(svdvals(G), N, p, c, o);
  if (o.recipe !== "gram") throw new DdsError(op, "BAD_ARGUMENT", `recipe must be "factor" or "gram", got ${String(o.recipe)}`);
  const side = o.side === "feature" || o.side === "sample" ? o.side : N < p ? "sample" : "feature";
  return readGram(eigvalsh(gram(G, { scale: o.scale, side }), { checkFinite: false }), o, side);
}

/** Gram-path reading of a given symmetric PSD matrix (eigenvalues of M itself; DDS.md §11 spectrumSym). */
export function spectrumSym(M: MatrixInput, o: ReadingOptions = {}): Spectrum {
  return readGram(eigvalsh(M), o);
}

/** λ⁺_min(G) by the chosen recipe. */
export const lambdaMinPos = (gamma: MatrixInput, o?: ReadingOptions): number => spectrum(gamma, o).lambdaMinPos;
/** log det⁺(G) by the chosen recipe. */
export const logdetPos = (gamma: MatrixInput, o?: ReadingOptions): number => spectrum(gamma, o).logdetPos;

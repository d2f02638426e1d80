// Single-checkpoint spectral readings (docs/trust-floors.md): the positive spectrum of G = ΓᵀΓ/c by
// the factor path (SVD of Γ, default) or the Gram path (eigensolver on the formed Gram), each with
// its floor — the larger of what the arithmetic resolves and what the input's own precision hides —
// and its margin, so a caller can see where the reading stops describing the network.

import { DdsError, LinAlgError } from "../errors.js";
import { gram, scaleDivisor, type Scale } from "../linalg/gram.js";
import { eigvalsh } from "../linalg/eigvalsh.js";
import { shapeOf, type MatrixInput } from "../linalg/input.js";
import { EPS64 } from "./band.js";
import { frobeniusNorm, inputPrecisionOf, inputSvFloor, type InputPrecision } from "./precision.js";
import { asMat, centered } from "./prep.js";
import { is, num, options, READING_SPEC, record, vector } from "./args.js";
import { describe } from "../validate.js";
import { ln, log10, log10Array, sumLn } from "./wmath.js";
import { factorValues, type SvdAlgorithm } from "./svdchoice.js";

/** Options shared by every reading (docs/trust-floors.md). */
export interface ReadingOptions {
  /** Gram normaliser: "mean" (c = N, default), "sum" (c = 1), "unbiased" (c = N − 1) or a number. */
  scale?: Scale;
  /** Subtract column means first (default false: the empirical Fisher is an uncentred moment). */
  center?: boolean;
  /** Relative tolerance of the positive set (factor: on singular values, default ε·max(N,p);
   * Gram: on eigenvalues, default ε·n). */
  rtol?: number;
  /** Absolute tolerance, same units as rtol's; the threshold is max(rtol·norm, atol, input floor). */
  atol?: number;
  /** "factor" (SVD of Γ, default) or "gram" (eigenvalues of the formed Gram). */
  recipe?: "factor" | "gram";
  /** Gram path: which Gram to form; "auto" (default) takes the smaller order. */
  side?: "auto" | "feature" | "sample";
  /**
   * Relative accuracy of the input's entries, |E_ij| ≤ inputRtol·|Γ_ij| (default: the unit roundoff of
   * `inputDtype`). Raises the floor to the input floor (inputRtol·‖Γ‖_F)²/c when that is larger. State
   * it when Γ is less accurate than its storage: ~1e-6 when computed in float32, or what a cancellation
   * left (docs/trust-floors.md, docs/producing-gradients.md).
   */
  inputRtol?: number;
  /**
   * The dtype Γ was stored in before it reached float64 (safetensors spelling: "F32", "BF16", …).
   * Default: "F32" for Float32Array data, else "F64".
   */
  inputDtype?: string;
}

/** How a reading's numbers stand against its floor. */
export type Verdict = "trusted" | "marginal" | "untrusted" | "empty";

/** A reading of the positive spectrum with its trust band (docs/trust-floors.md). */
export interface SpectralReading {
  readonly recipe: "factor" | "gram";
  /** Factor path: the number of singular values min(N, p); Gram path: the order of the Gram formed. */
  readonly order: number;
  /** Size of the positive set P (the active rank). */
  readonly nPos: number;
  readonly lambdaMax: number;
  /** Threshold in eigenvalue units, max(floorArith, floorInput): values at or below it count as zero. */
  readonly floor: number;
  /** The arithmetic floor: what float64 arithmetic of this recipe resolves (with rtol/atol). */
  readonly floorArith: number;
  /** The input floor: what the input's own error (inputRtol, inputDtype) hides. */
  readonly floorInput: number;
  /** Which of the two is the floor. */
  readonly floorBy: "arithmetic" | "input";
  /** The stored dtype and relative accuracy behind floorInput. */
  readonly inputDtype: string;
  readonly inputRtol: number;
  /** min P, NaN when P is empty. */
  readonly lambdaMinPos: number;
  /** Σ_{λ∈P} ln λ, 0 when P is empty (natural log, computed in wasm). */
  readonly logdetPos: number;
  /** log10(lambdaMax / floor). */
  readonly bandDecades: number;
  /** log10(lambdaMinPos / floor): below 1 the reading is marginal. */
  readonly marginDecades: number;
  /** "empty" (P empty), "marginal" (margin < 1 decade), "untrusted" (set by layerReading when the
   * Gram path lost directions the factor path resolves), else "trusted". */
  readonly verdict: Verdict;
  /** Largest gap log10(λ_i/λ_{i+1}) between consecutive positive eigenvalues (0 when nPos < 2). */
  readonly maxGapDecades: number;
  /** How many positive eigenvalues lie above that gap. */
  readonly nAboveGap: number;
  /** log10(λ_1/λ_{nAboveGap}): how many decades the directions above the gap span. */
  readonly spreadAboveGapDecades: number;
  /** The input accuracy (relative, normwise) at which the directions below the gap reach the floor:
   * they describe the network only if X and Γ are more accurate than this. NaN when nPos < 2. */
  readonly gapInputRtol: number;
  /** nPos(factor) − nPos(gram), set on the Gram reading when both paths ran. */
  readonly droppedVsFactor?: number;
  /** Gram path: which Gram was formed. */
  readonly side?: "feature" | "sample";
  /** Factor path of a layer reading: which SVD gave the singular values — "jacobi" (relatively
   * accurate) or "bidiagonal" where its error cannot reach a digit Γ's storage determines
   * (docs/trust-floors.md, "Which SVD a reading uses"). */
  readonly svd?: SvdAlgorithm;
}

/** A reading together with its positive eigenvalues (descending) and the values at or below the floor.
 * readFactor/readGram called without an input floor report floorInput 0 (inputRtol 0). */
export type Spectrum = SpectralReading & {
  readonly pos: Float64Array;
  /** Eigenvalues at or below the floor, descending (Gram path: round-off negatives included). */
  readonly below: Float64Array;
};

/** The input side of a reading: its precision, its floor in eigenvalue units, and ρ(λ), the input
 * accuracy at which an eigenvalue λ would reach the floor. */
export interface InputFloor {
  readonly precision: InputPrecision;
  readonly floor: number;
  readonly rtolAt: (lambda: number) => number;
}

const NO_INPUT: InputFloor = Object.freeze({ precision: Object.freeze({ dtype: "F64", rtol: 0, atol: 0 }), floor: 0, rtolAt: () => NaN });

function tolerance(op: string, o: ReadingOptions, defaultRtol: number): [number, number] {
  const rtol = o.rtol ?? defaultRtol;
  const atol = o.atol ?? 0;
  if (!(rtol >= 0) || !(atol >= 0) || !Number.isFinite(rtol) || !Number.isFinite(atol)) {
    throw new DdsError(op, "BAD_ARGUMENT", `rtol and atol must be finite and ≥ 0, got rtol=${rtol}, atol=${atol}`);
  }
  return [rtol, atol];
}

/** Largest gap between consecutive positive eigenvalues (descending), in decades (wasm log10). */
function gapOf(pos: Float64Array, input: InputFloor): Pick<SpectralReading, "maxGapDecades" | "nAboveGap" | "spreadAboveGapDecades" | "gapInputRtol"> {
  if (pos.length < 2) return { maxGapDecades: 0, nAboveGap: pos.length, spreadAboveGapDecades: 0, gapInputRtol: NaN };
  const ratios = new Float64Array(pos.length - 1);
  for (let i = 0; i + 1 < pos.length; i++) ratios[i] = pos[i]! / pos[i + 1]!;
  const g = log10Array(ratios);
  let k = 0;
  for (let i = 1; i < g.length; i++) if (g[i]! > g[k]!) k = i;
  return { maxGapDecades: g[k]!, nAboveGap: k + 1, spreadAboveGapDecades: log10(pos[0]! / pos[k]!), gapInputRtol: input.rtolAt(pos[k + 1]!) };
}

function finish(recipe: "factor" | "gram", order: number, pos: Float64Array, below: Float64Array, lambdaMax: number, floorArith: number, input: InputFloor, logdetPos: number, side?: "feature" | "sample"): Spectrum {
  const floor = Math.max(floorArith, input.floor);
  const lambdaMinPos = pos.length > 0 ? pos[pos.length - 1]! : NaN;
  const marginDecades = pos.length > 0 ? log10(lambdaMinPos / floor) : NaN;
  const r: Record<string, unknown> = {
    recipe, order, nPos: pos.length, lambdaMax, floor, floorArith, floorInput: input.floor,
    floorBy: input.floor > floorArith ? "input" : "arithmetic", inputDtype: input.precision.dtype, inputRtol: input.precision.rtol,
    lambdaMinPos, logdetPos,
    bandDecades: log10(lambdaMax / floor),
    marginDecades,
    verdict: pos.length === 0 ? "empty" : marginDecades < 1 ? "marginal" : "trusted",
    ...gapOf(pos, input),
    pos, below,
  };
  if (side) r.side = side;
  return Object.freeze(r) as unknown as Spectrum;
}

/**
 * λ = σ²/c without overflow when λ itself is finite: σ·σ/c as is (bits unchanged for ordinary data),
 * else (σ/√c)²; a λ beyond the float64 range is refused (docs/trust-floors.md).
 */
function sq(op: string, v: number, c: number): number {
  const l = (v * v) / c;
  if (Number.isFinite(l)) return l;
  const r = v / Math.sqrt(c);
  const l2 = r * r;
  if (!Number.isFinite(l2)) throw new LinAlgError(op, `an eigenvalue σ²/c = (${v})²/${c} overflows float64: the data's scale is beyond what a reading can report (scale Γ down)`, {}, "NON_FINITE");
  return l2;
}

/**
 * Factor path from singular values s (descending) of an N × p factor: λ = s²/c on the set s > τ_s,
 * τ_s = max(rtol·s₁, atol, δ) with δ = input.sv the input floor in singular-value units, floor τ_s²/c;
 * ln λ = 2 ln s − ln c (no underflow for tiny s).
 */
export function readFactor(s: Float64Array, N: number, p: number, c: number, o: ReadingOptions = {}, input?: { readonly sv: number; readonly precision: InputPrecision; readonly frob: number }): Spectrum {
  return factorReading(checkSv("readFactor", s), N, p, c, o, input, "readFactor");
}

/** Singular values: a vector of finite non-negative numbers (descending order is the caller's). */
function checkSv(op: string, s: unknown): Float64Array {
  const v = vector(op, "s", s);
  for (let i = 0; i < v.length; i++) if (v[i]! < 0) throw new DdsError(op, "BAD_ARGUMENT", `s[${i}] = ${v[i]} is negative: singular values are ≥ 0`, { index: i });
  for (let i = 1; i < v.length; i++) if (v[i]! > v[i - 1]!) throw new DdsError(op, "BAD_ARGUMENT", `s must be in descending order (s[${i}] = ${v[i]} > s[${i - 1}] = ${v[i - 1]})`, { index: i });
  return v;
}

/** (internal) readFactor on checked singular values. */
export function factorReading(s: Float64Array, N: number, p: number, c: number, o: ReadingOptions = {}, input?: { readonly sv: number; readonly precision: InputPrecision; readonly frob: number }, op = "spectrum"): Spectrum {
  if (op !== "spectrum") {
    num(op, "N", N, { integer: true, min: 0 });
    num(op, "p", p, { integer: true, min: 0 });
    num(op, "c", c, { gt: 0 });
    options(op, o, READING_SPEC);
    if (s.length > Math.min(N, p)) throw new DdsError(op, "BAD_ARGUMENT", `${s.length} singular values for an ${N} × ${p} factor (at most ${Math.min(N, p)})`);
    if (input !== undefined) record(op, "input", input, { sv: is.num({ min: 0 }), precision: is.object, frob: is.num({ min: 0 }) });
  }
  const [rtol, atol] = tolerance(op, o, EPS64 * Math.max(N, p));
  const s1 = s.length > 0 ? s[0]! : 0;
  const tauArith = Math.max(rtol * s1, atol);
  const delta = input?.sv ?? 0;
  const tau = Math.max(tauArith, delta);
  let k = 0;
  while (k < s.length && s[k]! > tau) k++;
  const sPos = s.subarray(0, k);
  const pos = sPos.map((v) => sq(op, v, c));
  const below = s.slice(k).map((v) => sq(op, v, c));
  const logdet = k > 0 ? 2 * sumLn(sPos) - k * ln(c) : 0;
  const inp: InputFloor = input ? { precision: input.precision, floor: (delta * delta) / c, rtolAt: (l) => Math.sqrt(c * l) / input.frob } : NO_INPUT;
  return finish("factor", s.length, pos, below, sq(op, s1, c), sq(op, tauArith, c), inp, logdet);
}

/**
 * Gram path from eigenvalues w (any order) of a symmetric PSD matrix of order n: P = {w > τ},
 * τ = max(rtol·max|w|, atol, input floor).
 */
export function readGram(w: Float64Array, o: ReadingOptions = {}, side?: "feature" | "sample", input: InputFloor = NO_INPUT): Spectrum {
  const op = "readGram";
  const v = vector(op, "w", w);
  options(op, o, READING_SPEC);
  if (side !== undefined && side !== "feature" && side !== "sample") throw new DdsError(op, "BAD_ARGUMENT", `side must be "feature" or "sample", got ${describe(side)}`);
  record(op, "input", input, { floor: is.num({ min: 0 }), rtolAt: is.fn, precision: is.object });
  return gramReading(v, o, side, input);
}

/** (internal) readGram on checked eigenvalues. */
export function gramReading(w: Float64Array, o: ReadingOptions = {}, side?: "feature" | "sample", input: InputFloor = NO_INPUT): Spectrum {
  const n = w.length;
  const [rtol, atol] = tolerance("spectrum", o, EPS64 * n);
  const desc = Float64Array.from(w).sort().reverse();
  let norm = 0;
  for (const v of desc) norm = Math.max(norm, Math.abs(v));
  const tauArith = Math.max(rtol * norm, atol);
  const tau = Math.max(tauArith, input.floor);
  let k = 0;
  while (k < n && desc[k]! > tau) k++;
  const pos = desc.slice(0, k);
  return finish("gram", n, pos, desc.slice(k), n > 0 ? desc[0]! : NaN, tauArith, input, k > 0 ? sumLn(pos) : 0, side);
}

/** The input floor of a factor Γ (N × p) as stored: δ = rtol·‖Γ‖_F + atol·√(Np) in singular-value units. */
export function factorInput(op: string, gamma: MatrixInput, o: Pick<ReadingOptions, "inputRtol" | "inputDtype">): { sv: number; precision: InputPrecision; frob: number } {
  const [N, p] = shapeOf(op, gamma);
  const precision = inputPrecisionOf(op, gamma, o.inputDtype, o.inputRtol);
  const frob = frobeniusNorm(op, gamma);
  return { sv: inputSvFloor(frob, N, p, precision), precision, frob };
}

/**
 * The positive spectrum of `G = ΓᵀΓ/c` (docs/observables.md#two-recipes): factor path (SVD of Γ) by default, Gram path
 * with `recipe: "gram"`. `pos` holds the positive eigenvalues in descending order.
 * @throws {NonFiniteError} NaN/±Inf in Γ. @throws {DdsError} bad options.
 */
export function spectrum(gamma: MatrixInput, o: ReadingOptions = {}): Spectrum {
  return spectrumAs("spectrum", gamma, o);
}

function spectrumAs(op: string, gamma: MatrixInput, o: ReadingOptions = {}): Spectrum {
  const [N, p] = shapeOf(op, gamma);
  options(op, o, READING_SPEC);
  const c = scaleDivisor(op, o.scale, N);
  const recipe = o.recipe ?? "factor";
  if (recipe !== "factor" && recipe !== "gram") throw new DdsError(op, "BAD_ARGUMENT", `recipe must be "factor" or "gram", got ${String(o.recipe)}`);
  const input = factorInput(op, gamma, o); // of Γ as stored: centring does not lower it
  return readPrepared(o.center ? centered(op, gamma) : gamma, N, p, c, o, input, recipe);
}

/** (internal) Read a (centred if asked) Γ, N × p, by one recipe against the input floor of Γ as stored. */
export function readPrepared(G: MatrixInput, N: number, p: number, c: number, o: ReadingOptions, input: ReturnType<typeof factorInput>, recipe: "factor" | "gram"): Spectrum {
  if (recipe === "factor") {
    // bidiagonal values where they cannot reach a digit Γ's storage determines (docs/trust-floors.md)
    const { s, svd } = factorValues("spectrum", G, N, p, o, input);
    return Object.freeze({ ...factorReading(s, N, p, c, o, input), svd });
  }
  const side = sideOf(o.side, N, p);
  const w = gramEigenvalues("spectrum", G, c, side);
  return gramReading(w, o, side, { precision: input.precision, floor: (input.sv * input.sv) / c, rtolAt: (l) => Math.sqrt(c * l) / input.frob });
}

/**
 * (internal) Eigenvalues of the Gram ΓᵀΓ/c (feature) or ΓΓᵀ/c (sample). When forming it overflows
 * (entries near 1e154 and beyond), Γ is scaled by a power of two first and the eigenvalues scaled
 * back exactly; eigenvalues beyond the float64 range are refused. Ordinary data keep their bits.
 */
export function gramEigenvalues(op: string, G: MatrixInput, c: number, side: "feature" | "sample"): Float64Array {
  const M = gram(G, { scale: c, side });
  if (M.data.every((v) => Number.isFinite(v))) return eigvalsh(M, { checkFinite: false });
  const A = asMat(op, G);
  let top = 0;
  for (const v of A.data) top = Math.max(top, Math.abs(v));
  let p = 1;
  while (top * p >= 1) p /= 2;
  const scaled = { rows: A.rows, cols: A.cols, data: A.data.map((v) => v * p) };
  const w = eigvalsh(gram(scaled, { scale: c, side }), { checkFinite: false });
  const out = w.map((v) => v / p / p);
  if (!out.every((v) => Number.isFinite(v))) throw new LinAlgError(op, "an eigenvalue of the Gram overflows float64: the data's scale is beyond what a reading can report (scale Γ down)", {}, "NON_FINITE");
  return out;
}

function sideOf(side: ReadingOptions["side"], N: number, p: number): "feature" | "sample" {
  return side === "feature" || side === "sample" ? side : N < p ? "sample" : "feature";
}

/**
 * Gram-path reading of a given symmetric PSD matrix M (eigenvalues of M itself). Its input floor is
 * in eigenvalue units directly: by Weyl, entries accurate to |E_ij| ≤ rtol·|M_ij| + atol move every
 * eigenvalue by at most rtol·‖M‖_F + atol·n.
 */
export function spectrumSym(M: MatrixInput, o: ReadingOptions = {}): Spectrum {
  const op = "spectrumSym";
  asMat(op, M); // entries checked under this function's name
  options(op, o, READING_SPEC);
  const w = eigvalsh(M);
  return gramReading(w, o, undefined, symmetricInput(op, M, o));
}

/** The input floor of a given symmetric matrix M, in eigenvalue units: rtol·‖M‖_F + atol·n (Weyl). */
export function symmetricInput(op: string, M: MatrixInput, o: Pick<ReadingOptions, "inputRtol" | "inputDtype">): InputFloor {
  const [n] = shapeOf(op, M);
  const precision = inputPrecisionOf(op, M, o.inputDtype, o.inputRtol);
  const frob = frobeniusNorm(op, M);
  return { precision, floor: precision.rtol * frob + precision.atol * n, rtolAt: (l) => l / frob };
}

/** λ⁺_min(G) by the chosen recipe. */
export const lambdaMinPos = (gamma: MatrixInput, o?: ReadingOptions): number => spectrumAs("lambdaMinPos", gamma, o).lambdaMinPos;
/** log det⁺(G) by the chosen recipe. */
export const logdetPos = (gamma: MatrixInput, o?: ReadingOptions): number => spectrumAs("logdetPos", gamma, o).logdetPos;

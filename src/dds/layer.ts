// One layer's full reading (docs/trust-floors.md): both recipes on Γ, the activation side of X, the
// directional Fisher along u_dead against the sphere null, and warnings for untrusted parts — including
// directions the input's precision hides or may hide.

import { LinAlgError } from "../errors.js";
import { scaleDivisor } from "../linalg/gram.js";
import { shapeOf, type Mat, type MatrixInput } from "../linalg/input.js";
import { factorValues } from "./svdchoice.js";
import { activationOf, type ActivationReading } from "./activation.js";
import { dirFisher, nullCompare } from "./directional.js";
import { inputPrecisionOf, inputSvFloor, unitRoundoff, type InputPrecision } from "./precision.js";
import { factorReading, gramEigenvalues, gramReading, type ReadingOptions, type SpectralReading, type Spectrum } from "./reading.js";
import { factorOf, type Factor } from "./stream.js";
import { LAYER_SPEC, options } from "./args.js";

export interface LayerOptions extends Omit<ReadingOptions, "center" | "recipe" | "inputDtype"> {
  /** Centre X's columns (default false). */
  centerX?: boolean;
  /** Centre Γ's columns (default false: the empirical Fisher is uncentred). */
  centerGamma?: boolean;
  /** Which Γ recipes to run (default "both"). */
  recipe?: "factor" | "gram" | "both";
  /** The dtype(s) X and Γ were stored in ("F32", "BF16", …): one for both, or `{ x, gamma }`.
   * Default: "F32" for Float32Array data, else "F64". With `inputRtol` it sets the input floors. */
  inputDtype?: string | { readonly x?: string; readonly gamma?: string };
}

/**
 * When the directions under the largest gap of the positive spectrum need the input to be more accurate
 * than this (normwise, relative) to be told from its error, and the gap is at least GAP_MIN_DECADES and
 * wider than GAP_SPREAD_FACTOR times the decades spanned above it, the reading warns that they may be
 * input error (docs/trust-floors.md, "Input error the floor cannot see"). 1e-6 is the accuracy of data
 * computed in float32 arithmetic (a few ulps of 2⁻²⁴ accumulated); float64 cancellations reach it too.
 */
export const GAP_RTOL_MAX = 1e-6;
export const GAP_MIN_DECADES = 3;
export const GAP_SPREAD_FACTOR = 1;

export interface LayerReading {
  readonly N: number;
  readonly d: number;
  /** Factor-path reading of G (absent with recipe "gram"). */
  readonly factor?: SpectralReading;
  /** Gram-path reading (absent with recipe "factor"); carries droppedVsFactor when both ran. */
  readonly gram?: SpectralReading;
  readonly activation: ActivationReading;
  /** u_deadᵀ G u_dead in factor form. */
  readonly qDead: number;
  readonly nullMean: number;
  readonly nullSd: number;
  readonly z: number;
  readonly separation: number;
  /** Human-readable cautions: marginal or untrusted readings, dropped directions, non-unique u_dead. */
  readonly warnings: readonly string[];
  /** The positive eigenvalues (descending) behind each reading, and those at or below its floor, for plots. */
  readonly spectra: { readonly factor?: Float64Array; readonly gram?: Float64Array; readonly factorBelow?: Float64Array; readonly gramBelow?: Float64Array };
}

const strip = ({ pos: _pos, below: _below, ...r }: SpectralReading & { pos?: unknown; below?: unknown }): SpectralReading => Object.freeze(r);

/** "F32 storage (u = 6.0e-8)" or "stated accuracy 1e-8". */
function precisionText(dtype: string, rtol: number): string {
  return rtol === unitRoundoff(dtype) ? `${dtype} storage (u = ${rtol.toPrecision(2)})` : `stated input accuracy ${rtol.toPrecision(2)}`;
}

/** Warnings about what the input's precision hides, or may hide (docs/trust-floors.md). */
function inputWarnings(what: string, r: Spectrum): string[] {
  const out: string[] = [];
  const hidden = r.below.filter((v) => v > r.floorArith).length;
  if (r.floorBy === "input" && hidden > 0) {
    out.push(`input: ${hidden} direction(s) above the float64 floor ${r.floorArith.toPrecision(3)} lie at or below the input floor ${r.floorInput.toPrecision(3)} of ${what}'s ${precisionText(r.inputDtype, r.inputRtol)}: indistinguishable from its rounding, not counted`);
  }
  if (r.nPos >= 2 && r.maxGapDecades >= GAP_MIN_DECADES && r.maxGapDecades > GAP_SPREAD_FACTOR * r.spreadAboveGapDecades && r.gapInputRtol < GAP_RTOL_MAX) {
    const below = r.nPos - r.nAboveGap;
    out.push(`input: ${below} direction(s) lie ${r.maxGapDecades.toFixed(1)} decades below the other ${r.nAboveGap} (which span ${r.spreadAboveGapDecades.toFixed(1)}): they describe the network only if X and ${what} are accurate to ${r.gapInputRtol.toPrecision(2)} (relative, normwise). If ${what} passed through a cancellation (e.g. softmax − onehot near zero loss) or float32 arithmetic, they are input error: state its accuracy with inputRtol (--input-rtol)`);
  }
  return out;
}

/**
 * Read one layer from its activations X (N × d) and per-sample gradients Γ (N × d) w.r.t. those
 * activations. Both are first reduced by the streaming TSQR a file reading uses (blocks of
 * blockRows(d) rows; docs/streaming.md), so `layerReading` of loaded tensors and `readCheckpoint` of
 * the file give the same bits. Note (docs/observables.md#finite-n-caveat): u_dead estimated from X at
 * finite N leaks O(t) into the live gradient subspace, so along a path qDead follows the
 * activation-side rate, not λ⁺_min(G)'s.
 * @throws {LinAlgError} X and Γ differ in shape. @throws {NonFiniteError} NaN/±Inf in X or Γ.
 */
export function layerReading(X: MatrixInput, gamma: MatrixInput, o: LayerOptions = {}): LayerReading {
  const op = "layerReading";
  const [N, d] = shapeOf(op, X);
  const [Ng, dg] = shapeOf(op, gamma);
  if (N !== Ng || d !== dg) throw new LinAlgError(op, `X is ${N}×${d} but Γ is ${Ng}×${dg}: both must be N × d at the same layer`, { shape: [Ng, dg] }, "BAD_ARGUMENT");
  checkLayerOptions(op, o);
  const dt = dtypes(o);
  const px = inputPrecisionOf(op, X, dt.x, o.inputRtol);
  const pg = inputPrecisionOf(op, gamma, dt.gamma, o.inputRtol);
  const fg = factorOf(op, gamma, o.centerGamma === true, "gamma");
  const fx = factorOf(op, X, o.centerX === true, "X");
  return readFactors(op, fx, fg, px, pg, o);
}

/** The stored dtypes of X and Γ from `inputDtype` (one for both, or `{ x, gamma }`). */
export function dtypes(o: LayerOptions): { x?: string; gamma?: string } {
  return typeof o.inputDtype === "string" ? { x: o.inputDtype, gamma: o.inputDtype } : (o.inputDtype ?? {});
}

/** Refuse option values a reading cannot honour, before any work. */
export function checkLayerOptions(op: string, o: LayerOptions): void {
  options(op, o, LAYER_SPEC);
}

function sideOf(side: LayerOptions["side"], N: number, p: number): "feature" | "sample" {
  return side === "feature" || side === "sample" ? side : N < p ? "sample" : "feature";
}

/**
 * q_dead and the sphere null when λ² overflows (λ near 1e154 and beyond): everything scaled by the
 * largest λ (m), mean = m·S₁/d, sd = m·√(2(d·S₂ − S₁²)/(d²(d + 2))) with S_k = Σ(λ/m)^k, and
 * q_dead = ‖(pR)u‖²/(p²c) for a power of two p that keeps ‖pRu‖² in range.
 */
function scaledNull(R: Mat, u: Float64Array, c: number, eig: Float64Array, d: number): { qDead: number; nullMean: number; nullSd: number; z: number; separation: number } {
  const m = eig.reduce((a, b) => Math.max(a, b), 0);
  let [s1, s2] = [0, 0];
  for (const v of eig) [s1, s2] = [s1 + v / m, s2 + (v / m) * (v / m)];
  const nullMean = (m * s1) / d;
  const nullSd = m * Math.sqrt(Math.max(0, (2 * (d * s2 - s1 * s1)) / (d * d * (d + 2))));
  let top = 0;
  for (const v of R.data) top = Math.max(top, Math.abs(v));
  let p = 1;
  while (top * p >= 1) p /= 2;
  const qs = dirFisher({ rows: R.rows, cols: R.cols, data: R.data.map((v) => v * p) }, u, { scale: c });
  const qDead = qs / p / p;
  return { qDead, nullMean, nullSd, z: (qDead - nullMean) / nullSd, separation: nullMean / qDead };
}

/**
 * (internal) A layer reading from the reduced factors of X and Γ (docs/streaming.md): the factor path
 * reads σ(R_Γ) = σ(Γ); the Gram path forms R_ΓᵀR_Γ = ΓᵀΓ (feature side) or R_ΓR_Γᵀ, whose nonzero
 * eigenvalues are those of ΓΓᵀ, completed with zeros to order N (sample side); the activation side
 * reads R_X; q_dead = ‖R_Γ u‖²/c = ‖Γu‖²/c.
 */
export function readFactors(op: string, fx: Factor, fg: Factor, px: InputPrecision, pg: InputPrecision, o: LayerOptions): LayerReading {
  const { N, d } = fg;
  const recipe = o.recipe ?? "both";
  // the input floor is a property of Γ as stored: centring does not lower it (docs/trust-floors.md)
  const input = { sv: inputSvFloor(fg.frob, N, d, pg), precision: pg, frob: fg.frob };
  const base: ReadingOptions = { scale: o.scale, rtol: o.rtol, atol: o.atol, side: o.side };
  const c = scaleDivisor(op, o.scale, N);
  const R = fg.R;
  const warnings: string[] = [];
  let factor: Spectrum | undefined;
  if (recipe !== "gram") {
    // bidiagonal values where they cannot reach a digit Γ's storage determines (docs/trust-floors.md)
    const { s, svd } = factorValues(op, R, N, d, o, input);
    factor = Object.freeze({ ...factorReading(s.slice(0, Math.min(N, d)), N, d, c, base, input), svd });
  }
  let gram: Spectrum | undefined;
  if (recipe !== "factor") {
    const side = sideOf(o.side, N, d);
    const w0 = R.rows === 0 ? new Float64Array(0) : gramEigenvalues(op, R, c, side);
    let w = w0;
    if (side === "sample" && w0.length !== N) {
      // R R_ᵀ is k × k; ΓΓᵀ is N × N with the same nonzero eigenvalues: keep the N largest, add zeros
      const desc = Float64Array.from(w0).sort().reverse();
      w = new Float64Array(N);
      w.set(desc.subarray(0, Math.min(N, desc.length)));
    }
    gram = gramReading(w, base, side, { precision: pg, floor: (input.sv * input.sv) / c, rtolAt: (l) => Math.sqrt(c * l) / input.frob });
  }
  if (factor && gram) {
    const dropped = factor.nPos - gram.nPos;
    gram = Object.freeze({ ...gram, droppedVsFactor: dropped, ...(dropped > 0 ? { verdict: "untrusted" as const } : {}) });
    if (dropped > 0) warnings.push(`gram: dropped ${dropped} direction(s) the factor path resolves; its lambdaMinPos and logdetPos read other directions (untrusted)`);
  }
  for (const r of [factor, gram]) {
    if (!r) continue;
    if (r.nPos === 0) warnings.push(`${r.recipe}: no eigenvalue above the floor ${r.floor}`);
    else if (r.marginDecades < 1) warnings.push(`${r.recipe}: lambdaMinPos is within ${r.marginDecades.toFixed(2)} decades of the floor (marginal)`);
  }
  const main = (factor ?? gram)!;
  warnings.push(...inputWarnings("Γ", main));
  const act = activationOf("activation", fx.R, fx.N, d, fx.frob, px, { rtol: o.rtol, atol: o.atol });
  if (!act.trusted) warnings.push(`activation: sigmaMin ${act.sigmaMin} is at or below its floor ${act.svFloor}${act.floorBy === "input" ? ` (set by X's ${precisionText(act.inputDtype, act.inputRtol)})` : ""} (untrusted; xNullDim ${act.xNullDim})`);
  if (!act.unique) warnings.push("activation: the bottom singular value of X is repeated, so uDead is one vector of a subspace (not unique)");
  // tr G = Σλ and tr G² = Σλ² from the spectrum just read (sub-floor values change them by < n·floor)
  const eig = main.pos;
  let trG = 0;
  let trG2 = 0;
  for (const v of eig) [trG, trG2] = [trG + v, trG2 + v * v];
  const cmp = Number.isFinite(trG2) ? nullCompare(R, act.uDead, { rows: 0, cols: d, data: new Float64Array(0) }, { scale: c, traces: { trG, trG2 } }) : scaledNull(R, act.uDead, c, eig, d);
  return Object.freeze({
    N, d,
    ...(factor ? { factor: strip(factor) } : {}),
    ...(gram ? { gram: strip(gram) } : {}),
    activation: act,
    qDead: cmp.qDead, nullMean: cmp.nullMean, nullSd: cmp.nullSd, z: cmp.z, separation: cmp.separation,
    warnings: Object.freeze(warnings),
    spectra: Object.freeze({ ...(factor ? { factor: factor.pos, factorBelow: factor.below } : {}), ...(gram ? { gram: gram.pos, gramBelow: gram.below } : {}) }),
  });
}

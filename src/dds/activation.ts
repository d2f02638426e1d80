// Activation-side readings (docs/observables.md#activation-side): σ_min(X) with its trust floor, and the dead
// direction u_dead (bottom right-singular vector) with a deterministic sign and a uniqueness flag.

import { DdsError } from "../errors.js";
import { shapeOf, type MatrixInput } from "../linalg/input.js";
import { gejsv } from "../linalg/svdcore.js";
import { EPS64 } from "./band.js";
import { readingSvdvals, svFloorOf, type SvdAlgorithm } from "./svdchoice.js";
import { nullVector } from "./nullspace.js";
import { is, options, READING_SPEC, vector } from "./args.js";
import { frobeniusNorm, inputPrecisionOf, inputSvFloor, type InputPrecision } from "./precision.js";
import { centered } from "./prep.js";

export interface ActivationOptions {
  /** Subtract column means first (default false; the LayerNorm-kernel reading and MLP demos use true). */
  center?: boolean;
  /** Relative tolerance on singular values (default ε·max(N, d)). */
  rtol?: number;
  /** Absolute tolerance on singular values (default 0). */
  atol?: number;
  /** Relative accuracy of X's entries (default: the unit roundoff of `inputDtype`); raises the floor to
   * inputRtol·‖X‖_F when that is larger (docs/trust-floors.md). */
  inputRtol?: number;
  /** The dtype X was stored in ("F32", "BF16", …; default "F32" for Float32Array data, else "F64"). */
  inputDtype?: string;
}

export interface ActivationReading {
  /** σ_d(X) when N ≥ d, else 0 (X has a (d − N)-dimensional null space). */
  readonly sigmaMin: number;
  readonly sigmaMax: number;
  /** The floor max(svFloorArith, svFloorInput): singular values at or below it count as zero. */
  readonly svFloor: number;
  /** Arithmetic floor τ_s = max(rtol·σ_max, atol), default ε·max(N, d)·σ_max. */
  readonly svFloorArith: number;
  /** Input floor inputRtol·‖X‖_F (+ the stored format's underflow), ‖X‖_F of X as stored. */
  readonly svFloorInput: number;
  /** Which of the two is the floor. */
  readonly floorBy: "arithmetic" | "input";
  /** The stored dtype and relative accuracy behind svFloorInput. */
  readonly inputDtype: string;
  readonly inputRtol: number;
  /** sigmaMin > svFloor. */
  readonly trusted: boolean;
  /** #{σ_i ≤ τ_s}, counting the d − N structural zeros. */
  readonly xNullDim: number;
  /** Unit right-singular vector of σ_min; its largest-magnitude entry is positive (first on ties). */
  readonly uDead: Float64Array;
  /** False when the bottom singular value is repeated: σ_{d−1} − σ_d ≤ 100·svFloor (or d − N ≥ 2). */
  readonly unique: boolean;
  /** All d singular values of X as an operator on R^d, descending (structural zeros included). */
  readonly singularValues: Float64Array;
  /** Which SVD gave them: "jacobi" (relatively accurate; always when N ≥ d, where u_dead needs V), or
   * "bidiagonal" when its error cannot reach a digit X's storage determines (docs/trust-floors.md). */
  readonly svd: SvdAlgorithm;
}

/** Flip v so that its entry of largest |·| (the first on ties) is positive (docs/observables.md#activation-side). */
export function signFix(v: Float64Array): Float64Array {
  v = vector("signFix", "v", v);
  let k = 0;
  for (let i = 1; i < v.length; i++) if (Math.abs(v[i]!) > Math.abs(v[k]!)) k = i;
  return v.length > 0 && v[k]! < 0 ? v.map((x) => -x) : v;
}

/**
 * σ_min(X), its floor and u_dead from an SVD of X (never from XᵀX: the factor keeps the relative
 * accuracy of tiny singular values). For N < d, σ_min = 0 exactly and u_dead is a unit vector of X's
 * null space from a QR of Xᵀ (no padded d × d SVD; docs/observables.md#activation-side).
 * @throws {NonFiniteError} NaN/±Inf in X. @throws {DdsError} a 0-column X.
 */
export function activation(x: MatrixInput, o: ActivationOptions = {}): ActivationReading {
  const op = "activation";
  const [N, d] = shapeOf(op, x);
  options(op, o, { center: is.bool, rtol: READING_SPEC.rtol, atol: READING_SPEC.atol, inputRtol: READING_SPEC.inputRtol, inputDtype: READING_SPEC.inputDtype });
  if (d === 0) throw new DdsError(op, "BAD_ARGUMENT", "X has no columns: there is no direction to read");
  const precision = inputPrecisionOf(op, x, o.inputDtype, o.inputRtol);
  return activationOf(op, o.center ? centered(op, x) : x, N, d, frobeniusNorm(op, x), precision, o);
}

/**
 * (internal) The activation reading from any F with FᵀF = XᵀX (X itself, centred X, or the streaming
 * factor R_X): σ and right singular vectors are those of X. N is X's row count (F may have fewer rows,
 * or — centred, N < d — a few more, whose extra singular values are zero).
 */
export function activationOf(op: string, F: MatrixInput, N: number, d: number, frob: number, precision: InputPrecision, o: Pick<ActivationOptions, "rtol" | "atol">): ActivationReading {
  if (d === 0) throw new DdsError(op, "BAD_ARGUMENT", "X has no columns: there is no direction to read");
  const sv = new Float64Array(d); // N < d: the last d − N stay exact (structural) zeros
  let uDead: Float64Array;
  let svd: SvdAlgorithm = "jacobi";
  if (N < d) {
    // bidiagonal values where they cannot reach a digit X's storage determines (docs/trust-floors.md)
    const tauInput = inputSvFloor(frob, N, d, precision);
    const r = readingSvdvals(op, F, "X", precision.rtol, svFloorOf(o, N, d, tauInput), true);
    svd = r.svd;
    sv.set(r.s.subarray(0, Math.min(N, r.s.length)));
    uDead = signFix(r.nul ?? nullVector(op, F, "X"));
  } else {
    const { S, Vh } = gejsv(op, F, undefined, {}, { u: false, v: true }) as { S: Float64Array; Vh: { data: Float64Array } };
    sv.set(S.subarray(0, d));
    uDead = signFix(Vh.data.slice((d - 1) * d, d * d));
  }
  const sigmaMax = sv[0]!;
  const tauArith = Math.max((o.rtol ?? EPS64 * Math.max(N, d)) * sigmaMax, o.atol ?? 0);
  const tauInput = inputSvFloor(frob, N, d, precision);
  const tau = Math.max(tauArith, tauInput);
  const sigmaMin = sv[d - 1]!;
  let xNullDim = 0;
  for (const s of sv) if (s <= tau) xNullDim++;
  const unique = d === 1 || sv[d - 2]! - sigmaMin > 100 * tau;
  return Object.freeze({
    sigmaMin, sigmaMax, svFloor: tau, svFloorArith: tauArith, svFloorInput: tauInput, floorBy: tauInput > tauArith ? "input" : "arithmetic",
    inputDtype: precision.dtype, inputRtol: precision.rtol, trusted: sigmaMin > tau, xNullDim, uDead, unique, singularValues: sv, svd,
  });
}

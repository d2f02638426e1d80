// K-FAC Kronecker identities (docs/observables.md#kronecker-identities) and the true per-sample block Fisher of a linear layer (§2.1).

import { LinAlgError } from "../errors.js";
import { eigvalsh } from "../linalg/eigvalsh.js";
import { hadamardGram, scaleDivisor } from "../linalg/gram.js";
import { shapeOf, type Mat, type MatrixInput } from "../linalg/input.js";
import { svdvals } from "../linalg/svdvals.js";
import { asMat } from "./prep.js";
import { frobeniusNorm, inputPrecisionOf } from "./precision.js";
import { factorReading, gramReading, symmetricInput, type ReadingOptions, type SpectralReading } from "./reading.js";
import { options, READING_SPEC } from "./args.js";
import { NonFiniteError } from "../errors.js";

/** A matrix as a JS copy, refusing NaN/±Inf with its row and column. */
function finiteMat(op: string, name: string, x: MatrixInput): Mat {
  const m = asMat(op, x);
  for (let k = 0; k < m.data.length; k++) {
    const v = m.data[k]!;
    if (!Number.isFinite(v)) throw new NonFiniteError(op, `${name} has ${String(v)} at row ${Math.floor(k / m.cols)}, column ${k % m.cols}`, v, { row: Math.floor(k / m.cols), col: k % m.cols });
  }
  return m;
}

export interface KronReading {
  readonly nPos: number;
  readonly lambdaMinPos: number;
  readonly lambdaMax: number;
  readonly logdetPos: number;
  /** Positive-set sizes of A and S under the Gram rule of §3 (their ranks). */
  readonly rankA: number;
  readonly rankS: number;
  readonly logdetPosA: number;
  readonly logdetPosS: number;
}

/**
 * Reading of A ⊗ S from the identities, without forming it (docs/observables.md#kronecker-identities): nPos = rank A · rank S,
 * λ⁺_min = λ⁺_min(A)·λ⁺_min(S), λ_max = λ_max(A)·λ_max(S), log det⁺ = rank S·log det⁺ A + rank A·log det⁺ S.
 * A and S are symmetric PSD (lower triangles read); ranks use the Gram-path floor of §3 with `o`,
 * raised to each matrix's input floor rtol·‖M‖_F (docs/trust-floors.md) when its entries are coarse.
 * Notes: this is the K-FAC approximation; it equals the per-sample block Fisher only when a and δ are
 * independent (see blockFisherReading).
 */
export function kronReading(A: MatrixInput, S: MatrixInput, o: Pick<ReadingOptions, "rtol" | "atol" | "inputRtol" | "inputDtype"> = {}): KronReading {
  const op = "kronReading";
  shapeOf(op, A);
  shapeOf(op, S);
  const { rtol, atol, inputRtol, inputDtype } = READING_SPEC;
  options(op, o, { rtol, atol, inputRtol, inputDtype });
  const a = gramReading(eigvalsh(A), o, undefined, symmetricInput(op, A, o));
  const s = gramReading(eigvalsh(S), o, undefined, symmetricInput(op, S, o));
  const empty = a.nPos === 0 || s.nPos === 0;
  return Object.freeze({
    nPos: a.nPos * s.nPos,
    lambdaMinPos: empty ? NaN : a.lambdaMinPos * s.lambdaMinPos,
    lambdaMax: a.lambdaMax * s.lambdaMax,
    logdetPos: empty ? 0 : s.nPos * a.logdetPos + a.nPos * s.logdetPos,
    rankA: a.nPos,
    rankS: s.nPos,
    logdetPosA: a.logdetPos,
    logdetPosS: s.logdetPos,
  });
}

/**
 * The per-sample Jacobian of a linear layer h_out = W a: row i is vec(δ_i a_iᵀ) = a_i ⊗ δ_i
 * (column-major vec, the default) or δ_i ⊗ a_i (`vec: "row"`), N × (d_in·d_out) (docs/observables.md#parameter-block-fisher).
 */
export function linearLayerGrads(acts: MatrixInput, deltas: MatrixInput, vec: "col" | "row" = "col"): Mat {
  const op = "linearLayerGrads";
  const A = finiteMat(op, "acts", acts);
  const D = finiteMat(op, "deltas", deltas);
  if (A.rows !== D.rows) throw new LinAlgError(op, `acts has ${A.rows} rows (samples) but deltas has ${D.rows}`, {}, "BAD_ARGUMENT");
  if (vec !== "col" && vec !== "row") throw new LinAlgError(op, `vec must be "col" or "row", got ${String(vec)}`, {}, "BAD_ARGUMENT");
  const [n, p, q] = [A.rows, A.cols, D.cols];
  const J = new Float64Array(n * p * q);
  for (let i = 0; i < n; i++) {
    const off = i * p * q;
    for (let s = 0; s < p; s++) {
      for (let t = 0; t < q; t++) {
        const v = A.data[i * p + s]! * D.data[i * q + t]!;
        J[off + (vec === "col" ? s * q + t : t * p + s)] = v;
      }
    }
  }
  return Object.freeze({ rows: n, cols: p * q, data: J });
}

/** K = (A Aᵀ ∘ Δ Δᵀ)/c, N × N: the block Fisher's sample Gram without J (docs/observables.md#parameter-block-fisher). */
export function linearLayerSampleGram(acts: MatrixInput, deltas: MatrixInput, o: Pick<ReadingOptions, "scale"> = {}): Mat {
  const op = "linearLayerSampleGram";
  shapeOf(op, acts);
  shapeOf(op, deltas);
  options(op, o, { scale: READING_SPEC.scale });
  return hadamardGram(acts, deltas, { scale: o?.scale });
}

/**
 * Reading of the true per-sample block Fisher (1/c) Σ_i (a_i a_iᵀ) ⊗ (δ_i δ_iᵀ) of a linear layer:
 * factor path (default) = SVD of J; Gram path = eigenvalues of the Hadamard sample Gram (O(N²(d_in+d_out)),
 * the route for wide layers).
 */
export function blockFisherReading(acts: MatrixInput, deltas: MatrixInput, o: ReadingOptions = {}): SpectralReading {
  const op = "blockFisherReading";
  options(op, o, READING_SPEC);
  const [N, din] = shapeOf(op, acts);
  const [, dout] = shapeOf(op, deltas);
  const c = scaleDivisor(op, o.scale, N);
  // J's entries a_s·δ_t are accurate to (r_a + r_δ + r_a·r_δ)·|J_st| when a and δ are to r_a, r_δ
  const pa = inputPrecisionOf(op, acts, o.inputDtype, o.inputRtol);
  const pd = inputPrecisionOf(op, deltas, o.inputDtype, o.inputRtol);
  const rtol = pa.rtol + pd.rtol + pa.rtol * pd.rtol;
  const precision = Object.freeze({ dtype: pa.dtype === pd.dtype ? pa.dtype : `${pa.dtype}×${pd.dtype}`, rtol, atol: 0 });
  if ((o.recipe ?? "factor") === "gram") {
    const K = linearLayerSampleGram(acts, deltas, o);
    let trK = 0;
    for (let i = 0; i < N; i++) trK += K.data[i * N + i]!; // tr K = ‖J‖²_F / c
    const frob = Math.sqrt(trK * c);
    return gramReading(eigvalsh(K, { checkFinite: false }), o, "sample", { precision, floor: rtol * rtol * trK, rtolAt: (l) => Math.sqrt(c * l) / frob });
  }
  const J = linearLayerGrads(acts, deltas);
  const frob = frobeniusNorm(op, J);
  return factorReading(svdvals(J), N, din * dout, c, o, { sv: rtol * frob, precision, frob });
}

// One layer's full reading (DDS.md §4, §11 layerReading): both recipes on Γ, the activation side of X,
// the directional Fisher along u_dead against the sphere null, and warnings for untrusted parts.

import { LinAlgError } from "../errors.js";
import { shapeOf, type MatrixInput } from "../linalg/input.js";
import { activation, type ActivationReading } from "./activation.js";
import { nullCompare } from "./directional.js";
import { centered } from "./prep.js";
import { spectrum, type ReadingOptions, type SpectralReading } from "./reading.js";

export interface LayerOptions extends Omit<ReadingOptions, "center" | "recipe"> {
  /** Centre X's columns (default false). */
  centerX?: boolean;
  /** Centre Γ's columns (default false: the empirical Fisher is uncentred). */
  centerGamma?: boolean;
  /** Which Γ recipes to run (default "both"). */
  recipe?: "factor" | "gram" | "both";
}

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
  /** The positive eigenvalues (descending) behind each reading, for plots. */
  readonly spectra: { readonly factor?: Float64Array; readonly gram?: Float64Array };
}

const strip = ({ pos: _pos, ...r }: SpectralReading & { pos?: unknown }): SpectralReading => Object.freeze(r);

/**
 * Read one layer from its activations X (N × d) and per-sample gradients Γ (N × d) w.r.t. those
 * activations. Note (DDS.md §4, S7 caveat): u_dead estimated from X at finite N leaks O(t) into the
 * live gradient subspace, so along a path qDead follows the activation-side rate, not λ⁺_min(G)'s.
 * @throws {LinAlgError} X and Γ differ in shape. @throws {NonFiniteError} NaN/±Inf in X or Γ.
 */
export function layerReading(X: MatrixInput, gamma: MatrixInput, o: LayerOptions = {}): LayerReading {
  const op = "layerReading";
  const [N, d] = shapeOf(op, X);
  const [Ng, dg] = shapeOf(op, gamma);
  if (N !== Ng || d !== dg) throw new LinAlgError(op, `X is ${N}×${d} but Γ is ${Ng}×${dg}: both must be N × d at the same layer`, { shape: [Ng, dg] }, "BAD_ARGUMENT");
  const recipe = o.recipe ?? "both";
  const G = o.centerGamma ? centered(op, gamma) : gamma;
  const base: ReadingOptions = { scale: o.scale, rtol: o.rtol, atol: o.atol, side: o.side };
  const warnings: string[] = [];
  const factor = recipe !== "gram" ? spectrum(G, { ...base, recipe: "factor" }) : undefined;
  let gram = recipe !== "factor" ? spectrum(G, { ...base, recipe: "gram" }) : undefined;
  if (factor && gram) {
    const dropped = factor.nPos - gram.nPos;
    gram = Object.freeze({ ...gram, droppedVsFactor: dropped });
    if (dropped > 0) warnings.push(`gram: dropped ${dropped} direction(s) the factor path resolves; its lambdaMinPos and logdetPos read other directions (untrusted)`);
  }
  for (const r of [factor, gram]) {
    if (!r) continue;
    if (r.nPos === 0) warnings.push(`${r.recipe}: no eigenvalue above the floor ${r.floor}`);
    else if (r.marginDecades < 1) warnings.push(`${r.recipe}: lambdaMinPos is within ${r.marginDecades.toFixed(2)} decades of the floor (marginal)`);
  }
  const act = activation(X, { center: o.centerX, rtol: o.rtol, atol: o.atol });
  if (!act.trusted) warnings.push(`activation: sigmaMin ${act.sigmaMin} is at or below its floor ${act.svFloor} (untrusted; xNullDim ${act.xNullDim})`);
  if (!act.unique) warnings.push("activation: the bottom singular value of X is repeated, so uDead is one vector of a subspace (not unique)");
  // tr G = Σλ and tr G² = Σλ² from the spectrum just read (sub-floor values change them by < n·floor)
  const eig = (factor ?? gram)!.pos;
  let trG = 0;
  let trG2 = 0;
  for (const v of eig) [trG, trG2] = [trG + v, trG2 + v * v];
  const cmp = nullCompare(G, act.uDead, { rows: 0, cols: d, data: new Float64Array(0) }, { scale: o.scale, traces: { trG, trG2 } });
  return Object.freeze({
    N, d,
    ...(factor ? { factor: strip(factor) } : {}),
    ...(gram ? { gram: strip(gram) } : {}),
    activation: act,
    qDead: cmp.qDead, nullMean: cmp.nullMean, nullSd: cmp.nullSd, z: cmp.z, separation: cmp.separation,
    warnings: Object.freeze(warnings),
    spectra: Object.freeze({ ...(factor ? { factor: factor.pos } : {}), ...(gram ? { gram: gram.pos } : {}) }),
  });
}

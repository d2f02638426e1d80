import { DdsError } from "../errors.js";
import { arg } from "../validate.js";
import { is, num, options } from "./args.js";

/** fp64 machine epsilon 2⁻⁵² and fp32's 2⁻²³ (docs/observables.md#inputs-and-conventions). */
export const EPS64 = 2 ** -52;
export const EPS32 = 2 ** -23;

export type BandRecipe = "fp64-gram" | "fp32-gram" | "fp32-gram-tikhonov" | "fp64-gram-tikhonov" | "fp64-factor";

export interface BandOptions {
  /** Rows of the factor (fp64-factor). */
  N?: number;
  /** Columns of the factor (fp64-factor). */
  p?: number;
  /** Tikhonov damping ε_T (default 1e-8). */
  tikhonov?: number;
}

/**
 * The smallest reliably readable eigenvalue of a Gram of spectral norm `normG` and order `n` under a
 * numerical recipe (docs/trust-floors.md, the paper's trust band):
 * fp64-gram ε·n·‖G‖; fp32-gram ε₃₂·n·‖G‖; *-tikhonov max(that, ε_T); fp64-factor (ε·max(N,p))²·‖G‖.
 * @throws {DdsError} unknown recipe, or fp64-factor without N and p.
 */
export function bandFloor(normG: number, n: number, recipe: BandRecipe, o: BandOptions = {}): number {
  const op = "bandFloor";
  num(op, "normG", normG, { min: 0 });
  num(op, "n", n, { integer: true, min: 0 });
  arg(op, "recipe", recipe, is.oneOf("fp64-gram", "fp32-gram", "fp32-gram-tikhonov", "fp64-gram-tikhonov", "fp64-factor"));
  options<BandOptions>(op, o, { N: is.num({ integer: true, min: 0 }), p: is.num({ integer: true, min: 0 }), tikhonov: is.num({ min: 0 }) });
  const tik = o.tikhonov ?? 1e-8;
  switch (recipe) {
    case "fp64-gram":
      return EPS64 * n * normG;
    case "fp32-gram":
      return EPS32 * n * normG;
    case "fp64-gram-tikhonov":
      return Math.max(EPS64 * n * normG, tik);
    case "fp32-gram-tikhonov":
      return Math.max(EPS32 * n * normG, tik);
    case "fp64-factor": {
      if (o.N === undefined || o.p === undefined) throw new DdsError(op, "BAD_ARGUMENT", "fp64-factor needs the factor's shape { N, p }");
      const e = EPS64 * Math.max(o.N, o.p);
      return e * e * normG;
    }
    default:
      throw new DdsError(op, "BAD_ARGUMENT", `unknown recipe ${String(recipe)}`);
  }
}

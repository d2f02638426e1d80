// Which SVD a reading uses (docs/trust-floors.md, "Which SVD a reading uses"). The one-sided Jacobi
// SVD keeps tiny singular values of graded factors to high relative accuracy; Householder
// bidiagonalisation is several times faster but only normwise accurate, |σ̂ᵢ − σᵢ| ≤ η = ε·max(m, n)·σ̂₁.
// A reading takes the fast values when η cannot reach a digit the stored data determine: η is at most
// 1/16 of the floor and of u·σ_r for the smallest singular value σ_r above the floor, where u is the
// data's relative accuracy (its dtype's unit roundoff, or the stated inputRtol). Scaling every entry by
// 1 + u is an admissible rounding of the stored data and moves σ_r by u·σ_r, so the data cannot tell
// σ_r from σ_r·(1 ± u); an error below a sixteenth of that is invisible in any digit they determine.

import type { MatrixInput } from "../linalg/input.js";
import { shapeOf } from "../linalg/input.js";
import { bidiagonal } from "../linalg/bdsvals.js";
import { svdvals } from "../linalg/svdvals.js";
import { EPS64 } from "./band.js";

/** Which SVD gave a reading's singular values: "jacobi" (relatively accurate) or "bidiagonal". */
export type SvdAlgorithm = "jacobi" | "bidiagonal";

/** The fast values' error bound must be at most 1/BIDIAG_MARGIN of the floor and of u·σ_r. */
export const BIDIAG_MARGIN = 16;

/**
 * True when bidiagonal values s (descending) of an m × n factor may stand for the Jacobi ones: with
 * η = ε·max(m, n)·s₁, BIDIAG_MARGIN·η ≤ floor and, for the smallest s_r above the floor,
 * BIDIAG_MARGIN·η ≤ u·(s_r − η). u = 0 (float64 data, or an exact input) never qualifies.
 */
export function bidiagonalSuffices(s: Float64Array, m: number, n: number, u: number, floorOf: (s1: number) => number): boolean {
  if (!(u > 0) || s.length === 0) return false;
  const s1 = s[0]!;
  if (s1 === 0) return true;
  const eta = EPS64 * Math.max(m, n) * s1;
  const tau = floorOf(s1);
  if (!(BIDIAG_MARGIN * eta <= tau)) return false;
  let r = -1;
  for (let i = 0; i < s.length && s[i]! > tau; i++) r = i;
  return r < 0 || BIDIAG_MARGIN * eta <= u * (s[r]! - eta);
}

/**
 * The singular values of a reading's factor F and which SVD gave them: the bidiagonal ones when
 * `bidiagonalSuffices`, else the Jacobi SVD's. `u` is the stored data's relative accuracy, `floorOf`
 * the reading's floor (singular-value units) as a function of σ₁. With `wantNull` (a wide F, the
 * activation side for N < d) the bidiagonal route also returns a unit null vector of F from the same
 * Householder reduction; `nul` is null on the Jacobi route (the caller takes it from the QR of Fᵀ).
 */
export function readingSvdvals(op: string, F: MatrixInput, what: string, u: number, floorOf: (s1: number) => number, wantNull = false): { s: Float64Array; svd: SvdAlgorithm; nul: Float64Array | null } {
  const [m, n] = shapeOf(op, F);
  if (u > 0 && m > 0 && n > 0 && (!wantNull || m < n)) {
    const r = bidiagonal(op, F, what, wantNull);
    if (r && bidiagonalSuffices(r.s, m, n, u, floorOf)) return { s: r.s, svd: "bidiagonal", nul: r.u };
  }
  return { s: svdvals(F), svd: "jacobi", nul: null };
}

/** The floor τ_s = max(rtol·σ₁, atol, δ) of an N × p reading in singular-value units, rtol by default
 * ε·max(N, p) (docs/trust-floors.md, "Arithmetic floors"), as a function of σ₁. */
export function svFloorOf(o: { readonly rtol?: number; readonly atol?: number }, N: number, p: number, delta: number): (s1: number) => number {
  const rtol = o.rtol ?? EPS64 * Math.max(N, p);
  return (s1) => Math.max(rtol * s1, o.atol ?? 0, delta);
}

/**
 * The factor path's singular values of Γ (or of its reduced factor) for a reading of an N × p Γ
 * whose floor is max(rtol·σ₁, atol, δ) (docs/observables.md#two-recipes), chosen as above.
 */
export function factorValues(op: string, F: MatrixInput, N: number, p: number, o: { readonly rtol?: number; readonly atol?: number }, input: { readonly sv: number; readonly precision: { readonly rtol: number } }): { s: Float64Array; svd: SvdAlgorithm } {
  const { s, svd } = readingSvdvals(op, F, "Γ", input.precision.rtol, svFloorOf(o, N, p, input.sv));
  return { s, svd };
}

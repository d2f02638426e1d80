import { DdsError } from "../errors.js";

/** The RLCT of reduced-rank regression, as an exact rational (docs/observables.md#reduced-rank-regression). */
export interface RrrRlct {
  /** λ = lambdaNum / lambdaDen in lowest terms (the denominator divides 8); lambdaNum is null when the
   * numerator exceeds 2⁵³ (then only lambdaNumExact holds it exactly). */
  readonly lambdaNum: number | null;
  readonly lambdaDen: number;
  /** The exact numerator and denominator as decimal strings (always exact: BigInt arithmetic). */
  readonly lambdaNumExact: string;
  readonly lambdaDenExact: string;
  /** λ as the nearest double. */
  readonly lambda: number;
  /** Multiplicity (order) m. */
  readonly m: number;
  readonly caseId: "1-even" | "1-odd" | "2" | "3" | "4";
}

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b) [a, b] = [b, a % b];
  return a;
}

/** n/d as the nearest double, for d a power of two (1, 2, 4 or 8): rounding commutes with scaling by a
 * power of two (no subnormals here), so Number(n) / d is the correctly rounded quotient. */
function nearest(n: bigint, d: bigint): number {
  return Number(n) / Number(d);
}

/**
 * Real log canonical threshold λ and multiplicity m of reduced-rank regression y = BAx + noise with
 * x ∈ R^M, y ∈ R^N, inner width H and true rank r (Aoyagi & Watanabe 2005; docs/observables.md#reduced-rank-regression). Exact
 * integer arithmetic: the result is a rational with denominator dividing 8.
 *
 * @throws {DdsError} code BAD_ARGUMENT unless M, N, H ≥ 1 are integers and 0 ≤ r ≤ min(H, M, N).
 * Notes: cases are checked in the order 1, 2, 3, 4; exactly one applies to every valid input.
 * At r = H the result is H(M+N−H)/2; (1,1,1,0) gives λ = 1/2, m = 2.
 */
export function rrrRLCT(M: number, N: number, H: number, r: number): RrrRlct {
  const op = "rrrRLCT";
  for (const [name, v, min] of [["M", M, 1], ["N", N, 1], ["H", H, 1], ["r", r, 0]] as const) {
    if (!Number.isSafeInteger(v) || v < min) {
      throw new DdsError(op, "BAD_ARGUMENT", `${name} must be an integer ≥ ${min}, got ${String(v)}`);
    }
  }
  if (r > Math.min(H, M, N)) {
    throw new DdsError(op, "BAD_ARGUMENT", `r must satisfy 0 ≤ r ≤ min(H, M, N) = ${Math.min(H, M, N)}, got r = ${r} (M=${M}, N=${N}, H=${H})`);
  }
  const [m_, n_, h_, r_] = [BigInt(M), BigInt(N), BigInt(H), BigInt(r)];
  let num: bigint;
  let den: bigint;
  let m = 1;
  let caseId: RrrRlct["caseId"];
  if (N + r <= M + H && M + r <= N + H && H + r <= M + N) {
    num = 2n * (h_ + r_) * (m_ + n_) - (m_ - n_) ** 2n - (h_ + r_) ** 2n;
    den = 8n;
    if ((m_ + n_ + h_ + r_) % 2n === 0n) caseId = "1-even";
    else [num, m, caseId] = [num + 1n, 2, "1-odd"];
  } else if (M + H < N + r) {
    [num, den, caseId] = [h_ * m_ - h_ * r_ + n_ * r_, 2n, "2"];
  } else if (N + H < M + r) {
    [num, den, caseId] = [h_ * n_ - h_ * r_ + m_ * r_, 2n, "3"];
  } else {
    [num, den, caseId] = [m_ * n_, 2n, "4"]; // M + N < H + r
  }
  const g = gcd(num, den) || 1n;
  const [ln, ld] = [num / g, den / g];
  const safe = ln <= BigInt(Number.MAX_SAFE_INTEGER);
  return Object.freeze({ lambdaNum: safe ? Number(ln) : null, lambdaDen: Number(ld), lambdaNumExact: ln.toString(), lambdaDenExact: ld.toString(), lambda: nearest(ln, ld), m, caseId });
}

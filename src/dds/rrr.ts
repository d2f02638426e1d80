import { DdsError } from "../errors.js";

/** The RLCT of reduced-rank regression, as an exact rational (DDS.md §8). */
export interface RrrRlct {
  /** λ = lambdaNum / lambdaDen in lowest terms (the denominator divides 8). */
  readonly lambdaNum: number;
  readonly lambdaDen: number;
  readonly lambda: number;
  /** Multiplicity (order) m. */
  readonly m: number;
  readonly caseId: "1-even" | "1-odd" | "2" | "3" | "4";
}

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * Real log canonical threshold λ and multiplicity m of reduced-rank regression y = BAx + noise with
 * x ∈ R^M, y ∈ R^N, inner width H and true rank r (Aoyagi & Watanabe 2005; DDS.md §8). Exact
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
  let num: number;
  let den: number;
  let m = 1;
  let caseId: RrrRlct["caseId"];
  if (N + r <= M + H && M + r <= N + H && H + r <= M + N) {
    num = 2 * (H + r) * (M + N) - (M - N) ** 2 - (H + r) ** 2;
    den = 8;
    if ((M + N + H + r) % 2 === 0) caseId = "1-even";
    else [num, m, caseId] = [num + 1, 2, "1-odd"];
  } else if (M + H < N + r) {
    [num, den, caseId] = [H * M - H * r + N * r, 2, "2"];
  } else if (N + H < M + r) {
    [num, den, caseId] = [H * N - H * r + M * r, 2, "3"];
  } else {
    [num, den, caseId] = [M * N, 2, "4"]; // M + N < H + r
  }
  const g = gcd(num, den) || 1;
  const lambdaNum = num / g;
  const lambdaDen = den / g;
  return Object.freeze({ lambdaNum, lambdaDen, lambda: lambdaNum / lambdaDen, m, caseId });
}

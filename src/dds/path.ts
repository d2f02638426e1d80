// Path statistics (docs/path-statistics.md): log-log OLS slopes, the validity window, slope ratios → dead-direction
// counts, rate → KL order → per-direction RLCT contribution. Logs are taken in wasm (wmath.ts).

import { DdsError } from "../errors.js";
import { describe, type Check } from "../validate.js";
import { field, is, list, num, options, pair, record, str } from "./args.js";
import { lnArray } from "./wmath.js";

export interface LoglogFit {
  readonly slope: number;
  readonly intercept: number;
  /** Standard errors (NaN when fewer than 3 points). */
  readonly seSlope: number;
  readonly seIntercept: number;
  readonly r2: number;
  /** Points used. */
  readonly n: number;
}

export interface FitOptions {
  /** Take ln of t (default true; false when t is already a log or any abscissa to use as is). */
  logT?: boolean;
  /** Take ln of y (default true; false for log det⁺, which is already a log). */
  logY?: boolean;
  /** Use only points with mask[i] true (e.g. from fitWindow). */
  mask?: readonly boolean[];
}

/**
 * OLS fit of ln y = a + b ln t (docs/path-statistics.md): slope, intercept, their standard errors and R².
 * @throws {DdsError} different lengths, fewer than 2 points used, non-positive t or y where a log is
 *   taken, or non-finite values.
 */
export function fitLoglog(t: ArrayLike<number>, y: ArrayLike<number>, o: FitOptions = {}): LoglogFit {
  const op = "fitLoglog";
  const [tv, yv] = pair(op, t, y, ["t", "y"], { finite: false });
  const opts = options<FitOptions>(op, o, { logT: is.bool, logY: is.bool, mask: booleans });
  if (opts.mask && opts.mask.length !== tv.length) throw new DdsError(op, "BAD_ARGUMENT", `mask has ${opts.mask.length} entries for ${tv.length} points`);
  return fitChecked(op, tv, yv, opts);
}

/** An array of booleans. */
const booleans: Check = (v) => (Array.isArray(v) && v.every((b) => typeof b === "boolean") ? undefined : `must be an array of true/false, got ${describe(v)}`);

/** fitLoglog on checked vectors (also used by classifyDirection under its own name). */
export function fitChecked(op: string, t: Float64Array, y: Float64Array, o: FitOptions): LoglogFit {
  const idx: number[] = [];
  for (let i = 0; i < t.length; i++) if (!o.mask || o.mask[i]) idx.push(i);
  const logT = o.logT ?? true;
  const logY = o.logY ?? true;
  for (const i of idx) {
    for (const [name, v, logged] of [["t", t[i]!, logT], ["y", y[i]!, logY]] as const) {
      if (!Number.isFinite(v) || (logged && !(v > 0))) {
        throw new DdsError(op, "BAD_ARGUMENT", `${name}[${i}] = ${v} ${logged ? "must be positive and finite (its log is taken)" : "must be finite"}`, { index: i });
      }
    }
  }
  if (idx.length < 2) throw new DdsError(op, "BAD_ARGUMENT", `needs at least 2 points, got ${idx.length}`);
  const xs = idx.map((i) => t[i]!);
  const ys = idx.map((i) => y[i]!);
  return olsOf(op, logT ? lnArray(xs) : Float64Array.from(xs), logY ? lnArray(ys) : Float64Array.from(ys));
}

/**
 * Ordinary least squares y = a + b x with the textbook standard errors (at least 2 points).
 * @throws {DdsError} not vectors, different lengths, fewer than 2 points, all x equal; {NonFiniteError} NaN/±Inf.
 */
export function ols(x: ArrayLike<number>, y: ArrayLike<number>): LoglogFit {
  const op = "ols";
  const [a, b] = pair(op, x, y);
  if (a.length < 2) throw new DdsError(op, "BAD_ARGUMENT", `needs at least 2 points, got ${a.length}`);
  return olsOf(op, a, b);
}

function olsOf(op: string, x: Float64Array, y: Float64Array): LoglogFit {
  const T = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < T; i++) [mx, my] = [mx + x[i]!, my + y[i]!];
  mx /= T;
  my /= T;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < T; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) throw new DdsError(op, "BAD_ARGUMENT", "all abscissae are equal: the slope is undefined");
  const b = sxy / sxx;
  const a = my - b * mx;
  let sse = 0;
  for (let i = 0; i < T; i++) sse += (y[i]! - a - b * x[i]!) ** 2;
  const s2 = T > 2 ? sse / (T - 2) : NaN;
  return Object.freeze({
    slope: b,
    intercept: a,
    seSlope: Math.sqrt(s2 / sxx),
    seIntercept: Math.sqrt(s2 * (1 / T + (mx * mx) / sxx)),
    r2: syy === 0 ? NaN : 1 - sse / syy,
    n: T,
  });
}

/** What fitWindow reads from a reading. */
export interface WindowPoint {
  readonly nPos: number;
  readonly marginDecades: number;
}

/**
 * The validity window (docs/path-statistics.md): mask of the longest run of consecutive points with constant
 * nPos and marginDecades ≥ 0 (trusted). Ties between equally long runs: the earliest. All false when
 * no point is trusted.
 */
export function fitWindow(readings: readonly WindowPoint[]): boolean[] {
  list("fitWindow", "readings", readings, (name, r) => record<WindowPoint>("fitWindow", name, r, { nPos: field.num({ integer: true, min: 0 }), marginDecades: field.anyNum }));
  const ok = readings.map((r) => r.marginDecades >= 0);
  let best: [number, number] = [0, 0];
  for (let i = 0; i < readings.length; ) {
    if (!ok[i]) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < readings.length && ok[j + 1] && readings[j + 1]!.nPos === readings[i]!.nPos) j++;
    if (j - i + 1 > best[1] - best[0]) best = [i, j + 1];
    i = j + 1;
  }
  return readings.map((_, i) => i >= best[0] && i < best[1]);
}

export interface SlopeRatio {
  readonly ratio: number;
  /** Delta-method standard error, treating the two fits as independent. */
  readonly se: number;
  /** round(ratio): the dead-direction count. */
  readonly count: number;
}

/** ratio = b_r / b_1 with SE = |ratio|·√((SE_r/b_r)² + (SE_1/b_1)²) and count = round(ratio) (docs/path-statistics.md). */
export function slopeRatio(fitR: Pick<LoglogFit, "slope" | "seSlope">, fit1: Pick<LoglogFit, "slope" | "seSlope">): SlopeRatio {
  for (const [name, f] of [["fitR", fitR], ["fit1", fit1]] as const) record("slopeRatio", name, f, { slope: field.num(), seSlope: field.anyNum });
  const ratio = fitR.slope / fit1.slope;
  const se = Math.abs(ratio) * Math.sqrt((fitR.seSlope / fitR.slope) ** 2 + (fit1.seSlope / fit1.slope) ** 2);
  return Object.freeze({ ratio, se, count: Math.round(ratio) });
}

/** count = round(b_logdet / α) against a per-direction reference rate α (e.g. the λ⁺_min slope). */
export function deadCount(logdetSlope: number, alpha: number): number {
  num("deadCount", "logdetSlope", logdetSlope);
  if (!(alpha !== 0 && Number.isFinite(alpha))) throw new DdsError("deadCount", "BAD_ARGUMENT", `alpha must be finite and non-zero, got ${alpha}`);
  return Math.round(logdetSlope / alpha);
}

export interface KlOrder {
  /** k = 1 + b/2. */
  readonly k: number;
  readonly seK: number;
  /** λ_dir = 1/(2k), the direction's RLCT contribution. */
  readonly lambdaDir: number;
  readonly seLambdaDir: number;
  /** round(k) when |k − round(k)| ≤ 2·SE(k) (optional integer snapping). */
  readonly kInt?: number;
}

/**
 * KL order of a dead direction from the log-log rate b of its Fisher reading (docs/path-statistics.md):
 * k = 1 + b/2, SE(k) = SE(b)/2, λ_dir = 1/(2k), SE(λ_dir) = SE(k)/(2k²).
 */
export function klOrder(rate: number, se = NaN): KlOrder {
  num("klOrder", "rate", rate);
  record("klOrder", "arguments", { se }, { se: field.anyNum });
  const k = 1 + rate / 2;
  const seK = se / 2;
  const out: { -readonly [K in keyof KlOrder]: KlOrder[K] } = { k, seK, lambdaDir: 1 / (2 * k), seLambdaDir: seK / (2 * k * k) };
  const kr = Math.round(k);
  if (Math.abs(k - kr) <= 2 * seK) out.kInt = kr;
  return Object.freeze(out);
}

/**
 * When a path slope is a measurement rather than noise (docs/path-statistics.md): at least `minPoints`
 * points, |b| ≥ minT·SE(b) (a t-statistic of 3: p < 0.02 for 11 points under Gaussian residuals) and
 * R² ≥ minR2 (the log-log relation is a line, not a cloud). Counts and KL orders are given only from
 * slopes that pass, that have the sign of an approach to the singularity (b > 0: readings fall as t → 0),
 * and whose quotient is a plausible count.
 */
export interface SlopeRule {
  readonly minPoints: number;
  readonly minT: number;
  readonly minR2: number;
  /** A ratio is a count when it lies within this of an integer … */
  readonly maxOffInteger: number;
  /** … and 3·SE(ratio) is below 0.5, so that the integer is determined. */
  readonly maxCountSe3: number;
}

export const SLOPE_RULE: SlopeRule = Object.freeze({ minPoints: 3, minT: 3, minR2: 0.9, maxOffInteger: 0.25, maxCountSe3: 0.5 });

function checkRule(op: string, rule: unknown): void {
  record(op, "rule", rule, { minPoints: field.num({ integer: true, min: 2 }), minT: field.num({ min: 0 }), minR2: field.num({ min: 0, max: 1 }), maxOffInteger: field.num({ min: 0, max: 0.5 }), maxCountSe3: field.num({ min: 0 }) });
}

/** Why a fit's slope is not a measurement (undefined when it is), in words for a warning. */
export function slopeProblem(what: string, f: Pick<LoglogFit, "slope" | "seSlope" | "r2" | "n"> | undefined, rule: SlopeRule = SLOPE_RULE): string | undefined {
  const op = "slopeProblem";
  str(op, "what", what);
  if (f !== undefined) record(op, "f", f, { slope: field.anyNum, seSlope: field.anyNum, r2: field.anyNum, n: field.num({ integer: true, min: 0 }) });
  checkRule(op, rule);
  if (!f) return `the ${what} slope could not be fitted`;
  const b = f.slope.toPrecision(3);
  if (f.n < rule.minPoints) return `the ${what} slope rests on ${f.n} point(s) (needs ${rule.minPoints} for a standard error)`;
  const tStat = Math.abs(f.slope) / f.seSlope;
  if (!(tStat >= rule.minT)) return `the ${what} slope ${b} ± ${f.seSlope.toPrecision(2)} is not significantly non-zero (|b|/SE = ${tStat.toPrecision(2)} < ${rule.minT})`;
  if (!(f.slope > 0)) return `the ${what} slope ${b} is negative: the readings grow as t falls, so t grows away from the singularity (use a t that goes to 0 toward it, e.g. the loss gap L(t) − L*, a distance to the singular point, or 1/step)`;
  if (!(f.r2 >= rule.minR2)) return `the ${what} fit is poor (R² = ${f.r2.toFixed(2)} < ${rule.minR2}): the readings do not follow a power of t`;
  return undefined;
}

/** A slope ratio as a count (DDS counting rule) with the reason when it is not one. */
export function ratioCount(r: SlopeRatio, maxCount: number, rule: SlopeRule = SLOPE_RULE): { count: number | null; reason?: string } {
  const op = "ratioCount";
  record(op, "r", r, { ratio: field.anyNum, se: field.anyNum });
  num(op, "maxCount", maxCount, { integer: true, min: 0 });
  checkRule(op, rule);
  const k = Math.round(r.ratio);
  if (!Number.isFinite(r.ratio)) return { count: null, reason: "the ratio is undefined" };
  if (k < 1) return { count: null, reason: `the ratio ${r.ratio.toPrecision(3)} is below 1` };
  if (k > maxCount) return { count: null, reason: `the ratio ${r.ratio.toPrecision(3)} exceeds the ${maxCount} positive directions it could count` };
  if (Math.abs(r.ratio - k) > rule.maxOffInteger) return { count: null, reason: `the ratio ${r.ratio.toPrecision(3)} ± ${r.se.toPrecision(2)} is not near an integer: the directions decay at different rates, so it is a rate-weighted sum, not a count` };
  if (!(3 * r.se < rule.maxCountSe3)) return { count: null, reason: `the ratio ${r.ratio.toPrecision(3)} ± ${r.se.toPrecision(2)} is too uncertain to fix an integer` };
  return { count: k };
}

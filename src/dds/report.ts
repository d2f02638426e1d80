// The DDS report: a stable, versioned JSON document with flat namespaced keys (docs/report-schema.md).
// Rows are plain objects of string → number | string | boolean | null; NaN and ±Inf become null.

import { field, is, layerReadingArg, list, num as numArg, options, record, str, vector } from "./args.js";
import { PACKAGE_NAME, PACKAGE_VERSION } from "../generated/package.js";
import { ABI_VERSION } from "../runtime/abi.js";
import { runtimeInfo } from "../runtime/kernels.js";
import type { LayerReading } from "./layer.js";
import { DdsError } from "../errors.js";
import { fitLoglog, fitWindow, klOrder, ratioCount, SLOPE_RULE, slopeProblem, slopeRatio, type LoglogFit, type SlopeRule } from "./path.js";
import type { SpectralReading } from "./reading.js";

export const REPORT_SCHEMA = "dds-report";
export const REPORT_VERSION = 2;

export type Cell = number | string | boolean | null;
export type Row = Record<string, Cell | readonly string[]>;

const num = (v: number | undefined): number | null => (v === undefined || !Number.isFinite(v) ? null : v);

function spectralKeys(prefix: string, r: SpectralReading | undefined): Row {
  if (!r) return {};
  const row: Row = {
    [`${prefix}/recipe`]: r.recipe,
    [`${prefix}/order`]: r.order,
    [`${prefix}/n_pos`]: r.nPos,
    [`${prefix}/lambda_max`]: num(r.lambdaMax),
    [`${prefix}/floor`]: num(r.floor),
    [`${prefix}/floor_arith`]: num(r.floorArith),
    [`${prefix}/floor_input`]: num(r.floorInput),
    [`${prefix}/floor_by`]: r.floorBy,
    [`${prefix}/input_dtype`]: r.inputDtype,
    [`${prefix}/input_rtol`]: num(r.inputRtol),
    [`${prefix}/lambda_min_pos`]: num(r.lambdaMinPos),
    [`${prefix}/logdet_pos`]: num(r.logdetPos),
    [`${prefix}/band_decades`]: num(r.bandDecades),
    [`${prefix}/margin_decades`]: num(r.marginDecades),
    [`${prefix}/verdict`]: r.verdict,
    [`${prefix}/max_gap_decades`]: num(r.maxGapDecades),
    [`${prefix}/n_above_gap`]: r.nAboveGap,
    [`${prefix}/gap_input_rtol`]: num(r.gapInputRtol),
  };
  if (r.droppedVsFactor !== undefined) row[`${prefix}/dropped_vs_factor`] = r.droppedVsFactor;
  if (r.side !== undefined) row[`${prefix}/side`] = r.side;
  if (r.svd !== undefined) row[`${prefix}/svd`] = r.svd;
  return row;
}

/**
 * One (checkpoint, layer) row. `dds/*` is the default (factor-path) reading of G, `gram/*` the
 * Gram-path one, `act/*` the activation side, `dir/*` the directional Fisher along u_dead.
 */
export function layerRow(checkpoint: string, layer: string, r: LayerReading, t?: number): Row {
  const op = "layerRow";
  str(op, "checkpoint", checkpoint);
  str(op, "layer", layer);
  layerReadingArg(op, "r", r);
  if (t !== undefined) numArg(op, "t", t, { infinite: true });
  const a = r.activation;
  return {
    checkpoint, layer, ...(t !== undefined ? { t: num(t) } : {}), N: r.N, d: r.d,
    ...spectralKeys("dds", r.factor ?? r.gram),
    ...(r.factor && r.gram ? spectralKeys("gram", r.gram) : {}),
    "act/sigma_min": num(a.sigmaMin), "act/sigma_max": num(a.sigmaMax), "act/floor": num(a.svFloor),
    "act/floor_arith": num(a.svFloorArith), "act/floor_input": num(a.svFloorInput), "act/floor_by": a.floorBy,
    "act/input_dtype": a.inputDtype, "act/input_rtol": num(a.inputRtol),
    "act/svd": a.svd, "act/trusted": a.trusted, "act/x_null_dim": a.xNullDim, "act/u_dead_unique": a.unique,
    "dir/q_dead": num(r.qDead), "dir/null_mean": num(r.nullMean), "dir/null_sd": num(r.nullSd),
    "dir/z": num(r.z), "dir/separation": num(r.separation),
    warnings: [...r.warnings],
  };
}

/** The fit, or undefined where it is not defined (too few points, non-positive values). */
function tryFit(x: number[], y: number[], logT: boolean, logY: boolean, mask: boolean[]): LoglogFit | undefined {
  try {
    return fitLoglog(x, y, { logT, logY, mask });
  } catch {
    return undefined;
  }
}

/** A layer followed along a path: its readings at increasing abscissae x (t, step, loss gap…). */
export interface PathSeries {
  readonly series: string;
  readonly layer: string;
  readonly x: readonly number[];
  readonly readings: readonly LayerReading[];
  /** Take ln of x (default true). */
  readonly logX?: boolean;
  /** When a slope counts (default SLOPE_RULE). */
  readonly rule?: SlopeRule;
}

function fitKeys(prefix: string, f: LoglogFit | undefined): Row {
  if (!f) return { [prefix]: null, [`${prefix}_se`]: null, [`${prefix}_r2`]: null, [`${prefix}_intercept`]: null, [`${prefix}_t`]: null };
  return { [prefix]: num(f.slope), [`${prefix}_se`]: num(f.seSlope), [`${prefix}_r2`]: num(f.r2), [`${prefix}_intercept`]: num(f.intercept), [`${prefix}_t`]: num(f.slope / f.seSlope) };
}

/**
 * Path row (docs/path-statistics.md): slopes of log det⁺, λ⁺_min and σ_min² against ln x over the
 * validity window of the default reading (fitWindow); the KL order of the λ⁺_min rate and the
 * dead-direction count log det⁺ slope / λ⁺_min slope — each only when the slopes pass the rule
 * (SLOPE_RULE) and the count is between 1 and the window's nPos; otherwise null, with the reason in
 * `kl/reason`, `count/reason` and `warnings`. `slope/se` is the standard error of `slope/logdet_pos`.
 * @throws {DdsError} an abscissa repeats within the series (several series mixed into one?).
 */
export function pathRow(p: PathSeries): Row {
  const op = "pathRow";
  options(op, p, { series: is.string, layer: is.string, x: is.any, readings: is.any, logX: is.bool, rule: is.object }, "p");
  record(op, "p", p, { series: field.string, layer: field.string });
  vector(op, "p.x", p.x);
  list(op, "p.readings", p.readings, (name, r) => layerReadingArg(op, name, r));
  if (p.x.length !== p.readings.length) throw new DdsError(op, "BAD_ARGUMENT", `series ${JSON.stringify(p.series)} has ${p.x.length} abscissae for ${p.readings.length} readings`);
  const seen = new Map<number, number>();
  p.x.forEach((v, i) => {
    const j = seen.get(v);
    if (j !== undefined) throw new DdsError(op, "BAD_ARGUMENT", `series ${JSON.stringify(p.series)} has t = ${v} at points ${j} and ${i}: a path needs one reading per t. If these are several series (e.g. one per dead-direction count or seed), read them as separate series (CLI: --group-by-metadata KEY)`, { index: i });
    seen.set(v, i);
  });
  const rule = p.rule ?? SLOPE_RULE;
  const main = p.readings.map((r) => (r.factor ?? r.gram)!);
  const window = fitWindow(main);
  const xs = [...p.x];
  const logT = p.logX ?? true;
  const fits = {
    logdet: tryFit(xs, main.map((r) => r.logdetPos), logT, false, window),
    lmin: tryFit(xs, main.map((r) => r.lambdaMinPos), logT, true, window),
    smin: tryFit(xs, p.readings.map((r) => r.activation.sigmaMin ** 2), logT, true, p.readings.map((r, i) => window[i]! && r.activation.trusted)),
  };
  const warnings: string[] = [];
  const used = window.filter(Boolean).length;
  if (used < p.readings.length) warnings.push(`slopes use ${used} of ${p.readings.length} points (fitWindow: constant nPos, margin ≥ 0)`);
  if (used < 3) warnings.push("fewer than 3 points in the window: no standard errors");
  const first = window.indexOf(true);
  const nPos = first < 0 ? 0 : main[first]!.nPos;
  // the KL order needs a λ⁺_min rate that is a measurement with the sign of an approach (k ≥ 1)
  const lminProblem = slopeProblem("λ⁺min", fits.lmin, rule);
  const kl = !lminProblem ? klOrder(fits.lmin!.slope, fits.lmin!.seSlope) : undefined;
  const klReason = lminProblem ? `no KL order: ${lminProblem}` : null;
  let count: number | null = null;
  let countReason: string | null = null;
  const ldProblem = slopeProblem("log det⁺", fits.logdet, rule);
  if (lminProblem || ldProblem) countReason = `no dead count: ${[ldProblem, lminProblem].filter(Boolean).join("; ")}`;
  else {
    const c = ratioCount(slopeRatio(fits.logdet!, fits.lmin!), nPos, rule);
    count = c.count;
    if (c.reason) countReason = `no dead count: ${c.reason}`;
  }
  for (const w of [klReason, countReason]) if (w && !warnings.includes(w)) warnings.push(w);
  return {
    series: p.series, layer: p.layer, "slope/recipe": main[0]?.recipe ?? null,
    "slope/n": used, "slope/window_start": first < 0 ? null : first, "slope/window_end": first < 0 ? null : window.lastIndexOf(true),
    "slope/n_pos": first < 0 ? null : nPos,
    ...fitKeys("slope/logdet_pos", fits.logdet), "slope/se": num(fits.logdet?.seSlope),
    ...fitKeys("slope/lambda_min_pos", fits.lmin),
    ...fitKeys("slope/sigma_min_sq", fits.smin),
    "kl/k": num(kl?.k), "kl/k_se": num(kl?.seK), "kl/lambda_dir": num(kl?.lambdaDir), "kl/k_int": kl?.kInt ?? null, "kl/reason": klReason,
    "count/dead": count, "count/reason": countReason,
    warnings,
  };
}

/**
 * Ratio row of a series' log det⁺ slope to a reference series' (docs/path-statistics.md): the ratio and
 * its delta-method SE always (when both slopes exist); `ratio/count` only when both slopes pass the
 * rule and the ratio is a plausible count (`ratio/reason` says why not).
 */
export function ratioRow(row: Row, reference: Row, rule: SlopeRule = SLOPE_RULE): Row {
  const op = "ratioRow";
  const pathKeys = { series: field.string, layer: field.string, "slope/logdet_pos": (v: unknown) => (v === null || typeof v === "number" ? undefined : "must be a number or null (a path row from pathRow)") };
  record(op, "row", row, pathKeys);
  record(op, "reference", reference, pathKeys);
  record(op, "rule", rule, {});
  const fitOf = (r: Row) => {
    const b = r["slope/logdet_pos"] as number | null;
    return b === null ? undefined : { slope: b, seSlope: (r["slope/se"] as number | null) ?? NaN, r2: (r["slope/logdet_pos_r2"] as number | null) ?? NaN, n: r["slope/n"] as number };
  };
  const [f, f1] = [fitOf(row), fitOf(reference)];
  const base = { series: row.series!, reference: reference.series!, layer: row.layer! };
  if (!f || !f1) return { ...base, "ratio/logdet_pos": null, "ratio/se": null, "ratio/count": null, "ratio/reason": "a log det⁺ slope is missing" };
  const r = slopeRatio(f, f1);
  const problem = [slopeProblem(`${String(row.series)} log det⁺`, f, rule), slopeProblem(`${String(reference.series)} log det⁺`, f1, rule)].filter(Boolean).join("; ");
  const c = problem ? { count: null, reason: problem } : ratioCount(r, (row["slope/n_pos"] as number | null) ?? Infinity, rule);
  return { ...base, "ratio/logdet_pos": num(r.ratio), "ratio/se": num(r.se), "ratio/count": c.count, "ratio/reason": c.reason ?? null };
}

export interface Report {
  readonly schema: typeof REPORT_SCHEMA;
  readonly version: typeof REPORT_VERSION;
  /** The package that wrote the report (name and version from its package.json), its wasm ABI and binary. */
  readonly library: { readonly name: string; readonly version: string; readonly abi: number; readonly simd: boolean | null };
  readonly readings: readonly Row[];
  readonly paths: readonly Row[];
  readonly ratios: readonly Row[];
}

/** Assemble a report; rows are kept in the order given. */
export function buildReport(parts: { readings?: readonly Row[]; paths?: readonly Row[]; ratios?: readonly Row[] }): Report {
  const op = "buildReport";
  record(op, "parts", parts, {});
  const rows = (v: unknown) => (v === undefined || (Array.isArray(v) && v.every((x) => x !== null && typeof x === "object" && !Array.isArray(x))) ? undefined : "must be an array of rows (objects)");
  options(op, parts, { readings: rows, paths: rows, ratios: rows }, "parts");
  return Object.freeze({
    schema: REPORT_SCHEMA,
    version: REPORT_VERSION,
    library: Object.freeze({ name: PACKAGE_NAME, version: PACKAGE_VERSION, abi: ABI_VERSION, simd: runtimeInfo()?.simd ?? null }),
    readings: parts.readings ?? [],
    paths: parts.paths ?? [],
    ratios: parts.ratios ?? [],
  });
}

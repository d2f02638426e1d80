// The DDS report: a stable, versioned JSON document with flat namespaced keys (docs/report-schema.md).
// Rows are plain objects of string → number | string | boolean | null; NaN and ±Inf become null.

import { ABI_VERSION } from "../runtime/abi.js";
import { runtimeInfo } from "../runtime/kernels.js";
import type { LayerReading } from "./layer.js";
import { fitLoglog, fitWindow, klOrder, slopeRatio, type LoglogFit } from "./path.js";
import type { SpectralReading } from "./reading.js";

export const REPORT_SCHEMA = "dds-report";
export const REPORT_VERSION = 1;

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
    [`${prefix}/lambda_min_pos`]: num(r.lambdaMinPos),
    [`${prefix}/logdet_pos`]: num(r.logdetPos),
    [`${prefix}/band_decades`]: num(r.bandDecades),
    [`${prefix}/margin_decades`]: num(r.marginDecades),
  };
  if (r.droppedVsFactor !== undefined) row[`${prefix}/dropped_vs_factor`] = r.droppedVsFactor;
  if (r.side !== undefined) row[`${prefix}/side`] = r.side;
  return row;
}

/**
 * One (checkpoint, layer) row. `dds/*` is the default (factor-path) reading of G, `gram/*` the
 * Gram-path one, `act/*` the activation side, `dir/*` the directional Fisher along u_dead.
 */
export function layerRow(checkpoint: string, layer: string, r: LayerReading, t?: number): Row {
  const a = r.activation;
  return {
    checkpoint, layer, ...(t !== undefined ? { t: num(t) } : {}), N: r.N, d: r.d,
    ...spectralKeys("dds", r.factor ?? r.gram),
    ...(r.factor && r.gram ? spectralKeys("gram", r.gram) : {}),
    "act/sigma_min": num(a.sigmaMin), "act/sigma_max": num(a.sigmaMax), "act/floor": num(a.svFloor),
    "act/trusted": a.trusted, "act/x_null_dim": a.xNullDim, "act/u_dead_unique": a.unique,
    "dir/q_dead": num(r.qDead), "dir/null_mean": num(r.nullMean), "dir/null_sd": num(r.nullSd),
    "dir/z": num(r.z), "dir/separation": num(r.separation),
    warnings: [...r.warnings],
  };
}

function fitKeys(prefix: string, f: LoglogFit | undefined): Row {
  if (!f) return { [prefix]: null, [`${prefix}_se`]: null, [`${prefix}_r2`]: null };
  return { [prefix]: num(f.slope), [`${prefix}_se`]: num(f.seSlope), [`${prefix}_r2`]: num(f.r2), [`${prefix}_intercept`]: num(f.intercept) };
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
}

/**
 * Path row (DDS.md §6): slopes of log det⁺, λ⁺_min and σ_min² against ln x over the validity window
 * of the default reading (fitWindow), the KL order of the λ⁺_min rate and the dead-direction count
 * log det⁺ slope / λ⁺_min slope. `slope/se` is the standard error of `slope/logdet_pos`.
 */
export function pathRow(p: PathSeries): Row {
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
  const kl = fits.lmin ? klOrder(fits.lmin.slope, fits.lmin.seSlope) : undefined;
  const first = window.indexOf(true);
  return {
    series: p.series, layer: p.layer, "slope/recipe": main[0]?.recipe ?? null,
    "slope/n": used, "slope/window_start": first < 0 ? null : first, "slope/window_end": first < 0 ? null : window.lastIndexOf(true),
    ...fitKeys("slope/logdet_pos", fits.logdet), "slope/se": num(fits.logdet?.seSlope),
    ...fitKeys("slope/lambda_min_pos", fits.lmin),
    ...fitKeys("slope/sigma_min_sq", fits.smin),
    "kl/k": num(kl?.k), "kl/k_se": num(kl?.seK), "kl/lambda_dir": num(kl?.lambdaDir), "kl/k_int": kl?.kInt ?? null,
    "count/dead": fits.logdet && fits.lmin && fits.lmin.slope !== 0 ? Math.round(fits.logdet.slope / fits.lmin.slope) : null,
    warnings,
  };
}

/** Ratio row of a series' log det⁺ slope to a reference series' (DDS.md §6.2). */
export function ratioRow(row: Row, reference: Row): Row {
  const b = row["slope/logdet_pos"] as number | null;
  const b1 = reference["slope/logdet_pos"] as number | null;
  if (b === null || b1 === null) return { series: row.series!, reference: reference.series!, "ratio/logdet_pos": null, "ratio/se": null, "ratio/count": null };
  const r = slopeRatio({ slope: b, seSlope: (row["slope/se"] as number | null) ?? NaN }, { slope: b1, seSlope: (reference["slope/se"] as number | null) ?? NaN });
  return { series: row.series!, reference: reference.series!, layer: row.layer!, "ratio/logdet_pos": num(r.ratio), "ratio/se": num(r.se), "ratio/count": r.count };
}

export interface Report {
  readonly schema: typeof REPORT_SCHEMA;
  readonly version: typeof REPORT_VERSION;
  readonly library: { readonly name: "dds-wasm"; readonly abi: number; readonly simd: boolean | null };
  readonly readings: readonly Row[];
  readonly paths: readonly Row[];
  readonly ratios: readonly Row[];
}

/** Assemble a report; rows are kept in the order given. */
export function buildReport(parts: { readings?: readonly Row[]; paths?: readonly Row[]; ratios?: readonly Row[] }): Report {
  return Object.freeze({
    schema: REPORT_SCHEMA,
    version: REPORT_VERSION,
    library: Object.freeze({ name: "dds-wasm" as const, abi: ABI_VERSION, simd: runtimeInfo()?.simd ?? null }),
    readings: parts.readings ?? [],
    paths: parts.paths ?? [],
    ratios: parts.ratios ?? [],
  });
}

// Plots of readings: the spectrum of G with both floors (the one that binds shades the band), the
// singular values of X, and readings along a path with each point's floor and verdict — the one
// place the CLI, the browser page and the examples turn a reading into a picture (docs/trust-floors.md).

import { checkReadingPath, checkReadingPlot } from "./args.js";
import type { LayerReading } from "../dds/layer.js";
import type { SpectralReading } from "../dds/reading.js";
import { fitWindow } from "../dds/path.js";
import { unitRoundoff } from "../dds/precision.js";
import type { Row } from "../dds/report.js";
import { pathPlot, type PathPlotInput } from "./path.js";
import { spectrumPlot, type SpectrumFloor } from "./spectrum.js";

/** Whether a reading's input floor carries information: a coarse dtype or a stated accuracy. */
function inputMatters(dtype: string, rtol: number): boolean {
  return dtype !== "F64" || rtol !== unitRoundoff("F64");
}

function floorNames(r: { floorBy: string; inputDtype: string; inputRtol: number }, arith: string): { main: string; other: string } {
  const input = r.inputRtol === unitRoundoff(r.inputDtype) ? `${r.inputDtype} input rounding` : `input accuracy ${r.inputRtol.toPrecision(2)}`;
  return r.floorBy === "input" ? { main: `floor (${input})`, other: arith } : { main: `floor (${arith})`, other: `${input} floor` };
}

/**
 * The spectrum of G = ΓᵀΓ/c behind a layer reading (factor path unless only the Gram path ran): every
 * eigenvalue, those at or below the floor included; the binding floor shades the band, the other one
 * is drawn as a second line when the input's precision means something (a coarse dtype or a stated
 * inputRtol); λ⁺min ringed.
 */
export function readingSpectrumPlot(r: LayerReading, o: { title?: string } = {}): string {
  checkReadingPlot("readingSpectrumPlot", r, o);
  const factor = r.factor !== undefined;
  const f = (r.factor ?? r.gram)! as SpectralReading;
  const pos = (factor ? r.spectra.factor : r.spectra.gram) ?? new Float64Array(0);
  const below = (factor ? r.spectra.factorBelow : r.spectra.gramBelow) ?? new Float64Array(0);
  const names = floorNames(f, "float64 arithmetic");
  const other = f.floorBy === "input" ? f.floorArith : f.floorInput;
  const floors: SpectrumFloor[] = inputMatters(f.inputDtype, f.inputRtol) ? [{ value: other, label: names.other, kind: f.floorBy === "input" ? "arithmetic" : "input" }] : [];
  return spectrumPlot({
    values: [...pos, ...below], floor: f.floor, floorLabel: names.main, floors,
    ...(f.nPos > 0 ? { lambdaMinPos: f.lambdaMinPos } : {}),
    title: o.title ?? `spectrum of G = ΓᵀΓ/c (${f.recipe} path)`, valueLabel: "eigenvalue λ",
  });
}

/** The singular values of X behind a layer reading, with σmin's floor(s). */
export function activationSpectrumPlot(r: LayerReading, o: { title?: string } = {}): string {
  checkReadingPlot("activationSpectrumPlot", r, o);
  const a = r.activation;
  const names = floorNames({ floorBy: a.floorBy, inputDtype: a.inputDtype, inputRtol: a.inputRtol }, "float64 arithmetic");
  const other = a.floorBy === "input" ? a.svFloorArith : a.svFloorInput;
  return spectrumPlot({
    values: a.singularValues, floor: a.svFloor, floorLabel: names.main,
    floors: inputMatters(a.inputDtype, a.inputRtol) ? [{ value: other, label: names.other, kind: a.floorBy === "input" ? "arithmetic" : "input" }] : [],
    ...(a.sigmaMin > 0 ? { lambdaMinPos: a.sigmaMin } : {}), markLabel: "σmin",
    title: o.title ?? "singular values of X", valueLabel: "singular value σ",
  });
}

/** One series of a path: its abscissae, readings and (optionally) its path row for the fitted line. */
export interface ReadingSeries {
  readonly name: string;
  readonly x: readonly number[];
  readonly readings: readonly LayerReading[];
  /** The series' pathRow (its `slope/<key>` fit is drawn); omit to draw no fit. */
  readonly row?: Row;
}

/**
 * Readings along a path: `lambda_min_pos` (log-log, each point's floor drawn under it),
 * `sigma_min_sq` (σmin(X)², its floor squared) or `logdet_pos` (log-linear). Points outside the fit
 * window are hollow; readings whose verdict is not trusted/marginal (and σmin at or below its floor)
 * are marked untrusted. `fit: false` draws no fitted lines; `overlay` adds a series on a second axis.
 */
export function readingPathPlot(series: readonly ReadingSeries[], key: "lambda_min_pos" | "logdet_pos" | "sigma_min_sq", o: { title?: string; xLabel?: string; logX?: boolean; fit?: boolean; overlay?: PathPlotInput["overlay"] } = {}): string {
  checkReadingPath("readingPathPlot", series, key, o);
  const ylab = { lambda_min_pos: "λ⁺min(G)", logdet_pos: "log det⁺(G)", sigma_min_sq: "σmin(X)²" }[key];
  return pathPlot({
    title: o.title ?? `${ylab} along the path`, xLabel: o.xLabel ?? "t", yLabel: ylab, logY: key !== "logdet_pos", logX: o.logX ?? true,
    ...(o.overlay ? { overlay: o.overlay } : {}),
    series: series.map((s) => {
      const main = s.readings.map((r) => (r.factor ?? r.gram)!);
      const act = s.readings.map((r) => r.activation);
      const y = key === "lambda_min_pos" ? main.map((r) => r.lambdaMinPos) : key === "logdet_pos" ? main.map((r) => r.logdetPos) : act.map((a) => a.sigmaMin * a.sigmaMin);
      const floor = key === "lambda_min_pos" ? main.map((r) => r.floor) : key === "sigma_min_sq" ? act.map((a) => a.svFloor * a.svFloor) : undefined;
      const trusted = key === "sigma_min_sq" ? act.map((a) => a.trusted) : main.map((r) => r.verdict === "trusted" || r.verdict === "marginal");
      const b = s.row?.[`slope/${key}`];
      const fit = typeof b === "number" && o.fit !== false ? { slope: b, intercept: s.row![`slope/${key}_intercept`] as number, seSlope: (s.row![`slope/${key}_se`] as number | null) ?? NaN, r2: (s.row![`slope/${key}_r2`] as number | null) ?? NaN } : undefined;
      return { name: s.name, x: s.x, y, mask: fitWindow(main), trusted, ...(floor ? { floor } : {}), ...(fit ? { fit } : {}) };
    }),
  });
}

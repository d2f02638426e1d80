// Plot inputs shared by the plot tests: the two fixed inputs of the snapshots and the harder cases
// (dense spectrum, extra floors, coincident series, clipped fits, a linear x axis, eight series).
import type { PathPlotInput, SpectrumPlotInput } from "../../src/plot/index.js";

export const spec: SpectrumPlotInput = { values: [2, 0.5, 1e-3, 3e-9, 1e-14, 0, -1e-17], floor: 4.4e-13, lambdaMinPos: 3e-9, title: "G spectrum" };

export const path: PathPlotInput = {
  title: "bridge",
  logY: false,
  series: [
    { name: "r=1", x: [1e-3, 1e-2, 1e-1], y: [-40, -26.2, -12.4], mask: [true, true, true], fit: { slope: 6, intercept: 1.4, seSlope: 0.01, r2: 0.9999 } },
    { name: "r=2", x: [1e-3, 1e-2, 1e-1], y: [-90, -52.4, -24.8], mask: [false, true, true], fit: { slope: 12, intercept: 2.8, seSlope: 0.02, r2: 0.9998 } },
  ],
};

/** 200 eigenvalues spanning 30 decades, λ⁺min (rank 181) right above the floor. */
const dense = Array.from({ length: 200 }, (_, i) => 10 ** (2 - (30 * i) / 199));
export const denseSpec: SpectrumPlotInput = { values: dense, floor: dense[180]! * 0.9, lambdaMinPos: dense[180]!, title: "dense" };

/** A float32 tensor's spectrum: the float64 arithmetic floor binds the count, the input-rounding floor is drawn too. */
export const floorsSpec: SpectrumPlotInput = {
  values: [3, 1, 0.2, 4e-6, 5e-9, 2e-11, 1e-15, 0],
  floor: 1e-12,
  floors: [
    { value: 1e-12, label: "float64 arithmetic floor", kind: "arithmetic" },
    { value: 2e-8, label: "float32 input rounding floor", kind: "input" },
  ],
  lambdaMinPos: 2e-11,
  title: "float32 G",
};

/** λ⁺min at the top of the plot (a single large eigenvalue), the place where labels used to collide with the title. */
export const topSpec: SpectrumPlotInput = { values: [7, 0, 0], floor: 1e-15, lambdaMinPos: 7, title: "rank one" };

const tx = [1e-3, 3e-3, 1e-2, 3e-2, 1e-1];
/** Four λ⁺min series r = 1..4 that agree to nine digits: per-point floors, two untrusted points each. */
export const coincident: PathPlotInput = {
  title: "λ⁺min, r = 1..4",
  yLabel: "λ⁺min(G)",
  series: [1, 2, 3, 4].map((r) => ({
    name: `r=${r}`,
    x: tx,
    y: tx.map((t) => 1e-2 * t * t * (1 + r * 1e-9)),
    mask: [false, true, true, true, true],
    floor: tx.map(() => 3e-10),
    trusted: [false, false, true, true, true],
    fit: { slope: 2, intercept: Math.log(1e-2), seSlope: 1e-6, r2: 1 },
  })),
};

/** Fit lines that leave the box: r=1 crosses the bottom edge, r=2 lies wholly above the plot. */
export const clipped: PathPlotInput = {
  title: "clipped fit",
  logY: false,
  series: [
    { name: "r=1", x: [1e-3, 1e-2, 1e-1], y: [-40, -26.2, -12.4], fit: { slope: 9, intercept: 10, seSlope: 0.01, r2: 0.9 } },
    { name: "r=2", x: [1e-3, 1e-2, 1e-1], y: [-37, -23.2, -9.4], fit: { slope: 6, intercept: 200, seSlope: 0.01, r2: 0.9 } },
  ],
};

/** On a log y axis: the fit leaves through the top edge (y = 1e-3 at t = 0.1 against data up to 1e-4). */
export const clippedLog: PathPlotInput = {
  title: "clipped, log y",
  series: [{ name: "a", x: [1e-3, 1e-2, 1e-1], y: [1e-8, 1e-6, 1e-4], fit: { slope: 3, intercept: Math.log(1e-3) + 3 * Math.log(10), seSlope: 0.1, r2: 0.9 } }],
};

/** Training steps on a linear x axis (step 0 is drawn but not fitted), per-point floors, the last point under its floor. */
export const steps: PathPlotInput = {
  title: "steps",
  xLabel: "step",
  logX: false,
  series: [{
    name: "λ⁺min", x: [0, 200, 400, 600, 800, 1000], y: [1e-3, 5e-4, 2e-4, 1e-4, 6e-5, 4e-5], mask: [false, true, true, true, true, true],
    fit: { slope: -1.2, intercept: Math.log(0.3), seSlope: 0.05, r2: 0.99 }, floor: [1e-6, 1e-6, 1e-6, 2e-6, 2e-6, 5e-5],
  }],
};

/** Eight series in two coincident groups of four, long names: the legend must wrap and stay readable. */
export const eight: PathPlotInput = {
  title: "eight series",
  series: Array.from({ length: 8 }, (_, k) => ({
    name: `series number ${k + 1}`,
    x: tx,
    y: tx.map((t) => 1e-2 * t * t * (1 + (k % 4) * 1e-12) * (k < 4 ? 1 : 30)),
    fit: { slope: 2.0001 + k / 1000, intercept: Math.log(1e-2 * (k < 4 ? 1 : 30)), seSlope: 0.00012, r2: 0.99999 },
    trusted: [true, k % 2 === 0, true, true, true],
  })),
};

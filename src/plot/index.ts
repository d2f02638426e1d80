// SVG plots (pure functions returning strings; no DOM, no dependency).
export { spectrumPlot, pathPlot, type SpectrumPlotInput, type PathPlotInput, type PathSeriesPlot } from "./svg.js";

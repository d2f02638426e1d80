// SVG plots (pure functions returning strings; no DOM, no dependency).
export { spectrumPlot, type SpectrumPlotInput, type SpectrumFloor } from "./spectrum.js";
export { pathPlot, type PathPlotInput, type PathSeriesPlot } from "./path.js";
export { readingSpectrumPlot, activationSpectrumPlot, readingPathPlot, type ReadingSeries } from "./reading.js";
export { scatterPlot, type ScatterPlotInput } from "./scatter.js";

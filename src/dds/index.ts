// DDS readout (../shared/spec/DDS.md): readings, path statistics, RRR reference, extensions.
export { rrrRLCT, type RrrRlct } from "./rrr.js";
export { rankdata, pearson, spearman, median } from "./stats.js";
export { bandFloor, EPS64, EPS32, type BandRecipe, type BandOptions } from "./band.js";
export { fitLoglog, ols, fitWindow, slopeRatio, deadCount, klOrder, type LoglogFit, type FitOptions, type WindowPoint, type SlopeRatio, type KlOrder } from "./path.js";
export { effectiveRank, stableRank, spectralEntropy, participationRatio, topKEnergy, activationSparsity, deadUnits, layerNormKernel, type Activations } from "./extras.js";
export { ln, log10, exp, lnArray, log10Array, expArray, sumLn } from "./wmath.js";

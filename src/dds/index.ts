// DDS readout (docs/observables.md): readings, path statistics, RRR reference, extensions.
export { rrrRLCT, type RrrRlct } from "./rrr.js";
export { rankdata, pearson, spearman, median } from "./stats.js";
export { spearmanTest, collapseBetween, groupMedians, EXACT_MAX_N, PERMUTATION_DRAWS, type RankCorrelation, type Collapse } from "./sweep.js";
export { bandFloor, EPS64, EPS32, type BandRecipe, type BandOptions } from "./band.js";
export { fitLoglog, ols, fitWindow, slopeRatio, deadCount, klOrder, SLOPE_RULE, slopeProblem, ratioCount, type LoglogFit, type FitOptions, type WindowPoint, type SlopeRatio, type KlOrder, type SlopeRule } from "./path.js";
export { unitRoundoff, inputPrecision, type InputPrecision } from "./precision.js";
export { effectiveRank, stableRank, spectralEntropy, participationRatio, topKEnergy, activationSparsity, deadUnits, layerNormKernel, type Activations } from "./extras.js";
export { ln, log10, exp, lnArray, log10Array, expArray, sumLn } from "./wmath-public.js";
export { spectrum, spectrumSym, lambdaMinPos, logdetPos, readFactor, readGram, type ReadingOptions, type SpectralReading, type Spectrum, type Verdict, type InputFloor } from "./reading.js";
export { activation, signFix, type ActivationOptions, type ActivationReading } from "./activation.js";
export { dirFisher, nullStats, nullCompare, type DirectionalOptions, type NullStats, type NullComparison } from "./directional.js";
export { kronReading, linearLayerGrads, linearLayerSampleGram, blockFisherReading, type KronReading } from "./kfac.js";
export { layerReading, GAP_RTOL_MAX, GAP_MIN_DECADES, GAP_SPREAD_FACTOR, type LayerOptions, type LayerReading } from "./layer.js";
export { rrrAnchor, type RrrAnchorOptions, type RrrCell } from "./rrr-anchor.js";
export { deepLinearBridge, randomOrthogonal, SeededRandom, BRIDGE_T, type BridgeOptions, type BridgePoint } from "./synthetic.js";
export { buildReport, layerRow, pathRow, ratioRow, REPORT_SCHEMA, REPORT_VERSION, type Report, type Row, type Cell, type PathSeries } from "./report.js";
export { structuralCorrelation, rankTracking, collapseRatio, classifyDirection, additiveRLCT, llcFromSgld, type StructuralCell, type StructuralCorrelation, type DirectionClass } from "./cross.js";
export { readCheckpoint, readOpened, matrixShape, type CheckpointOptions, type CheckpointReading } from "./checkpoint.js";

// Public library API of signglove. Each area exports its user-facing pieces here.
export { JAMO, jamoIndex, isJamo, type Jamo } from './jamo.js';
export * from './data/types.js';
export {
  loadDataset, parseEpisodeCsv, tryParseEpisodeCsv, parseChannelList, DatasetError, EpisodeParseError,
  fixLength, makeBatch, Scaler, randomSplit, kFoldSplits, leaveOnePostureOut, leaveOneSessionOut, directorySplit, formatSplitCounts,
  defaultPipeline, fitSessionStats, poolSessionStats, normalizeEpisode, SessionAccumulator, findEpisodeFaults, sessionFaultChannels,
  type InputPipelineConfig, type SessionStats, type FaultRules, type ChannelFault,
  inspectDataset, type LoadOptions, type LoadedDataset, type LengthMode, type Batch, type BatchOptions,
  type ScalerJSON, type Split, type InspectSummary, type Anomaly,
} from './data/index.js';
export * from './infer/types.js';
export {
  loadModel, listShippedModels, resolveModelPath, Predictor, MAX_FRAMES, DEFAULT_MODEL,
  type LoadedModel, type LoadModelOptions, type ModelInfo,
} from './infer/index.js';
export { runTrainJob, archFileName, loadWearings, type TrainJob, type TrainJobResult, type SplitKind, type InputMode } from './train/pipeline.js';
export { calibrateModel, type CalibrateOptions, type Calibrated } from './train/calibrate.js';
export { DEFAULT_AUGMENT, NO_AUGMENT, type AugmentConfig } from './train/augment.js';
export { fitExtraTrees, predictExtraTrees, type ForestArrays, type ExtraTreesOptions } from './trees/extra-trees.js';
export { runGeneralization, type GeneralizationResult } from './eval/generalization.js';
export { train, evaluateSet, DEFAULT_TRAIN_OPTIONS, type TrainOptions, type TensorSet } from './train/trainer.js';
export { saveBundle } from './bundle/file.js';
export { modelCard } from './bundle/card.js';
export type { BundleMeta, PreprocessConfig, EpochRecord, Provenance, TrainingSummary } from './bundle/types.js';
export { createModel, defaultConfig, ARCHS, type ArchConfig, type ArchName, type Model } from './models/index.js';
export { selectKernels, type BackendName } from './nn/select-kernels.js';
export {
  AdamW, ReduceLROnPlateau, clipGradNorm, softmax, softmaxCrossEntropy, tsKernels,
  encodeSafetensors, decodeSafetensors, writeSafetensors, readSafetensors, type Kernels, type Param, type TensorMap,
} from './nn/index.js';
export {
  computeMetrics, writeEvaluationReport, writeTrainingCharts, writeComparisonChart, renderChart,
  type EvaluationResult, type PerClassMetrics, type ConfusedPair, type TrainingHistoryRow, type ComparisonRow,
} from './eval/index.js';
export { runLiveBenchmark, liveFigures, formatLiveFigures, type LiveBenchmarkOptions, type LiveBenchmarkResult, type LiveFigures } from './eval/live-benchmark.js';
export { createApp, type AppOptions } from './server/app.js';
export { startServer, type ServerOptions, type RunningServer } from './server/server.js';
export { ModelCatalog } from './server/catalog.js';
export type { ServedModel, ModelSource, ModelEntry } from './server/types.js';
export * from './stream/index.js';

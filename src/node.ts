/**
 * `signglove/node`: the portable core (`signglove`) plus what needs Node: loading models and
 * datasets from files, worker-thread batches, glove sources (serial, TCP, UDP, stdin, replay),
 * lexicon and simulator files, the training pipeline, evaluation reports and charts.
 */
// first: Node 20 turns on relaxed SIMD before any wasm backend picks its build
import './nn/wasm/node-relaxed-simd.js';
export * from './index.js';
export { labelFromPath, datasetRootOfFile } from './data/layout.js';
export { loadDataset, DatasetError, DEFAULT_MIN_LENGTH, type LoadOptions, type LoadedDataset } from './data/load.js';
export { inspectDataset, type InspectSummary, type Anomaly, type AnomalyKind, type ChannelStats, type Stats } from './data/inspect.js';
export { writeSafetensors, readSafetensors } from './nn/safetensors-fs.js';
export { saveBundle } from './bundle/file.js';
export {
  loadModel, listShippedModels, resolveModelPath, shippedModelPath, DEFAULT_MODEL,
  type LoadedModel, type LoadModelOptions,
} from './infer/index.js';
export { runTrainJob, archFileName, loadWearings, type TrainJob, type TrainJobResult, type SplitKind, type InputMode } from './train/pipeline.js';
export { runGeneralization, type GeneralizationResult } from './eval/generalization.js';
export {
  writeEvaluationReport, writeTrainingCharts, writeComparisonChart, renderChart,
  type TrainingHistoryRow, type ComparisonRow,
} from './eval/index.js';
export { runLiveBenchmark, liveFigures, formatLiveFigures, type LiveBenchmarkOptions, type LiveBenchmarkResult, type LiveFigures } from './eval/live-benchmark.js';
export * from './stream/node.js';

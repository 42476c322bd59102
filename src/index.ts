/**
 * `signglove`: the portable core. Everything here runs in Node and in the browser alike and
 * imports nothing from Node: preprocessing, the neural-network engine, the models, the bundle
 * format, training and calibration, inference, the live recogniser, Hangul and word decoding.
 * Files, worker pools, glove sources, reports and the CLI are `signglove/node`; the HTTP server
 * is `signglove/server`. test/architecture.test.ts holds the layer table that keeps it so.
 */
export { JAMO, jamoIndex, isJamo, type Jamo } from './jamo.js';

// data: parsing, preprocessing, splits, sensor faults, session normalisation
export * from './data/types.js';
export * from './data/glove-format.js';
export { parseEpisodeCsv, tryParseEpisodeCsv, splitCsvLine, formatProblem, EpisodeParseError, type EpisodeMeta } from './data/parse-episode.js';
export { parseChannelList } from './data/channels.js';
export {
  fixLength, makeBatch, Scaler, DEFAULT_T, DEFAULT_PAD_VALUE, LENGTH_MODES,
  type LengthMode, type FixedLength, type ScalerJSON, type BatchOptions, type Batch,
} from './data/preprocess.js';
export {
  randomSplit, kFoldSplits, leaveOneSessionOut, leaveOnePostureOut, directorySplit, formatSplitCounts,
  DEFAULT_SPLIT_SEED, DEFAULT_RATIOS, SPLIT_PARTS, type Split, type SplitPart,
} from './data/splits.js';
export {
  CHANNEL_RANGES, DEFAULT_FAULT_RULES, findEpisodeFaults, sessionFaultChannels, removeFaults,
  type ChannelRange, type FaultRules, type FaultKind, type ChannelFault, type EpisodeFaults,
} from './data/sensor-faults.js';
export {
  defaultPipeline, fitSessionStats, poolSessionStats, normalizeEpisode, SessionAccumulator, PIPELINE_RAW, PIPELINE_INPUTS, orientTrainingSessions,
  type InputPipelineConfig, type SessionStats,
} from './data/session-norm.js';
export { GRAVITY_INPUTS, gravityOf, azimuthShift } from './data/orientation.js';
export { RunningSession, type RunningSessionOptions } from './data/running-session.js';
export { fitPostureShifts, postureCopies, type PostureShifts } from './data/posture-shift.js';

// the engine and the models
export type { Kernels } from './nn/kernels.js';
export { tsKernels } from './nn/kernels-ts.js';
export { selectKernels, type BackendName } from './nn/select-kernels.js';
export type { Param } from './nn/param.js';
export { softmax, softmaxCrossEntropy } from './nn/loss.js';
export { AdamW } from './nn/adamw.js';
export { ReduceLROnPlateau } from './nn/scheduler.js';
export { clipGradNorm } from './nn/clip.js';
export { encodeSafetensors, decodeSafetensors, type TensorMap } from './nn/safetensors.js';
export { createModel, defaultConfig, ARCHS, type ArchConfig, type ArchName, type Model } from './models/index.js';
export { fitExtraTrees, predictExtraTrees, type ForestArrays, type ExtraTreesOptions } from './trees/extra-trees.js';

// the bundle format
export * from './bundle/index.js';

// inference
export * from './infer/types.js';
export { Predictor, MAX_FRAMES, type ModelInfo } from './infer/core.js';
export { argmax, topK } from './infer/class-scores.js';

// training and calibration
export { train, evaluateSet, DEFAULT_TRAIN_OPTIONS, type TrainOptions, type TensorSet } from './train/trainer.js';
export { calibrateModel, type CalibrateOptions, type Calibrated } from './train/calibrate.js';
export { personalBundle, heldOutAccuracy, type PersonalBundle } from './train/personal-bundle.js';
export { DEFAULT_AUGMENT, NO_AUGMENT, type AugmentConfig } from './train/augment.js';
export { computeMetrics, type EvaluationResult, type PerClassMetrics, type ConfusedPair } from './eval/metrics.js';

// live recognition, Hangul, words, the simulator
export * from './stream/index.js';

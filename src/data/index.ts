// Public API of the data layer: loading, parsing, preprocessing, splits and the inspect summary.
export * from './types.js';
export * from './glove-format.js';
export { parseEpisodeCsv, tryParseEpisodeCsv, splitCsvLine, formatProblem, EpisodeParseError, type EpisodeMeta } from './parse-episode.js';
export { parseChannelList } from './channels.js';
export { labelFromPath, datasetRootOfFile } from './layout.js';
export { loadDataset, DatasetError, DEFAULT_MIN_LENGTH, type LoadOptions, type LoadedDataset } from './load.js';
export {
  fixLength,
  makeBatch,
  Scaler,
  DEFAULT_T,
  DEFAULT_PAD_VALUE,
  LENGTH_MODES,
  type LengthMode,
  type FixedLength,
  type ScalerJSON,
  type BatchOptions,
  type Batch,
} from './preprocess.js';
export {
  randomSplit,
  kFoldSplits,
  leaveOneSessionOut,
  leaveOnePostureOut,
  directorySplit,
  formatSplitCounts,
  DEFAULT_SPLIT_SEED,
  DEFAULT_RATIOS,
  SPLIT_PARTS,
  type Split,
  type SplitPart,
} from './splits.js';
export { inspectDataset, type InspectSummary, type Anomaly, type AnomalyKind, type ChannelStats, type Stats } from './inspect.js';
export { CHANNEL_RANGES, DEFAULT_FAULT_RULES, findEpisodeFaults, sessionFaultChannels, removeFaults, type ChannelRange, type FaultRules, type FaultKind, type ChannelFault, type EpisodeFaults } from './sensor-faults.js';
export {
  defaultPipeline, fitSessionStats, poolSessionStats, normalizeEpisode, SessionAccumulator, PIPELINE_RAW, PIPELINE_INPUTS,
  type InputPipelineConfig, type SessionStats,
} from './session-norm.js';

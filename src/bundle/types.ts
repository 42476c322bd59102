/** The bundle format's types: the JSON a bundle carries in its safetensors header. Portable. */
import type { PostureShifts } from '../data/posture-shift.js';
import type { ArchConfig } from '../models/index.js';
import type { InputPipelineConfig, SessionStats } from '../data/session-norm.js';
import type { AugmentConfig } from '../train/augment.js';

/** How raw frames become the network's input; everything a predictor needs besides the weights. */
export interface PreprocessConfig {
  /** Channel names in the order the network sees them. */
  channels: string[];
  /** Time steps the network sees. */
  T: number;
  /** 'pad' pads short episodes and cuts long ones (the reference); 'resample' stretches linearly to T. */
  lengthMode: 'pad' | 'truncate' | 'resample';
  /** Raw value padded frames get before standardisation (the reference uses 1.0). */
  padValue: number;
  /** Per-channel standardisation fitted on the training split only. */
  scaler: { mean: number[]; std: number[] };
  /**
   * Median real length of the training episodes, in frames. Live windows are stretched to this
   * length before classification, so a sign held for 1 s looks like the ~2.4 s holds the model
   * learned from (absent in early bundles: 80, the recorded length of the reference datasets).
   */
  typicalLength?: number;
  /**
   * The input pipeline (fault removal, channel choice, per-session normalisation). Present in
   * bundles made since it exists: then `channels` are the raw channels a caller gives, the network
   * sees `pipeline.inputs`, and `scaler` is the identity.
   */
  pipeline?: InputPipelineConfig;
  /**
   * The session statistics used when the caller gives none: the pooled training sessions in a
   * base bundle, the wearer's calibration session in a personal one.
   */
  session?: SessionStats;
  /** Statistics of every session the model was trained on (what "in range" means for live sensor health). */
  trainingSessions?: SessionStats[];
  /** Per-letter flex shift between posture variants on the training days (spreads calibration shots over postures). */
  postureShifts?: PostureShifts;
}

/** The tree ensemble's settings (its forest is stored as `trees.*` tensors). */
export interface TreesArch {
  arch: 'ExtraTrees';
  trees: number;
  maxFeatures?: number;
  minSamplesSplit: number;
  maxDepth: number;
  seed: number;
  /** Features per episode (see src/trees/features.ts). */
  inputSize: number;
  numClasses: number;
}

/** How a personal bundle was made from a base bundle. */
export interface CalibrationRecord {
  /** Name of the base bundle and its file name. */
  base: string;
  baseFile?: string;
  /** e.g. 'refit-forest' (trees: refit on stored source features + weighted shots), 'fine-tune', or 'self-train' (unlabelled holds). */
  method: string;
  /** 0 for self-training: the holds carried no labels. */
  shotsPerClass: number;
  /** Calibration episodes used (paths relative to the profile or as given). */
  files: string[];
  /** Weight of a calibration shot relative to a source episode (refit methods). */
  shotWeight?: number;
  /** Flex channels the personal forest was refitted without (broken in the calibration session). */
  fittedWithout?: string[];
  /** Self-training: refits, holds per letter in the first round, their weight, holds pseudo-labelled in the last round. */
  selfTrain?: { rounds: number; perClass: number; weight: number; used: number };
  temperature: number;
  createdAt: string;
  seconds: number;
}

/** One epoch of a training run. */
export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  trainAcc: number;
  valLoss: number;
  valAcc: number;
  lr: number;
  seconds: number;
}

/** Where a model's data came from and which episodes it never saw. */
export interface Provenance {
  /** Folder name of the dataset root (e.g. signglove-2025-10-01). */
  dataset: string;
  /** Number of episodes loaded, and skipped with reasons. */
  episodes: number;
  skipped: number;
  split: { kind: string; seed: number; ratios?: number[]; heldOut?: string; train: number; val: number; test: number };
  /** Dataset-relative paths of the test episodes (never used for training or model selection). */
  testFiles: string[];
  command?: string;
  createdAt: string;
  engine: string;
  /** Id of the training run; its model card and metrics file carry the same id. */
  runId?: string;
}

export interface TrainingSummary {
  epochs: number;
  bestEpoch: number;
  stoppedBy: 'early-stopping' | 'max-epochs' | 'interrupted' | 'pruned';
  trainSeconds: number;
  params: number;
  seed: number;
  batchSize: number;
  lr: number;
  weightDecay: number;
  /** Augmentation: the older drift sigma, or the full configuration (absent: none). */
  augment?: number | AugmentConfig;
  /** A training episode longer than the model's T was cut into several windows of T (absent: only its first T frames). */
  windows?: boolean;
  /** Threads of data-parallel training, networks only (older bundles left it out when it was 1). */
  workers?: number;
  testAccuracy?: number;
  testTop5?: number;
  testMacroF1?: number;
  testN?: number;
}

/** The JSON stored under the `signglove` key of the bundle's safetensors metadata. */
export interface BundleMeta {
  format: 'signglove-bundle';
  version: 1;
  name: string;
  /** A network's architecture, or the tree ensemble's settings. */
  arch: ArchConfig | TreesArch;
  preprocess: PreprocessConfig;
  /** Probabilities are softmax(logits / temperature) (absent: 1); fitted by calibrate. */
  temperature?: number;
  calibration?: CalibrationRecord;
  classes: string[];
  training?: TrainingSummary;
  history?: EpochRecord[];
  provenance?: Provenance;
}

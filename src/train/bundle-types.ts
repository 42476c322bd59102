import type { ArchConfig } from '../models/index.js';

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
  stoppedBy: 'early-stopping' | 'max-epochs' | 'interrupted';
  trainSeconds: number;
  params: number;
  seed: number;
  batchSize: number;
  lr: number;
  weightDecay: number;
  /** Drift augmentation sigma (absent or 0: none). */
  augment?: number;
  /** Threads of data-parallel training (absent: 1). */
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
  arch: ArchConfig;
  preprocess: PreprocessConfig;
  classes: string[];
  training?: TrainingSummary;
  history?: EpochRecord[];
  provenance?: Provenance;
}

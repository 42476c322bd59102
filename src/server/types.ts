import type { Predictor } from '../infer/core.js';
import type { BatchPredictOptions, EpisodeInput, Prediction, PredictOptions } from '../infer/types.js';
import type { ModelInfo } from '../infer/core.js';
import type { SessionStats } from '../data/session-norm.js';
import type { BundleMeta } from '../bundle/types.js';

/**
 * A model the server can answer with. `LoadedModel` from src/infer satisfies this structurally;
 * tests pass any real predictor with the same shape.
 */
export interface ServedModel {
  /** What the server needs to know about a model: part of a Predictor's info. */
  readonly info: Pick<ModelInfo, 'name' | 'arch' | 'classes' | 'channels' | 'T'>;
  predict(episode: EpisodeInput, opts?: PredictOptions): Prediction;
  predictBatch(episodes: EpisodeInput[], opts?: BatchPredictOptions): Prediction[];
  /** The same as predictBatch on worker threads, so a large batch does not hold up the event loop. */
  predictBatchAsync?(episodes: EpisodeInput[], opts?: BatchPredictOptions): Promise<Prediction[]>;
  /**
   * Class probabilities for one live window (length × channels, raw units). The Predictor's own
   * window handling (e.g. stretching to the training length) must be used live, so it is passed
   * through; without it the live session falls back to `predict`.
   */
  classifyWindow?(window: Float32Array, length: number, session?: SessionStats): Float32Array;
  /** The bundle's description (absent for models that are not bundles). */
  readonly meta?: BundleMeta;
  /** The .safetensors bundle, so the browser can run the same model itself (absent: server-only). */
  bundleBytes?: () => Uint8Array | Promise<Uint8Array>;
  /** The predictor itself, so the server can calibrate it (POST /calibrate; absent: not calibratable here). */
  readonly predictor?: Predictor;
}

/** One model the server offers, before it is loaded. */
export interface ModelEntry {
  name: string;
  arch: string;
  testAccuracy?: number;
}

/** Where models come from: listed cheaply, loaded on first use. */
export interface ModelSource {
  list(): ModelEntry[] | Promise<ModelEntry[]>;
  /** Loads one listed model; only called with a name that `list()` returned. */
  load(name: string): Promise<ServedModel>;
}

import type { ClassScore } from './class-scores.js';

export type { ClassScore } from './class-scores.js';

/** What a model says about one episode. */
export interface Prediction extends ClassScore {
  topK: ClassScore[];
}

/**
 * An episode handed to a predictor: frames as rows of numbers in the model's channel order,
 * or rows keyed by channel name, or a loaded Episode.
 */
export type EpisodeInput =
  | number[][]
  | Float32Array[]
  | Record<string, number>[]
  | { channels: string[]; data: Float32Array; length: number };

export interface PredictOptions {
  topK?: number;
}

export interface BatchPredictOptions extends PredictOptions {
  /** How many episodes go through the network at once. */
  chunkSize?: number;
}

import type { SessionStats } from '../data/session-norm.js';
import type { ClassScore } from '../infer/types.js';
import type { ServedModel } from './types.js';

/** What the live recogniser tells a client, in the order things happen. */
export type LiveEvent =
  | { type: 'prediction'; jamo: string; confidence: number; top_k: ClassScore[]; frame: number }
  | { type: 'letter'; jamo: string; confidence: number; frame: number }
  | { type: 'text'; text: string };

/** One client's recognition state: frames in (the model's channel order), events out. */
export interface LiveSession {
  push(frame: Float32Array): LiveEvent[];
  /** Clears the composed text and the recogniser's window. */
  reset(): LiveEvent[];
}

/** Per-stream options: the wearer's session statistics (e.g. the simulated glove's). */
export interface LiveSessionOptions {
  session?: SessionStats;
}

export type LiveSessionFactory = (model: ServedModel, opts?: LiveSessionOptions) => LiveSession;

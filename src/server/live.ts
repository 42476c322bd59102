import type { SessionStats } from '../data/session-norm.js';
import type { WordDecoder } from '../stream/word-decoder.js';
import type { ClassScore } from '../infer/types.js';
import type { ServedModel } from './types.js';
import type { HealthWarning } from '../stream/sensor-health.js';

/** What the live recogniser tells a client, in the order things happen. */
export type LiveEvent =
  | { type: 'prediction'; jamo: string; confidence: number; top_k: ClassScore[]; frame: number }
  /** `replaces`: this letter takes the place of the previous one (it was read from the move into this sign). */
  | { type: 'letter'; jamo: string; confidence: number; frame: number; replaces?: true }
  | { type: 'text'; text: string }
  /** With a lexicon, after each letter: the text (accepted suggestions in place), the raw letters composed, the latest word's suggestion. */
  | { type: 'words'; text: string; raw: string; suggestion?: { word: string; raw: string } }
  /** The sensors' problems whenever they change (an empty list: all healthy again). */
  | { type: 'health'; warnings: HealthWarning[] };

/** One client's recognition state: frames in (the model's channel order), events out. */
export interface LiveSession {
  /** One frame; `tMs` is its device time when known (frames at any rate are resampled to the model's). */
  push(frame: Float32Array, tMs?: number): LiveEvent[];
  /** Clears the composed text and the recogniser's window. */
  reset(): LiveEvent[];
  /** Accepts the latest word's suggestion (no events without a lexicon or a suggestion). */
  accept(): LiveEvent[];
}

/** Per-stream options. */
export interface LiveSessionOptions {
  /** The wearer's session statistics for this stream (e.g. the simulated glove's; default: the model's own). */
  session?: SessionStats;
  /** Suggest words from a lexicon (events of type 'words'; `accept()` takes the suggestion). */
  decoder?: WordDecoder;
  /** Minimum probability for a letter (the recogniser's default when absent). */
  confidence?: number;
}

export type LiveSessionFactory = (model: ServedModel, opts?: LiveSessionOptions) => LiveSession;

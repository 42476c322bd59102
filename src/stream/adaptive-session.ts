/**
 * A live classifier that learns the wearer's session as they sign: every hold the recogniser
 * evaluated adds its frames to running statistics (src/data/running-session.ts), and the next
 * windows are read with them. For a glove put on again without calibration, the statistics move
 * from the training days' pool to the new wearing's own.
 *
 * Portable (no Node imports).
 */
import type { InputPipelineConfig, SessionStats } from '../data/session-norm.js';
import { RunningSession, type RunningSessionOptions } from '../data/running-session.js';
import type { FrameUpdate, WindowClassifier } from './recognizer.js';

/** What adapting needs of a model: its pipeline, its current session, and windows read with given statistics. */
export interface SessionAwareModel {
  readonly meta: { preprocess: { pipeline?: InputPipelineConfig } };
  readonly session: SessionStats | undefined;
  classifyWindow(frames: Float32Array, length: number, session?: SessionStats): Float32Array;
}

export interface AdaptiveClassifier {
  classify: WindowClassifier;
  /**
   * Call with every frame update (the recogniser's 'frame' event): when a hold that was evaluated
   * ends, its latest window joins the statistics, a letter or not (an uncertain model on a new
   * wearing recognises few letters, and those it misses are what it must learn from).
   */
  onFrame: (update: FrameUpdate) => void;
  running: RunningSession;
}

/**
 * Running statistics around a model with a session pipeline, starting from `prior` (default: the
 * model's current session: the training pool, or a calibration's). Null for a model without one.
 */
export function adaptiveClassifier(model: SessionAwareModel, prior = model.session, opts: RunningSessionOptions = {}): AdaptiveClassifier | null {
  const pipe = model.meta.preprocess.pipeline;
  if (!pipe || !prior) return null;
  const running = new RunningSession(pipe, prior, opts);
  // the latest evaluated window of the current hold: the recogniser's window is its newest frames
  let last: { frames: Float32Array; length: number } | null = null;
  return {
    running,
    classify: (frames, length) => {
      last = { frames: frames.slice(0, length * pipe.raw.length), length };
      return model.classifyWindow(frames, length, running.stats);
    },
    onFrame: (update) => {
      if (update.held || !last) return;
      running.add(last.frames, last.length);
      last = null;
    },
  };
}

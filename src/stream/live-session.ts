/**
 * Live recognition, one module for the CLI, the server and the browser: a model's window
 * classifier through the StreamingRecognizer with one set of defaults, its callbacks turned into
 * the events /stream sends, plus `recognize(source, { model })` for a whole stream in one call.
 * Portable: the browser runs exactly this code on its own predictor.
 */
import type { SessionStats } from '../data/session-norm.js';
import { DEFAULT_CHANNELS } from '../data/types.js';
import type { ClassScore } from '../infer/class-scores.js';
import type { ModelInfo } from '../infer/core.js';
import { JAMO } from '../jamo.js';
import { FRAME_WIDTH, channelIndices, selectChannels, type Frame } from './frame.js';
import { prototypeClassifier } from './prototype-classifier.js';
import { StreamingRecognizer, type RecognizedLetter, type RecognizerOptions, type WindowClassifier } from './recognizer.js';
import { SensorHealthMonitor, trainedRanges, type HealthWarning } from './sensor-health.js';
import { SuggestionText, type SuggestionState } from './suggestions.js';
import type { WordDecoder } from './word-decoder.js';
import { adaptiveClassifier, type SessionAwareModel } from './adaptive-session.js';

/**
 * What live recognition needs from a model: its channels and classes, and class probabilities
 * for a window. A Predictor fits (its `classifyWindow` stretches the window to the training
 * length); a model with only `predict` is asked through it.
 */
export interface LiveModel {
  readonly info: Pick<ModelInfo, 'name' | 'channels' | 'classes' | 'T'>;
  classifyWindow?(window: Float32Array, length: number, session?: SessionStats): Float32Array;
  predict?(episode: { channels: string[]; data: Float32Array; length: number }, opts?: { topK?: number }): { topK: ClassScore[] };
  /** The bundle's description: its training sessions say what "in range" means for sensor health. */
  readonly meta?: { readonly preprocess: { readonly trainingSessions?: SessionStats[] } };
}

/** @deprecated the same thing as LiveModel (the recogniser's view of a model). */
export type WindowModel = LiveModel;

/**
 * The confidence a letter needs from a personal model (`signglove calibrate`): its temperature is
 * fitted on holds moved into postures it has not seen, so its confidence means what it says on a
 * new day, where it is right 79–94% of the time (README), and the usual 0.85 — set for the shipped
 * models on their own days, where they are right 99% of the time — dropped right letters: 3 seeds
 * of the live new-day benchmark, letter error rate 21.5 / 18.6% at 0.85, 21.3 / 16.0% at 0.6
 * (0.55–0.7 the same within its spread), phrases right with the lexicon 63 / 51% → 67 / 62%.
 */
export const PERSONAL_MODEL_CONFIDENCE = 0.6;

/** A personal model: calibrated for one wearer's session (its bundle records the calibration). */
export function isPersonalModel(model: LiveModel): boolean {
  return !!(model as { meta?: { calibration?: unknown } }).meta?.calibration;
}

/**
 * One line for the wearer when a real glove (serial, TCP, UDP) streams into a trained model that is
 * not calibrated: the glove put on again is a new wearing, where such a model reads about half the
 * holds right, and 3 holds per letter make it right 79–94% of the time (README, "A new day", tree
 * ensemble). Undefined for a personal model, a model without a session pipeline (the prototype),
 * and recordings or simulations. `given`: the source spec's kind, the source and model as typed.
 */
export function calibrationHint(model: LiveModel, given: { kind: string; source: string; model?: string }): string | undefined {
  // a model that can learn its session live is exactly a trained, uncalibrated one
  if (!['serial', 'tcp', 'udp'].includes(given.kind) || !canAdapt(model)) return undefined;
  const base = given.model ? ` --model ${given.model}` : '';
  return `${model.info.name} is not calibrated for this wearing: expect about half the letters right; \`signglove calibrate --source ${given.source}${base} --profile profiles/me\` (3 holds per letter, ~5 min) makes it right 79–94% of the time, then \`signglove live --model profiles/me\``;
}

/**
 * The live defaults for a model, the same everywhere: its channels and classes, windows of at
 * most 80 frames (the recorded hold length the live benchmark measures with; a model trained on
 * shorter episodes, its T), five candidates per prediction, and for a personal model a lower
 * confidence for a letter (PERSONAL_MODEL_CONFIDENCE).
 */
export function liveDefaults(model: LiveModel): RecognizerOptions {
  const personal = isPersonalModel(model) ? { confidence: PERSONAL_MODEL_CONFIDENCE, changeConfidence: PERSONAL_MODEL_CONFIDENCE } : {};
  return { channels: model.info.channels, classes: model.info.classes, maxWindow: Math.min(80, model.info.T), topK: 5, ...personal };
}

/** The window classifier of a model: `classifyWindow` when it has one, else probabilities via `predict`. */
export function windowClassifier(model: LiveModel, session?: SessionStats): WindowClassifier {
  if (model.classifyWindow) {
    const classify = model.classifyWindow.bind(model);
    return (window, length) => classify(window, length, session);
  }
  if (!model.predict) throw new Error(`model '${model.info.name}' has neither classifyWindow nor predict`);
  const predict = model.predict.bind(model);
  const K = model.info.classes.length;
  return (window, length) => {
    const p = predict({ channels: model.info.channels, data: window, length }, { topK: K });
    const probs = new Float32Array(K);
    for (const s of p.topK) probs[s.index] = s.confidence;
    return probs;
  };
}

/**
 * A recogniser on a model with the live defaults (`opts` override them). `adapt`: learn the
 * wearing's statistics from the holds while signing (running statistics, from `session` or the
 * model's own); only for a real glove on a model that is not calibrated — a personal model was
 * fitted with its calibration's statistics, and moving them away costs accuracy (README).
 */
export function recognizerFor(model: LiveModel, opts: RecognizerOptions = {}, session?: SessionStats, adapt = false): StreamingRecognizer {
  const adapter = adapt && canAdapt(model) ? adaptiveClassifier(model, session ?? model.session) : null;
  const rec = new StreamingRecognizer(adapter ? adapter.classify : windowClassifier(model, session), { ...liveDefaults(model), ...opts });
  if (adapter) rec.on('frame', adapter.onFrame);
  return rec;
}

/** A model whose session can be learnt live: a session pipeline, and no calibration of its own. */
export function canAdapt(model: LiveModel): model is LiveModel & SessionAwareModel {
  const m = model as Partial<SessionAwareModel>;
  return typeof m.classifyWindow === 'function' && !!m.meta?.preprocess.pipeline && !!m.session && !isPersonalModel(model);
}

/** A LiveModel around the prototype classifier (no trained network needed). */
export function prototypeModel(): LiveModel {
  const classify: WindowClassifier = prototypeClassifier();
  return {
    info: { channels: [...DEFAULT_CHANNELS], classes: [...JAMO], T: 80, name: 'prototype (class means from the simulator parameters)' },
    classifyWindow: classify,
  };
}

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

/** One client's recognition state: frames in, events out. */
export interface LiveSession {
  /** One frame in the model's channel order; `tMs` is its device time when known (frames at any rate are resampled to the model's). */
  push(frame: Float32Array, tMs?: number): LiveEvent[];
  /** One glove frame (every channel, FRAME_CHANNELS order), as sources yield them. */
  pushFrame(frame: Frame): LiveEvent[];
  /** The end of the stream: a letter still being held is given. */
  finish(): LiveEvent[];
  /** Clears the composed text and the recogniser's window. */
  reset(): LiveEvent[];
  /** Accepts the latest word's suggestion (no events without a lexicon or a suggestion). */
  accept(): LiveEvent[];
  /** The recogniser underneath (its letters and text so far). */
  readonly recognizer: StreamingRecognizer;
}

/** Per-stream options. */
export interface LiveSessionOptions {
  /** The wearer's session statistics for this stream (e.g. the simulated glove's; default: the model's own). */
  session?: SessionStats;
  /** Suggest words from a lexicon (events of type 'words'; `accept()` takes the suggestion). */
  decoder?: WordDecoder;
  /** Minimum probability for a letter (the recogniser's default when absent). */
  confidence?: number;
  /** Learn the wearing's statistics while signing (a real glove on a model that is not calibrated; see recognizerFor). */
  adapt?: boolean;
}

export type LiveSessionFactory = (model: LiveModel, opts?: LiveSessionOptions) => LiveSession;

/** Nominal frame spacing used to timestamp frames that arrive without one (33 Hz glove). */
const FRAME_MS = 30;

export function createLiveSession(model: LiveModel, opts: LiveSessionOptions = {}): LiveSession {
  const channels = model.info.channels;
  const slots = channelIndices(channels);
  const recognizer = recognizerFor(model, opts.confidence !== undefined ? { confidence: opts.confidence } : {}, opts.session, opts.adapt ?? false);
  // what "in range" means: the model's training sessions (none recorded: only physical limits)
  const health = new SensorHealthMonitor(channels, { trained: trainedRanges(model.meta?.preprocess.trainingSessions ?? []) });
  let out: LiveEvent[] = [];
  let frame = 0;
  let lastEvaluations = 0;
  recognizer.on('frame', (u) => {
    // One prediction per evaluation of the hold, not per frame.
    if (recognizer.evaluations !== lastEvaluations && u.best) {
      lastEvaluations = recognizer.evaluations;
      out.push({ type: 'prediction', jamo: u.best.jamo, confidence: u.best.confidence, top_k: u.topK, frame });
    }
  });
  recognizer.on('letter', (l) => out.push({ type: 'letter', jamo: l.jamo, confidence: l.confidence, frame, ...(l.replaces ? { replaces: true as const } : {}) }));
  const suggestions = opts.decoder ? new SuggestionText(opts.decoder) : undefined;
  const wordsEvent = (st: SuggestionState): LiveEvent => ({
    type: 'words',
    text: st.text,
    raw: st.raw,
    ...(st.suggestion ? { suggestion: { word: st.suggestion.word, raw: st.suggestion.raw } } : {}),
  });
  recognizer.on('text', (text) => {
    out.push({ type: 'text', text });
    if (suggestions) out.push(wordsEvent(suggestions.update(recognizer.letters)));
  });
  const take = (): LiveEvent[] => {
    const events = out;
    out = [];
    return events;
  };

  const values = new Float32Array(FRAME_WIDTH);
  const step = (v: Float32Array, f: Frame): LiveEvent[] => {
    frame++;
    const warnings = health.push(v);
    if (warnings) out.push({ type: 'health', warnings });
    recognizer.push(f);
    return take();
  };
  return {
    recognizer,
    push(v, tMs) {
      values.fill(NaN);
      for (let i = 0; i < slots.length; i++) values[slots[i]!] = v[i]!;
      return step(v, { t: tMs ?? (frame + 1) * FRAME_MS, values });
    },
    pushFrame(f) {
      const picked = new Float32Array(channels.length);
      selectChannels(f, slots, picked);
      return step(picked, f);
    },
    finish() {
      recognizer.finish();
      return take();
    },
    reset() {
      recognizer.reset();
      const hadWarnings = health.warnings.length > 0;
      health.reset();
      frame = 0;
      lastEvaluations = recognizer.evaluations;
      const events: LiveEvent[] = [{ type: 'text', text: '' }];
      if (hadWarnings) events.push({ type: 'health', warnings: [] });
      if (suggestions) events.push(wordsEvent(suggestions.update([])));
      return events;
    },
    accept() {
      return suggestions ? [wordsEvent(suggestions.accept())] : [];
    },
  };
}

export interface RecognizeOptions extends LiveSessionOptions {
  model: LiveModel;
}

/**
 * Recognition in one call: glove frames in (a source, a simulated stream's frames, any iterable),
 * the live events out (predictions, letters, text, words, sensor health) as they happen.
 * `for await (const e of recognize(openSimulatedSource('안녕'), { model })) if (e.type === 'text') show(e.text)`.
 */
export async function* recognize(source: AsyncIterable<Frame> | Iterable<Frame>, opts: RecognizeOptions): AsyncGenerator<LiveEvent> {
  const { model, ...sessionOpts } = opts;
  const live = createLiveSession(model, sessionOpts);
  for await (const frame of source) yield* live.pushFrame(frame);
  yield* live.finish();
}

export interface LiveSessionResult {
  letters: RecognizedLetter[];
  text: string;
  frames: number;
}

/** A source through a recogniser until it ends (the CLI's loop); `onFrame` sees every frame first (e.g. a sensor health reporter). */
export async function runLiveSession(source: AsyncIterable<Frame>, recognizer: StreamingRecognizer, onFrame?: (frame: Frame) => void): Promise<LiveSessionResult> {
  let frames = 0;
  for await (const frame of source) {
    onFrame?.(frame);
    recognizer.push(frame);
    frames++;
  }
  recognizer.finish();
  return { letters: [...recognizer.letters], text: recognizer.text, frames };
}

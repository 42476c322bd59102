/**
 * A live session: the shared StreamingRecognizer (src/stream) on one model, its callbacks turned
 * into the events /stream sends. Node-free apart from the recogniser's EventEmitter (which the
 * web build maps to a small shim), so the browser runs exactly this code on its own predictor.
 */
import { FRAME_WIDTH, channelIndices } from '../stream/frame.js';
import { StreamingRecognizer } from '../stream/recognizer.js';
import { SuggestionText, type SuggestionState } from '../stream/suggestions.js';
import { SensorHealthMonitor, trainedRanges } from '../stream/sensor-health.js';
import type { LiveEvent, LiveSession, LiveSessionOptions } from './live.js';
import type { SessionStats } from '../data/session-norm.js';
import type { ServedModel } from './types.js';

/** Nominal frame spacing used to timestamp frames that arrive without one (33 Hz glove). */
const FRAME_MS = 30;

/** Any model: `classifyWindow` when it has one (the Predictor does), else probabilities via predict. */
function classifierOf(model: ServedModel, session?: SessionStats) {
  if (model.classifyWindow) {
    const classify = model.classifyWindow.bind(model);
    return (window: Float32Array, length: number): Float32Array => classify(window, length, session);
  }
  const K = model.info.classes.length;
  return (window: Float32Array, length: number): Float32Array => {
    const p = model.predict({ channels: model.info.channels, data: window, length }, { topK: K });
    const probs = new Float32Array(K);
    for (const s of p.topK) probs[s.index] = s.confidence;
    return probs;
  };
}

export function createLiveSession(model: ServedModel, opts: LiveSessionOptions = {}): LiveSession {
  const channels = model.info.channels;
  const slots = channelIndices(channels);
  const recognizer = new StreamingRecognizer(classifierOf(model, opts.session), {
    channels,
    classes: model.info.classes,
    maxWindow: model.info.T,
    topK: 5,
    ...(opts.confidence !== undefined ? { confidence: opts.confidence } : {}),
  });
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

  const values = new Float32Array(FRAME_WIDTH);
  return {
    push(v, tMs) {
      values.fill(NaN);
      for (let i = 0; i < slots.length; i++) values[slots[i]!] = v[i]!;
      frame++;
      const warnings = health.push(v);
      if (warnings) out.push({ type: 'health', warnings });
      recognizer.push({ t: tMs ?? frame * FRAME_MS, values });
      const events = out;
      out = [];
      return events;
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

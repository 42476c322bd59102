/**
 * Live recognition: frames in, one letter per held sign out.
 *
 * The hand is either moving or still (MotionDetector). While it is still, the frames since the
 * hold began (at most `maxWindow`, the length the model was trained on) are classified every
 * `classifyEvery` frames once the hold is `minHoldFrames` long. A letter is emitted when the
 * same class wins `stableEvaluations` times in a row with confidence ≥ `confidence`; then the
 * hold is spent and nothing more is emitted until the hand moves and holds again — so a held
 * sign gives exactly one letter, and a repeated letter (ㄴ ㄴ) needs only a small move between.
 */
import { EventEmitter } from 'node:events';
import { DEFAULT_CHANNELS } from '../data/types.js';
import { JAMO } from '../jamo.js';
import type { ClassScore } from '../infer/types.js';
import { channelIndices, type Frame } from './frame.js';
import { HangulComposer } from './hangul.js';
import { MotionDetector, type MotionOptions } from './motion.js';

/**
 * Class probabilities for one window: `window` holds `length` frames × channels (raw glove units,
 * the recogniser's channel order), row-major. The shipped model's `classifyWindow` fits.
 */
export type WindowClassifier = (window: Float32Array, length: number) => Float32Array;

export interface RecognizerOptions {
  /** Channel order the classifier expects (default flex1..5, pitch, roll, yaw). */
  channels?: readonly string[];
  /** Class names in the classifier's output order (default the 24 jamo). */
  classes?: readonly string[];
  /** Longest window classified, in frames (default 80, the recorded episode length). */
  maxWindow?: number;
  /** Frames a hold must last before it is classified (default 20, about 0.6 s). */
  minHoldFrames?: number;
  /** Classify every this many frames while holding (default 4). */
  classifyEvery?: number;
  /** Minimum probability for a letter (default 0.6). */
  confidence?: number;
  /** Consecutive agreeing evaluations before a letter is emitted (default 3). */
  stableEvaluations?: number;
  /** How many candidates `topK` lists (default 3). */
  topK?: number;
  motion?: MotionOptions;
}

export interface RecognizedLetter {
  jamo: string;
  index: number;
  confidence: number;
  topK: ClassScore[];
  /** Device time of the frame that completed the letter. */
  atMs: number;
  /** Frames the hold lasted when the letter was emitted. */
  holdFrames: number;
}

/** What the recogniser thinks after each frame (for live display). */
export interface FrameUpdate {
  atMs: number;
  /** True while the hand is still (a sign may be held). */
  held: boolean;
  /** True once this hold has produced its letter. */
  spent: boolean;
  motion: number;
  /** The latest evaluation of the current hold (undefined while moving or not yet evaluated). */
  best?: ClassScore;
  topK: ClassScore[];
}

export interface RecognizerEvents {
  frame: [FrameUpdate];
  letter: [RecognizedLetter];
  text: [string];
}

export class StreamingRecognizer extends EventEmitter<RecognizerEvents> {
  readonly channels: readonly string[];
  readonly classes: readonly string[];
  private readonly opts: Required<Omit<RecognizerOptions, 'motion' | 'channels' | 'classes'>>;
  private readonly indices: number[];
  private readonly motion: MotionDetector;
  private readonly composer = new HangulComposer();
  private readonly C: number;
  private readonly ring: Float32Array; // last maxWindow frames, model channel order
  private readonly current: Float32Array;
  private frameCount = 0;
  private holdFrames = 0;
  private spent = false;
  private streakIndex = -1;
  private streak = 0;
  private lastScores: ClassScore[] = [];
  private lastAtMs = 0;
  private readonly emitted: RecognizedLetter[] = [];
  /** Classifier calls so far (for cost reports). */
  evaluations = 0;

  constructor(
    private readonly classify: WindowClassifier,
    options: RecognizerOptions = {},
  ) {
    super();
    this.channels = [...(options.channels ?? DEFAULT_CHANNELS)];
    this.classes = [...(options.classes ?? JAMO)];
    this.opts = {
      maxWindow: options.maxWindow ?? 80,
      minHoldFrames: options.minHoldFrames ?? 20,
      classifyEvery: options.classifyEvery ?? 4,
      confidence: options.confidence ?? 0.6,
      stableEvaluations: options.stableEvaluations ?? 3,
      topK: options.topK ?? 3,
    };
    if (this.opts.minHoldFrames > this.opts.maxWindow) {
      throw new Error(`recogniser: minHoldFrames (${this.opts.minHoldFrames}) exceeds maxWindow (${this.opts.maxWindow})`);
    }
    this.indices = channelIndices(this.channels);
    this.C = this.channels.length;
    this.motion = new MotionDetector(this.channels, options.motion);
    this.ring = new Float32Array(this.opts.maxWindow * this.C);
    this.current = new Float32Array(this.C);
  }

  /** Feeds one frame; returns the letter it completed, if any. */
  push(frame: Frame): RecognizedLetter | undefined {
    const C = this.C;
    for (let c = 0; c < C; c++) this.current[c] = frame.values[this.indices[c]!]!;
    this.ring.set(this.current, (this.frameCount % this.opts.maxWindow) * C);
    this.frameCount++;
    this.lastAtMs = frame.t;

    const m = this.motion.push(this.current);
    let letter: RecognizedLetter | undefined;
    if (!m.still) {
      if (this.holdFrames) this.endHold();
    } else {
      this.holdFrames = m.stillFor;
      const due = (this.holdFrames - this.opts.minHoldFrames) % this.opts.classifyEvery === 0;
      if (this.holdFrames >= this.opts.minHoldFrames && due) letter = this.evaluate(frame.t, false);
    }
    this.emit('frame', {
      atMs: frame.t,
      held: m.still,
      spent: this.spent,
      motion: m.energy,
      best: this.lastScores[0],
      topK: this.lastScores,
    });
    return letter;
  }

  /**
   * The stream ended: a hold still in progress that never became stable gets one last look,
   * and gives its letter if the latest evaluation is confident enough.
   */
  finish(): RecognizedLetter | undefined {
    if (!this.holdFrames || this.spent || this.holdFrames < this.opts.minHoldFrames) return undefined;
    return this.evaluate(this.lastAtMs, true);
  }

  get letters(): readonly RecognizedLetter[] {
    return this.emitted;
  }

  get text(): string {
    return this.composer.text;
  }

  /** Removes the last letter (user correction). */
  backspace(): string {
    this.emitted.pop();
    const text = this.composer.backspace();
    this.emit('text', text);
    return text;
  }

  reset(): void {
    this.motion.reset();
    this.composer.clear();
    this.emitted.length = 0;
    this.frameCount = 0;
    this.endHold();
  }

  private endHold(): void {
    this.holdFrames = 0;
    this.spent = false;
    this.streak = 0;
    this.streakIndex = -1;
    this.lastScores = [];
  }

  private evaluate(atMs: number, final: boolean): RecognizedLetter | undefined {
    const length = Math.min(this.holdFrames, this.opts.maxWindow, this.frameCount);
    const window = this.windowOf(length);
    const probs = this.classify(window, length);
    this.evaluations++;
    if (probs.length !== this.classes.length) {
      throw new Error(`the classifier returned ${probs.length} probabilities for ${this.classes.length} classes`);
    }
    this.lastScores = topScores(probs, this.classes, this.opts.topK);
    if (this.spent) return undefined;
    const best = this.lastScores[0]!;
    if (best.confidence >= this.opts.confidence) {
      this.streak = best.index === this.streakIndex ? this.streak + 1 : 1;
      this.streakIndex = best.index;
    } else {
      this.streak = 0;
      this.streakIndex = -1;
    }
    if (this.streak < this.opts.stableEvaluations && !(final && this.streak > 0)) return undefined;
    this.spent = true;
    const letter: RecognizedLetter = { ...best, topK: this.lastScores, atMs, holdFrames: this.holdFrames };
    this.emitted.push(letter);
    this.emit('letter', letter);
    this.emit('text', this.composer.push(letter.jamo));
    return letter;
  }

  /** The last `length` frames, oldest first, as one contiguous row-major array. */
  private windowOf(length: number): Float32Array {
    const C = this.C;
    const W = this.opts.maxWindow;
    const out = new Float32Array(length * C);
    const first = this.frameCount - length;
    for (let i = 0; i < length; i++) {
      const slot = (first + i) % W;
      out.set(this.ring.subarray(slot * C, slot * C + C), i * C);
    }
    return out;
  }
}

/** The k most probable classes, best first (ties: lower index first). */
export function topScores(probs: ArrayLike<number>, classes: readonly string[], k: number): ClassScore[] {
  const order = Array.from({ length: probs.length }, (_, i) => i).sort((a, b) => probs[b]! - probs[a]! || a - b);
  return order.slice(0, Math.max(1, k)).map((i) => ({ jamo: classes[i]!, index: i, confidence: probs[i]! }));
}

/**
 * Live recognition: frames in, one letter per held sign out.
 *
 * Two cues split the stream into signs, because neither is enough alone on real signing:
 * - motion (MotionDetector): while the hand is still, the frames since the hold began (at most
 *   `maxWindow`) are classified every `classifyEvery` frames once the hold is `minHoldFrames`
 *   long; a letter is emitted when the same class wins `stableEvaluations` times in a row with
 *   confidence ≥ `confidence`, and the hold is spent.
 * - a change of class: neighbouring signs that differ in a few fingers (ㅂ → ㄷ) are often joined
 *   by a move too small to see, so a spent hold keeps being classified on its `freshFrames`
 *   latest frames only; when another class wins there `changeEvaluations` times in a row with
 *   confidence ≥ `changeConfidence`, a new sign began inside the hold and gives its letter.
 * A hold torn between two letters (ㅁ or ㅍ, each about half) is still a sign: when the same two
 * classes together reach `confidence` for `tornEvaluations` evaluations, the better one is given
 * with both in its top-k, so the word decoder can choose; meanwhile it does not count towards a rest.
 * A repeated letter (ㄴ ㄴ) needs only the small bounce between the two (BounceDetector): the
 * posture leaves the one the letter was given on and comes back, and the hold is re-armed.
 * A rest between words, no sign for `restMs` (the hand moving or held without a confident class),
 * puts a space in the text.
 */
// eventemitter3: Node's EventEmitter interface that also runs in the browser.
import { EventEmitter } from 'eventemitter3';
import { DEFAULT_CHANNELS } from '../data/types.js';
import { JAMO } from '../jamo.js';
import { topK as topScores, type ClassScore } from '../infer/class-scores.js';
import { channelIndices, type Frame } from './frame.js';
import { HangulComposer } from './hangul.js';
import { MotionDetector, type MotionOptions } from './motion.js';
import { BounceDetector, type BounceOptions } from './bounce.js';
import { Resampler, TRAINING_FRAME_MS } from './resample.js';

/**
 * Class probabilities for one window: `window` holds `length` frames × channels (raw glove units,
 * the recogniser's channel order), row-major. The shipped model's `classifyWindow` fits.
 */
export type WindowClassifier = (window: Float32Array, length: number) => Float32Array;

/** The space a rest puts between words, as a letter (index -1, no candidates). */
export const SPACE = ' ';

export interface RecognizerOptions {
  /** Channel order the classifier expects (default flex1..5, pitch, roll, yaw). */
  channels?: readonly string[];
  /** Class names in the classifier's output order (default the 24 jamo). */
  classes?: readonly string[];
  /** Longest window classified, in frames (default 80, the recorded episode length). */
  maxWindow?: number;
  /** Frames a hold must last before it is classified (default 12, about 0.36 s). */
  minHoldFrames?: number;
  /** Classify every this many frames while holding (default 3). */
  classifyEvery?: number;
  /** Minimum probability for a letter (default 0.6). */
  confidence?: number;
  /** Consecutive agreeing evaluations before a letter is emitted (default 4). */
  stableEvaluations?: number;
  /**
   * Consecutive evaluations whose same two best classes together reach `confidence` (neither alone)
   * before the better is emitted, both kept in its top-k (default 8; 0 = never).
   */
  tornEvaluations?: number;
  /** Latest frames classified to notice a change of sign inside a spent hold (default 15). */
  freshFrames?: number;
  /** Minimum probability of the new class for a change of sign (default 0.85). */
  changeConfidence?: number;
  /** Consecutive agreeing evaluations of the fresh frames before a change of sign counts (default 3). */
  changeEvaluations?: number;
  /**
   * A change of class before any fresh look agreed with the letter just given replaces that letter
   * (it was read from the move into the sign) instead of following it (default true).
   */
  correctUnconfirmed?: boolean;
  /** A small bounce inside a spent hold starts a new sign of the same letter (default true). */
  repeatBounce?: boolean;
  /** How far the bounce must go and come back (see BounceDetector). */
  bounce?: BounceOptions;
  /** No sign for this long puts a space in the text (default 1250 ms; 0 = never). */
  restMs?: number;
  /** Frames are resampled to this spacing before anything else (default 30 ms, the recordings'; 0 = as they come). */
  resampleMs?: number;
  /** How many candidates `topK` lists (default 3). */
  topK?: number;
  motion?: MotionOptions;
}

export interface RecognizedLetter {
  /** The jamo, or SPACE for a rest between words. */
  jamo: string;
  /** Class index (-1 for a space). */
  index: number;
  confidence: number;
  /** The hold's best classes with their probabilities, best first (empty for a space). */
  topK: ClassScore[];
  /** Device time of the frame that completed the letter. */
  atMs: number;
  /** Frames the sign lasted when the letter was emitted. */
  holdFrames: number;
  /** This letter takes the place of the one emitted just before it (read from the move into this sign). */
  replaces?: boolean;
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

type Settings = Required<Omit<RecognizerOptions, 'motion' | 'channels' | 'classes' | 'bounce'>>;

export class StreamingRecognizer extends EventEmitter<RecognizerEvents> {
  readonly channels: readonly string[];
  readonly classes: readonly string[];
  private readonly opts: Settings;
  private readonly indices: number[];
  private readonly motion: MotionDetector;
  private readonly composer = new HangulComposer();
  private readonly C: number;
  private readonly ring: Float32Array; // last maxWindow frames, model channel order
  private readonly current: Float32Array;
  private frameCount = 0;
  /** Frames since the hold (still period) began; 0 while moving. */
  private holdFrames = 0;
  /** frameCount at which the current sign began (hold start or a change of class). */
  private signStart = 0;
  private spent = false;
  /** Class of the letter the current hold gave (while spent). */
  private spentIndex = -1;
  /** A fresh look at the spent hold has agreed with its letter. */
  private confirmed = false;
  private streakIndex = -1;
  private streak = 0;
  /** The pair of classes the hold is torn between (lower index × classes + higher), and for how long. */
  private tornPair = -1;
  private tornStreak = 0;
  private changeIndex = -1;
  private changeStreak = 0;
  private changeFrom = 0;
  /** The spent hold moved a little (a repeated letter may follow once it settles). */
  private readonly bounce: BounceDetector;
  private readonly resampler: Resampler | undefined;
  /** Frames without a sign (moving, or held with no confident class). */
  private noSign = 0;
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
      minHoldFrames: options.minHoldFrames ?? 12,
      classifyEvery: options.classifyEvery ?? 3,
      confidence: options.confidence ?? 0.85,
      stableEvaluations: options.stableEvaluations ?? 4,
      tornEvaluations: options.tornEvaluations ?? 8,
      freshFrames: options.freshFrames ?? 15,
      changeConfidence: options.changeConfidence ?? 0.85,
      changeEvaluations: options.changeEvaluations ?? 4,
      repeatBounce: options.repeatBounce ?? true,
      correctUnconfirmed: options.correctUnconfirmed ?? true,
      resampleMs: options.resampleMs ?? TRAINING_FRAME_MS,
      restMs: options.restMs ?? 1250,
      topK: options.topK ?? 3,
    };
    if (this.opts.minHoldFrames > this.opts.maxWindow) {
      throw new Error(`recogniser: minHoldFrames (${this.opts.minHoldFrames}) exceeds maxWindow (${this.opts.maxWindow})`);
    }
    if (this.opts.freshFrames > this.opts.maxWindow) {
      throw new Error(`recogniser: freshFrames (${this.opts.freshFrames}) exceeds maxWindow (${this.opts.maxWindow})`);
    }
    this.indices = channelIndices(this.channels);
    this.C = this.channels.length;
    this.motion = new MotionDetector(this.channels, options.motion);
    this.bounce = new BounceDetector(this.channels, options.bounce);
    this.resampler = this.opts.resampleMs > 0 ? new Resampler(this.opts.resampleMs) : undefined;
    this.ring = new Float32Array(this.opts.maxWindow * this.C);
    this.current = new Float32Array(this.C);
  }

  /**
   * Feeds one frame at any rate (device time in ms); it is resampled to the training rate first.
   * Returns the letter it completed, if any (a space counts).
   */
  push(frame: Frame): RecognizedLetter | undefined {
    if (!this.resampler) return this.pushResampled(frame);
    let letter: RecognizedLetter | undefined;
    for (const f of this.resampler.push(frame)) letter = this.pushResampled(f) ?? letter;
    return letter;
  }

  private pushResampled(frame: Frame): RecognizedLetter | undefined {
    const C = this.C;
    for (let c = 0; c < C; c++) this.current[c] = frame.values[this.indices[c]!]!;
    this.ring.set(this.current, (this.frameCount % this.opts.maxWindow) * C);
    this.frameCount++;
    const dtMs = this.frameCount > 1 ? Math.max(0, Math.min(200, frame.t - this.lastAtMs)) : 0;
    this.lastAtMs = frame.t;

    const m = this.motion.push(this.current);
    let letter: RecognizedLetter | undefined;
    if (!m.still) {
      if (this.holdFrames) this.endHold();
      this.noSign += dtMs;
    } else {
      if (!this.holdFrames) this.signStart = this.frameCount - m.stillFor;
      this.holdFrames = m.stillFor;
      if (this.spent && this.bounce.push(this.current)) this.rearm();
      const signFrames = this.frameCount - this.signStart;
      const due = signFrames >= this.opts.minHoldFrames && (signFrames - this.opts.minHoldFrames) % this.opts.classifyEvery === 0;
      if (due) letter = this.evaluate(frame.t, false);
      // A hold not yet judged neither ends nor extends a rest (the hand pauses mid-rest too).
      // A sign seen twice in a row ends a rest. One confident look, or a hold torn between the same
      // two letters, only pauses it: a slow move between words can pass a sign-like pose.
      if (this.lastScores.length) {
        if (this.streak >= 2) this.noSign = 0;
        else if (this.streak === 0 && this.tornStreak < 2) this.noSign += dtMs;
      }
    }
    if (!letter && this.opts.restMs > 0 && this.noSign >= this.opts.restMs) letter = this.space(frame.t);
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
    const signFrames = this.frameCount - this.signStart;
    if (!this.holdFrames || this.spent || signFrames < this.opts.minHoldFrames) return undefined;
    return this.evaluate(this.lastAtMs, true);
  }

  get letters(): readonly RecognizedLetter[] {
    return this.emitted;
  }

  get text(): string {
    return this.composer.text;
  }

  /** Removes the last letter or space (user correction). */
  backspace(): string {
    this.emitted.pop();
    const text = this.composer.backspace();
    this.emit('text', text);
    return text;
  }

  reset(): void {
    this.motion.reset();
    this.resampler?.reset();
    this.composer.clear();
    this.emitted.length = 0;
    this.frameCount = 0;
    this.noSign = 0;
    this.endHold();
  }

  private endHold(): void {
    this.holdFrames = 0;
    this.clearSign();
    this.lastScores = [];
  }

  /** Forgets the current sign's letter, agreement streaks and bounce: the next sign starts fresh. */
  private clearSign(): void {
    this.spent = false;
    this.spentIndex = -1;
    this.streak = 0;
    this.streakIndex = -1;
    this.resetTorn();
    this.resetChange();
    this.bounce.stop();
  }

  private resetTorn(): void {
    this.tornPair = -1;
    this.tornStreak = 0;
  }

  private resetChange(): void {
    this.changeIndex = -1;
    this.changeStreak = 0;
  }

  /** The bounce between two signs of the same letter came back: a new sign of it may begin. */
  private rearm(): void {
    this.clearSign();
    this.signStart = this.frameCount;
  }

  private evaluate(atMs: number, final: boolean): RecognizedLetter | undefined {
    const signFrames = this.frameCount - this.signStart;
    if (this.spent) return this.evaluateChange(atMs);
    const length = Math.min(signFrames, this.opts.maxWindow, this.frameCount);
    const probs = this.classifyLast(length);
    this.lastScores = topScores(probs, this.classes, this.opts.topK);
    // the two best for the torn-hold rule: from the top-k already sorted when it has them
    const [best, second] = (this.opts.topK >= 2 ? this.lastScores : topScores(probs, this.classes, 2)) as [ClassScore, ClassScore | undefined];
    const mass = best.confidence + (second?.confidence ?? 0);
    if (best.confidence >= this.opts.confidence) {
      this.streak = best.index === this.streakIndex ? this.streak + 1 : 1;
      this.streakIndex = best.index;
    } else {
      this.streak = 0;
      this.streakIndex = -1;
    }
    if (second && best.confidence < this.opts.confidence && mass >= this.opts.confidence) {
      const pair = Math.min(best.index, second.index) * this.classes.length + Math.max(best.index, second.index);
      this.tornStreak = pair === this.tornPair ? this.tornStreak + 1 : 1;
      this.tornPair = pair;
    } else this.resetTorn();
    const stable = this.streak >= this.opts.stableEvaluations || (final && this.streak > 0);
    const torn = this.opts.tornEvaluations > 0 && (this.tornStreak >= this.opts.tornEvaluations || (final && this.tornStreak >= this.opts.stableEvaluations));
    if (!stable && !torn) return undefined;
    // The window still holds the end of the move into the sign: the latest frames must not say
    // otherwise (else ㅅ is given from the way into ㅊ, then ㅊ as a change of class).
    if (!final && length > this.opts.freshFrames) {
      const fresh = topScores(this.classifyLast(this.opts.freshFrames), this.classes, 1)[0]!;
      if (fresh.index !== best.index && fresh.confidence >= this.opts.changeConfidence) {
        this.streak = 0;
        this.streakIndex = -1;
        this.resetTorn();
        return undefined;
      }
    }
    return this.give(best, atMs, signFrames);
  }

  /** A spent hold: is another sign being held now (judged on the latest frames only)? */
  private evaluateChange(atMs: number): RecognizedLetter | undefined {
    const length = Math.min(this.opts.freshFrames, this.frameCount - this.signStart);
    if (length < this.opts.freshFrames) return undefined;
    const probs = this.classifyLast(length);
    const scores = topScores(probs, this.classes, this.opts.topK);
    this.lastScores = scores; // what the hand shows now, for display
    const best = scores[0]!;
    if (best.index === this.spentIndex) this.confirmed = true;
    if (best.index !== this.spentIndex && best.confidence >= this.opts.changeConfidence) {
      if (best.index !== this.changeIndex) {
        this.changeIndex = best.index;
        this.changeStreak = 0;
        this.changeFrom = this.frameCount - length;
      }
      this.changeStreak++;
    } else this.resetChange();
    if (this.changeStreak < this.opts.changeEvaluations) return undefined;
    this.signStart = this.changeFrom;
    this.resetChange();
    // The latest frames never agreed with the letter just given: it was read from the way into
    // this sign (the end of the move), so this letter replaces it rather than following it.
    const replaces = !this.confirmed && this.opts.correctUnconfirmed;
    if (replaces) this.retract();
    return this.give(best, atMs, this.frameCount - this.signStart, replaces);
  }

  /** Takes back the last letter (the recogniser's own correction; `letter` then says `replaces`). */
  private retract(): void {
    this.emitted.pop();
    this.composer.backspace();
  }

  private give(best: ClassScore, atMs: number, signFrames: number, replaces = false): RecognizedLetter {
    this.spent = true;
    this.confirmed = false;
    this.spentIndex = best.index;
    if (this.opts.repeatBounce) {
      // the posture now, not the whole window (which may start on the way into the sign)
      const n = Math.min(signFrames, 6, this.frameCount);
      this.bounce.start(this.windowOf(n), n);
    }
    this.noSign = 0;
    const letter: RecognizedLetter = { ...best, topK: this.lastScores, atMs, holdFrames: signFrames, ...(replaces ? { replaces: true } : {}) };
    this.emitted.push(letter);
    this.emit('letter', letter);
    this.emit('text', this.composer.push(letter.jamo));
    return letter;
  }

  /** A space after a rest, once per rest and never first. */
  private space(atMs: number): RecognizedLetter | undefined {
    this.noSign = 0;
    const last = this.emitted[this.emitted.length - 1];
    if (!last || last.jamo === SPACE) return undefined;
    const letter: RecognizedLetter = { jamo: SPACE, index: -1, confidence: 1, topK: [], atMs, holdFrames: 0 };
    this.emitted.push(letter);
    this.emit('letter', letter);
    this.emit('text', this.composer.push(SPACE));
    return letter;
  }

  private classifyLast(length: number): Float32Array {
    const probs = this.classify(this.windowOf(length), length);
    this.evaluations++;
    if (probs.length !== this.classes.length) {
      throw new Error(`the classifier returned ${probs.length} probabilities for ${this.classes.length} classes`);
    }
    return probs;
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

/** @deprecated topK from src/infer/class-scores.ts, under its older name. */
export { topScores };

/**
 * Capturing one hold from a live stream: after the countdown, the first frame the motion detector
 * calls still starts the episode; it ends after `episodeFrames` frames, or early when the hand
 * moves (then the gates refuse it as too short). Time is the glove's own (device ms), so a
 * simulated glove running faster than real time counts down just as fast. Portable.
 */
import { MotionDetector, type MotionOptions } from '../stream/motion.js';
import { channelIndices, type Frame } from '../stream/frame.js';
import { DEFAULT_CHANNELS } from '../data/types.js';

export interface CaptureOptions {
  episodeFrames?: number;
  countdownMs?: number;
  /** Give up when no still hold starts this long after the countdown. */
  maxWaitMs?: number;
  /** Channels the motion detector watches (default flex1–5, pitch, roll, yaw). */
  channels?: readonly string[];
  motion?: MotionOptions;
}

export type CaptureState =
  | { phase: 'countdown'; remainingMs: number }
  | { phase: 'waiting'; energy: number }
  | { phase: 'capturing'; frames: number; energy: number }
  | { phase: 'done'; frames: Frame[]; energies: number[]; recvMs: number[]; timedOut: boolean; previousT?: number };

export class HoldCapture {
  readonly episodeFrames: number;
  private readonly countdownMs: number;
  private readonly maxWaitMs: number;
  private readonly detector: MotionDetector;
  private readonly idx: number[];
  private readonly buf: Float32Array;
  private startT = NaN;
  private readonly frames: Frame[] = [];
  private readonly energies: number[] = [];
  private readonly recvMs: number[] = [];
  private lastT: number | undefined;
  private previousT: number | undefined;
  private finished: CaptureState | undefined;

  constructor(opts: CaptureOptions = {}) {
    this.episodeFrames = opts.episodeFrames ?? 80;
    this.countdownMs = opts.countdownMs ?? 3000;
    this.maxWaitMs = opts.maxWaitMs ?? 10_000;
    const channels = opts.channels ?? DEFAULT_CHANNELS;
    this.idx = channelIndices(channels);
    this.buf = new Float32Array(channels.length);
    this.detector = new MotionDetector(channels, opts.motion);
  }

  /** `recvMs`: when the frame arrived on the computer's clock (written with the episode). */
  push(frame: Frame, recvMs = NaN): CaptureState {
    if (this.finished) return this.finished;
    const before = this.lastT;
    this.lastT = frame.t;
    if (Number.isNaN(this.startT)) this.startT = frame.t;
    for (let c = 0; c < this.idx.length; c++) this.buf[c] = frame.values[this.idx[c]!]!;
    const m = this.detector.push(this.buf);
    const since = frame.t - this.startT;
    if (this.frames.length === 0) {
      if (since < this.countdownMs) return { phase: 'countdown', remainingMs: this.countdownMs - since };
      if (!m.still) {
        if (since > this.countdownMs + this.maxWaitMs) return (this.finished = this.done(true));
        return { phase: 'waiting', energy: m.energy };
      }
      this.previousT = before;
    } else if (!m.still) {
      return (this.finished = this.done(false));
    }
    this.frames.push({ t: frame.t, values: frame.values.slice() });
    this.energies.push(m.energy);
    this.recvMs.push(recvMs);
    if (this.frames.length >= this.episodeFrames) return (this.finished = this.done(false));
    return { phase: 'capturing', frames: this.frames.length, energy: m.energy };
  }

  private done(timedOut: boolean): CaptureState {
    return { phase: 'done', frames: this.frames, energies: this.energies, recvMs: this.recvMs, timedOut, previousT: this.previousT };
  }
}

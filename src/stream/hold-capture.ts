/**
 * Capturing one held sign from a live stream, as a recording of the training length: wait until
 * the motion detector sees the hand still, collect `frames` frames while it stays still, and
 * start over if it moves before the episode is full. Then a quality check says in one line why an
 * episode must not be kept (a faulty sensor, a rate far from the glove's, too short).
 * Portable: the browser's Calibrate page and the terminal use the same code.
 */
import { DEFAULT_CHANNELS } from '../data/types.js';
import { findEpisodeFaults } from '../data/sensor-faults.js';
import { channelIndices, FRAME_CHANNELS, type Frame } from './frame.js';
import { MotionDetector } from './motion.js';
import { TRAINING_FRAME_MS } from './resample.js';

export type CaptureUpdate =
  | { kind: 'waiting' }
  /** Collecting: `progress` of the episode (0…1). */
  | { kind: 'holding'; progress: number }
  /** The hand moved before the episode was full: the hold starts over. */
  | { kind: 'moved'; progress: number }
  | { kind: 'captured'; frames: Frame[] };

export interface HoldCaptureOptions {
  /** Frames in one episode (default 80, the recordings' length). */
  frames?: number;
  /** Channels the motion detector watches (default flex1..5, pitch, roll, yaw). */
  motionChannels?: readonly string[];
}

export class HoldCapture {
  private readonly n: number;
  private readonly motion: MotionDetector;
  private readonly pick: number[];
  private readonly values: Float64Array;
  private collected: Frame[] = [];

  constructor(opts: HoldCaptureOptions = {}) {
    this.n = opts.frames ?? 80;
    const channels = opts.motionChannels ?? DEFAULT_CHANNELS;
    this.motion = new MotionDetector(channels);
    this.pick = channelIndices(channels);
    this.values = new Float64Array(channels.length);
  }

  /** One frame (values in FRAME_CHANNELS order). */
  push(frame: Frame): CaptureUpdate {
    for (let i = 0; i < this.pick.length; i++) this.values[i] = frame.values[this.pick[i]!]!;
    const m = this.motion.push(this.values);
    if (!m.still) {
      if (!this.collected.length) return { kind: 'waiting' };
      const progress = this.collected.length / this.n;
      this.collected = [];
      return { kind: 'moved', progress };
    }
    this.collected.push({ t: frame.t, values: Float32Array.from(frame.values) });
    if (this.collected.length < this.n) return { kind: 'holding', progress: this.collected.length / this.n };
    const frames = this.collected;
    this.collected = [];
    return { kind: 'captured', frames };
  }

  reset(): void {
    this.collected = [];
  }
}

/**
 * Why a captured episode must not be kept, in one line (undefined: keep it). Checks the flex
 * channels with the training-time fault rules, the frame rate against the recordings' and the length.
 */
export function captureProblem(frames: readonly Frame[], opts: { minFrames?: number; frameMs?: number } = {}): string | undefined {
  const minFrames = opts.minFrames ?? 40;
  const frameMs = opts.frameMs ?? TRAINING_FRAME_MS;
  if (frames.length < minFrames) return `too short: ${frames.length} frames (at least ${minFrames})`;
  const gaps = frames.slice(1).map((f, i) => f.t - frames[i]!.t).sort((a, b) => a - b);
  const gap = gaps[gaps.length >> 1]!;
  if (!(gap > frameMs / 2 && gap < frameMs * 2)) {
    return `the glove sends a frame every ${gap.toFixed(0)} ms; the model was trained at ${frameMs} ms (about ${Math.round(1000 / frameMs)} Hz)`;
  }
  const C = FRAME_CHANNELS.length;
  const data = new Float32Array(frames.length * C);
  frames.forEach((f, t) => data.set(f.values, t * C));
  const faults = findEpisodeFaults(data, frames.length, FRAME_CHANNELS).faults;
  if (faults.length) return faults.map((f) => `${f.channel} is ${f.kind} (${f.detail})`).join('; ');
  return undefined;
}

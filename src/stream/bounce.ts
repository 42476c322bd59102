/**
 * A repeated letter (ㄴ ㄴ in 안녕) is signed with a small bounce: the hand leaves the posture a
 * little and comes back. That move can be too small and too short for the MotionDetector, so
 * within a hold that already gave its letter the posture is compared with the one the letter was
 * given on: a departure of more than `away` (the median over channels of the change, in
 * MotionDetector's "noticeable change per frame" units, so that one or two odd sensors do not count)
 * followed by a return to within `back` of it, within `maxFrames`, is a bounce. Drift that never
 * comes back, or comes back slowly, is not (the class-change check handles a new posture).
 */
import { defaultMotionScale } from './motion.js';
import { angleDifference, isAngleChannel } from './simulator/angles.js';

export interface BounceOptions {
  /** Departure from the reference posture that starts a bounce (default 2). */
  away?: number;
  /** Distance within which the posture has come back (default 1). */
  back?: number;
  /** Longest bounce in frames (default 20, 0.6 s): a slower departure is drift, and the reference follows it. */
  maxFrames?: number;
}

export class BounceDetector {
  private readonly inv: Float64Array;
  private readonly angle: boolean[];
  private readonly reference: Float64Array;
  private readonly recent: Float64Array[]; // last 3 frames, median-filtered against glitches
  private readonly away: number;
  private readonly back: number;
  private n = 0;
  private armed = false;
  private left = false;
  private awayFor = 0;
  private readonly maxFrames: number;

  constructor(channels: readonly string[], opts: BounceOptions = {}) {
    this.inv = Float64Array.from(channels, (c) => 1 / defaultMotionScale(c));
    this.angle = channels.map(isAngleChannel);
    this.reference = new Float64Array(channels.length);
    this.recent = [0, 1, 2].map(() => new Float64Array(channels.length));
    this.away = opts.away ?? 2;
    this.back = opts.back ?? 1;
    this.maxFrames = opts.maxFrames ?? 20;
  }

  /** Starts watching: `window` (length × C, row-major) is the posture the letter was given on. */
  start(window: Float32Array, length: number): void {
    const C = this.reference.length;
    this.reference.fill(0);
    for (let t = 0; t < length; t++) for (let c = 0; c < C; c++) this.reference[c]! += window[t * C + c]! / length;
    this.n = 0;
    this.armed = true;
    this.left = false;
    this.awayFor = 0;
  }

  stop(): void {
    this.armed = false;
  }

  /** Feeds one frame; true when the posture has just come back from a bounce. */
  push(values: ArrayLike<number>): boolean {
    if (!this.armed) return false;
    const C = this.reference.length;
    const slot = this.recent[this.n++ % 3]!;
    for (let c = 0; c < C; c++) slot[c] = Number.isFinite(values[c]!) ? values[c]! : this.reference[c]!;
    if (this.n < 3) return false;
    const mean = new Float64Array(C);
    const dist = new Float64Array(C);
    for (let c = 0; c < C; c++) {
      // median of the last 3 frames: a one-frame sensor glitch is not a bounce
      const a = this.recent[0]![c]!, b = this.recent[1]![c]!, d3 = this.recent[2]![c]!;
      mean[c] = Math.max(Math.min(a, b), Math.min(Math.max(a, b), d3));
      dist[c] = Math.abs((this.angle[c] ? angleDifference(mean[c]!, this.reference[c]!) : mean[c]! - this.reference[c]!) * this.inv[c]!);
    }
    // the median over channels: a bounce moves the whole hand, a glitch or a drifting sensor one or two channels
    const distance = median(dist);
    if (distance > this.away) this.left = true;
    else if (this.left && distance < this.back) {
      this.left = false;
      this.awayFor = 0;
      return true;
    }
    if (this.left && ++this.awayFor > this.maxFrames) {
      // too slow for a bounce: the hand has settled elsewhere (drift); compare with where it is now
      this.reference.set(mean);
      this.left = false;
      this.awayFor = 0;
    }
    return false;
  }
}

function median(x: Float64Array): number {
  const s = Float64Array.from(x).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

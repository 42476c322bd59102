/**
 * A repeated letter (ㄴ ㄴ in 안녕) is signed with a small bounce: the hand leaves the posture a
 * little and comes back. That move can be too small and too short for the MotionDetector, so
 * within a hold that already gave its letter the posture is compared with the one the letter was
 * given on: a departure of more than `away` (RMS over channels of the change in "noticeable
 * change per frame" units, leaving out the channel that changed most, as MotionDetector does)
 * followed by a return to within `back` of it is a bounce. Drift that never comes back is not
 * (the class-change check handles a new posture).
 */
import { defaultMotionScale } from './motion.js';
import { angleDifference, isAngleChannel } from './simulator/angles.js';

export interface BounceOptions {
  /** Departure from the reference posture that starts a bounce (default 3). */
  away?: number;
  /** Distance within which the posture has come back (default 1.2). */
  back?: number;
}

export class BounceDetector {
  private readonly inv: Float64Array;
  private readonly angle: boolean[];
  private readonly reference: Float64Array;
  private readonly recent: Float64Array[]; // last 3 frames, averaged against noise
  private readonly away: number;
  private readonly back: number;
  private n = 0;
  private armed = false;
  private left = false;

  constructor(channels: readonly string[], opts: BounceOptions = {}) {
    this.inv = Float64Array.from(channels, (c) => 1 / defaultMotionScale(c));
    this.angle = channels.map(isAngleChannel);
    this.reference = new Float64Array(channels.length);
    this.recent = [0, 1, 2].map(() => new Float64Array(channels.length));
    this.away = opts.away ?? 3;
    this.back = opts.back ?? 1.2;
  }

  /** Starts watching: `window` (length × C, row-major) is the posture the letter was given on. */
  start(window: Float32Array, length: number): void {
    const C = this.reference.length;
    this.reference.fill(0);
    for (let t = 0; t < length; t++) for (let c = 0; c < C; c++) this.reference[c]! += window[t * C + c]! / length;
    this.n = 0;
    this.armed = true;
    this.left = false;
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
    let sum = 0;
    let largest = 0;
    for (let c = 0; c < C; c++) {
      const mean = (this.recent[0]![c]! + this.recent[1]![c]! + this.recent[2]![c]!) / 3;
      const d = (this.angle[c] ? angleDifference(mean, this.reference[c]!) : mean - this.reference[c]!) * this.inv[c]!;
      sum += d * d;
      largest = Math.max(largest, d * d);
    }
    const distance = C > 1 ? Math.sqrt((sum - largest) / (C - 1)) : Math.sqrt(sum);
    if (distance > this.away) this.left = true;
    else if (this.left && distance < this.back) {
      this.left = false;
      return true;
    }
    return false;
  }
}

/**
 * Is the hand still or moving? A per-frame motion energy from the glove's own channels:
 * each channel is median-filtered over 3 frames (a one-frame sensor glitch is not motion),
 * then the change between the means of the last `span` frames and the `span` before is divided
 * by a per-channel "noticeable change per frame" scale; the energy is the RMS over channels
 * leaving out the one that changed most (real flex sensors jump on their own; a moving hand
 * changes several channels at once).
 * Recorded held signs stay below 0.4 (all but 9 of the 1,443 episodes of 2025-10-01), moving
 * between signs goes well above 1.
 * Hysteresis: moving when energy > `moveAbove`; still again after `settleFrames` frames below `stillBelow`.
 */
import { isAngleChannel } from './simulator/angles.js';

export interface MotionOptions {
  /** Frames averaged on each side of the difference (default 3). */
  span?: number;
  /** Energy above which the hand is moving (default 0.7). */
  moveAbove?: number;
  /** Energy below which the hand counts as still (default 0.4). */
  stillBelow?: number;
  /** Consecutive still frames before a hold starts (default 4). */
  settleFrames?: number;
  /** Per-channel noticeable change per frame, by channel name (overrides the defaults). */
  scales?: Record<string, number>;
}

/** Default noticeable change per frame: about 1.5× the held-sign noise in the 2025-10-01 recordings. */
export function defaultMotionScale(channel: string): number {
  if (channel.startsWith('flex')) return 8; // ADC units (held noise ≈ 5–7 per frame)
  if (isAngleChannel(channel)) return 0.5; // degrees (held wander ≈ 0.05–0.3 per frame)
  if (channel.startsWith('accel')) return 0.02; // g
  return 1;
}

export interface MotionState {
  energy: number;
  still: boolean;
  /** Frames since the current still period began (0 while moving). */
  stillFor: number;
}

export class MotionDetector {
  private readonly C: number;
  private readonly span: number;
  private readonly moveAbove: number;
  private readonly stillBelow: number;
  private readonly settleFrames: number;
  private readonly invScale: Float64Array;
  private readonly angle: boolean[];
  private readonly raw: Float64Array[]; // last 3 unwrapped frames (median filter input)
  private readonly smooth: Float64Array[]; // last 2·span filtered frames
  private readonly unwrapOffset: Float64Array;
  private readonly lastRaw: Float64Array;
  private seen = 0;
  private belowRun = 0;
  private isStill = false;
  private stillCount = 0;

  constructor(channels: readonly string[], opts: MotionOptions = {}) {
    this.C = channels.length;
    this.span = opts.span ?? 3;
    this.moveAbove = opts.moveAbove ?? 0.7;
    this.stillBelow = opts.stillBelow ?? 0.4;
    this.settleFrames = opts.settleFrames ?? 4;
    if (!(this.stillBelow < this.moveAbove)) throw new Error(`motion: stillBelow (${this.stillBelow}) must be below moveAbove (${this.moveAbove})`);
    this.invScale = Float64Array.from(channels, (c) => 1 / (opts.scales?.[c] ?? defaultMotionScale(c)));
    this.angle = channels.map(isAngleChannel);
    this.raw = [0, 1, 2].map(() => new Float64Array(this.C));
    this.smooth = Array.from({ length: 2 * this.span }, () => new Float64Array(this.C));
    this.unwrapOffset = new Float64Array(this.C);
    this.lastRaw = new Float64Array(this.C);
  }

  /** Feeds one frame (values in the constructor's channel order). */
  push(values: ArrayLike<number>): MotionState {
    const C = this.C;
    const n = this.seen++;
    const raw = this.raw[n % 3]!;
    for (let c = 0; c < C; c++) {
      let v = values[c]!;
      if (!Number.isFinite(v)) v = n ? this.lastRaw[c]! : 0; // a missing value is not motion
      if (this.angle[c] && n) {
        const d = v - this.lastRaw[c]!;
        if (d > 180) this.unwrapOffset[c]! -= 360;
        else if (d < -180) this.unwrapOffset[c]! += 360;
      }
      this.lastRaw[c] = v;
      raw[c] = v + this.unwrapOffset[c]!;
    }
    const filtered = this.smooth[n % (2 * this.span)]!;
    const a = this.raw[0]!, b = this.raw[1]!, d = this.raw[2]!;
    for (let c = 0; c < C; c++) filtered[c] = n < 2 ? raw[c]! : median3(a[c]!, b[c]!, d[c]!);

    let energy = 0;
    if (n + 1 >= 2 * this.span) {
      let sum = 0;
      let largest = 0;
      for (let c = 0; c < C; c++) {
        let recent = 0;
        let before = 0;
        for (let k = 0; k < this.span; k++) {
          recent += this.smooth[(n - k) % (2 * this.span)]![c]!;
          before += this.smooth[(n - this.span - k) % (2 * this.span)]![c]!;
        }
        const change = ((recent - before) / (this.span * this.span)) * this.invScale[c]!;
        sum += change * change;
        largest = Math.max(largest, change * change);
      }
      // Leave out the channel that changed most: one glitching sensor is not a moving hand.
      energy = C > 1 ? Math.sqrt((sum - largest) / (C - 1)) : Math.sqrt(sum);
    }

    // No judgement before a full window: a hand at rest when the stream starts is not a hold yet.
    if (n + 1 < 2 * this.span) {
      this.belowRun = 0;
    } else if (energy > this.moveAbove) {
      this.isStill = false;
      this.belowRun = 0;
    } else if (energy < this.stillBelow) {
      this.belowRun++;
      if (!this.isStill && this.belowRun >= this.settleFrames) {
        this.isStill = true;
        this.stillCount = this.belowRun - 1;
      }
    } else this.belowRun = 0;
    if (this.isStill) this.stillCount++;
    else this.stillCount = 0;
    return { energy, still: this.isStill, stillFor: this.stillCount };
  }

  reset(): void {
    this.seen = 0;
    this.belowRun = 0;
    this.isStill = false;
    this.stillCount = 0;
    this.unwrapOffset.fill(0);
  }
}

function median3(a: number, b: number, c: number): number {
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}

/**
 * Frames at any rate to the model's training rate: the glove firmwares send ~33 Hz (CSV) or
 * 50 Hz (JSON lines), but the recogniser's windows, hold lengths and the model itself assume the
 * recordings' ~30 ms spacing. Linear interpolation on device time; angles the short way round;
 * a gap longer than `maxGapMs` (the glove paused or reconnected) restarts the clock instead of
 * inventing frames across it. Node-free.
 */
import { FRAME_CHANNELS, FRAME_WIDTH, type Frame } from './frame.js';
import { angleDifference, isAngleChannel, wrapAngle } from './simulator/angles.js';

/** The recordings' frame spacing (33.3 Hz). */
export const TRAINING_FRAME_MS = 30;

const ANGLE = FRAME_CHANNELS.map(isAngleChannel);

export class Resampler {
  private prev: Frame | undefined;
  private nextT = NaN;

  constructor(
    readonly periodMs = TRAINING_FRAME_MS,
    readonly maxGapMs = 500,
  ) {
    if (!(periodMs > 0)) throw new Error(`resampling period must be positive, got ${periodMs}`);
  }

  /** Feeds one frame (device time in ms); returns the frames on the output grid it completes. */
  push(frame: Frame): Frame[] {
    const prev = this.prev;
    this.prev = { t: frame.t, values: frame.values.slice() };
    if (!prev || frame.t < prev.t || frame.t - prev.t > this.maxGapMs) {
      // first frame, clock reset or long gap: start the grid here
      this.nextT = frame.t + this.periodMs;
      return [{ t: frame.t, values: frame.values.slice() }];
    }
    const out: Frame[] = [];
    while (this.nextT <= frame.t) {
      const f = frame.t === prev.t ? 1 : (this.nextT - prev.t) / (frame.t - prev.t);
      const values = new Float32Array(FRAME_WIDTH);
      for (let c = 0; c < FRAME_WIDTH; c++) {
        const a = prev.values[c]!;
        const b = frame.values[c]!;
        values[c] = ANGLE[c] ? wrapAngle(a + f * angleDifference(b, a)) : a + f * (b - a);
      }
      out.push({ t: this.nextT, values });
      this.nextT += this.periodMs;
    }
    return out;
  }

  reset(): void {
    this.prev = undefined;
    this.nextT = NaN;
  }
}

/**
 * Plays frames back in time with their device timestamps: `speed` 1 is real time, 4 is four
 * times faster, Infinity as fast as possible. Timestamps that jump backwards (a glove reset)
 * restart the clock instead of stalling.
 */
import { sleep } from '../async-queue.js';
import type { Frame } from '../frame.js';

export async function* paced(frames: AsyncIterable<Frame> | Iterable<Frame>, speed: number, signal?: AbortSignal): AsyncGenerator<Frame> {
  if (!(speed > 0)) throw new Error(`replay speed must be a positive number, got ${speed}`);
  let deviceStart = NaN;
  let wallStart = 0;
  for await (const frame of frames) {
    if (signal?.aborted) return;
    if (Number.isFinite(speed)) {
      const now = performance.now();
      if (!Number.isFinite(deviceStart) || frame.t < deviceStart) {
        deviceStart = frame.t;
        wallStart = now;
      }
      const due = wallStart + (frame.t - deviceStart) / speed;
      if (due > now) await sleep(due - now, signal);
      if (signal?.aborted) return;
    }
    yield frame;
  }
}

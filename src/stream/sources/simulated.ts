/** A simulated glove spelling a text, paced like a real one (or `speed`× faster). */
import { linkedController } from '../async-queue.js';
import { emptyStats, type FrameSource } from '../frame.js';
import { simulateText, type SimulateOptions } from '../simulator/simulate.js';
import { paced } from './pacing.js';

export interface SimulatedSourceOptions extends SimulateOptions {
  speed?: number;
  signal?: AbortSignal;
}

export function openSimulatedSource(text: string, opts: SimulatedSourceOptions = {}): FrameSource {
  const stream = simulateText(text, opts); // throws now, with the reason, if the text cannot be spelled
  const speed = opts.speed ?? 1;
  if (!(speed > 0)) throw new Error(`sim: speed must be a positive number, got ${speed}`);
  const controller = linkedController(opts.signal);
  const stats = emptyStats();
  async function* frames() {
    for await (const f of paced(stream.frames, speed, controller.signal)) {
      stats.frames++;
      yield f;
    }
  }
  return {
    description: `simulated glove spelling '${text}' (session ${stream.session})`,
    stats,
    close: () => controller.abort(),
    [Symbol.asyncIterator]: () => frames(),
  };
}

/** A simulated glove the recorder can prompt (see simulator/prompted.ts), paced like a real one or `speed`× faster. */
import { linkedController, sleep } from '../async-queue.js';
import { emptyStats, type Frame, type FrameSource } from '../frame.js';
import { PromptedGlove, type PromptedGloveOptions } from '../simulator/prompted.js';

/** A source that signs what it is asked to (only simulated gloves can). */
export interface PromptableSource extends FrameSource {
  prompt(jamo: string, variant?: string): void;
  release(): void;
}

export function isPromptable(s: FrameSource): s is PromptableSource {
  return typeof (s as Partial<PromptableSource>).prompt === 'function';
}

export function openPromptedSimSource(opts: PromptedGloveOptions & { speed?: number; signal?: AbortSignal } = {}): PromptableSource {
  const speed = opts.speed ?? 1;
  if (!(speed > 0)) throw new Error(`sim: speed must be a positive number, got ${speed}`);
  const glove = new PromptedGlove(opts);
  const controller = linkedController(opts.signal);
  const stats = emptyStats();
  async function* frames(): AsyncGenerator<Frame> {
    let deviceStart = NaN;
    let wallStart = 0;
    while (!controller.signal.aborted) {
      const f = glove.next();
      if (Number.isNaN(deviceStart)) {
        deviceStart = f.t;
        wallStart = performance.now();
      }
      const due = wallStart + (f.t - deviceStart) / speed;
      const now = performance.now();
      if (due > now) await sleep(due - now, controller.signal);
      // however fast, let timers, keys and signals through now and then
      else if (stats.frames % 32 === 0) await sleep(0, controller.signal);
      if (controller.signal.aborted) return;
      stats.frames++;
      yield f;
    }
  }
  return {
    description: `simulated glove (prompted, session ${glove.defaultSession}${opts.wearing ? `, wearing ${opts.wearing.name}` : ''})`,
    stats,
    close: () => controller.abort(),
    prompt: (jamo, variant) => glove.prompt(jamo, variant),
    release: () => glove.release(),
    [Symbol.asyncIterator]: () => frames(),
  };
}

import type { Frame, FrameSource } from '../../src/stream/frame.js';

/** Polls until `cond` holds; fails (instead of hanging) after `ms`. */
export async function waitFor(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Reads a source in the background; `frames` fills as they arrive, `done` settles when it ends. */
export function collect(source: FrameSource): { frames: Frame[]; done: Promise<void> } {
  const frames: Frame[] = [];
  const done = (async () => {
    for await (const f of source) frames.push(f);
  })();
  return { frames, done };
}

/** A 9-field firmware line. */
export function line9(t: number, flex = 800): string {
  return `${t},1.5,-2.25,30,${flex},${flex + 1},${flex + 2},${flex + 3},${flex + 4}`;
}

/**
 * The part every text source shares: lines in, frames out, with counting. Sources only have to
 * produce lines (and say when they reconnect); this turns them into a FrameSource.
 */
import { linkedController } from './async-queue.js';
import { GloveLineParser } from './line-parser.js';
import { emptyStats, type Frame, type FrameSource, type SourceStats, type StatusListener } from './frame.js';

export interface LineSourceOptions {
  description: string;
  /** Produces the lines; must stop when `signal` aborts. `stats` lets it count reconnects. */
  lines: (signal: AbortSignal, stats: SourceStats) => AsyncIterable<string>;
  signal?: AbortSignal;
  onStatus?: StatusListener;
}

export function lineFrameSource(opts: LineSourceOptions): FrameSource {
  const stats = emptyStats();
  const controller = linkedController(opts.signal);
  let started = false;

  async function* frames(): AsyncGenerator<Frame> {
    if (started) throw new Error(`${opts.description}: a source can be read only once`);
    started = true;
    // A new parser per source: a header seen on one stream must not leak into another.
    const parser = new GloveLineParser();
    try {
      for await (const line of opts.lines(controller.signal, stats)) {
        if (controller.signal.aborted) break;
        const parsed = parser.parse(line);
        if (parsed.kind === 'empty') continue;
        stats.lines++;
        switch (parsed.kind) {
          case 'frame':
            stats.frames++;
            yield parsed.frame;
            break;
          case 'message':
            stats.messages++;
            opts.onStatus?.(`glove: ${parsed.text}`);
            break;
          case 'header':
            stats.headers++;
            break;
          case 'malformed':
            stats.malformed++;
            stats.lastMalformed = parsed.reason;
            break;
        }
      }
    } finally {
      controller.abort();
    }
  }

  return {
    description: opts.description,
    stats,
    close: () => controller.abort(),
    [Symbol.asyncIterator]: () => frames(),
  };
}

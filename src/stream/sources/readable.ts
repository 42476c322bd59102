/** Frames from any Node readable stream of glove text (stdin, a pipe, a file). Ends at end of stream. */
import type { Readable } from 'node:stream';
import { LineSplitter } from '../async-queue.js';
import { lineFrameSource } from '../line-source.js';
import type { FrameSource, StatusListener } from '../frame.js';

export interface ReadableSourceOptions {
  signal?: AbortSignal;
  onStatus?: StatusListener;
  description?: string;
}

export function readableLines(stream: Readable, signal: AbortSignal): AsyncIterable<string> {
  return {
    async *[Symbol.asyncIterator]() {
      const splitter = new LineSplitter();
      // Aborting must unblock a pending read (stdin may never send another byte).
      const onAbort = (): void => void stream.destroy();
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        for await (const chunk of stream) {
          yield* splitter.push(chunk as Uint8Array | string);
          if (signal.aborted) return;
        }
        yield* splitter.flush();
      } catch (err) {
        if (!signal.aborted) throw err;
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    },
  };
}

export function openReadableSource(stream: Readable, opts: ReadableSourceOptions = {}): FrameSource {
  return lineFrameSource({
    description: opts.description ?? 'stream',
    lines: (signal) => readableLines(stream, signal),
    signal: opts.signal,
    onStatus: opts.onStatus,
  });
}

/** Frames typed or piped into this process. */
export function openStdinSource(opts: Omit<ReadableSourceOptions, 'description'> = {}): FrameSource {
  return openReadableSource(process.stdin, { ...opts, description: 'stdin' });
}

/** Frames from a recorded CSV file (firmware lines or a dataset episode), at its own rate or `speed`× faster. */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { linkedController } from '../async-queue.js';
import { lineFrameSource } from '../line-source.js';
import { readableLines } from './readable.js';
import { paced } from './pacing.js';
import type { FrameSource, StatusListener } from '../frame.js';

export interface ReplaySourceOptions {
  /** 1 = recorded rate (default), N = N× faster, Infinity = no waiting. */
  speed?: number;
  signal?: AbortSignal;
  onStatus?: StatusListener;
}

export function openReplaySource(file: string, opts: ReplaySourceOptions = {}): FrameSource {
  if (!existsSync(file)) throw new Error(`replay: no such file '${file}'`);
  if (!statSync(file).isFile()) throw new Error(`replay: '${file}' is not a file (give one CSV recording)`);
  const speed = opts.speed ?? 1;
  if (!(speed > 0)) throw new Error(`replay: speed must be a positive number, got ${speed}`);
  const controller = linkedController(opts.signal);
  const source = lineFrameSource({
    description: `replay ${file}`,
    lines: (signal) => readableLines(createReadStream(file), signal),
    signal: controller.signal,
    onStatus: opts.onStatus,
  });
  return {
    description: source.description,
    stats: source.stats,
    close: () => controller.abort(),
    [Symbol.asyncIterator]: () => paced(source, speed, controller.signal)[Symbol.asyncIterator](),
  };
}

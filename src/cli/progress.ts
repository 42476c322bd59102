/**
 * Progress for long work: a live bar on a terminal (cli-progress), plain lines otherwise, so logs
 * and CI output stay readable.
 */
import cliProgress from 'cli-progress';
import { escapeControls } from '../util/escape-controls.js';

export interface Progress {
  /** Starts a phase of `total` steps. */
  start(total: number, label: string): void;
  /** Moves to `value`, with extra fields shown on the bar (e.g. loss). */
  update(value: number, fields?: Record<string, string | number>): void;
  /** Prints a line above the bar (or just a line). */
  log(line: string): void;
  stop(): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr, format?: string): Progress {
  if (!stream.isTTY) {
    return {
      start() {},
      update() {},
      log(line) {
        stream.write(escapeControls(`${line}\n`));
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: format ?? '{label} [{bar}] {value}/{total} | {info} | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let running = false;
  return {
    start(total, label) {
      if (running) bar.stop();
      bar.start(total, 0, { label, info: '' });
      running = true;
    },
    update(value, fields) {
      if (!running) return;
      const info = fields ? Object.entries(fields).map(([k, v]) => `${k} ${v}`).join(' ') : '';
      bar.update(value, { info });
    },
    log(line) {
      if (running) {
        // cli-progress redraws below what is written through its own log
        bar.stop();
        stream.write(escapeControls(`${line}\n`));
        running = false;
      } else {
        stream.write(escapeControls(`${line}\n`));
      }
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}

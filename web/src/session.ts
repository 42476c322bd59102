/** What a live run leaves to keep: its raw frames as a CSV, downloads, and the offline app's service worker. */
import type { LiveEvent } from '../../src/stream/live-session.js';

/** Nominal spacing of frames that came without a device time (the glove's ~33 Hz). */
const FRAME_MS = 30;

/**
 * One run's frames (the model's channels) and letters. The CSV is the unified episode format
 * (timestamp_ms + channel columns), so the try page and `signglove predict` read it back.
 */
export class SessionRecording {
  private readonly rows: string[] = [];
  private readonly letters: string[] = [];
  private t0: number | undefined;

  constructor(
    readonly channels: readonly string[],
    readonly info: { model: string; engine: string; source: string; confidence: number },
  ) {}

  get frames(): number {
    return this.rows.length;
  }

  frame(tMs: number | undefined, values: ArrayLike<number>): void {
    const t = tMs ?? this.rows.length * FRAME_MS;
    this.t0 ??= t;
    const cells = [String(Math.round(t - this.t0))];
    for (let i = 0; i < values.length; i++) cells.push(Number.isFinite(values[i]!) ? String(+values[i]!.toFixed(3)) : '');
    this.rows.push(cells.join(','));
  }

  event(e: LiveEvent): void {
    if (e.type === 'letter') {
      if (e.replaces) this.letters.pop();
      this.letters.push(e.jamo === ' ' ? '␣' : e.jamo);
    }
  }

  csv(): string {
    // '#' lines are comments to the CSV reader: what produced the file, and what was read from it.
    const head = [
      `# signglove live session · model ${this.info.model} (${this.info.engine}) · source ${this.info.source} · confidence ${this.info.confidence}`,
      `# letters: ${this.letters.join(' ')}`,
      `timestamp_ms,${this.channels.join(',')}`,
    ];
    return [...head, ...this.rows].join('\n') + '\n';
  }
}

/** Saves text as a file through the browser's download (nothing leaves the machine). */
export function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The service worker keeps the pages, their code and the default model for offline use (see sw.ts). */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined);
}

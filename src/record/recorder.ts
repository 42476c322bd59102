/**
 * The recording loop, source to kept episodes: prompt a letter, count down, capture the hold when
 * the hand is still, check it, keep it (or say why not and ask again), next letter. Keys: `r`
 * re-records the last kept episode, `p` pauses and resumes, `q` stops (a later run with the same
 * output resumes). Storage, display and keys are passed in, so this runs the same in the
 * terminal and in a browser. Portable: no Node imports.
 */
import type { Frame, FrameSource } from '../stream/frame.js';
import { FRAME_CHANNELS } from '../stream/frame.js';
import { Resampler, TRAINING_FRAME_MS } from '../stream/resample.js';
import { DEFAULT_CHANNELS } from '../data/types.js';
import { HoldCapture, type CaptureOptions, type CaptureState } from './capture.js';
import { checkHold, type GateOptions, type Refusal } from './gates.js';
import { episodeCsv } from './episode-csv.js';
import { promptKey, remainingPrompts, type Prompt } from './plan.js';

export interface ChannelSummary {
  channel: string;
  min: number;
  median: number;
  max: number;
  values: number[];
}

export interface Reading {
  jamo: string;
  confidence: number;
}

export type RecorderEvent =
  | { kind: 'setup'; message: string }
  | { kind: 'prompt'; prompt: Prompt; done: number; total: number; attempt: number }
  | { kind: 'state'; state: Exclude<CaptureState, { phase: 'done' }> }
  | { kind: 'kept'; prompt: Prompt; file: string; done: number; total: number; channels: ChannelSummary[]; reading?: Reading[] }
  | { kind: 'refused'; prompt: Prompt; refusal: Refusal; attempt: number }
  | { kind: 'skipped'; prompt: Prompt; attempts: number }
  | { kind: 'known-fault'; channel: string; message: string }
  | { kind: 'discarded'; prompt: Prompt; file: string }
  | { kind: 'paused' }
  | { kind: 'resumed' };

export interface RecorderStore {
  /** Episodes already kept, per letter/variant (promptKey). */
  kept(): Map<string, number>;
  /** Keeps one episode; returns its name (for messages and `remove`). */
  save(prompt: Prompt, csv: string): string;
  remove(file: string): void;
}

export interface RecordOptions {
  order: readonly Prompt[];
  capture?: CaptureOptions;
  gates?: Omit<GateOptions, 'knownFaults' | 'episodeFrames'>;
  /** Channels accepted as faulty from the start. */
  knownFaults?: Iterable<string>;
  /** The same channel refused this many holds in a row is a broken sensor: accepted from then on (default 3). */
  faultAfter?: number;
  /** Attempts per prompt before moving on (default: no limit; unattended runs pass a few). */
  maxAttempts?: number;
  /** The model's reading of a kept episode (top few). */
  read?: (frames: readonly Frame[]) => Reading[];
  /** Device time to wait after the first frame before the first prompt, calling `start` (e.g. firmware commands). */
  setup?: { ms: number; message: string; start(): void };
  /** Epoch ms now (the receive time written with each frame). */
  now?: () => number;
}

export interface RecordResult {
  kept: number;
  refused: number;
  skipped: number;
  /** The recording reached the end of the prompts. */
  complete: boolean;
  stopped: boolean;
  knownFaults: string[];
  /** Median rate of the source, Hz, and whether frames were resampled to the training rate. */
  sourceRateHz?: number;
  resampled: boolean;
  /** The glove sends accelerometer channels (the 12-field firmware). */
  accel?: boolean;
}

/** Keys pressed since the last call, oldest first. */
export interface KeyQueue {
  take(): string | undefined;
}

const RATE_FRAMES = 20;
/** Above this the source is the 50 Hz JSON firmware (or faster): resample to the training rate. */
const RESAMPLE_ABOVE_HZ = 42;

export async function recordEpisodes(source: FrameSource & { prompt?(jamo: string, variant?: string): void; release?(): void }, opts: RecordOptions, store: RecorderStore, emit: (e: RecorderEvent) => void, keys: KeyQueue = { take: () => undefined }): Promise<RecordResult> {
  const now = opts.now ?? (() => Date.now());
  const known = new Set(opts.knownFaults ?? []);
  const faultAfter = opts.faultAfter ?? 3;
  const maxAttempts = opts.maxAttempts ?? Infinity;
  const episodeFrames = opts.capture?.episodeFrames ?? 80;
  const total = opts.order.length;
  const queue = remainingPrompts(opts.order, store.kept());
  let done = total - queue.length;
  const result: RecordResult = { kept: 0, refused: 0, skipped: 0, complete: false, stopped: false, knownFaults: [], resampled: false };
  if (!queue.length) {
    result.complete = true;
    result.knownFaults = [...known];
    return result;
  }

  let current: Prompt = queue.shift()!;
  let attempt = 0;
  let capture = new HoldCapture(opts.capture);
  let lastKept: { prompt: Prompt; file: string } | undefined;
  let paused = false;
  const faultStreak = new Map<string, number>();
  let lastPhase = '';
  let lastStateAt = -Infinity;

  /** `again`: another attempt at the same prompt; 'same': the same attempt restarted (after a pause). */
  const startPrompt = (again: boolean | 'same'): void => {
    attempt = again === 'same' ? attempt : again ? attempt + 1 : 1;
    capture = new HoldCapture(opts.capture);
    lastPhase = '';
    source.prompt?.(current.jamo, current.variant);
    emit({ kind: 'prompt', prompt: current, done, total, attempt });
  };
  const nextPrompt = (): boolean => {
    const p = queue.shift();
    if (!p) return false;
    current = p;
    startPrompt(false);
    return true;
  };

  // setup, then rate detection on the first frames
  let setupUntil = NaN;
  let started = !opts.setup;
  const intervals: number[] = [];
  let lastT = NaN;
  let resampler: Resampler | undefined;
  let decided = false;

  const handle = (frame: Frame, recv: number): 'stop' | 'finished' | undefined => {
    for (let key = keys.take(); key !== undefined; key = keys.take()) {
      if (key === 'q') return 'stop';
      if (key === 'p') {
        paused = !paused;
        emit({ kind: paused ? 'paused' : 'resumed' });
        if (!paused) startPrompt('same');
      } else if (key === 'r' && !paused) {
        if (lastKept) {
          store.remove(lastKept.file);
          emit({ kind: 'discarded', prompt: lastKept.prompt, file: lastKept.file });
          queue.unshift(current);
          current = lastKept.prompt;
          lastKept = undefined;
          result.kept--;
          done--;
          startPrompt(false);
        } else startPrompt(true);
      }
    }
    if (paused) return undefined;
    const st = capture.push(frame, recv);
    if (st.phase !== 'done') {
      // every phase change, and a few updates a second of device time
      if (st.phase !== lastPhase || frame.t - lastStateAt >= 250) {
        lastPhase = st.phase;
        lastStateAt = frame.t;
        emit({ kind: 'state', state: st });
      }
      return undefined;
    }
    let refusal: Refusal | undefined = st.timedOut
      ? { kind: 'motion', reason: `no still hold within ${((opts.capture?.maxWaitMs ?? 10_000) / 1000).toFixed(0)} s after the countdown: form the letter and keep the hand still` }
      : checkHold(st.frames, st.energies, { ...opts.gates, episodeFrames, knownFaults: known });
    if (refusal?.kind === 'channel') {
      const now = new Set(refusal.faults!.map((f) => f.channel));
      for (const ch of [...faultStreak.keys()]) if (!now.has(ch)) faultStreak.delete(ch);
      for (const ch of now) {
        const n = (faultStreak.get(ch) ?? 0) + 1;
        faultStreak.set(ch, n);
        if (n >= faultAfter) {
          known.add(ch);
          emit({ kind: 'known-fault', channel: ch, message: `${ch} has been faulty in ${n} holds in a row: taken as a broken sensor of this glove (recorded in the manifest; models ignore it)` });
        }
      }
      refusal = checkHold(st.frames, st.energies, { ...opts.gates, episodeFrames, knownFaults: known });
    } else if (refusal === undefined) faultStreak.clear();
    if (refusal) {
      result.refused++;
      emit({ kind: 'refused', prompt: current, refusal, attempt });
      if (attempt >= maxAttempts) {
        result.skipped++;
        emit({ kind: 'skipped', prompt: current, attempts: attempt });
        return nextPrompt() ? undefined : 'finished';
      }
      startPrompt(true);
      return undefined;
    }
    const file = store.save(current, episodeCsv(st.frames, st.recvMs, st.previousT));
    lastKept = { prompt: current, file };
    result.kept++;
    done++;
    emit({ kind: 'kept', prompt: current, file, done, total, channels: summarize(st.frames), reading: opts.read?.(st.frames) });
    if (nextPrompt()) return undefined;
    source.release?.();
    return 'finished';
  };

  for await (const raw of source) {
    const recv = now();
    if (!started) {
      if (Number.isNaN(setupUntil)) {
        setupUntil = raw.t + opts.setup!.ms;
        emit({ kind: 'setup', message: opts.setup!.message });
        opts.setup!.start();
      }
      if (raw.t < setupUntil) continue;
      started = true;
    }
    if (!decided) {
      result.accel ??= Number.isFinite(raw.values[FRAME_CHANNELS.indexOf('accel_x')]!);
      if (!Number.isNaN(lastT)) intervals.push(raw.t - lastT);
      lastT = raw.t;
      if (intervals.length >= RATE_FRAMES) {
        decided = true;
        const sorted = [...intervals].sort((a, b) => a - b);
        const median = sorted[sorted.length >> 1]!;
        result.sourceRateHz = median > 0 ? 1000 / median : undefined;
        if (result.sourceRateHz !== undefined && result.sourceRateHz > RESAMPLE_ABOVE_HZ) {
          resampler = new Resampler(TRAINING_FRAME_MS);
          result.resampled = true;
        }
        startPrompt(false);
      }
      continue;
    }
    const frames = resampler ? resampler.push(raw) : [raw];
    let outcome: 'stop' | 'finished' | undefined;
    for (const f of frames) {
      outcome = handle(f, recv);
      if (outcome) break;
    }
    if (outcome === 'stop') {
      result.stopped = true;
      break;
    }
    if (outcome === 'finished') {
      result.complete = true;
      break;
    }
  }
  result.knownFaults = [...known];
  return result;
}

const SUMMARY_CHANNELS = [...DEFAULT_CHANNELS];

/** Per channel of the captured hold: min, median, max and the values (for a sparkline). */
export function summarize(frames: readonly Frame[]): ChannelSummary[] {
  return SUMMARY_CHANNELS.map((channel) => {
    const k = FRAME_CHANNELS.indexOf(channel);
    const values = frames.map((f) => f.values[k]!);
    const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
    return { channel, min: sorted[0] ?? NaN, median: sorted[sorted.length >> 1] ?? NaN, max: sorted[sorted.length - 1] ?? NaN, values };
  });
}

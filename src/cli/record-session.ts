/**
 * The terminal side of recording (used by `signglove record` and `signglove calibrate --source`):
 * opens the source (a bare `sim` is a simulated glove that signs each prompted letter), sends the
 * firmware's own commands to a serial glove, draws the prompts, countdown and kept episodes, reads
 * r/p/q from the keyboard on a terminal, and keeps the manifest up to date.
 */
import { emitKeypressEvents } from 'node:readline';
import { createLogUpdate } from 'log-update';
import { UserError } from './errors.js';
import { printErr, printOut } from './output.js';
import { escapeLine } from '../util/escape-controls.js';
import { fitLine } from './commands/live.js';
import { loadModel, type LoadedModel } from '../infer/index.js';
import { openSource, parseSourceSpec, SourceSpecError } from '../stream/source-spec.js';
import { openPromptedSimSource } from '../stream/sources/prompted-sim.js';
import { parseWearing } from '../stream/simulator/new-wearing.js';
import { useSimulatedWearing } from '../stream/simulator/wearing.js';
import { isCommandable } from '../stream/sources/serial.js';
import { channelIndices, type Frame, type FrameSource } from '../stream/frame.js';
import { HANDSHAPES, VARIANTS } from '../record/handshapes.js';
import { promptOrder, type Prompt } from '../record/plan.js';
import { recordEpisodes, type ChannelSummary, type Reading, type RecorderEvent, type RecordResult } from '../record/recorder.js';
import { RecordingFolder, type RecordingManifest } from '../record/folder.js';
import { TRAINING_FRAME_MS } from '../stream/resample.js';
import type { Jamo } from '../jamo.js';
import type { BundleMeta } from '../bundle/types.js';

export interface RecordSessionOptions {
  source: string;
  out: string;
  letters: Jamo[];
  reps: number;
  variants: boolean;
  seed: number;
  /** Model that reads each kept episode ('none': no reading). */
  model: string;
  speed: number;
  countdownS: number;
  faulty: string[];
  /** Attempts per prompt when nobody is at the keyboard. */
  attempts: number;
  /** Progress lines to standard error (standard output carries a JSON result). */
  progressToStderr?: boolean;
}

export async function runRecordSession(o: RecordSessionOptions): Promise<RecordResult & { manifest: RecordingManifest }> {
  let spec;
  try {
    spec = parseSourceSpec(o.source, { simText: 'optional' });
  } catch (e) {
    if (e instanceof SourceSpecError) throw new UserError(e.message);
    throw e;
  }
  if (spec.kind === 'replay') throw new UserError(`record: a replay cannot sign the prompted letters; use a glove (serial:, tcp:, udp:, stdin) or sim`);
  if (spec.kind === 'sim' && spec.text) throw new UserError(`record: the simulator signs the prompted letters; give 'sim' (or sim:wearing=new:3), not a text ('${spec.text}')`);
  const badFault = o.faulty.find((c) => !/^flex[1-5]$/.test(c));
  if (badFault) throw new UserError(`--faulty: '${badFault}' is not a flex channel (flex1…flex5)`);

  const model = o.model === 'none' ? undefined : await loadModel(o.model).catch((e: Error) => {
    throw new UserError(e.message);
  });
  const folder = new RecordingFolder(o.out);
  const earlier = folder.readManifest();
  const tty = process.stdout.isTTY === true && process.stdin.isTTY === true && spec.kind !== 'stdin';
  const view = new RecordView(tty, o.progressToStderr ? printErr : printOut);
  const controller = new AbortController();
  let source: FrameSource;
  try {
    source = spec.kind === 'sim'
      ? openPromptedSimSource({ seed: o.seed, speed: o.speed, signal: controller.signal, wearing: spec.wearing ? parseWearing(spec.wearing) : undefined })
      : openSource(spec, { speed: o.speed, seed: o.seed, signal: controller.signal, onStatus: (m) => view.message(m), silenceTimeoutMs: 5000 });
  } catch (e) {
    throw new UserError((e as Error).message);
  }
  // the simulated glove is read with its own session statistics, as `live` does (a personal model keeps its own)
  if (model && spec.kind === 'sim' && !(model as { meta?: BundleMeta }).meta?.calibration) useSimulatedWearing(model);

  const keys: string[] = [];
  const stopKeys = tty ? listenKeys(keys) : undefined;
  const onSignal = (): void => void keys.push('q');
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const startedAt = new Date().toISOString();
  const order = promptOrder({ letters: o.letters, reps: o.reps, variants: o.variants, seed: o.seed });
  const manifest: RecordingManifest = {
    format: 'signglove-recording',
    version: 1,
    source: o.source,
    glove: source.description,
    firmware: { format: spec.kind === 'sim' ? 'simulated' : 'unknown' },
    letters: o.letters,
    reps: o.reps,
    variants: o.variants,
    seed: o.seed,
    model: model?.info.name,
    knownFaults: [...new Set([...(earlier?.knownFaults ?? []), ...o.faulty])],
    startedAt: earlier?.startedAt ?? startedAt,
    updatedAt: startedAt,
    episodes: 0,
    complete: false,
    runs: earlier?.runs ?? [],
  };
  if (earlier && earlier.seed !== o.seed) view.message(`note: this recording was started with --seed ${earlier.seed}; carrying on with seed ${o.seed} (the counts per letter are kept all the same)`);
  const commandable = isCommandable(source) ? source : undefined;
  let result: RecordResult;
  try {
    result = await recordEpisodes(source, {
      order,
      capture: { countdownMs: o.countdownS * 1000 },
      knownFaults: manifest.knownFaults,
      maxAttempts: tty ? Infinity : o.attempts,
      read: model ? reader(model) : undefined,
      setup: commandable
        ? {
            ms: 2000,
            message: 'keep the hand still: re-zeroing the gyro (recal) and the yaw (yawzero)…',
            start: () => {
              commandable.send('recal');
              setTimeout(() => commandable.send('yawzero'), 300).unref();
            },
          }
        : undefined,
    }, folder, (e) => {
      view.event(e, source);
      if (e.kind === 'kept') {
        manifest.episodes = [...folder.kept().values()].reduce((a, b) => a + b, 0);
        manifest.updatedAt = new Date().toISOString();
        folder.writeManifest(manifest);
      }
    }, { take: () => keys.shift() });
  } catch (e) {
    throw new UserError((e as Error).message);
  } finally {
    controller.abort();
    source.close();
    stopKeys?.();
    view.close();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await model?.close();
  }
  if (commandable && source.stats.messages === 0) printErr('the glove answered no command with a # line (firmware without recal/yawzero?)\n');
  manifest.knownFaults = result.knownFaults;
  if (spec.kind !== 'sim') {
    manifest.firmware = {
      format: result.resampled ? 'json-lines (50 Hz)' : result.accel ? 'csv, 12 fields (with accelerometer)' : 'csv, 9 fields',
      rateHz: result.sourceRateHz && Math.round(result.sourceRateHz * 10) / 10,
      resampledToMs: result.resampled ? TRAINING_FRAME_MS : undefined,
      accel: result.accel,
    };
  } else manifest.firmware.rateHz = result.sourceRateHz && Math.round(result.sourceRateHz * 10) / 10;
  manifest.episodes = [...folder.kept().values()].reduce((a, b) => a + b, 0);
  manifest.complete = result.complete;
  manifest.updatedAt = new Date().toISOString();
  manifest.runs.push({ startedAt, endedAt: manifest.updatedAt, kept: result.kept, refused: result.refused, stopped: result.stopped });
  folder.writeManifest(manifest);
  return { ...result, manifest };
}

/** The model's top-3 for a captured hold. */
function reader(model: LoadedModel): (frames: readonly Frame[]) => Reading[] {
  const idx = channelIndices(model.info.channels);
  return (frames) => {
    const C = idx.length;
    const data = new Float32Array(frames.length * C);
    frames.forEach((f, t) => idx.forEach((k, c) => (data[t * C + c] = f.values[k]!)));
    const probs = model.classifyWindow(data, frames.length);
    return [...probs].map((p, i) => ({ jamo: model.info.classes[i]!, confidence: p })).sort((a, b) => b.confidence - a.confidence).slice(0, 3);
  };
}

const SPARK = '▁▂▃▄▅▆▇█';

/** A channel as a sparkline of `width` columns over its own min…max, with the numbers. */
export function channelLine(s: ChannelSummary, width = 24): string {
  const n = s.values.length;
  let line = '';
  for (let i = 0; i < width; i++) {
    const a = Math.floor((i * n) / width);
    const b = Math.max(a + 1, Math.floor(((i + 1) * n) / width));
    const seg = s.values.slice(a, b).filter(Number.isFinite);
    const v = seg.reduce((x, y) => x + y, 0) / Math.max(1, seg.length);
    const span = s.max - s.min;
    line += seg.length ? SPARK[span > 0 ? Math.min(7, Math.floor(((v - s.min) / span) * 8)) : 3] : ' ';
  }
  const f = (v: number) => (Number.isFinite(v) ? (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(1)) : '–');
  return `${s.channel.padEnd(5)} ${line}  ${f(s.min)} / ${f(s.median)} / ${f(s.max)}`;
}

function promptText(p: Prompt, variants: boolean): string {
  const h = HANDSHAPES[p.jamo];
  const v = variants ? ` · ${VARIANTS[p.variant]?.ko ?? p.variant} (${VARIANTS[p.variant]?.en ?? ''})` : '';
  return `${p.jamo}${v}  ${h.ko} / ${h.en}`;
}

/** Prompts and results: redrawn in place on a terminal, one line per event otherwise. */
class RecordView {
  private readonly block;
  private prompt = '';
  private status = '';
  private variants = false;

  constructor(
    private readonly tty: boolean,
    private readonly print: (text: string) => boolean,
  ) {
    this.block = tty ? createLogUpdate(process.stdout, { showCursor: true }) : undefined;
  }

  message(m: string): void {
    if (this.block) {
      this.block.persist(m.split('\n').map(escapeLine).join('\n'));
      this.draw();
    } else printErr(`${escapeLine(m)}\n`);
  }

  event(e: RecorderEvent, source: FrameSource): void {
    switch (e.kind) {
      case 'setup':
        return this.message(e.message);
      case 'prompt':
        this.variants ||= e.prompt.variant !== '3';
        this.prompt = `[${e.done + 1}/${e.total}] sign ${promptText(e.prompt, this.variants)}${e.attempt > 1 ? `  (attempt ${e.attempt})` : ''}`;
        this.status = '';
        if (!this.block) this.print(`${this.prompt}\n`);
        return this.draw();
      case 'state': {
        const s = e.state;
        this.status = s.phase === 'countdown'
          ? `get ready… ${Math.ceil(s.remainingMs / 1000)}`
          : s.phase === 'waiting'
            ? `hold the letter still (motion ${s.energy.toFixed(2)})`
            : `capturing ${'█'.repeat(Math.round(s.frames / 5))}${'░'.repeat(Math.max(0, 16 - Math.round(s.frames / 5)))} ${s.frames}/80`;
        return this.draw();
      }
      case 'kept': {
        const reads = e.reading?.length ? ` · model reads ${e.reading.map((r) => `${r.jamo} ${(r.confidence * 100).toFixed(0)}%`).join(' ')}` : '';
        const head = `kept ${e.prompt.jamo}/${e.prompt.variant} (${e.done}/${e.total}) → ${e.file}${reads}`;
        if (this.block) this.message([head, ...e.channels.map((c) => `  ${channelLine(c)}`)].join('\n'));
        else this.print(`${head}\n  ${e.channels.map((c) => `${c.channel} ${Math.round(c.min)}/${Math.round(c.median)}/${Math.round(c.max)}`).join(' · ')}\n`);
        return;
      }
      case 'refused':
        return this.message(`refused ${e.prompt.jamo}: ${e.refusal.reason}`);
      case 'skipped':
        return this.message(`skipped ${e.prompt.jamo}/${e.prompt.variant} after ${e.attempts} attempts (run again with the same --out to record it)`);
      case 'known-fault':
        return this.message(e.message);
      case 'discarded':
        return this.message(`discarded ${e.file}: record ${e.prompt.jamo} again`);
      case 'paused':
        this.status = 'paused (p resumes)';
        return this.draw();
      case 'resumed':
        return this.draw();
    }
    void source;
  }

  close(): void {
    if (this.block) {
      this.block.clear();
      this.block.done();
    }
  }

  private draw(): void {
    if (!this.block) return;
    const width = Math.max(20, (process.stdout.columns || 80) - 1);
    this.block([this.prompt, this.status, '\x1b[2mr re-record the last · p pause · q stop (run again to resume)\x1b[0m'].map((l) => fitLine(l, width)).join('\n'));
  }
}

/** r/p/q (and Ctrl-C as q) from the keyboard in raw mode; returns the undo. */
function listenKeys(queue: string[]): () => void {
  emitKeypressEvents(process.stdin);
  process.stdin.setRawMode(true);
  const onKey = (_: string, key: { name?: string; ctrl?: boolean } | undefined): void => {
    if (key?.ctrl && key.name === 'c') queue.push('q');
    else if (key?.name === 'r' || key?.name === 'p' || key?.name === 'q') queue.push(key.name);
  };
  process.stdin.on('keypress', onKey);
  return () => {
    process.stdin.off('keypress', onKey);
    process.stdin.setRawMode(false);
    process.stdin.pause();
  };
}

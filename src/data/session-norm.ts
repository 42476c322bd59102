/**
 * The input pipeline that survives a new wearing: raw glove frames → fault removal → the
 * network's channels (yaw dropped) → each channel standardised by statistics of the wearer's
 * CURRENT session (a day's recordings, a calibration, or running statistics while live).
 *
 * Why per session: a glove put on again reads every flex sensor some ADC counts higher or lower
 * and holds the arm at another roll; standardising with the session's own statistics removes
 * most of that offset and gain, which one scaler fitted on another day cannot.
 *
 * The same code runs in training, evaluation, prediction, live use, the server and the browser
 * (portable: no Node imports), and its configuration is recorded in every bundle.
 */
import { DEFAULT_FAULT_RULES, findEpisodeFaults, isFlexChannel, removeFaults, sessionFaultChannels, type EpisodeFaults, type FaultRules } from './sensor-faults.js';

export interface InputPipelineConfig {
  kind: 'session-norm';
  /** Raw channels the pipeline reads, in this order (the loader's channels). */
  raw: string[];
  /** Channels the network sees, a subset of `raw` in this order (default: yaw dropped — it drifts from power-on). */
  inputs: string[];
  /** Inputs that are angles in degrees: centred on the session's circular mean, wrapped to ±180. */
  angles: string[];
  /** Smallest scale per input (raw units), so a channel that barely moves in a session is not blown up. */
  minScale: number[];
  faults: FaultRules;
}

/** The raw channels every glove sends, and the network's default inputs (no yaw). */
export const PIPELINE_RAW = ['flex1', 'flex2', 'flex3', 'flex4', 'flex5', 'pitch', 'roll', 'yaw'];
const ANGLE_CHANNELS: readonly string[] = ['pitch', 'roll', 'yaw'];
export const PIPELINE_INPUTS = ['flex1', 'flex2', 'flex3', 'flex4', 'flex5', 'pitch', 'roll'];

export function defaultPipeline(inputs: readonly string[] = PIPELINE_INPUTS, raw: readonly string[] = PIPELINE_RAW): InputPipelineConfig {
  for (const ch of inputs) if (!raw.includes(ch)) throw new Error(`input channel '${ch}' is not among the raw channels ${raw.join(',')}`);
  const angles = inputs.filter((c) => ANGLE_CHANNELS.includes(c));
  return {
    kind: 'session-norm',
    raw: [...raw],
    inputs: [...inputs],
    angles,
    minScale: inputs.map((c) => (isFlexChannel(c) ? 5 : angles.includes(c) ? 2 : 1e-3)),
    faults: { ...DEFAULT_FAULT_RULES },
  };
}

/** Statistics of one session, per input channel; JSON-safe (stored in personal bundles). */
export interface SessionStats {
  /** The wearing these describe (a training day's folder name, a calibration), when known. */
  wearing?: string;
  channels: string[];
  center: number[];
  scale: number[];
  /** Channels masked for the whole session (faulty in most of its episodes). */
  masked: string[];
  episodes: number;
  frames: number;
}

/**
 * Accumulates a session's statistics episode by episode (or window by window, live): sums for
 * linear channels, unit vectors for angles (circular mean; circular standard deviation as scale).
 */
export class SessionAccumulator {
  private readonly n: Float64Array;
  private readonly s1: Float64Array;
  private readonly s2: Float64Array;
  private readonly perEpisode: EpisodeFaults[] = [];
  private frames = 0;

  constructor(readonly config: InputPipelineConfig) {
    const I = config.inputs.length;
    this.n = new Float64Array(I);
    this.s1 = new Float64Array(I);
    this.s2 = new Float64Array(I);
  }

  /** Adds one episode of raw frames (length × raw channels). */
  add(raw: Float32Array, length: number): void {
    const { config } = this;
    const R = config.raw.length;
    const found = findEpisodeFaults(raw, length, config.raw, config.faults);
    this.perEpisode.push(found);
    const clean = removeFaults(Float32Array.from(raw.subarray(0, length * R)), length, config.raw, found, [], config.faults);
    config.inputs.forEach((ch, i) => {
      const c = config.raw.indexOf(ch);
      const angle = config.angles.includes(ch);
      for (let t = 0; t < length; t++) {
        const v = clean[t * R + c]!;
        if (Number.isNaN(v)) continue;
        this.n[i]++;
        if (angle) {
          const r = (v * Math.PI) / 180;
          this.s1[i] += Math.sin(r);
          this.s2[i] += Math.cos(r);
        } else {
          this.s1[i] += v;
          this.s2[i] += v * v;
        }
      }
    });
    this.frames += length;
  }

  get episodes(): number {
    return this.perEpisode.length;
  }

  stats(): SessionStats {
    const { config } = this;
    const masked = sessionFaultChannels(this.perEpisode, config.raw, config.faults).map((m) => m.channel);
    const center: number[] = [];
    const scale: number[] = [];
    config.inputs.forEach((ch, i) => {
      const n = this.n[i]!;
      let m = 0;
      let s = 0;
      if (n > 0 && config.angles.includes(ch)) {
        const sn = this.s1[i]! / n;
        const cs = this.s2[i]! / n;
        m = (Math.atan2(sn, cs) * 180) / Math.PI;
        const R = Math.min(1, Math.hypot(sn, cs));
        s = R > 0 ? (Math.sqrt(-2 * Math.log(R)) * 180) / Math.PI : 180;
      } else if (n > 0) {
        m = this.s1[i]! / n;
        s = Math.sqrt(Math.max(0, this.s2[i]! / n - m * m));
      }
      center.push(m);
      scale.push(Math.max(s, config.minScale[i]!));
    });
    return { channels: [...config.inputs], center, scale, masked, episodes: this.perEpisode.length, frames: this.frames };
  }
}

/** Statistics of a session from its episodes' raw frames. */
export function fitSessionStats(config: InputPipelineConfig, episodes: readonly { data: Float32Array; length: number }[]): SessionStats {
  if (episodes.length === 0) throw new Error('cannot fit session statistics on no episodes');
  const acc = new SessionAccumulator(config);
  for (const e of episodes) acc.add(e.data, e.length);
  return acc.stats();
}

/** The mean of several sessions' statistics: the default for a wearer before any calibration. */
export function poolSessionStats(all: readonly SessionStats[]): SessionStats {
  if (all.length === 0) throw new Error('no session statistics to pool');
  const I = all[0]!.channels.length;
  const avg = (f: (s: SessionStats) => number[], i: number) => all.reduce((a, s) => a + f(s)[i]!, 0) / all.length;
  return {
    channels: [...all[0]!.channels],
    center: Array.from({ length: I }, (_, i) => avg((s) => s.center, i)),
    scale: Array.from({ length: I }, (_, i) => avg((s) => s.scale, i)),
    // a channel faulty in every pooled session stays masked (one session: its own mask, as in training)
    masked: all[0]!.masked.filter((ch) => all.every((s) => s.masked.includes(ch))),
    episodes: all.reduce((a, s) => a + s.episodes, 0),
    frames: all.reduce((a, s) => a + s.frames, 0),
  };
}

/**
 * One episode through the pipeline: raw frames (length × raw) → length × inputs, standardised
 * with the session's statistics; faulty channels (of the episode or masked for the session) are 0.
 */
export function normalizeEpisode(config: InputPipelineConfig, stats: SessionStats, raw: Float32Array, length: number): { data: Float32Array; faults: EpisodeFaults } {
  const R = config.raw.length;
  const I = config.inputs.length;
  if (raw.length < length * R) throw new Error(`frames hold ${raw.length} values, expected ${length} × ${R} (${config.raw.join(',')})`);
  const found = findEpisodeFaults(raw, length, config.raw, config.faults);
  const clean = removeFaults(Float32Array.from(raw.subarray(0, length * R)), length, config.raw, found, stats.masked, config.faults);
  const out = new Float32Array(length * I);
  config.inputs.forEach((ch, i) => {
    const c = config.raw.indexOf(ch);
    const angle = config.angles.includes(ch);
    const m = stats.center[i]!;
    const s = stats.scale[i]!;
    for (let t = 0; t < length; t++) {
      const v = clean[t * R + c]!;
      if (Number.isNaN(v)) continue; // stays 0: unknown reads as the session mean
      out[t * I + i] = (angle ? wrapDegrees(v - m) : v - m) / s;
    }
  });
  return { data: out, faults: found };
}

/** An angle difference wrapped into [-180, 180). */
export function wrapDegrees(d: number): number {
  return d - 360 * Math.floor((d + 180) / 360);
}

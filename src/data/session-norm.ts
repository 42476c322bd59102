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
import { addAzimuth, AZIMUTH_BINS, azimuthShift, gravityOf, isGravityInput, rotateHistogram } from './orientation.js';
import { DEFAULT_FAULT_RULES, findEpisodeFaults, isFlexChannel, removeFaults, sessionFaultChannels, type EpisodeFaults, type FaultRules } from './sensor-faults.js';

export interface InputPipelineConfig {
  kind: 'session-norm';
  /** Raw channels the pipeline reads, in this order (the loader's channels). */
  raw: string[];
  /**
   * Channels the network sees, in this order: raw channels, and the derived gravity direction
   * `grav_x/y/z` from pitch and roll (src/data/orientation.ts). Default: the flex channels and
   * gravity; yaw dropped (it drifts from power-on), pitch and roll replaced by gravity.
   */
  inputs: string[];
  /** Inputs that are angles in degrees: centred on the session's circular mean, wrapped to ±180. */
  angles: string[];
  /** Smallest scale per input (raw units), so a channel that barely moves in a session is not blown up. */
  minScale: number[];
  faults: FaultRules;
  /**
   * The model's orientation frame: the azimuth histogram of gravity over its training wearings,
   * each rotated into the first one's frame. A session's gravity is rotated to match it. Absent in
   * bundles from before gravity inputs, and until training has fitted it.
   */
  orientationReference?: number[];
}

/** The raw channels every glove sends, and the network's default inputs (no yaw). */
export const PIPELINE_RAW = ['flex1', 'flex2', 'flex3', 'flex4', 'flex5', 'pitch', 'roll', 'yaw'];
const ANGLE_CHANNELS: readonly string[] = ['pitch', 'roll', 'yaw'];
export const PIPELINE_INPUTS = ['flex1', 'flex2', 'flex3', 'flex4', 'flex5', 'grav_x', 'grav_y', 'grav_z'];

export function defaultPipeline(inputs: readonly string[] = PIPELINE_INPUTS, raw: readonly string[] = PIPELINE_RAW): InputPipelineConfig {
  for (const ch of inputs) {
    if (isGravityInput(ch)) {
      if (!raw.includes('pitch') || !raw.includes('roll')) throw new Error(`input channel '${ch}' needs pitch and roll among the raw channels ${raw.join(',')}`);
    } else if (!raw.includes(ch)) throw new Error(`input channel '${ch}' is not among the raw channels ${raw.join(',')}`);
  }
  const angles = inputs.filter((c) => ANGLE_CHANNELS.includes(c));
  return {
    kind: 'session-norm',
    raw: [...raw],
    inputs: [...inputs],
    angles,
    minScale: inputs.map((c) => (isFlexChannel(c) ? 5 : angles.includes(c) ? 2 : isGravityInput(c) ? 1 : 1e-3)),
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
  /** Where gravity pointed over the session (AZIMUTH_BINS bins, weighted), for pipelines with gravity inputs. */
  azimuthHistogram?: number[];
  /** Degrees the model's orientation frame is turned about z in this session (0: the model's own frame). */
  azimuth?: number;
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
  private readonly azimuths: Float64Array | null;
  private readonly pitchCol: number;
  private readonly rollCol: number;

  constructor(readonly config: InputPipelineConfig) {
    const I = config.inputs.length;
    this.n = new Float64Array(I);
    this.s1 = new Float64Array(I);
    this.s2 = new Float64Array(I);
    this.azimuths = config.inputs.some(isGravityInput) ? new Float64Array(AZIMUTH_BINS) : null;
    this.pitchCol = config.raw.indexOf('pitch');
    this.rollCol = config.raw.indexOf('roll');
  }

  /** Adds one episode of raw frames (length × raw channels). */
  add(raw: Float32Array, length: number): void {
    const { config } = this;
    const R = config.raw.length;
    const found = findEpisodeFaults(raw, length, config.raw, config.faults);
    this.perEpisode.push(found);
    const clean = removeFaults(Float32Array.from(raw.subarray(0, length * R)), length, config.raw, found, [], config.faults);
    if (this.azimuths) {
      const g = new Float64Array(3);
      for (let t = 0; t < length; t++) {
        const p = clean[t * R + this.pitchCol]!;
        const r = clean[t * R + this.rollCol]!;
        if (Number.isNaN(p) || Number.isNaN(r)) continue;
        gravityOf(p, r, g);
        addAzimuth(this.azimuths, g[0]!, g[1]!);
      }
    }
    config.inputs.forEach((ch, i) => {
      if (isGravityInput(ch)) return; // unit vector: centre 0, scale 1, turned by the session's azimuth instead
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
      if (isGravityInput(ch)) s = 0; // minScale (1) holds it at the unit vector's own scale
      center.push(m);
      scale.push(Math.max(s, config.minScale[i]!));
    });
    const orientation = this.azimuths
      ? (() => {
          const azimuthHistogram = Array.from(this.azimuths);
          const azimuth = config.orientationReference ? azimuthShift(config.orientationReference, azimuthHistogram) : 0;
          return { azimuthHistogram, azimuth };
        })()
      : {};
    return { channels: [...config.inputs], center, scale, masked, ...orientation, episodes: this.perEpisode.length, frames: this.frames };
  }
}

/**
 * Inputs that no training wearing had working (their sensor broken on every training day): a model
 * never learnt them. None without recorded training wearings.
 */
export function neverWorkingInputs(inputs: readonly string[], trainingMasked: readonly (readonly string[])[]): string[] {
  return trainingMasked.length === 0 ? [] : inputs.filter((ch) => trainingMasked.every((m) => m.includes(ch)));
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
  const hists = all.filter((s) => s.azimuthHistogram);
  // each session's azimuths turned into the model's frame and summed; the pool reads in that frame
  const orientation = hists.length
    ? {
        azimuthHistogram: hists
          .map((s) => rotateHistogram(s.azimuthHistogram!, -(s.azimuth ?? 0)))
          .reduce((acc, h) => acc.map((v, i) => v + h[i]!)),
        azimuth: 0,
      }
    : {};
  return {
    channels: [...all[0]!.channels],
    center: Array.from({ length: I }, (_, i) => avg((s) => s.center, i)),
    scale: Array.from({ length: I }, (_, i) => avg((s) => s.scale, i)),
    // a channel faulty in every pooled session stays masked (one session: its own mask, as in training)
    masked: all[0]!.masked.filter((ch) => all.every((s) => s.masked.includes(ch))),
    ...orientation,
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
  if (config.inputs.some(isGravityInput)) writeGravity(config, stats, clean, length, out);
  config.inputs.forEach((ch, i) => {
    if (isGravityInput(ch)) return;
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

/** Gravity inputs of clean raw frames, turned by −azimuth into the model's frame; 0 where pitch or roll is unknown. */
function writeGravity(config: InputPipelineConfig, stats: SessionStats, clean: Float32Array, length: number, out: Float32Array): void {
  const R = config.raw.length;
  const I = config.inputs.length;
  const pc = config.raw.indexOf('pitch');
  const rc = config.raw.indexOf('roll');
  const turn = (-(stats.azimuth ?? 0) * Math.PI) / 180;
  const cos = Math.cos(turn);
  const sin = Math.sin(turn);
  const at = [config.inputs.indexOf('grav_x'), config.inputs.indexOf('grav_y'), config.inputs.indexOf('grav_z')];
  const g = new Float64Array(3);
  for (let t = 0; t < length; t++) {
    const p = clean[t * R + pc]!;
    const r = clean[t * R + rc]!;
    if (Number.isNaN(p) || Number.isNaN(r)) continue;
    gravityOf(p, r, g);
    // turned in place: this runs for every frame of every live window
    const x = g[0]!;
    g[0] = cos * x - sin * g[1]!;
    g[1] = sin * x + cos * g[1]!;
    for (let k = 0; k < 3; k++) if (at[k]! >= 0) out[t * I + at[k]!] = g[k]!;
  }
}

/**
 * A pipeline's orientation frame from its training wearings (mutates their statistics' azimuth):
 * the first wearing's frame, with every wearing's histogram turned into it and pooled, then every
 * wearing aligned to the pool once more. Returns the config with its reference set; a pipeline
 * without gravity inputs comes back as it is.
 */
export function orientTrainingSessions(config: InputPipelineConfig, sessions: Iterable<SessionStats>): InputPipelineConfig {
  const list = [...sessions].filter((s) => s.azimuthHistogram);
  if (!config.inputs.some(isGravityInput) || list.length === 0) return config;
  let reference = list[0]!.azimuthHistogram!;
  for (let pass = 0; pass < 2; pass++) {
    for (const s of list) s.azimuth = azimuthShift(reference, s.azimuthHistogram!);
    reference = list
      .map((s) => rotateHistogram(s.azimuthHistogram!, -(s.azimuth ?? 0)))
      .reduce((acc, h) => acc.map((v, i) => v + h[i]!));
  }
  for (const s of list) s.azimuth = azimuthShift(reference, s.azimuthHistogram!);
  return { ...config, orientationReference: reference };
}

/** An angle difference wrapped into [-180, 180). */
export function wrapDegrees(d: number): number {
  return d - 360 * Math.floor((d + 180) / 360);
}

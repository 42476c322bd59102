/**
 * Running statistics of a live session: what a wearer's current session looks like, learnt from
 * the signs they make while the glove is on, so a new wearing without calibration drifts towards
 * its own normalisation instead of staying on the training days' pooled statistics.
 *
 * The prior (the bundle's pooled statistics, or a calibration's) counts as `priorFrames` frames:
 * the first seconds of signing move the statistics little, a few minutes of mixed letters take
 * over. Only held signs should be added (the recogniser's windows): rests and moves between
 * letters are not what the model was trained on. The orientation is re-aligned from the pooled
 * azimuth histogram the same way, and a flex channel that turns faulty in most of the live holds
 * is masked from then on.
 *
 * Portable (no Node imports).
 */
import { AZIMUTH_BINS, azimuthShift } from './orientation.js';
import { SessionAccumulator, type InputPipelineConfig, type SessionStats } from './session-norm.js';

export interface RunningSessionOptions {
  /** Weight of the prior, in frames (default 1,000: about 30 s of signing at 33 Hz). */
  priorFrames?: number;
  /** Frames gathered into one unit of fault detection (default 30). */
  chunkFrames?: number;
  /** New statistics are published after this many added frames (default 90, about 3 s of holds). */
  updateEvery?: number;
}

export class RunningSession {
  private readonly acc: SessionAccumulator;
  private readonly priorFrames: number;
  private readonly chunkFrames: number;
  private readonly updateEvery: number;
  private readonly chunk: Float32Array;
  private chunkLength = 0;
  private sinceUpdate = 0;
  private published: SessionStats;
  /** How many times the statistics changed (a consumer can cache per version). */
  version = 0;

  constructor(
    readonly config: InputPipelineConfig,
    readonly prior: SessionStats,
    opts: RunningSessionOptions = {},
  ) {
    this.acc = new SessionAccumulator(config);
    this.priorFrames = opts.priorFrames ?? 1000;
    this.chunkFrames = opts.chunkFrames ?? 30;
    this.updateEvery = opts.updateEvery ?? 90;
    this.chunk = new Float32Array(this.chunkFrames * config.raw.length);
    this.published = prior;
  }

  /** The statistics to read the stream with now. */
  get stats(): SessionStats {
    return this.published;
  }

  /** Adds raw frames (length × the pipeline's raw channels) of a held sign. */
  add(raw: Float32Array, length: number): void {
    const R = this.config.raw.length;
    for (let t = 0; t < length; t++) {
      this.chunk.set(raw.subarray(t * R, (t + 1) * R), this.chunkLength * R);
      if (++this.chunkLength === this.chunkFrames) {
        this.acc.add(this.chunk, this.chunkLength);
        this.chunkLength = 0;
      }
    }
    this.sinceUpdate += length;
    if (this.sinceUpdate >= this.updateEvery && this.acc.episodes > 0) {
      this.sinceUpdate = 0;
      this.published = blend(this.config, this.prior, this.acc.stats(), this.priorFrames);
      this.version++;
    }
  }
}

/**
 * The prior and the live statistics as one session, weighted by frames (the prior as
 * `priorFrames`). Linear channels pool their first two moments; angles their unit vectors; the
 * azimuth histogram its weights, after which the session's azimuth is found again.
 */
export function blend(config: InputPipelineConfig, prior: SessionStats, live: SessionStats, priorFrames: number): SessionStats {
  const w0 = priorFrames;
  const w1 = live.frames;
  const W = w0 + w1;
  const center: number[] = [];
  const scale: number[] = [];
  config.inputs.forEach((ch, i) => {
    const m0 = prior.center[i]!;
    const s0 = prior.scale[i]!;
    const m1 = live.center[i]!;
    const s1 = live.scale[i]!;
    if (config.angles.includes(ch)) {
      // unit vectors weighted by frames: the circular mean of the pooled session
      const rad = Math.PI / 180;
      const sn = w0 * Math.sin(m0 * rad) + w1 * Math.sin(m1 * rad);
      const cs = w0 * Math.cos(m0 * rad) + w1 * Math.cos(m1 * rad);
      center.push(Math.atan2(sn, cs) / rad);
      scale.push(Math.max(config.minScale[i]!, Math.sqrt((w0 * s0 * s0 + w1 * s1 * s1) / W)));
    } else {
      const m = (w0 * m0 + w1 * m1) / W;
      const v = (w0 * (s0 * s0 + m0 * m0) + w1 * (s1 * s1 + m1 * m1)) / W - m * m;
      center.push(m);
      scale.push(Math.max(config.minScale[i]!, Math.sqrt(Math.max(0, v))));
    }
  });
  const out: SessionStats = {
    channels: [...config.inputs],
    center,
    scale,
    masked: [...new Set([...prior.masked, ...live.masked])],
    episodes: prior.episodes + live.episodes,
    frames: prior.frames + live.frames,
  };
  if (live.azimuthHistogram && config.orientationReference) {
    // the prior's histogram as its session measured it (a pool's is in the model's frame, azimuth 0), scaled to w0 frames
    const p = prior.azimuthHistogram ?? config.orientationReference;
    const pSum = p.reduce((a, v) => a + v, 0) || 1;
    const lSum = live.azimuthHistogram.reduce((a, v) => a + v, 0) || 1;
    const hist = Array.from({ length: AZIMUTH_BINS }, (_, k) => (w0 * p[k]!) / pSum + (w1 * live.azimuthHistogram![k]!) / lSum);
    out.azimuthHistogram = hist;
    out.azimuth = azimuthShift(config.orientationReference, hist);
  }
  return out;
}

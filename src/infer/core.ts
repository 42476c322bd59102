/**
 * A predictor built from a decoded model bundle. Node-free on purpose: the server, the CLI and
 * the browser all run this same code on the same bundle bytes.
 */
import { createModel, type ArchConfig, type Model } from '../models/index.js';
import type { Kernels } from '../nn/kernels.js';
import { softmax } from '../nn/loss.js';
import { Scaler, fixLength, makeBatch } from '../data/preprocess.js';
import type { Episode } from '../data/types.js';
import { neverWorkingInputs, normalizeEpisode, type SessionStats } from '../data/session-norm.js';
import type { BundleMeta, TreesArch } from '../bundle/types.js';
import { fitExtraTrees, predictExtraTrees, type ForestArrays } from '../trees/extra-trees.js';
import { summaryFeatures } from '../trees/features.js';
import { forestFromTensors, sourceForSession, type TreeSource } from '../trees/forest-tensors.js';
import type { BatchPredictOptions, EpisodeInput, Prediction, PredictOptions } from './types.js';
import { topK } from './class-scores.js';
import { BundleError } from '../bundle/check.js';
import { decodeBundle } from '../bundle/read.js';

/** Largest episode a predictor accepts, in frames (about 5 minutes at 33 Hz): protects servers from huge requests. */
export const MAX_FRAMES = 10_000;

/** Typical training-episode length for bundles that do not record it (the reference datasets' 80 frames). */
const LEGACY_TYPICAL_LENGTH = 80;

export interface ModelInfo {
  name: string;
  arch: string;
  classes: string[];
  channels: string[];
  T: number;
  params: number;
  /** Dataset-relative paths of the episodes the model never saw in training. */
  testFiles: string[];
  datasetName?: string;
  testAccuracy?: number;
}

/** The classifier behind a predictor: a network, or a tree ensemble (with the features it was fitted on, for calibration). */
export type Classifier =
  | { kind: 'network'; model: Model }
  | { kind: 'trees'; forest: ForestArrays; source?: TreeSource };

/**
 * A loaded model, whatever its kind (network or tree ensemble): the one name for it everywhere.
 * Node adds file loading and worker batches (LoadedModel, src/infer/index.ts); the server and the
 * live session accept any object with the parts they use (ServedModel, LiveModel).
 */
export class Predictor {
  readonly info: ModelInfo;
  private readonly scaler: Scaler | null;
  /** Statistics of the wearer's current session (pipeline bundles): the bundle's own until useSession. */
  session: SessionStats | undefined;
  /** Inputs no training wearing had working (their sensor broken on every training day). */
  private readonly neverWorking: string[] = [];
  private readonly readableSessions = new WeakMap<SessionStats, SessionStats>();

  constructor(readonly meta: BundleMeta, readonly classifier: Classifier) {
    const p = meta.preprocess;
    if (p.pipeline) {
      if (!p.session) throw new Error(`bundle '${meta.name}': its input pipeline has no session statistics`);
      this.scaler = null;
      this.session = p.session;
      for (const s of p.trainingSessions ?? []) if (s.wearing) this.wearings.set(s.wearing, s);
      const trained = p.trainingSessions ?? [];
      // a personal model was fitted on its wearer's session as it read, whatever the training days had
      if (!meta.calibration) this.neverWorking = neverWorkingInputs(p.pipeline.inputs, trained.map((t) => t.masked));
    } else {
      if (p.scaler.mean.length !== p.channels.length || p.scaler.std.length !== p.channels.length) {
        throw new Error(`bundle '${meta.name}': scaler has ${p.scaler.mean.length} means for ${p.channels.length} channels`);
      }
      this.scaler = Scaler.fromJSON({ channels: p.channels, mean: p.scaler.mean, std: p.scaler.std });
    }
    if (classifier.kind === 'network') classifier.model.train(false);
    this.info = {
      name: meta.name,
      arch: meta.arch.arch,
      classes: meta.classes,
      channels: p.channels,
      T: p.T,
      params: classifier.kind === 'network'
        ? classifier.model.parameters().reduce((n, q) => n + q.data.length, 0)
        : classifier.forest.feature.length,
      testFiles: meta.provenance?.testFiles ?? [],
      datasetName: meta.provenance?.dataset,
      testAccuracy: meta.training?.testAccuracy,
    };
  }

  /** Builds a predictor from the bytes of a bundle file. */
  static fromBytes(bytes: Uint8Array, source = 'bundle', kernels?: Kernels): Predictor {
    const { meta, tensors } = decodeBundle(bytes, source);
    if (meta.arch.arch === 'ExtraTrees') {
      try {
        return new Predictor(meta, { kind: 'trees', ...forestFromTensors(tensors, meta.arch.inputSize, source) });
      } catch (e) {
        throw new BundleError((e as Error).message);
      }
    }
    const model = createModel(meta.arch as ArchConfig, { kernels });
    try {
      model.loadStateDict(tensors);
    } catch (e) {
      model.dispose();
      throw new BundleError(`${source}: ${(e as Error).message}`);
    }
    return new Predictor(meta, { kind: 'network', model });
  }

  /** The network (throws for a tree ensemble). */
  get model(): Model {
    if (this.classifier.kind !== 'network') throw new Error(`model '${this.meta.name}' is a tree ensemble, not a network`);
    return this.classifier.model;
  }

  /**
   * Reads every episode with these statistics from now on (calibration, running statistics, an
   * evaluation protocol): the per-wearing statistics of training days no longer apply.
   */
  useSession(stats: SessionStats): void {
    if (!this.meta.preprocess.pipeline) throw new Error(`model '${this.meta.name}' predates session normalisation; it uses its fixed scaler`);
    const want = this.meta.preprocess.pipeline.inputs;
    if (stats.channels.length !== want.length || stats.channels.some((c, i) => c !== want[i])) {
      throw new Error(`session statistics are for channels ${stats.channels.join(',')}, the model reads ${want.join(',')}`);
    }
    this.session = stats;
    this.wearings.clear();
  }

  /**
   * A session as this model reads it: a sensor that no training wearing had working is unknown
   * here too, even where it works. The model never learnt it, and read as working it would also
   * change the features built from all fingers (their mean, each finger against it).
   */
  readable(session: SessionStats): SessionStats {
    if (this.neverWorking.every((ch) => session.masked.includes(ch))) return session;
    let r = this.readableSessions.get(session);
    if (!r) {
      r = { ...session, masked: [...session.masked, ...this.neverWorking.filter((ch) => !session.masked.includes(ch))] };
      this.readableSessions.set(session, r);
    }
    return r;
  }

  /**
   * Frames through the bundle's input pipeline: raw (length × channels) → normalised (length ×
   * inputs) for pipeline bundles; unchanged for older ones (their scaler is applied in prepare).
   */
  normalize(frames: { data: Float32Array; length: number }[], session = this.session): { data: Float32Array; length: number }[] {
    const pipe = this.meta.preprocess.pipeline;
    if (!pipe) return frames;
    return frames.map((f) => ({ data: normalizeEpisode(pipe, session!, f.data, f.length).data, length: f.length }));
  }

  /** Turns any accepted episode form into frames in the model's channel order (raw units). */
  toFrames(input: EpisodeInput | Episode, label = 'episode'): { data: Float32Array; length: number } {
    const C = this.info.channels.length;
    const channels = this.info.channels;
    if (Array.isArray(input)) {
      if (input.length === 0) throw new Error(`${label} has no frames`);
      if (input.length > MAX_FRAMES) throw new Error(`${label} has ${input.length} frames; at most ${MAX_FRAMES} are accepted`);
      const data = new Float32Array(input.length * C);
      input.forEach((row, t) => {
        if (Array.isArray(row) || row instanceof Float32Array) {
          if (row.length !== C) {
            throw new Error(`${label}: frame ${t} has ${row.length} values, expected ${C} (${channels.join(',')})`);
          }
          for (let c = 0; c < C; c++) data[t * C + c] = checkFinite(row[c]!, label, t, channels[c]!);
        } else if (row !== null && typeof row === 'object') {
          const rec = row as Record<string, number>;
          for (let c = 0; c < C; c++) {
            const v = rec[channels[c]!];
            if (v === undefined) throw new Error(`${label}: frame ${t} has no '${channels[c]}' value`);
            data[t * C + c] = checkFinite(v, label, t, channels[c]!);
          }
        } else {
          throw new Error(`${label}: frame ${t} is neither an array of numbers nor an object of channel values`);
        }
      });
      return { data, length: input.length };
    }
    const ep = input as { channels: string[]; data: Float32Array; length: number; file?: string };
    const name = ep.file ?? label;
    if (ep.length === 0) throw new Error(`${name} has no frames`);
    if (ep.length > MAX_FRAMES) throw new Error(`${name} has ${ep.length} frames; at most ${MAX_FRAMES} are accepted`);
    const srcC = ep.channels.length;
    if (ep.data.length !== ep.length * srcC) {
      throw new Error(`${name}: data holds ${ep.data.length} values, expected ${ep.length} frames × ${srcC} channels`);
    }
    const pick = channels.map((ch) => {
      const k = ep.channels.indexOf(ch);
      if (k < 0) throw new Error(`${name} has no '${ch}' channel (it has ${ep.channels.join(',')})`);
      return k;
    });
    const data = new Float32Array(ep.length * C);
    for (let t = 0; t < ep.length; t++) {
      for (let c = 0; c < C; c++) data[t * C + c] = checkFinite(ep.data[t * srcC + pick[c]!]!, name, t, channels[c]!);
    }
    return { data, length: ep.length };
  }

  /**
   * Network input for a set of frame arrays, with the bundle's own preprocessing.
   * frames[i]: length_i × C raw values → x: N×T×C standardised, mask: N×T (1 = real frame).
   */
  prepare(frames: { data: Float32Array; length: number }[], session = this.session): { x: Float32Array; mask: Uint8Array } {
    const { T, lengthMode, padValue, pipeline } = this.meta.preprocess;
    const channels = pipeline ? pipeline.inputs : this.info.channels;
    const episodes = this.normalize(frames, session).map((f, i) => ({ file: `episode ${i}`, label: -1, jamo: '', session: '', channels, data: f.data, length: f.length }));
    // pipeline frames are already standardised: pad with 0, the session mean
    const { x, mask } = pipeline
      ? makeBatch(episodes, { T, mode: lengthMode, padValue: 0 })
      : makeBatch(episodes, { T, mode: lengthMode, padValue, scaler: this.scaler ?? undefined });
    return { x, mask };
  }

  /** Class probabilities for N frame arrays → N×K, in chunks so memory stays bounded. */
  probsOfFrames(frames: { data: Float32Array; length: number }[], chunkSize = 64, given = this.session): Float32Array {
    const session = given && this.meta.preprocess.pipeline ? this.readable(given) : given;
    const K = this.info.classes.length;
    const out = new Float32Array(frames.length * K);
    const c = this.classifier;
    for (let s = 0; s < frames.length; s += chunkSize) {
      const part = frames.slice(s, s + chunkSize);
      if (c.kind === 'trees') {
        const pipe = this.meta.preprocess.pipeline!;
        const feats = summaryFeatures(pipe.inputs, this.normalize(part, session), session!.masked);
        out.set(applyTemperature(predictExtraTrees(this.forestFor(session!), feats, part.length), part.length, K, this.meta.temperature ?? 1, true), s * K);
      } else {
        const { x, mask } = this.prepare(part, session);
        const logits = c.model.forward(x, part.length, this.meta.preprocess.T, mask);
        out.set(applyTemperature(logits, part.length, K, this.meta.temperature ?? 1, false), s * K);
      }
    }
    return out;
  }

  /**
   * Probabilities (N×K) for episodes in any accepted form. An episode that names its wearing
   * (loaded from a day's folder) is read with that wearing's statistics when the model knows them
   * (a training day, or one added with addWearing); every other one with the current session.
   */
  predictProbs(episodes: (EpisodeInput | Episode)[], chunkSize?: number): Float32Array {
    const frames = episodes.map((e, i) => this.toFrames(e, `episode ${i}`));
    if (!this.meta.preprocess.pipeline || this.wearings.size === 0) return this.probsOfFrames(frames, chunkSize);
    const K = this.info.classes.length;
    const out = new Float32Array(episodes.length * K);
    const groups = new Map<SessionStats | undefined, number[]>();
    episodes.forEach((e, i) => {
      const w = (e as { wearing?: unknown }).wearing;
      const s = typeof w === 'string' ? (this.wearings.get(w) ?? this.session) : this.session;
      const g = groups.get(s);
      if (g) g.push(i);
      else groups.set(s, [i]);
    });
    for (const [s, idx] of groups) {
      const p = this.probsOfFrames(idx.map((i) => frames[i]!), chunkSize, s);
      idx.forEach((i, j) => out.set(p.subarray(j * K, (j + 1) * K), i * K));
    }
    return out;
  }

  /** Forests refitted without a channel that a session masks and training had working, by channel. */
  private readonly forestsWithout = new Map<string, ForestArrays>();

  /**
   * The forest for a session: the shipped one, or (a flex sensor broken in this session but not in
   * training) one refitted on the bundle's source features without that channel, once per channel.
   */
  forestFor(session: SessionStats): ForestArrays {
    const c = this.classifier;
    if (c.kind !== 'trees') throw new Error(`model '${this.meta.name}' is not a tree ensemble`);
    if (!c.source || session.masked.length === 0) return c.forest;
    const trainingMasked = (this.meta.preprocess.trainingSessions ?? []).map((s) => s.masked);
    const fitted = this.meta.calibration?.fittedWithout ?? [];
    const pick = sourceForSession(c.source, session.masked.filter((ch) => !fitted.includes(ch)), trainingMasked);
    if (!pick.channel) return c.forest;
    let forest = this.forestsWithout.get(pick.channel);
    if (!forest) {
      const a = this.meta.arch as TreesArch;
      forest = fitExtraTrees(pick.x, c.source.y, this.info.classes.length, a.inputSize, { trees: a.trees, maxFeatures: a.maxFeatures, minSamplesSplit: a.minSamplesSplit, maxDepth: a.maxDepth, seed: a.seed });
      this.forestsWithout.set(pick.channel, forest);
    }
    return forest;
  }

  /** Session statistics per wearing name: the training days', then any added. */
  private readonly wearings = new Map<string, SessionStats>();

  /** Reads episodes of wearing `name` with these statistics (e.g. fitted on that day's unlabelled frames). */
  addWearing(name: string, stats: SessionStats): void {
    this.wearings.set(name, stats);
  }

  /** Whether episodes of this wearing have statistics (a training day or an added one). */
  knowsWearing(name: string): boolean {
    return this.wearings.has(name);
  }

  /**
   * Probabilities for one window of raw frames (length × C, the model's channel order): the live
   * recogniser's call. The window is stretched (linear resampling) to the typical length of the
   * training episodes: a model trained on ~80-frame holds misreads a 30-frame window padded to 87
   * steps, but reads the same posture stretched to 80 frames correctly.
   */
  classifyWindow(frames: Float32Array, length: number, session = this.session): Float32Array {
    const L = this.meta.preprocess.typicalLength ?? LEGACY_TYPICAL_LENGTH;
    if (length === L || length < 2) return this.probsOfFrames([{ data: frames, length }], 1, session);
    const ep = { file: 'window', label: -1, jamo: '', session: '', channels: this.info.channels, data: frames, length };
    return this.probsOfFrames([{ data: fixLength(ep, L, 'resample').data, length: L }], 1, session);
  }

  /** Frees the network's buffers (WebAssembly arena); the predictor is unusable after. */
  dispose(): void {
    if (this.classifier.kind === 'network') this.classifier.model.dispose();
  }

  predict(episode: EpisodeInput | Episode, opts: PredictOptions = {}): Prediction {
    return this.predictBatch([episode], opts)[0]!;
  }

  predictBatch(episodes: (EpisodeInput | Episode)[], opts: BatchPredictOptions = {}): Prediction[] {
    const K = this.info.classes.length;
    const probs = this.predictProbs(episodes, opts.chunkSize);
    const out: Prediction[] = [];
    for (let i = 0; i < episodes.length; i++) out.push(this.toPrediction(probs.subarray(i * K, (i + 1) * K), opts.topK));
    return out;
  }

  /** Top-k classes of one probability row (ties: lower class index first). */
  toPrediction(p: Float32Array, k = 5): Prediction {
    const scores = topK(p, this.info.classes, k);
    return { ...scores[0]!, topK: scores };
  }
}

/**
 * Probabilities at a temperature: softmax(logits / T) for a network; for a forest's averaged
 * votes, p^(1/T) renormalised (the same thing on log-probabilities).
 */
export function applyTemperature(scores: Float32Array, N: number, K: number, T: number, areProbs: boolean): Float32Array {
  if (!areProbs) {
    if (T === 1) return softmax(scores, N, K);
    return softmax(scores.map((v) => v / T), N, K);
  }
  if (T === 1) return scores;
  const out = new Float32Array(N * K);
  for (let n = 0; n < N; n++) {
    let sum = 0;
    for (let k = 0; k < K; k++) sum += out[n * K + k] = Math.pow(scores[n * K + k]! + 1e-4, 1 / T);
    for (let k = 0; k < K; k++) out[n * K + k] /= sum;
  }
  return out;
}

function checkFinite(v: number, label: string, t: number, ch: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new Error(`${label}: frame ${t}, channel '${ch}' is ${v === undefined ? 'missing' : JSON.stringify(v)}, not a finite number`);
  }
  return v;
}

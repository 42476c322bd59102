/**
 * A predictor built from a decoded model bundle. Node-free on purpose: the server, the CLI and
 * the browser all run this same code on the same bundle bytes.
 */
import { createModel, type Model } from '../models/index.js';
import { decodeSafetensors } from '../nn/safetensors.js';
import type { Kernels } from '../nn/kernels.js';
import { softmax } from '../nn/loss.js';
import { Scaler, fixLength, makeBatch } from '../data/preprocess.js';
import type { Episode } from '../data/types.js';
import type { BundleMeta } from '../train/bundle-types.js';
import type { BatchPredictOptions, ClassScore, EpisodeInput, Prediction, PredictOptions } from './types.js';
import { BundleError, checkBundleMetaShape, verifyTensors } from './bundle-check.js';

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

/** Reads the bundle metadata stored under the `signglove` key of the safetensors header. */
export function parseBundleMeta(metadata: Record<string, string> | undefined, source: string): BundleMeta {
  const raw = metadata?.['signglove'];
  if (!raw) throw new BundleError(`${source} is not a signglove model bundle (no 'signglove' metadata in its safetensors header)`);
  let meta: BundleMeta;
  try {
    meta = JSON.parse(raw) as BundleMeta;
  } catch (e) {
    throw new BundleError(`${source}: the bundle metadata is not valid JSON (${(e as Error).message})`);
  }
  if (meta?.format !== 'signglove-bundle') throw new BundleError(`${source}: unknown bundle format '${String(meta?.format)}'`);
  if (meta.version !== 1) throw new BundleError(`${source}: bundle version ${String(meta.version)} is newer than this signglove understands`);
  checkBundleMetaShape(meta, source);
  return meta;
}

export class Predictor {
  readonly info: ModelInfo;
  private readonly scaler: Scaler;

  constructor(readonly meta: BundleMeta, readonly model: Model) {
    const p = meta.preprocess;
    if (p.scaler.mean.length !== p.channels.length || p.scaler.std.length !== p.channels.length) {
      throw new Error(`bundle '${meta.name}': scaler has ${p.scaler.mean.length} means for ${p.channels.length} channels`);
    }
    this.scaler = Scaler.fromJSON({ channels: p.channels, mean: p.scaler.mean, std: p.scaler.std });
    model.train(false);
    this.info = {
      name: meta.name,
      arch: meta.arch.arch,
      classes: meta.classes,
      channels: p.channels,
      T: p.T,
      params: model.parameters().reduce((n, q) => n + q.data.length, 0),
      testFiles: meta.provenance?.testFiles ?? [],
      datasetName: meta.provenance?.dataset,
      testAccuracy: meta.training?.testAccuracy,
    };
  }

  /** Builds a predictor from the bytes of a bundle file. */
  static fromBytes(bytes: Uint8Array, source = 'bundle', kernels?: Kernels): Predictor {
    let decoded;
    try {
      decoded = decodeSafetensors(bytes);
    } catch (e) {
      throw new BundleError(`${source}: not a readable safetensors bundle (${(e as Error).message.replace(/^decodeSafetensors: /, '')})`);
    }
    const { tensors, metadata } = decoded;
    const meta = parseBundleMeta(metadata, source);
    verifyTensors(tensors, metadata, source);
    const model = createModel(meta.arch, { kernels });
    try {
      model.loadStateDict(tensors);
    } catch (e) {
      model.dispose();
      throw new BundleError(`${source}: ${(e as Error).message}`);
    }
    return new Predictor(meta, model);
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
  prepare(frames: { data: Float32Array; length: number }[]): { x: Float32Array; mask: Uint8Array } {
    const { T, lengthMode, padValue } = this.meta.preprocess;
    const channels = this.info.channels;
    const episodes = frames.map((f, i) => ({ file: `episode ${i}`, label: -1, jamo: '', session: '', channels, data: f.data, length: f.length }));
    const { x, mask } = makeBatch(episodes, { T, mode: lengthMode, padValue, scaler: this.scaler });
    return { x, mask };
  }

  /** Class probabilities for N frame arrays → N×K, in chunks so memory stays bounded. */
  probsOfFrames(frames: { data: Float32Array; length: number }[], chunkSize = 64): Float32Array {
    const K = this.info.classes.length;
    const out = new Float32Array(frames.length * K);
    for (let s = 0; s < frames.length; s += chunkSize) {
      const part = frames.slice(s, s + chunkSize);
      const { x, mask } = this.prepare(part);
      const logits = this.model.forward(x, part.length, this.meta.preprocess.T, mask);
      out.set(softmax(logits, part.length, K), s * K);
    }
    return out;
  }

  /** Probabilities (N×K) for episodes in any accepted form. */
  predictProbs(episodes: (EpisodeInput | Episode)[], chunkSize?: number): Float32Array {
    return this.probsOfFrames(episodes.map((e, i) => this.toFrames(e, `episode ${i}`)), chunkSize);
  }

  /**
   * Probabilities for one window of raw frames (length × C, the model's channel order): the live
   * recogniser's call. The window is stretched (linear resampling) to the typical length of the
   * training episodes: a model trained on ~80-frame holds misreads a 30-frame window padded to 87
   * steps, but reads the same posture stretched to 80 frames correctly.
   */
  classifyWindow(frames: Float32Array, length: number): Float32Array {
    const L = this.meta.preprocess.typicalLength ?? LEGACY_TYPICAL_LENGTH;
    if (length === L || length < 2) return this.probsOfFrames([{ data: frames, length }]);
    const ep = { file: 'window', label: -1, jamo: '', session: '', channels: this.info.channels, data: frames, length };
    return this.probsOfFrames([{ data: fixLength(ep, L, 'resample').data, length: L }]);
  }

  /** Frees the network's buffers (WebAssembly arena); the predictor is unusable after. */
  dispose(): void {
    this.model.dispose();
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
  toPrediction(p: Float32Array, topK = 5): Prediction {
    const k = Math.max(1, Math.min(topK, p.length));
    const order = Array.from(p.keys()).sort((a, b) => p[b]! - p[a]! || a - b);
    const scores: ClassScore[] = order.slice(0, k).map((i) => ({ jamo: this.info.classes[i]!, index: i, confidence: p[i]! }));
    return { ...scores[0]!, topK: scores };
  }
}

function checkFinite(v: number, label: string, t: number, ch: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new Error(`${label}: frame ${t}, channel '${ch}' is ${v === undefined ? 'missing' : JSON.stringify(v)}, not a finite number`);
  }
  return v;
}

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { JAMO } from '../../src/jamo.js';
import { DEFAULT_CHANNELS } from '../../src/data/types.js';
import type { ClassScore, EpisodeInput, Prediction } from '../../src/infer/types.js';
import type { ServedModel } from '../../src/server/types.js';
import { DATASET_1001 } from '../shared.js';

/** One recorded episode from the shared dataset, as rows in DEFAULT_CHANNELS order. */
export interface SharedEpisode {
  file: string;
  jamo: string;
  rows: number[][];
  csv: string;
}

/** Reads a unified-layout episode CSV (the test's own reader, independent of src/data). */
export function readEpisode(file: string, jamo: string): SharedEpisode {
  const csv = readFileSync(file, 'utf8');
  const lines = csv.trim().split(/\r?\n/);
  const header = lines[0]!.split(',');
  const idx = DEFAULT_CHANNELS.map((ch) => header.indexOf(ch));
  const rows = lines.slice(1).map((l) => {
    const f = l.split(',');
    return idx.map((i) => Number(f[i]));
  });
  return { file, jamo, rows, csv };
}

/** `perClass` episodes of every jamo from session folders in `sessions`. */
export function sharedEpisodes(perClass: number, sessions: string[]): SharedEpisode[] {
  const out: SharedEpisode[] = [];
  for (const jamo of JAMO) {
    let n = 0;
    for (const s of sessions) {
      const dir = path.join(DATASET_1001, jamo, s);
      let files: string[];
      try {
        files = readdirSync(dir).filter((f) => f.endsWith('.csv')).sort();
      } catch {
        continue;
      }
      for (const f of files) {
        if (n >= perClass) break;
        out.push(readEpisode(path.join(dir, f), jamo));
        n++;
      }
    }
  }
  return out;
}

/** Per-channel mean and standard deviation over time: a small fixed-length summary of an episode. */
function features(data: Float32Array, T: number, C: number): Float64Array {
  const f = new Float64Array(2 * C);
  for (let c = 0; c < C; c++) {
    let s = 0;
    let s2 = 0;
    for (let t = 0; t < T; t++) {
      const v = data[t * C + c]!;
      s += v;
      s2 += v * v;
    }
    const m = s / T;
    f[c] = m;
    f[C + c] = Math.sqrt(Math.max(0, s2 / T - m * m));
  }
  return f;
}

function toMatrix(ep: EpisodeInput, channels: readonly string[]): { data: Float32Array; T: number } {
  if (!Array.isArray(ep)) {
    const C = ep.channels.length;
    const col = channels.map((ch) => ep.channels.indexOf(ch));
    const out = new Float32Array(ep.length * channels.length);
    for (let t = 0; t < ep.length; t++) for (let c = 0; c < channels.length; c++) out[t * channels.length + c] = ep.data[t * C + col[c]!]!;
    return { data: out, T: ep.length };
  }
  const rows = ep as (number[] | Float32Array | Record<string, number>)[];
  const out = new Float32Array(rows.length * channels.length);
  rows.forEach((r, t) => {
    channels.forEach((ch, c) => {
      out[t * channels.length + c] = Array.isArray(r) || r instanceof Float32Array ? (r as ArrayLike<number>)[c]! : (r as Record<string, number>)[ch]!;
    });
  });
  return { data: out, T: rows.length };
}

/**
 * A real (if simple) model for server tests: nearest class centroid on standardised per-channel
 * mean/std features, softmax over negative distances. It answers from the input, so a test that
 * sends a ㄱ episode and gets ㄱ back checks the whole path, not a canned reply.
 */
export function centroidModel(train: SharedEpisode[], name = 'centroid-test'): ServedModel {
  const channels = [...DEFAULT_CHANNELS];
  const C = channels.length;
  const feats = train.map((e) => features(Float32Array.from(e.rows.flat()), e.rows.length, C));
  const D = 2 * C;
  const mean = new Float64Array(D);
  const std = new Float64Array(D);
  for (const f of feats) for (let d = 0; d < D; d++) mean[d]! += f[d]! / feats.length;
  for (const f of feats) for (let d = 0; d < D; d++) std[d]! += (f[d]! - mean[d]!) ** 2 / feats.length;
  for (let d = 0; d < D; d++) std[d] = Math.sqrt(std[d]!) || 1;
  const centroids = JAMO.map(() => new Float64Array(D));
  const counts = JAMO.map(() => 0);
  train.forEach((e, i) => {
    const k = JAMO.indexOf(e.jamo as (typeof JAMO)[number]);
    counts[k]!++;
    for (let d = 0; d < D; d++) centroids[k]![d]! += (feats[i]![d]! - mean[d]!) / std[d]!;
  });
  centroids.forEach((cen, k) => cen.forEach((_, d) => (cen[d] = cen[d]! / Math.max(1, counts[k]!))));

  const predict = (ep: EpisodeInput, opts: { topK?: number } = {}): Prediction => {
    const { data, T } = toMatrix(ep, channels);
    const f = features(data, T, C);
    const logits = centroids.map((cen) => {
      let d2 = 0;
      for (let d = 0; d < D; d++) d2 += ((f[d]! - mean[d]!) / std[d]! - cen[d]!) ** 2;
      return -d2;
    });
    const mx = Math.max(...logits);
    const ex = logits.map((l) => Math.exp(l - mx));
    const sum = ex.reduce((a, b) => a + b, 0);
    const scores: ClassScore[] = ex.map((e, index) => ({ jamo: JAMO[index]!, index, confidence: e / sum }));
    const sorted = [...scores].sort((a, b) => b.confidence - a.confidence);
    return { ...sorted[0]!, topK: sorted.slice(0, opts.topK ?? 5) };
  };
  return {
    info: { name, arch: 'NearestCentroid', classes: [...JAMO], channels, T: 80 },
    predict,
    predictBatch: (eps, opts = {}) => eps.map((e) => predict(e, opts)),
  };
}

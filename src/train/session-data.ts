/**
 * Episodes grouped by wearing (one recording day = one time the glove was put on), normalised
 * with their own wearing's statistics, and turned into training sets or tree features.
 *
 * Where statistics come from is the crux of an honest figure: a wearing's statistics are fitted
 * on the episodes a protocol lets the model see of it (its training part; for a wearing that is
 * only tested, its unlabelled frames, a warm-up, or calibration shots — the caller decides).
 */
import { makeBatch } from '../data/preprocess.js';
import type { Episode } from '../data/types.js';
import { fitSessionStats, normalizeEpisode, type InputPipelineConfig, type SessionStats } from '../data/session-norm.js';
import { summaryFeatures } from '../trees/features.js';
import type { TensorSet } from './trainer.js';

/** The wearing an episode belongs to ('' when unknown: all such episodes are one wearing). */
export function wearingOf(e: Pick<Episode, 'wearing'>): string {
  return e.wearing ?? '';
}

/** Statistics per wearing, fitted on the given episodes of each. */
export function fitWearingStats(cfg: InputPipelineConfig, episodes: readonly Episode[]): Map<string, SessionStats> {
  const groups = new Map<string, Episode[]>();
  for (const e of episodes) {
    const w = wearingOf(e);
    const g = groups.get(w);
    if (g) g.push(e);
    else groups.set(w, [e]);
  }
  const out = new Map<string, SessionStats>();
  for (const [w, eps] of groups) out.set(w, { ...(w ? { wearing: w } : {}), ...fitSessionStats(cfg, eps) });
  return out;
}

/** Normalised frames (length × inputs) of each episode, with its wearing's statistics. */
export function normalizeByWearing(cfg: InputPipelineConfig, stats: ReadonlyMap<string, SessionStats>, episodes: readonly Episode[]): Episode[] {
  return episodes.map((e) => {
    const s = stats.get(wearingOf(e));
    if (!s) throw new Error(`${e.file}: no session statistics for wearing '${wearingOf(e)}'`);
    return { ...e, channels: cfg.inputs, data: normalizeEpisode(cfg, s, e.data, e.length).data };
  });
}

/** A network's set from normalised episodes: fixed length T, padded with 0 (the session mean). */
export function tensorSetOf(normalised: readonly Episode[], T: number, mode: 'pad' | 'truncate' | 'resample'): TensorSet {
  const b = makeBatch(normalised, { T, mode, padValue: 0 });
  return { x: b.x, mask: b.mask, labels: b.labels, N: b.N, T: b.T, C: b.C };
}

/** Tree features (N × F) of normalised episodes; masked channels per wearing stay out of the common flex. */
export function featuresOf(cfg: InputPipelineConfig, stats: ReadonlyMap<string, SessionStats>, normalised: readonly Episode[]): Float32Array {
  if (normalised.length === 0) return new Float32Array(0);
  const parts = normalised.map((e) => summaryFeatures(cfg.inputs, [e], stats.get(wearingOf(e))?.masked ?? []));
  const F = parts[0]!.length;
  const out = new Float32Array(parts.length * F);
  parts.forEach((p, i) => out.set(p, i * F));
  return out;
}

/**
 * A long hold cut into windows of the model's length T, spread evenly over it (the last ends at
 * the episode's end): every frame of it is training data, not only the first T. Episodes of at
 * most T frames are kept as they are.
 */
export function trainingWindows(episodes: readonly Episode[], T: number): Episode[] {
  const out: Episode[] = [];
  for (const e of episodes) {
    if (e.length <= T) {
      out.push(e);
      continue;
    }
    const n = Math.ceil(e.length / T);
    const C = e.channels.length;
    for (let i = 0; i < n; i++) {
      const start = Math.round((i * (e.length - T)) / (n - 1));
      out.push({ ...e, data: e.data.slice(start * C, (start + T) * C), length: T, timestampsMs: e.timestampsMs?.slice(start, start + T) });
    }
  }
  return out;
}

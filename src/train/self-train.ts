/**
 * Adapting a tree bundle to a new wearing from unlabelled holds (self-training): the session's
 * statistics come from the holds' own frames, then the forest is refitted on its source features
 * plus the holds it reads most confidently, each with the letter it gave them, a few rounds, more
 * holds per letter each round. No label of the holds is read.
 *
 * Why: a new day's readings sit where the source day had none, so the source forest's splits cut
 * through them; the confident holds of each letter show the forest where that letter now lies.
 * Balanced per letter, so a letter the forest overpredicts cannot take over. Measured by
 * `signglove benchmark generalization` (protocol `zero-shot-self-trained`).
 *
 * Portable (no Node imports).
 */
import type { Episode } from '../data/types.js';
import { fitSessionStats, normalizeEpisode, type SessionStats } from '../data/session-norm.js';
import { Predictor } from '../infer/core.js';
import { fitExtraTrees, predictExtraTrees, type ForestArrays } from '../trees/extra-trees.js';
import { forestToTensors, sourceForSession, sourcePlusRows } from '../trees/forest-tensors.js';
import { summaryFeatures } from '../trees/features.js';
import type { BundleMeta, TreesArch } from '../bundle/types.js';

export interface SelfTrainOptions {
  /** Refits (each adds more holds per letter). */
  rounds?: number;
  /** Holds per letter taken in the first round (round r takes r times as many). */
  perClass?: number;
  /** Weight of a pseudo-labelled hold relative to one source episode. */
  weight?: number;
  /** Names of the holds' files, recorded in the bundle. */
  files?: string[];
  baseFile?: string;
}

export interface SelfTrained {
  meta: BundleMeta;
  predictor: Predictor;
  session: SessionStats;
  /** Holds pseudo-labelled in the last round. */
  used: number;
  seconds: number;
}

export const SELF_TRAIN_DEFAULTS = { rounds: 3, perClass: 5, weight: 3 } as const;

/** Episodes of one new wearing, labels unread → a bundle adapted to that wearing. */
export function selfTrainModel(base: Predictor, holds: readonly Pick<Episode, 'channels' | 'data' | 'length' | 'file'>[], opts: SelfTrainOptions = {}): SelfTrained {
  const t0 = performance.now();
  const pipe = base.meta.preprocess.pipeline;
  const c = base.classifier;
  if (!pipe || c.kind !== 'trees' || !c.source) throw new Error(`model '${base.meta.name}' is not a tree bundle carrying its source features: self-training refits a forest`);
  if (holds.length === 0) throw new Error('self-training needs at least one hold');
  const rounds = opts.rounds ?? SELF_TRAIN_DEFAULTS.rounds;
  const perClass = opts.perClass ?? SELF_TRAIN_DEFAULTS.perClass;
  const weight = opts.weight ?? SELF_TRAIN_DEFAULTS.weight;
  const frames = holds.map((e, i) => base.toFrames(e, e.file ?? `hold ${i}`));
  // as the base reads this wearing (a sensor it never had working stays unknown)
  const session = base.readable(fitSessionStats(pipe, frames));
  const normalised = frames.map((f) => ({ data: normalizeEpisode(pipe, session, f.data, f.length).data, length: f.length }));
  const X = summaryFeatures(pipe.inputs, normalised, session.masked);
  const N = holds.length;
  const K = base.info.classes.length;
  const arch = base.meta.arch as TreesArch;
  const F = arch.inputSize;
  const picked = sourceForSession(c.source, session.masked, (base.meta.preprocess.trainingSessions ?? []).map((s) => s.masked));
  const fit = (rows: number[], labels: Int32Array): ForestArrays => {
    const d = sourcePlusRows(picked.x, c.source!.y, rows.map((n) => ({ x: X.subarray(n * F, (n + 1) * F), label: labels[n]! })), weight, F);
    return fitExtraTrees(d.X, d.y, K, F, { trees: arch.trees, maxFeatures: arch.maxFeatures, minSamplesSplit: arch.minSamplesSplit, maxDepth: arch.maxDepth, seed: arch.seed }, d.w);
  };
  // round 0: the base's own forest for this session (refitted without a sensor broken only here)
  let forest = base.forestFor(session);
  let used = 0;
  for (let r = 1; r <= rounds; r++) {
    const probs = predictExtraTrees(forest, X, N);
    const pred = new Int32Array(N);
    const conf = new Float32Array(N);
    for (let n = 0; n < N; n++) {
      let b = 0;
      for (let k = 1; k < K; k++) if (probs[n * K + k]! > probs[n * K + b]!) b = k;
      pred[n] = b;
      conf[n] = probs[n * K + b]!;
    }
    // the most confident holds of each letter, as many per letter for every letter
    const rows: number[] = [];
    for (let k = 0; k < K; k++) {
      const mine = [...Array(N).keys()].filter((n) => pred[n] === k).sort((a, b) => conf[b]! - conf[a]! || a - b);
      rows.push(...mine.slice(0, perClass * r));
    }
    forest = fit(rows, pred);
    used = rows.length;
  }
  const seconds = (performance.now() - t0) / 1000;
  const meta: BundleMeta = {
    ...base.meta,
    name: `${base.meta.name}-self-trained`,
    preprocess: { ...base.meta.preprocess, session },
    calibration: {
      base: base.meta.name,
      baseFile: opts.baseFile,
      method: 'self-train',
      shotsPerClass: 0,
      files: opts.files ?? holds.map((e, i) => e.file ?? `hold ${i}`),
      ...(picked.channel ? { fittedWithout: [picked.channel] } : {}),
      selfTrain: { rounds, perClass, weight, used },
      temperature: base.meta.temperature ?? 1,
      createdAt: new Date().toISOString(),
      seconds,
    },
  };
  const predictor = new Predictor(meta, { kind: 'trees', forest, source: c.source });
  return { meta, predictor, session, used, seconds };
}

/** The weights to save for a self-trained bundle (the forest and the source it was refitted from). */
export function selfTrainedWeights(s: SelfTrained): ReturnType<typeof forestToTensors> {
  const c = s.predictor.classifier;
  if (c.kind !== 'trees') throw new Error('a self-trained model is a forest');
  return forestToTensors(c.forest, c.source);
}

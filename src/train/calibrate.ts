/**
 * Calibration: a base bundle plus a few labelled episodes per letter of the wearer's new session
 * (the "shots") → a personal bundle. Three steps, all recorded in the bundle:
 *  1. refit the session normalisation on the shots' frames (the new wearing's offsets and gains);
 *  2. adapt the classifier — per family, as measured by `signglove benchmark generalization`:
 *     - tree ensemble: refit the forest on the source features it carries plus the shots, weighted;
 *     - network: fine-tune all weights on the shots (with the wearing augmentation);
 *  3. fit a temperature on shots the adaptation did not see (cross-fitting over shot folds), so
 *     that the confidence on the new session means what it says.
 * Earlier calibrations of the same wearer (a profile) join as extra shots, each normalised with its
 * own session's statistics; the newest session's statistics become the bundle's default.
 */
import type { Episode } from '../data/types.js';
import { fitSessionStats, normalizeEpisode, type SessionStats } from '../data/session-norm.js';
import { createModel, type ArchConfig, type Model, type StateDict } from '../models/index.js';
import type { Kernels } from '../nn/kernels.js';
import { tsKernels } from '../nn/kernels-ts.js';
import { Predictor } from '../infer/core.js';
import { fitExtraTrees, predictExtraTrees, type ForestArrays } from '../trees/extra-trees.js';
import { forestFromTensors, forestToTensors, sourceForSession } from '../trees/forest-tensors.js';
import { postureCopies } from '../data/posture-shift.js';
import { summaryFeatures } from '../trees/features.js';
import { augmentFor, DEFAULT_AUGMENT } from './augment.js';
import { fitTemperature } from './temperature.js';
import { train, evaluateSet } from './trainer.js';
import { tensorSetOf, trainingWindows } from './session-data.js';
import type { BundleMeta, TreesArch } from '../bundle/types.js';

export interface CalibrateOptions {
  /** Weight of a shot relative to one source episode (tree refit). */
  shotWeight?: number;
  /** Fine-tuning epochs over the shots (networks). */
  epochs?: number;
  lr?: number;
  seed?: number;
  /** Fit a temperature on held-out shots (default true; needs ≥ 2 shots of some letter). */
  temperature?: boolean;
  /** Earlier sessions of the same wearer: labelled episodes, each list one wearing. */
  earlier?: Episode[][];
  /** Names of the calibration files, recorded in the bundle. */
  files?: string[];
  kernels?: Kernels;
  baseFile?: string;
}

export interface Calibrated {
  meta: BundleMeta;
  weights: StateDict;
  /** The personal model, ready to predict. */
  predictor: Predictor;
  session: SessionStats;
  temperature: number;
  seconds: number;
}

export const DEFAULT_SHOT_WEIGHT = 10;

/** Shots per class index, in order: fold f holds the f-th shot of every letter. */
function shotFolds(shots: readonly Episode[], folds: number): number[] {
  const seen = new Map<number, number>();
  return shots.map((e) => {
    const i = seen.get(e.label) ?? 0;
    seen.set(e.label, i + 1);
    return i % folds;
  });
}

export async function calibrateModel(base: Predictor, shots: readonly Episode[], opts: CalibrateOptions = {}): Promise<Calibrated> {
  const t0 = performance.now();
  const pipe = base.meta.preprocess.pipeline;
  if (!pipe) throw new Error(`model '${base.meta.name}' predates session normalisation: retrain it (signglove train) before calibrating`);
  if (shots.length === 0) throw new Error('calibration needs at least one labelled episode');
  const unlabelled = shots.find((e) => !(e.label >= 0 && e.label < base.info.classes.length));
  if (unlabelled) throw new Error(`${unlabelled.file}: calibration episodes need a letter (the <jamo>/ folder they are in)`);
  const frames = (eps: readonly Episode[]) => eps.map((e) => base.toFrames(e, e.file));
  const session = fitSessionStats(pipe, frames(shots));
  // earlier sessions: each normalised by its own statistics
  const earlier = (opts.earlier ?? []).filter((s) => s.length > 0).map((eps) => ({ eps, stats: fitSessionStats(pipe, frames(eps)) }));
  const norm = (eps: readonly Episode[], stats: SessionStats) =>
    frames(eps).map((f, i) => ({ ...eps[i]!, channels: pipe.inputs, data: normalizeEpisode(pipe, stats, f.data, f.length).data, length: f.length }));
  const shotSet = norm(shots, session);
  const extra = earlier.flatMap((s) => norm(s.eps, s.stats));
  const perClass = Math.max(...[...countBy(shots.map((e) => e.label)).values()]);
  const foldsN = Math.min(3, perClass);
  const foldOf = shotFolds(shots, Math.max(1, foldsN));
  const seed = opts.seed ?? 42;
  const K = base.info.classes.length;

  // adapt on a subset of the shots (all of them for the final model) → a probability function
  let adapt: (use: boolean[]) => Promise<{ probs: (eps: typeof shotSet) => Float32Array; weights: StateDict; arch: BundleMeta['arch']; method: string; without?: string }>;
  const c = base.classifier;
  if (c.kind === 'trees') {
    if (!c.source) throw new Error(`tree bundle '${base.meta.name}' carries no source features to refit on`);
    // a sensor broken in this session and working in training: refit on the variant without it
    const picked = sourceForSession(c.source, session.masked, (base.meta.preprocess.trainingSessions ?? []).map((s) => s.masked));
    const src = { ...c.source, x: picked.x };
    const arch = base.meta.arch as TreesArch;
    const w = opts.shotWeight ?? DEFAULT_SHOT_WEIGHT;
    const feats = (eps: typeof shotSet, masked: readonly string[]) => summaryFeatures(pipe.inputs, eps, masked);
    const F = arch.inputSize;
    // each shot with copies moved into the other posture variants by its letter's shift on the
    // training days: a few basic-posture holds then also stand for the other postures
    const shifts = base.meta.preprocess.postureShifts;
    const spread = (eps: typeof shotSet, masked: readonly string[]): Float32Array[] => eps.map((e) => {
      const copies = shifts ? postureCopies(shifts, pipe.inputs, e) : [];
      return feats([e, ...copies.map((data) => ({ ...e, data }))], masked);
    });
    const shotX = spread(shotSet, session.masked);
    const extraX = spread(extra, []);
    adapt = async (use) => {
      const parts = [...shotX.filter((_, i) => use[i]), ...extraX];
      const labels = [...shotSet.filter((_, i) => use[i]), ...extra].map((e) => e.label);
      const added = parts.reduce((n, p) => n + p.length / F, 0);
      const N = src.y.length + added;
      const X = new Float32Array(N * F);
      const y = new Int32Array(N);
      const wt = new Float32Array(N).fill(1);
      X.set(src.x);
      y.set(src.y);
      let at = src.y.length;
      parts.forEach((p, j) => {
        X.set(p, at * F);
        const rows = p.length / F;
        y.fill(labels[j]!, at, at + rows);
        wt.fill(w, at, at + rows);
        at += rows;
      });
      const forest: ForestArrays = fitExtraTrees(X, y, K, F, { trees: arch.trees, maxFeatures: arch.maxFeatures, minSamplesSplit: arch.minSamplesSplit, maxDepth: arch.maxDepth, seed }, wt);
      return {
        probs: (eps) => predictExtraTrees(forest, feats(eps, session.masked), eps.length),
        weights: forestToTensors(forest, c.source),
        arch,
        method: 'refit-forest',
        without: picked.channel,
      };
    };
  } else {
    const arch = base.meta.arch as ArchConfig;
    const baseState = c.model.stateDict();
    const kernels = opts.kernels ?? tsKernels;
    const { T, lengthMode } = base.meta.preprocess;
    adapt = async (use) => {
      const fit = [...shotSet.filter((_, i) => use[i]), ...extra];
      const model: Model = createModel(arch, { seed, kernels });
      model.loadStateDict(baseState);
      // as the base was trained: long shots as windows of T, no offset on gravity
      const set = tensorSetOf(base.meta.training?.windows ? trainingWindows(fit, T) : fit, T, lengthMode);
      await train(model, set, set, {
        epochs: opts.epochs ?? 20, patience: 1000, lr: opts.lr ?? 3e-4, batchSize: 16, seed, augment: augmentFor(DEFAULT_AUGMENT, pipe.inputs), workers: 1,
      });
      model.train(false);
      const weights = model.stateDict();
      return {
        probs: (eps) => evaluateSet(model, tensorSetOf(eps, T, lengthMode)).probs,
        weights,
        arch,
        method: 'fine-tune',
      };
    };
  }

  // temperature: probabilities of each shot from a model adapted without its fold
  let temperature = 1;
  if (opts.temperature !== false && foldsN >= 2) {
    const held = new Float32Array(shots.length * K);
    for (let f = 0; f < foldsN; f++) {
      const idx = foldOf.map((g, i) => (g === f ? i : -1)).filter((i) => i >= 0);
      const a = await adapt(foldOf.map((g) => g !== f));
      const p = a.probs(idx.map((i) => shotSet[i]!));
      idx.forEach((i, j) => held.set(p.subarray(j * K, (j + 1) * K), i * K));
    }
    // networks' probs are softmax(logits): log-probs scale like logits, so one form serves both
    temperature = fitTemperature(held, Int32Array.from(shots.map((e) => e.label)), shots.length, K);
  }
  const final = await adapt(shots.map(() => true));
  const seconds = (performance.now() - t0) / 1000;
  const meta: BundleMeta = {
    ...base.meta,
    name: `${base.meta.name}-personal`,
    arch: final.arch,
    preprocess: { ...base.meta.preprocess, session },
    temperature,
    calibration: {
      base: base.meta.name,
      baseFile: opts.baseFile,
      method: final.method,
      shotsPerClass: perClass,
      files: opts.files ?? shots.map((e) => e.file),
      shotWeight: c.kind === 'trees' ? (opts.shotWeight ?? DEFAULT_SHOT_WEIGHT) : undefined,
      ...(final.without ? { fittedWithout: [final.without] } : {}),
      temperature,
      createdAt: new Date().toISOString(),
      seconds,
    },
  };
  const predictor = c.kind === 'trees'
    ? new Predictor(meta, { kind: 'trees', ...forestFromTensors(final.weights, meta.arch.inputSize, meta.name) })
    : networkPredictor(meta, final.weights, opts.kernels);
  return { meta, weights: final.weights, predictor, session, temperature, seconds };
}

function networkPredictor(meta: BundleMeta, weights: StateDict, kernels?: Kernels): Predictor {
  const model = createModel(meta.arch as ArchConfig, { kernels });
  model.loadStateDict(weights);
  return new Predictor(meta, { kind: 'network', model });
}


function countBy(xs: number[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

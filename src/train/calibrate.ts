/**
 * Calibration: a base bundle plus a few labelled episodes per letter of the wearer's new session
 * (the "shots") → a personal bundle. Three steps, all recorded in the bundle:
 *  1. refit the session normalisation on the shots' frames (the new wearing's offsets and gains);
 *  2. adapt the classifier — per family, as measured by `signglove benchmark generalization`:
 *     - tree ensemble: refit the forest on the source features it carries plus the shots (each
 *       also moved into the other postures), weighted, and, when the shots cover every letter,
 *       join a forest of the shots alone;
 *     - network: fine-tune all weights on the shots (with the wearing augmentation);
 *  3. fit a temperature on examples the adaptation did not see (a forest: the shots moved into each
 *     posture by other letters' shifts, refitted without that posture's copies; a network: folds of
 *     the shots with their copies), so that the confidence on the new session means what it says.
 * Earlier calibrations of the same wearer (a profile) join as extra shots, each normalised with its
 * own session's statistics; the newest session's statistics become the bundle's default.
 */
import type { Episode } from '../data/types.js';
import { fitSessionStats, neverWorkingInputs, normalizeEpisode, type SessionStats } from '../data/session-norm.js';
import { createModel, type ArchConfig, type Model, type StateDict } from '../models/index.js';
import type { Kernels } from '../nn/kernels.js';
import { tsKernels } from '../nn/kernels-ts.js';
import { Predictor } from '../infer/core.js';
import { concatForests, fitExtraTrees, predictExtraTrees, type ForestArrays } from '../trees/extra-trees.js';
import { forestFromTensors, forestToTensors, sourceForSession, sourcePlusRows } from '../trees/forest-tensors.js';
import { letterShifts, postureCopies } from '../data/posture-shift.js';
import { shiftedFeatures, summaryFeatures } from '../trees/features.js';
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

  // adapt on a subset of the shots (and, for a forest, without the copies standing for one posture)
  let adapt: (use: boolean[], leaveOut?: string) => Promise<{
    probs: (eps: typeof shotSet) => Float32Array; weights: StateDict; arch: BundleMeta['arch']; method: string; without?: string;
    probsOfFeatures?: (x: Float32Array) => Float32Array;
  }>;
  // held-out probabilities for the temperature, when the family has a better way than shot folds
  let postureHeldOut: (() => Promise<{ probs: Float32Array; labels: number[] }>) | undefined;
  const c = base.classifier;
  if (c.kind === 'trees') {
    if (!c.source) throw new Error(`tree bundle '${base.meta.name}' carries no source features to refit on`);
    // a sensor broken in this session and working in training: refit on the variant without it
    const trainingMasked = (base.meta.preprocess.trainingSessions ?? []).map((s) => s.masked);
    const picked = sourceForSession(c.source, session.masked, trainingMasked);
    const newSensors = neverWorkingInputs(pipe.inputs, trainingMasked).filter((ch) => !session.masked.includes(ch));
    const src = { ...c.source, x: picked.x };
    const arch = base.meta.arch as TreesArch;
    const w = opts.shotWeight ?? DEFAULT_SHOT_WEIGHT;
    const feats = (eps: typeof shotSet, masked: readonly string[]) => summaryFeatures(pipe.inputs, eps, masked);
    const F = arch.inputSize;
    // each shot with copies moved into the other posture variants by its letter's shift on the
    // training days: a few basic-posture holds then also stand for the other postures (a sensor no
    // training day had working moves as its neighbouring fingers do)
    const shifts = base.meta.preprocess.postureShifts;
    const spread = (eps: typeof shotSet, masked: readonly string[]): { x: Float32Array; postures: (string | null)[] }[] => eps.map((e) => {
      const copies = shifts ? postureCopies(shifts, pipe.inputs, e, newSensors) : [];
      return { x: feats([e, ...copies.map((c) => ({ ...e, data: c.data }))], masked), postures: [null, ...copies.map((c) => c.posture)] };
    });
    const shotX = spread(shotSet, session.masked);
    const extraX = spread(extra, []);
    adapt = async (use, leaveOut) => {
      const rows: { x: Float32Array; label: number }[] = [];
      const add = (r: { x: Float32Array; postures: (string | null)[] }, label: number) =>
        r.postures.forEach((p, i) => {
          if (p !== leaveOut) rows.push({ x: r.x.subarray(i * F, (i + 1) * F), label });
        });
      shotX.forEach((r, i) => use[i] && add(r, shotSet[i]!.label));
      extraX.forEach((r, i) => add(r, extra[i]!.label));
      const { X, y, w: wt } = sourcePlusRows(src.x, src.y, rows, w, F);
      const treeOpts = { trees: arch.trees, maxFeatures: arch.maxFeatures, minSamplesSplit: arch.minSamplesSplit, maxDepth: arch.maxDepth };
      const joint: ForestArrays = fitExtraTrees(X, y, K, F, { ...treeOpts, seed }, wt);
      // with every letter among the wearer's rows, a second forest on those rows alone, averaged
      // with the joint one (one forest of both's trees): the source rows outnumber the wearer's and
      // outvote what only this wearing shows (a letter signed its own way). Not when this wearing
      // has a sensor working that no training day had: its posture copies move it only as its
      // neighbours move, and a forest of the wearer's rows alone leant on it and lost 3–5 points.
      const wearerRows = X.subarray(src.y.length * F);
      const wearerLabels = y.subarray(src.y.length);
      const own = new Set(wearerLabels).size === K && newSensors.length === 0
        ? fitExtraTrees(wearerRows, wearerLabels, K, F, { ...treeOpts, seed: seed + 1 })
        : null;
      const forest = own ? concatForests(joint, own) : joint;
      return {
        probs: (eps) => predictExtraTrees(forest, feats(eps, session.masked), eps.length),
        probsOfFeatures: (x: Float32Array) => predictExtraTrees(forest, x, x.length / F),
        weights: forestToTensors(forest, c.source),
        arch,
        method: own ? 'refit-forest + wearer forest' : 'refit-forest',
        without: picked.channel,
      };
    };
    // the temperature's examples: each shot moved into each other posture by every other letter's
    // shift there, predicted by a forest fitted without that posture's copies. How a letter shifts
    // on the new day is not how it shifted on the training days; its own shift made copies the
    // forest read right nearly always, and from 2025-08-19 to 2025-10-01 a temperature of 0.08
    // (ECE 0.18). Other letters' shifts are shifts of the size and kind postures make. Works from
    // one shot per letter.
    const postures = shifts?.postures ?? [];
    if (shifts && postures.length > 0) {
      postureHeldOut = async () => {
        const shiftCols = shifts.channels.map((ch) => pipe.inputs.indexOf(ch));
        const tempX = shotSet.map((e, i) => {
          const own = shotX[i]!.x.subarray(0, F);
          const rows = Array.from({ length: K }, (_, other) => other)
            .filter((other) => other !== e.label)
            .flatMap((other) => letterShifts(shifts, other, newSensors))
            .map(({ posture, shift }) => {
              const perInput = new Array<number>(pipe.inputs.length).fill(0);
              shiftCols.forEach((col, k) => col >= 0 && (perInput[col] = shift[k]!));
              return { posture, x: shiftedFeatures(pipe.inputs, own, perInput, session.masked) };
            });
          const x = new Float32Array(rows.length * F);
          rows.forEach((r, j) => x.set(r.x, j * F));
          return { x, postures: rows.map((r) => r.posture) };
        });
        const parts: Float32Array[] = [];
        const labels: number[] = [];
        for (const p of postures) {
          const a = await adapt(shotSet.map(() => true), p);
          const rows: Float32Array[] = [];
          tempX.forEach((r, i) => r.postures.forEach((q, j) => {
            if (q !== p) return;
            rows.push(r.x.subarray(j * F, (j + 1) * F));
            labels.push(shotSet[i]!.label);
          }));
          const x = new Float32Array(rows.length * F);
          rows.forEach((r, j) => x.set(r, j * F));
          parts.push(a.probsOfFeatures!(x));
        }
        const probs = new Float32Array(labels.length * K);
        parts.reduce((at, q) => (probs.set(q, at), at + q.length), 0);
        return { probs, labels };
      };
    }
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

  // temperature: probabilities the model gives examples it was not adapted on. A forest: the shots
  // moved by other letters' posture shifts, without that posture's copies in the fit (works from
  // one shot per letter). A network: each fold of shots, with their posture copies, from a model
  // fine-tuned on the others.
  // Held-out basic-posture shots alone look easier than what the wearer signs next (the other
  // postures) and gave a temperature that was too sharp.
  let temperature = 1;
  if (opts.temperature !== false && (postureHeldOut || foldsN >= 2)) {
    let held: { probs: Float32Array; labels: number[] };
    if (postureHeldOut) held = await postureHeldOut();
    else {
      const shifts = base.meta.preprocess.postureShifts;
      const parts: Float32Array[] = [];
      const labels: number[] = [];
      for (let f = 0; f < foldsN; f++) {
        const out = foldOf.map((g, i) => (g === f ? i : -1)).filter((i) => i >= 0).map((i) => shotSet[i]!);
        const evalSet = out.flatMap((e) => [e, ...(shifts ? postureCopies(shifts, pipe.inputs, e).map((c) => ({ ...e, data: c.data })) : [])]);
        const a = await adapt(foldOf.map((g) => g !== f));
        parts.push(a.probs(evalSet));
        labels.push(...evalSet.map((e) => e.label));
      }
      const probs = new Float32Array(labels.length * K);
      parts.reduce((at, q) => (probs.set(q, at), at + q.length), 0);
      held = { probs, labels };
    }
    // networks' probs are softmax(logits): log-probs scale like logits, so one form serves both
    temperature = fitTemperature(held.probs, Int32Array.from(held.labels), held.labels.length, K);
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

/**
 * `signglove train` as a library call: load a dataset, split it, fit the scaler on the training
 * part only, train, test on the episodes the model never saw, and save a self-describing bundle
 * with its model card, per-epoch metrics and training curves.
 */
import path from 'node:path';
import { appendFileSync, writeFileSync } from 'node:fs';
import {
  DatasetError, loadDataset, datasetRootOfFile, makeBatch, randomSplit, formatSplitCounts, kFoldSplits, leaveOnePostureOut, directorySplit, Scaler,
  DEFAULT_T, DEFAULT_PAD_VALUE, DEFAULT_SPLIT_SEED, type Episode, type LengthMode, type Split, type LoadedDataset,
} from '../data/index.js';
import { defaultPipeline, orientTrainingSessions, poolSessionStats, PIPELINE_INPUTS, PIPELINE_RAW, type SessionStats } from '../data/session-norm.js';
import { fitExtraTrees, predictExtraTrees, DEFAULT_EXTRA_TREES, type ExtraTreesOptions } from '../trees/extra-trees.js';
import { isFlexChannel } from '../data/sensor-faults.js';
import { fitPostureShifts } from '../data/posture-shift.js';
import { forestToTensors } from '../trees/forest-tensors.js';
import { augmentFor, DEFAULT_AUGMENT } from './augment.js';
import { fitTemperature } from './temperature.js';
import { applyTemperature } from '../infer/core.js';
import { featuresOf, fitWearingStats, normalizeByWearing, tensorSetOf, trainingWindows } from './session-data.js';
import type { StateDict } from '../models/types.js';
import { createModel, defaultConfig, type ArchConfig, type Model } from '../models/index.js';
import { modelArch, modelNameOf, TREES_ARCH } from '../models/names.js';
import { JAMO } from '../jamo.js';
import type { Kernels } from '../nn/kernels.js';
import { tsKernels } from '../nn/kernels-ts.js';
import { computeMetrics, type EvaluationResult } from '../eval/metrics.js';
import { writeTrainingCharts } from '../eval/report.js';
import { writeFileAtomic } from '../eval/atomic-write.js';
import { train, evaluateSet, DEFAULT_TRAIN_OPTIONS, type TensorSet, type TrainOptions, type TrainResult } from './trainer.js';
import { saveBundle } from '../bundle/file.js';
import { modelCard } from '../bundle/card.js';
import type { BundleMeta, EpochRecord, PreprocessConfig, TreesArch } from '../bundle/types.js';
import { cardWithRunId, checkWritableDir, newRunId, removeStaleTemporaries, RunOutput } from './run-output.js';
import { escapeControls } from '../util/escape-controls.js';

/** 'posture' leaves one posture-variant folder out ('loso' is its former name). */
export type SplitKind = 'random' | 'posture' | 'loso' | 'kfold' | 'dirs';

/**
 * How glove frames become network input: 'session' (the default) removes sensor faults, drops
 * yaw and standardises every channel by its own wearing's statistics (src/data/session-norm.ts);
 * 'legacy' is the reference's one scaler fitted on the training split (bundles made before).
 */
export type InputMode = 'session' | 'legacy';

export interface TrainJob {
  /** The model to train, in any accepted spelling (src/models/names.ts): gru, cnn_gru, extra_trees (the tree ensemble on summary features), or the older GRU, CNNGRU, ExtraTrees. */
  arch: string;
  /** Dataset root(s) to train on (and, for random/posture/kfold, to test on); each root is one wearing. */
  data: string | string[];
  /** For split 'dirs': the folders to test on (e.g. another recording day). */
  testData?: string | string[];
  split: SplitKind;
  /** random: train/val/test ratios. */
  ratios?: [number, number, number];
  folds?: number;
  /** Seed for the split. */
  splitSeed?: number;
  /** Raw channels to read (legacy input: the network's channels). */
  channels?: string[];
  /** Input mode (default 'session'). */
  input?: InputMode;
  /** Session input: the channels the network sees (default flex1..5, pitch, roll). */
  inputs?: string[];
  T?: number;
  lengthMode?: LengthMode;
  /** Session networks: a training episode longer than T becomes several windows of T (default true). */
  windows?: boolean;
  padValue?: number;
  /** Architecture overrides (hidden, layers, filters, …). */
  archOverrides?: Partial<ArchConfig>;
  /** Tree-ensemble settings (arch ExtraTrees). */
  trees?: Partial<ExtraTreesOptions>;
  train?: Partial<TrainOptions>;
  outDir: string;
  /** Bundle file name (without .safetensors); default: the architecture in snake_case. */
  name?: string;
  /** Command line that produced the run, recorded in the bundle. */
  command?: string;
  /** Skip writing training-curve charts (faster tests). */
  charts?: boolean;
  log?: (line: string) => void;
  onBatch?: TrainOptions['onBatch'];
  onEpoch?: (fold: string, r: EpochRecord, improved: boolean) => void;
  /** Called once the data is split, with the number of folds to train (for a whole-run ETA). */
  onPlan?: (folds: number) => void;
  signal?: AbortSignal;
  /** Numeric backend (default: the plain TypeScript kernels). */
  kernels?: Kernels;
}

export interface FoldResult {
  split: string;
  bundle: string;
  meta: BundleMeta;
  test: EvaluationResult;
  epochs: number;
  trainSeconds: number;
}

export interface TrainJobResult {
  folds: FoldResult[];
  /** Mean test accuracy over folds (one fold for random/dirs). */
  meanAccuracy: number;
  interrupted: boolean;
}

/** snake_case file name of an architecture: MSStackedGRU → ms_stacked_gru. */
export function archFileName(arch: string): string {
  return arch
    .replace(/^MS/, 'Ms')
    .replace(/^CNN/, 'Cnn')
    .replace(/GRU|LSTM/g, (m) => m[0] + m.slice(1).toLowerCase())
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

function toSet(b: { x: Float32Array; mask: Uint8Array; labels: Int32Array; N: number; T: number; C: number }): TensorSet {
  return { x: b.x, mask: b.mask, labels: b.labels, N: b.N, T: b.T, C: b.C };
}

function medianLength(episodes: readonly Episode[]): number {
  const lengths = episodes.map((e) => e.length).sort((a, b) => a - b);
  return lengths[Math.floor(lengths.length / 2)] ?? 0;
}

/** The name a model records for its training data: the dataset roots' folder names, joined by '+'. */
export function datasetName(data: string | string[]): string {
  const list = Array.isArray(data) ? data : [data];
  return list.map((d) => path.basename(path.resolve(d))).join('+');
}

/**
 * Loads datasets and tags every episode with its wearing: the folder name of the dataset root it
 * lies in (one recording day). Several roots are named relative to their common folder, so their
 * files read `<day>/<jamo>/<variant>/<file>`; jamo or variant folders of one day stay one wearing.
 */
export async function loadWearings(data: string | string[], channels?: readonly string[], opts: { minLength?: number; maxLength?: number } = {}): Promise<LoadedDataset> {
  const loaded = await loadDataset(data, { channels, ...opts });
  for (const e of loaded.episodes) if (e.path) e.wearing = path.basename(datasetRootOfFile(e.path)).normalize('NFC');
  return loaded;
}

/** Identity scaler over the raw channels: pipeline bundles standardise per session instead. */
function identityScaler(channels: readonly string[]): { mean: number[]; std: number[] } {
  return { mean: channels.map(() => 0), std: channels.map(() => 1) };
}

/**
 * A base model's temperature from its validation part, bounded below. Validation episodes come
 * from the training wearings, where the model is at its best: sharpening freely on them would make
 * it sure of itself on a new day, where it is wrong most often (calibration fits a free temperature
 * on the new wearing itself). A network's softmax may only be softened (≥ 1); a forest's averaged
 * votes are soft by construction (a few random trees that confuse two letters spread the mass), so
 * it may be sharpened down to 0.5 (votes squared), enough for the live recogniser's threshold.
 */
function baseTemperature(valProbs: Float32Array, labels: Int32Array, floor: number): number {
  return Math.max(floor, fitTemperature(valProbs, labels, labels.length, JAMO.length));
}

export async function runTrainJob(job: TrainJob): Promise<TrainJobResult> {
  const log = job.log ?? ((l: string) => process.stderr.write(escapeControls(`${l}\n`)));
  checkWritableDir(job.outDir); // before the long work, not after it
  for (const stale of removeStaleTemporaries(job.outDir)) log(`removed ${stale}, left by a killed run`);
  const runId = newRunId();
  const input: InputMode = job.input ?? 'session';
  const pipe = input === 'session' ? defaultPipeline(job.inputs ?? PIPELINE_INPUTS, job.channels ?? PIPELINE_RAW) : null;
  const arch0 = modelArch(job.arch); // any spelling: cnn_gru, CNNGRU, ExtraTrees, …
  const isTrees = arch0 === TREES_ARCH;
  if (isTrees && !pipe) throw new Error('the tree ensemble needs the session input pipeline (input: session)');
  const loaded = await loadWearings(job.data, pipe ? pipe.raw : job.channels);
  for (const p of loaded.problems) log(`skipped ${p.file}${p.row ? `:${p.row}` : ''}: ${p.reason}`);
  if (loaded.episodes.length === 0) throw new DatasetError(`no usable episodes in ${String(job.data)}${loaded.problems.length ? ` (${loaded.problems.length} file(s) skipped, see above)` : ''}`);
  let episodes: Episode[] = loaded.episodes;
  const seed = job.train?.seed ?? DEFAULT_TRAIN_OPTIONS.seed;
  const splitSeed = job.splitSeed ?? DEFAULT_SPLIT_SEED;
  let splits: Split[];
  let testName = datasetName(job.data);
  const splitKind: SplitKind = job.split === 'loso' ? 'posture' : job.split;
  switch (splitKind) {
    case 'random':
      splits = [randomSplit(episodes, { ratios: job.ratios, seed: splitSeed })];
      break;
    case 'posture':
      splits = leaveOnePostureOut(episodes, { seed: splitSeed });
      break;
    case 'kfold':
      splits = kFoldSplits(episodes, job.folds ?? 5, splitSeed);
      break;
    case 'dirs': {
      if (!job.testData) throw new Error("split 'dirs' needs --test-data DIR (the folders to test on)");
      const other = await loadWearings(job.testData, loaded.channels);
      for (const p of other.problems) log(`skipped ${p.file}${p.row ? `:${p.row}` : ''}: ${p.reason}`);
      const s = directorySplit(episodes, other.episodes, { seed: splitSeed });
      episodes = s.episodes;
      splits = [s];
      testName = datasetName(job.testData);
      break;
    }
    default:
      throw new Error(`unknown split '${String(job.split)}'; use random, posture, kfold or dirs`);
  }

  for (const sp of splits) {
    if (sp.train.length === 0 || sp.val.length === 0 || sp.test.length === 0) {
      throw new DatasetError(
        `dataset too small to split: ${episodes.length} episodes give ${sp.train.length} train / ${sp.val.length} validation / ` +
          `${sp.test.length} test${splits.length > 1 ? ` in split ${sp.name}` : ''}; every part needs at least one episode`,
      );
    }
  }

  job.onPlan?.(splits.length);
  const kernels = job.kernels ?? tsKernels;
  const T = job.T ?? DEFAULT_T;
  const lengthMode = job.lengthMode ?? 'pad';
  const padValue = pipe ? 0 : (job.padValue ?? DEFAULT_PAD_VALUE);
  const baseName = job.name ?? (isTrees ? 'extra_trees' : modelNameOf(arch0));
  const folds: FoldResult[] = [];
  let interrupted = false;

  for (const split of splits) {
    const multi = splits.length > 1;
    const name = multi ? `${baseName}-${split.name.replace(/[^A-Za-z0-9_-]+/g, '_')}` : baseName;
    const pick = (idx: number[]) => idx.map((i) => episodes[i]!);
    const trainEps = pick(split.train);
    const valEps = pick(split.val);
    const testEps = pick(split.test);

    // Network input. Session pipeline: each wearing's statistics come from its training episodes;
    // a wearing with none there (the other day of split dirs) is read with its own unlabelled frames.
    let prepared: { train: Episode[]; val: Episode[]; test: Episode[] };
    let preprocess: PreprocessConfig;
    let wearingStats: Map<string, SessionStats> | null = null;
    let legacyScaler: Scaler | undefined;
    let splitPipe = pipe;
    if (pipe) {
      wearingStats = fitWearingStats(pipe, trainEps);
      const trainingSessions = [...wearingStats.values()];
      // the training wearings fix the model's orientation frame; every other wearing is turned into it
      splitPipe = orientTrainingSessions(pipe, trainingSessions);
      for (const [w, st] of fitWearingStats(splitPipe, [...valEps, ...testEps])) if (!wearingStats.has(w)) wearingStats.set(w, st);
      for (const [w, st] of wearingStats) if (st.masked.length) log(`${w || 'data'}: ${st.masked.join(', ')} faulty in most episodes: masked for this wearing`);
      prepared = {
        train: normalizeByWearing(splitPipe, wearingStats, trainEps),
        val: normalizeByWearing(splitPipe, wearingStats, valEps),
        test: normalizeByWearing(splitPipe, wearingStats, testEps),
      };
      preprocess = {
        channels: splitPipe.raw, T, lengthMode, padValue, scaler: identityScaler(splitPipe.raw), typicalLength: medianLength(trainEps),
        pipeline: splitPipe, session: poolSessionStats(trainingSessions), trainingSessions,
      };
      const shifts = fitPostureShifts(splitPipe.inputs, prepared.train, JAMO.length);
      if (shifts) preprocess.postureShifts = shifts;
    } else {
      // the reference's one scaler, fitted on the training split; it pads in raw units before scaling
      legacyScaler = Scaler.fit(trainEps);
      prepared = { train: trainEps, val: valEps, test: testEps };
      preprocess = {
        channels: loaded.channels, T, lengthMode, padValue,
        scaler: { mean: [...legacyScaler.mean], std: [...legacyScaler.std] }, typicalLength: medianLength(trainEps),
      };
    }
    const setOf = (eps: Episode[]): TensorSet => pipe
      ? tensorSetOf(eps, T, lengthMode)
      : toSet(makeBatch(eps, { T, mode: lengthMode, padValue, scaler: legacyScaler }));
    const C = pipe ? pipe.inputs.length : loaded.channels.length;
    log(`${name}: split ${split.name}: ${split.train.length} train / ${split.val.length} val / ${split.test.length} test; per class:`);
    log(formatSplitCounts(split));

    // Everything of this fold goes to a staging folder, moved into place only when complete.
    const run = new RunOutput(job.outDir, name, runId);
    try {
    let weights: StateDict;
    let testProbs: Float32Array;
    let arch: ArchConfig | TreesArch;
    let params: number;
    let result: TrainResult;
    const o = { ...DEFAULT_TRAIN_OPTIONS, ...(pipe ? { augment: DEFAULT_AUGMENT } : {}), ...job.train };
    // session inputs: the wearing shift (offset, gain) applies to the standardised channels only
    // (the older single-number drift form stays as it was asked for)
    if (pipe && !isTrees && typeof o.augment === 'object') o.augment = augmentFor(o.augment, pipe.inputs);
    let temperature = 1;
    const valLabels = Int32Array.from(valEps.map((e) => e.label));
    if (isTrees) {
      const t0 = performance.now();
      const topts = { ...DEFAULT_EXTRA_TREES, seed, ...job.trees };
      const feats = (eps: Episode[]) => featuresOf(splitPipe!, wearingStats!, eps);
      const labels = (eps: Episode[]) => Int32Array.from(eps.map((e) => e.label));
      const trainX = feats(prepared.train);
      const F = trainX.length / Math.max(1, prepared.train.length);
      // the temperature comes from the validation part, which the first forest did not see;
      // the shipped forest is then refitted on training + validation with it
      if (prepared.val.length > 0) {
        const first = fitExtraTrees(trainX, labels(prepared.train), JAMO.length, F, topts);
        temperature = baseTemperature(predictExtraTrees(first, feats(prepared.val), prepared.val.length), valLabels, 0.5);
      }
      const fitSet = [...prepared.train, ...prepared.val];
      const x = feats(fitSet);
      const y = labels(fitSet);
      const forest = fitExtraTrees(x, y, JAMO.length, F, topts);
      testProbs = applyTemperature(predictExtraTrees(forest, feats(prepared.test), prepared.test.length), prepared.test.length, JAMO.length, temperature, true);
      // the same episodes with each flex input masked in turn, for a session whose sensor is broken
      const without: Record<string, Float32Array> = {};
      for (const ch of splitPipe!.inputs.filter(isFlexChannel)) {
        const extraMask = new Map([...wearingStats!].map(([w, st]) => [w, { ...st, masked: [...new Set([...st.masked, ch])] }]));
        without[ch] = featuresOf(splitPipe!, extraMask, fitSet);
      }
      weights = forestToTensors(forest, { x, y, without });
      arch = { arch: 'ExtraTrees', trees: topts.trees, maxFeatures: topts.maxFeatures, minSamplesSplit: topts.minSamplesSplit, maxDepth: topts.maxDepth, seed: topts.seed, inputSize: F, numClasses: JAMO.length };
      params = forest.feature.length;
      result = { history: [], bestEpoch: 0, bestValLoss: NaN, stoppedBy: 'max-epochs', seconds: (performance.now() - t0) / 1000 };
      log(`${name}: ExtraTrees, ${topts.trees} trees, ${params.toLocaleString('en')} nodes on ${F} features of ${fitSet.length} episodes; temperature ${temperature.toFixed(2)}`);
    } else {
      // a hold longer than T (2025-08-19: 300 frames) trains as several windows of T, not only its first T frames
      const windows = pipe !== null && lengthMode !== 'resample' && job.windows !== false;
      const trainSet = setOf(windows ? trainingWindows(prepared.train, T) : prepared.train);
      const valSet = setOf(prepared.val);
      const testSet = setOf(prepared.test);
      const netArch: ArchConfig = { ...defaultConfig(arch0, C, JAMO.length), ...job.archOverrides };
      arch = netArch;
      const model: Model = createModel(netArch, { seed, kernels });
      params = model.parameters().reduce((n, p) => n + p.data.length, 0);
      log(`${name}: ${netArch.arch}, ${params.toLocaleString('en')} parameters; ${o.workers === 1 ? 'one thread' : `${o.workers} worker threads`}`);
      const metricsFile = run.file(`${name}.metrics.jsonl`);
      writeFileSync(metricsFile, '');
      try {
      result = await train(model, trainSet, valSet, {
        ...o,
        // worker replicas use the same kind of kernels as the main model
        workerBackend: kernels.name === 'ts' ? 'ts' : 'wasm',
        seed,
        signal: job.signal,
        onBatch: job.onBatch,
        onEpoch: (r, improved) => {
          // one JSON line per epoch, written as it happens, so a crash keeps the record so far
          appendFileSync(metricsFile, `${JSON.stringify({ ...r, workers: o.workers, runId })}\n`);
          job.onEpoch?.(split.name, r, improved);
        },
      });
      if (pipe && valSet.N > 0) {
        // session-pipeline bundles carry a temperature fitted on the validation part
        temperature = baseTemperature(evaluateSet(model, valSet).probs, valSet.labels, 1);
      }
      testProbs = applyTemperature(evaluateSet(model, testSet).probs, testSet.N, JAMO.length, temperature, true);
      weights = model.stateDict();
      } finally {
        model.dispose(); // the next fold's model reuses the arena
      }
    }
    if (result.stoppedBy === 'interrupted') interrupted = true;

    const metrics = computeMetrics({ labels: Int32Array.from(testEps.map((e) => e.label)), probs: testProbs, classes: [...JAMO], files: testEps.map((e) => e.file) });
    const meta: BundleMeta = {
      format: 'signglove-bundle',
      version: 1,
      name,
      arch,
      preprocess,
      classes: [...JAMO],
      ...(temperature !== 1 ? { temperature } : {}),
      training: {
        epochs: result.history.length,
        bestEpoch: result.bestEpoch,
        stoppedBy: result.stoppedBy,
        trainSeconds: result.seconds,
        params,
        seed,
        batchSize: o.batchSize,
        lr: o.lr,
        weightDecay: o.weightDecay,
        augment: isTrees ? undefined : (typeof o.augment === 'number' ? o.augment || undefined : o.augment),
        ...(!isTrees && pipe && lengthMode !== 'resample' && job.windows !== false ? { windows: true } : {}),
        // the thread count changes the weights (per-slice BatchNorm statistics, dropout streams): recorded for reproducibility
        workers: isTrees ? undefined : o.workers,
        testAccuracy: metrics.top1,
        testTop5: metrics.top5,
        testMacroF1: metrics.macroF1,
        testN: metrics.n,
      },
      history: result.history,
      provenance: {
        dataset: splitKind === 'dirs' ? `${datasetName(job.data)} → ${testName}` : testName,
        episodes: episodes.length,
        skipped: loaded.problems.length,
        split: {
          kind: splitKind,
          seed: splitSeed,
          ratios: splitKind === 'random' ? [...(job.ratios ?? [0.6, 0.2, 0.2])] : undefined,
          heldOut: splitKind === 'posture' ? split.name : undefined,
          train: split.train.length,
          val: split.val.length,
          test: split.test.length,
        },
        testFiles: splitKind === 'dirs' ? [] : testEps.map((e) => e.file),
        command: job.command,
        createdAt: new Date().toISOString(),
        engine: isTrees ? 'extra-trees' : kernels.name,
        runId,
      },
    };
    const bundle = path.join(job.outDir, `${name}.safetensors`);
    if (job.charts !== false && result.history.length > 0) {
      await writeTrainingCharts(result.history, run.file(`${name}-curves`), { bestEpoch: result.bestEpoch });
    }
    writeFileAtomic(run.file(`${name}.md`), cardWithRunId(modelCard(meta), runId));
    saveBundle(run.file(`${name}.safetensors`), weights, meta);
    run.finalize();
    log(`${name}: test accuracy ${(metrics.top1 * 100).toFixed(2)}% (top-5 ${(metrics.top5 * 100).toFixed(2)}%, ` +
      `macro-F1 ${(metrics.macroF1 * 100).toFixed(2)}%) on ${metrics.n} episodes; ` +
      (isTrees ? `fitted in ${result.seconds.toFixed(1)} s` : `${result.history.length} epochs (best ${result.bestEpoch}, ${result.stoppedBy}) in ${result.seconds.toFixed(1)} s`) +
      ` → ${bundle}`);
    folds.push({ split: split.name, bundle, meta, test: metrics, epochs: result.history.length, trainSeconds: result.seconds });
    } catch (err) {
      run.discard();
      throw err;
    }
    if (interrupted) break;
  }
  const meanAccuracy = folds.reduce((s, f) => s + f.test.top1, 0) / Math.max(1, folds.length);
  if (folds.length > 1) {
    const summary = { arch: arch0, split: splitKind, folds: folds.map((f) => ({ split: f.split, accuracy: f.test.top1, macroF1: f.test.macroF1, epochs: f.epochs })), meanAccuracy };
    writeFileAtomic(path.join(job.outDir, `${baseName}-${splitKind}-summary.json`), `${JSON.stringify(summary, null, 2)}\n`);
    log(`${baseName} ${splitKind}: mean test accuracy ${(meanAccuracy * 100).toFixed(2)}% over ${folds.length} folds`);
  }
  return { folds, meanAccuracy, interrupted };
}

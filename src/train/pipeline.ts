/**
 * `signglove train` as a library call: load a dataset, split it, fit the scaler on the training
 * part only, train, test on the episodes the model never saw, and save a self-describing bundle
 * with its model card, per-epoch metrics and training curves.
 */
import path from 'node:path';
import { appendFileSync, writeFileSync } from 'node:fs';
import {
  DatasetError, loadDataset, makeBatch, randomSplit, formatSplitCounts, kFoldSplits, leaveOneSessionOut, directorySplit, Scaler,
  DEFAULT_T, DEFAULT_PAD_VALUE, DEFAULT_SPLIT_SEED, type Episode, type LengthMode, type Split,
} from '../data/index.js';
import { createModel, defaultConfig, type ArchConfig, type Model } from '../models/index.js';
import { JAMO } from '../jamo.js';
import type { Kernels } from '../nn/kernels.js';
import { tsKernels } from '../nn/kernels-ts.js';
import { computeMetrics, type EvaluationResult } from '../eval/metrics.js';
import { writeTrainingCharts } from '../eval/report.js';
import { writeFileAtomic } from '../eval/atomic-write.js';
import { train, evaluateSet, DEFAULT_TRAIN_OPTIONS, type TensorSet, type TrainOptions } from './trainer.js';
import { saveBundle, modelCard } from './bundle.js';
import type { BundleMeta, EpochRecord, PreprocessConfig } from './bundle-types.js';
import { cardWithRunId, checkWritableDir, newRunId, removeStaleTemporaries, RunOutput } from './run-output.js';
import { escapeControls } from '../util/escape-controls.js';

export type SplitKind = 'random' | 'loso' | 'kfold' | 'dirs';

export interface TrainJob {
  arch: string;
  /** Dataset root(s) to train on (and, for random/loso/kfold, to test on). */
  data: string | string[];
  /** For split 'dirs': the folders to test on (e.g. another recording day). */
  testData?: string | string[];
  split: SplitKind;
  /** random: train/val/test ratios. */
  ratios?: [number, number, number];
  folds?: number;
  /** Seed for the split. */
  splitSeed?: number;
  channels?: string[];
  T?: number;
  lengthMode?: LengthMode;
  padValue?: number;
  /** Architecture overrides (hidden, layers, filters, …). */
  archOverrides?: Partial<ArchConfig>;
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

function datasetName(data: string | string[]): string {
  const list = Array.isArray(data) ? data : [data];
  return list.map((d) => path.basename(path.resolve(d))).join('+');
}

export async function runTrainJob(job: TrainJob): Promise<TrainJobResult> {
  const log = job.log ?? ((l: string) => process.stderr.write(escapeControls(`${l}\n`)));
  const channels = job.channels;
  checkWritableDir(job.outDir); // before the long work, not after it
  for (const stale of removeStaleTemporaries(job.outDir)) log(`removed ${stale}, left by a killed run`);
  const runId = newRunId();
  const loaded = await loadDataset(job.data, { channels });
  for (const p of loaded.problems) log(`skipped ${p.file}${p.row ? `:${p.row}` : ''}: ${p.reason}`);
  if (loaded.episodes.length === 0) throw new DatasetError(`no usable episodes in ${String(job.data)}${loaded.problems.length ? ` (${loaded.problems.length} file(s) skipped, see above)` : ''}`);
  let episodes: Episode[] = loaded.episodes;
  const seed = job.train?.seed ?? DEFAULT_TRAIN_OPTIONS.seed;
  const splitSeed = job.splitSeed ?? DEFAULT_SPLIT_SEED;
  let splits: Split[];
  let testName = datasetName(job.data);
  switch (job.split) {
    case 'random':
      splits = [randomSplit(episodes, { ratios: job.ratios, seed: splitSeed })];
      break;
    case 'loso':
      splits = leaveOneSessionOut(episodes, { seed: splitSeed });
      break;
    case 'kfold':
      splits = kFoldSplits(episodes, job.folds ?? 5, splitSeed);
      break;
    case 'dirs': {
      if (!job.testData) throw new Error("split 'dirs' needs --test-data DIR (the folders to test on)");
      const other = await loadDataset(job.testData, { channels: loaded.channels });
      for (const p of other.problems) log(`skipped ${p.file}${p.row ? `:${p.row}` : ''}: ${p.reason}`);
      const s = directorySplit(episodes, other.episodes, { seed: splitSeed });
      episodes = s.episodes;
      splits = [s];
      testName = datasetName(job.testData);
      break;
    }
    default:
      throw new Error(`unknown split '${String(job.split)}'; use random, loso, kfold or dirs`);
  }

  for (const sp of splits) {
    if (sp.train.length === 0 || sp.val.length === 0 || sp.test.length === 0) {
      throw new DatasetError(
        `dataset too small to split: ${episodes.length} episodes give ${sp.train.length} train / ${sp.val.length} validation / ` +
          `${sp.test.length} test${splits.length > 1 ? ` in split ${sp.name}` : ''}; every part needs at least one episode`,
      );
    }
  }

  const kernels = job.kernels ?? tsKernels;
  const T = job.T ?? DEFAULT_T;
  const lengthMode = job.lengthMode ?? 'pad';
  const padValue = job.padValue ?? DEFAULT_PAD_VALUE;
  const baseName = job.name ?? archFileName(defaultConfig(job.arch).arch);
  const folds: FoldResult[] = [];
  let interrupted = false;

  for (const split of splits) {
    const multi = splits.length > 1;
    const name = multi ? `${baseName}-${split.name.replace(/[^A-Za-z0-9_-]+/g, '_')}` : baseName;
    const pick = (idx: number[]) => idx.map((i) => episodes[i]!);
    const trainEps = pick(split.train);
    const scaler = Scaler.fit(trainEps);
    const batchOpts = { T, mode: lengthMode, padValue, scaler };
    const trainSet = toSet(makeBatch(trainEps, batchOpts));
    const valSet = toSet(makeBatch(pick(split.val), batchOpts));
    const testEps = pick(split.test);
    const testSet = toSet(makeBatch(testEps, batchOpts));
    const arch: ArchConfig = { ...defaultConfig(job.arch, loaded.channels.length, JAMO.length), ...job.archOverrides };
    const model: Model = createModel(arch, { seed, kernels });
    const params = model.parameters().reduce((n, p) => n + p.data.length, 0);
    log(`${name}: ${arch.arch}, ${params.toLocaleString('en')} parameters; split ${split.name}: ` +
      `${split.train.length} train / ${split.val.length} val / ${split.test.length} test; per class:`);
    log(formatSplitCounts(split));

    // Everything of this fold goes to a staging folder, moved into place only when complete.
    const run = new RunOutput(job.outDir, name, runId);
    try {
    const metricsFile = run.file(`${name}.metrics.jsonl`);
    writeFileSync(metricsFile, '');
    const result = await train(model, trainSet, valSet, {
      ...job.train,
      // worker replicas use the same kind of kernels as the main model
      workerBackend: kernels.name === 'ts' ? 'ts' : 'wasm',
      seed,
      signal: job.signal,
      onBatch: job.onBatch,
      onEpoch: (r, improved) => {
        // one JSON line per epoch, written as it happens, so a crash keeps the record so far
        appendFileSync(metricsFile, `${JSON.stringify({ ...r, runId })}\n`);
        job.onEpoch?.(split.name, r, improved);
      },
    });
    if (result.stoppedBy === 'interrupted') interrupted = true;

    const test = evaluateSet(model, testSet);
    const metrics = computeMetrics({ labels: testSet.labels, probs: test.probs, classes: [...JAMO], files: testEps.map((e) => e.file) });
    const o = { ...DEFAULT_TRAIN_OPTIONS, ...job.train };
    const preprocess: PreprocessConfig = {
      channels: loaded.channels,
      T,
      lengthMode,
      padValue,
      scaler: { mean: [...scaler.mean], std: [...scaler.std] },
      typicalLength: medianLength(trainEps),
    };
    const meta: BundleMeta = {
      format: 'signglove-bundle',
      version: 1,
      name,
      arch,
      preprocess,
      classes: [...JAMO],
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
        augment: o.augment || undefined,
        workers: o.workers > 1 ? o.workers : undefined,
        testAccuracy: metrics.top1,
        testTop5: metrics.top5,
        testMacroF1: metrics.macroF1,
        testN: metrics.n,
      },
      history: result.history,
      provenance: {
        dataset: job.split === 'dirs' ? `${datasetName(job.data)} → ${testName}` : testName,
        episodes: episodes.length,
        skipped: loaded.problems.length,
        split: {
          kind: job.split,
          seed: splitSeed,
          ratios: job.split === 'random' ? [...(job.ratios ?? [0.6, 0.2, 0.2])] : undefined,
          heldOut: job.split === 'loso' ? split.name : undefined,
          train: split.train.length,
          val: split.val.length,
          test: split.test.length,
        },
        testFiles: job.split === 'dirs' ? [] : testEps.map((e) => e.file),
        command: job.command,
        createdAt: new Date().toISOString(),
        engine: kernels.name,
        runId,
      },
    };
    const bundle = path.join(job.outDir, `${name}.safetensors`);
    if (job.charts !== false && result.history.length > 0) {
      await writeTrainingCharts(result.history, run.file(`${name}-curves`));
    }
    writeFileAtomic(run.file(`${name}.md`), cardWithRunId(modelCard(meta), runId));
    saveBundle(run.file(`${name}.safetensors`), model, meta);
    run.finalize();
    log(`${name}: test accuracy ${(metrics.top1 * 100).toFixed(2)}% (top-5 ${(metrics.top5 * 100).toFixed(2)}%, ` +
      `macro-F1 ${(metrics.macroF1 * 100).toFixed(2)}%) on ${metrics.n} episodes; ${result.history.length} epochs ` +
      `(best ${result.bestEpoch}, ${result.stoppedBy}) in ${result.seconds.toFixed(1)} s → ${bundle}`);
    folds.push({ split: split.name, bundle, meta, test: metrics, epochs: result.history.length, trainSeconds: result.seconds });
    } catch (err) {
      run.discard();
      throw err;
    } finally {
      model.dispose(); // the next fold's model reuses the arena
    }
    if (interrupted) break;
  }
  const meanAccuracy = folds.reduce((s, f) => s + f.test.top1, 0) / Math.max(1, folds.length);
  if (folds.length > 1) {
    const summary = { arch: job.arch, split: job.split, folds: folds.map((f) => ({ split: f.split, accuracy: f.test.top1, macroF1: f.test.macroF1, epochs: f.epochs })), meanAccuracy };
    writeFileAtomic(path.join(job.outDir, `${baseName}-${job.split}-summary.json`), `${JSON.stringify(summary, null, 2)}\n`);
    log(`${baseName} ${job.split}: mean test accuracy ${(meanAccuracy * 100).toFixed(2)}% over ${folds.length} folds`);
  }
  return { folds, meanAccuracy, interrupted };
}

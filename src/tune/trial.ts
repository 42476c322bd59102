/**
 * One trial of a search: the objective's folds (prepared once per process and reused by every
 * trial, since the input pipeline does not depend on the searched settings), a network per fold
 * trained with the trial's settings, and its score on the held-out part of each fold.
 *
 * The folds of a trial train side by side in one thread and meet at every rung epoch, so the
 * pruner compares trials on the same objective (the mean over folds) at the same epoch.
 */
import path from 'node:path';
import { DatasetError, DEFAULT_T, leaveOnePostureOut, directorySplit, randomSplit, type Episode, type Split } from '../data/index.js';
import { defaultPipeline, PIPELINE_INPUTS, PIPELINE_RAW } from '../data/session-norm.js';
import { loadWearings, datasetName } from '../train/pipeline.js';
import { fitWearingStats, normalizeByWearing, tensorSetOf, trainingWindows } from '../train/session-data.js';
import { train, evaluateSet, type TensorSet, type TrainOptions } from '../train/trainer.js';
import { augmentFor, DEFAULT_AUGMENT, scaleAugment } from '../train/augment.js';
import { createModel, defaultConfig, dropoutOverrides, type ArchConfig, type Model } from '../models/index.js';
import type { Kernels } from '../nn/kernels.js';
import { JAMO } from '../jamo.js';
import type { TrialParams } from './space.js';

export type Protocol = 'random' | 'posture' | 'cross-day';
export const PROTOCOLS: readonly Protocol[] = ['random', 'posture', 'cross-day'];

/** What a trial is scored on. */
export interface ObjectiveSpec {
  /** Dataset roots (absolute), each one wearing (a recording day). */
  data: string[];
  protocol: Protocol;
  /** posture: the posture folders held out, one fold each (null: two, see defaultHoldout); cross-day: the days tested on (null: every ordered pair). */
  holdout: string[] | 'all' | null;
  splitSeed: number;
}

export interface PreparedFold {
  name: string;
  train: TensorSet;
  val: TensorSet;
  test: TensorSet;
}

/** The objective's folds, standardised as `signglove train` does (session pipeline, each wearing by its training frames). */
export async function prepareFolds(spec: ObjectiveSpec): Promise<PreparedFold[]> {
  const pipe = defaultPipeline(PIPELINE_INPUTS, PIPELINE_RAW);
  const fold = (name: string, episodes: readonly Episode[], split: Split): PreparedFold => {
    const pick = (idx: number[]) => idx.map((i) => episodes[i]!);
    const [trainEps, valEps, testEps] = [pick(split.train), pick(split.val), pick(split.test)];
    if (!trainEps.length || !valEps.length || !testEps.length) {
      throw new DatasetError(`dataset too small for fold ${name}: ${trainEps.length} train / ${valEps.length} validation / ${testEps.length} test episodes`);
    }
    const stats = fitWearingStats(pipe, trainEps);
    // a wearing only tested (the other day) is read with its own unlabelled frames, as in `train --split dirs`
    for (const [w, st] of fitWearingStats(pipe, [...valEps, ...testEps])) if (!stats.has(w)) stats.set(w, st);
    const set = (eps: Episode[], windows = false) => {
      const normalised = normalizeByWearing(pipe, stats, eps);
      return tensorSetOf(windows ? trainingWindows(normalised, DEFAULT_T) : normalised, DEFAULT_T, 'pad');
    };
    return { name, train: set(trainEps, true), val: set(valEps), test: set(testEps) };
  };
  if (spec.protocol === 'cross-day') {
    if (spec.data.length < 2) throw new DatasetError('the cross-day objective needs two or more --data days');
    const days = new Map<string, Episode[]>();
    for (const d of spec.data) days.set(datasetName(d), (await loadWearings(d, pipe.raw)).episodes);
    const tested = spec.holdout === null || spec.holdout === 'all' ? [...days.keys()] : spec.holdout;
    const folds: PreparedFold[] = [];
    for (const b of tested) {
      if (!days.has(b)) throw new DatasetError(`--holdout ${b}: not one of the --data days (${[...days.keys()].join(', ')})`);
      for (const [a, eps] of days) {
        if (a === b) continue;
        const s = directorySplit(eps, days.get(b)!, { seed: spec.splitSeed });
        folds.push(fold(`${a}→${b}`, s.episodes, s));
      }
    }
    return folds;
  }
  const loaded = await loadWearings(spec.data, pipe.raw);
  if (loaded.episodes.length === 0) throw new DatasetError(`no usable episodes in ${spec.data.join(', ')}`);
  if (spec.protocol === 'random') return [fold('random', loaded.episodes, randomSplit(loaded.episodes, { seed: spec.splitSeed }))];
  const splits = leaveOnePostureOut(loaded.episodes, { seed: spec.splitSeed });
  const names = splits.map((s) => s.name.replace(/^posture-/, ''));
  const keep = spec.holdout === 'all' ? names : spec.holdout ?? defaultHoldout(names);
  const bad = keep.find((h) => !names.includes(h));
  if (bad !== undefined) throw new DatasetError(`--holdout ${bad}: no such posture folder (the data has ${names.join(', ')})`);
  return splits.filter((_, i) => keep.includes(names[i]!)).map((s) => fold(s.name, loaded.episodes, s));
}

/**
 * The posture folders a search holds out by default: two, spread over the sorted folders (2 and 4
 * of 1..5, the moderate variants), to keep trials affordable; all of them when there are two or fewer.
 */
export function defaultHoldout(folders: readonly string[]): string[] {
  if (folders.length <= 2) return [...folders];
  const n = folders.length;
  return [folders[Math.floor(n / 4)]!, folders[Math.floor((3 * n) / 4)]!];
}

/** One unit of work: a trial's settings and training budget. */
export interface TrialJob {
  id: number;
  params: TrialParams;
  maxEpochs: number;
  /** Epochs at which the pruner is asked (asha.rungEpochs). */
  rungs: number[];
  patience: number;
  /** Seed of initialisation, shuffling, dropout and augmentation (the same for every trial). */
  seed: number;
}

export interface TrialRecord {
  id: number;
  params: TrialParams;
  status: 'complete' | 'pruned' | 'failed';
  /** Mean held-out top-1 over the folds (pruned: at the last rung reached; failed: null). */
  objective: number | null;
  folds: { name: string; accuracy: number; epochs: number; bestEpoch: number }[];
  /** The mean held-out top-1 reported at each rung reached. */
  rungValues: { epoch: number; value: number }[];
  prunedAt?: number;
  error?: string;
  /** Epochs trained, summed over folds. */
  epochs: number;
  seconds: number;
  /** Which process ran it (host:pid), and when it finished. */
  worker: string;
  finishedAt: string;
}

/** Asks whether a trial goes on after rung `rung` (epoch `epoch`) with this objective value. */
export type Decide = (rung: number, epoch: number, value: number) => boolean | Promise<boolean>;

/** The architecture and training settings of a trial's parameters. */
export function settingsOf(params: TrialParams, C: number): { arch: ArchConfig; train: Partial<TrainOptions> } {
  const overrides: Partial<ArchConfig> = {};
  for (const k of ['hidden', 'layers', 'filters'] as const) if (typeof params[k] === 'number') overrides[k] = params[k] as number;
  if (typeof params.dropout === 'number') Object.assign(overrides, dropoutOverrides(params.dropout));
  if (params.useMask === true) overrides.useMask = true;
  const t: Partial<TrainOptions> = {};
  if (typeof params.lr === 'number') t.lr = params.lr;
  if (typeof params.weightDecay === 'number') t.weightDecay = params.weightDecay;
  if (typeof params.batchSize === 'number') t.batchSize = params.batchSize;
  t.augment = augmentFor(scaleAugment(DEFAULT_AUGMENT, typeof params.augmentScale === 'number' ? params.augmentScale : 1), PIPELINE_INPUTS);
  return { arch: { ...defaultConfig(params.arch, C, JAMO.length), ...overrides }, train: t };
}

/**
 * Releases the folds waiting at a rung once every fold has arrived there or finished (a fold that
 * stopped early counts with its final score), and asks the pruner once with their mean.
 */
class RungBarrier {
  private readonly waiting = new Map<number, { value: number; resolve: (go: boolean) => void }>();
  private readonly finals = new Map<number, number>();
  private rung = -1;
  private epoch = 0;

  constructor(private readonly n: number, private readonly decide: (rung: number, epoch: number, value: number) => Promise<boolean>) {}

  arrive(fold: number, rung: number, epoch: number, value: number): Promise<boolean> {
    this.rung = rung;
    this.epoch = epoch;
    return new Promise((resolve) => {
      this.waiting.set(fold, { value, resolve });
      this.release();
    });
  }

  finish(fold: number, value: number): void {
    this.finals.set(fold, value);
    this.release();
  }

  private release(): void {
    if (this.waiting.size === 0 || this.waiting.size + this.finals.size < this.n) return;
    const waiters = [...this.waiting.values()];
    this.waiting.clear();
    const values = [...waiters.map((w) => w.value), ...this.finals.values()];
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    void this.decide(this.rung, this.epoch, mean).then(
      (go) => waiters.forEach((w) => w.resolve(go)),
      () => waiters.forEach((w) => w.resolve(true)), // a pruner that cannot answer never loses a trial
    );
  }
}

/** This process, as recorded in a trial (host:pid). */
export function workerName(host: string): string {
  return `${host}:${process.pid}`;
}

/** Runs one trial on prepared folds. Failures (a diverging learning rate) are a 'failed' record, not an exception. */
export async function runTrial(job: TrialJob, folds: readonly PreparedFold[], opts: { kernels?: Kernels; decide: Decide; worker: string; signal?: AbortSignal }): Promise<TrialRecord> {
  const t0 = performance.now();
  const rungValues: { epoch: number; value: number }[] = [];
  let prunedAt: number | undefined;
  const barrier = new RungBarrier(folds.length, async (rung, epoch, value) => {
    rungValues.push({ epoch, value });
    const go = await opts.decide(rung, epoch, value);
    if (!go) prunedAt = epoch;
    return go;
  });
  const models: Model[] = [];
  const base = { id: job.id, params: job.params, worker: opts.worker };
  // one fold failing stops the others (they share nothing but the barrier) before models are freed
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  opts.signal?.addEventListener('abort', onAbort);
  try {
    const settled = await Promise.allSettled(folds.map(async (f, i) => {
      const s = settingsOf(job.params, f.train.C);
      const model = createModel(s.arch, { seed: job.seed, kernels: opts.kernels });
      models.push(model);
      let r;
      try {
        r = await train(model, f.train, f.val, {
          ...s.train, epochs: job.maxEpochs, patience: job.patience, seed: job.seed, workers: 1, signal: stop.signal,
          afterEpoch: (rec) => {
            const rung = job.rungs.indexOf(rec.epoch);
            if (rung < 0) return true;
            return barrier.arrive(i, rung, rec.epoch, evaluateSet(model, f.test).acc);
          },
        });
      } catch (err) {
        barrier.finish(i, 0); // the other folds must not wait for this one
        stop.abort();
        throw err;
      }
      const accuracy = evaluateSet(model, f.test).acc;
      barrier.finish(i, accuracy);
      return { name: f.name, accuracy, epochs: r.history.length, bestEpoch: r.bestEpoch };
    }));
    const failed = settled.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    if (opts.signal?.aborted) throw new Error('trial interrupted');
    const results = settled.map((r) => (r as PromiseFulfilledResult<TrialRecord['folds'][number]>).value);
    const epochs = results.reduce((a, r) => a + r.epochs, 0);
    const seconds = (performance.now() - t0) / 1000;
    const finishedAt = new Date().toISOString();
    if (prunedAt !== undefined) {
      return { ...base, status: 'pruned', objective: rungValues[rungValues.length - 1]!.value, folds: results, rungValues, prunedAt, epochs, seconds, finishedAt };
    }
    const objective = results.reduce((a, r) => a + r.accuracy, 0) / results.length;
    return { ...base, status: 'complete', objective, folds: results, rungValues, epochs, seconds, finishedAt };
  } catch (err) {
    if ((err as Error).name !== 'TrainingDivergedError') throw err;
    return {
      ...base, status: 'failed', objective: null, folds: [], rungValues, error: (err as Error).message.split('\n')[0]!,
      epochs: 0, seconds: (performance.now() - t0) / 1000, finishedAt: new Date().toISOString(),
    };
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    for (const m of models) m.dispose();
  }
}

/** A short name of the objective for tables and the report. */
export function objectiveName(spec: ObjectiveSpec, folds: readonly string[]): string {
  const days = spec.data.map((d) => path.basename(d)).join(' + ');
  if (spec.protocol === 'random') return `random split of ${days} (held-out top-1)`;
  if (spec.protocol === 'posture') return `leave-one-posture-out on ${days}, held-out folders ${folds.map((f) => f.replace(/^posture-/, '')).join(', ')} (mean top-1)`;
  return `cross-day ${folds.join(', ')} (mean top-1)`;
}

/**
 * Evaluating a model on loaded episodes: which episodes count (the model's own test split, or all),
 * mapping their jamo to the model's classes, and computing the metrics.
 */
import path from 'node:path';
import type { ModelInfo, Predictor } from '../infer/core.js';
import type { BundleMeta } from '../bundle/types.js';
import { fitSessionStats } from '../data/session-norm.js';
import type { Episode } from '../data/types.js';
import { computeMetrics, type EvaluationResult } from './metrics.js';
import type { TrainingHistoryRow } from './charts.js';
import { InputError } from '../util/input-error.js';

export type EvaluationSplit = 'test' | 'all';

/** What evaluation needs from a model: part of a Predictor (any Predictor fits). */
export interface EvaluableModel {
  info: Pick<ModelInfo, 'name' | 'arch' | 'classes' | 'channels'> & Partial<Pick<ModelInfo, 'params' | 'testFiles' | 'datasetName'>>;
  predictProbs(episodes: Episode[]): Float32Array;
  meta?: Pick<BundleMeta, 'history'>;
}

/** A problem with the request itself (wrong split for this dataset, nothing to evaluate). */
export class EvaluationError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'EvaluationError';
  }
}

/** Paths compare equal across platforms: NFC (macOS writes NFD jamo folder names) and forward slashes. */
function normalizeFile(file: string): string {
  return file.normalize('NFC').replace(/\\/g, '/').replace(/^\.\//, '');
}

export interface EpisodeSelection {
  split: EvaluationSplit;
  episodes: Episode[];
  /** Model test files that are not among the loaded episodes (missing or skipped on load). */
  missingTestFiles: string[];
  /** Things the reader of the numbers should know. */
  notes: string[];
}

/**
 * Picks the episodes to evaluate. `test` (the default when the data is the dataset the model was trained
 * on and the bundle records its split) keeps exactly the model's held-out episodes; `all` keeps everything.
 */
export function selectEpisodes(
  episodes: readonly Episode[],
  model: Pick<EvaluableModel['info'], 'name' | 'testFiles' | 'datasetName'>,
  opts: { split?: EvaluationSplit; dataRoot?: string; dataName?: string } = {},
): EpisodeSelection {
  const testFiles = model.testFiles ?? [];
  const dataName = (opts.dataName ?? (opts.dataRoot ? path.basename(path.resolve(opts.dataRoot)) : undefined))?.normalize('NFC');
  const sameDataset = model.datasetName !== undefined && dataName !== undefined && model.datasetName.normalize('NFC') === dataName;
  const split = opts.split ?? (sameDataset && testFiles.length > 0 ? 'test' : 'all');
  const notes: string[] = [];

  if (split === 'all') {
    if (sameDataset && testFiles.length > 0) {
      const held = new Set(testFiles.map(normalizeFile));
      const seen = episodes.filter((e) => !held.has(normalizeFile(e.file))).length;
      notes.push(`--split all on ${dataName}, the model's own dataset: ${seen} of these ${episodes.length} episodes were used in training or validation, so the numbers are optimistic`);
    }
    return { split, episodes: [...episodes], missingTestFiles: [], notes };
  }

  if (testFiles.length === 0) {
    throw new EvaluationError(`model '${model.name}' records no test split (an older or imported bundle): use --split all`);
  }
  if (!sameDataset) {
    const where = dataName === undefined ? 'the given files' : `'${dataName}'`;
    throw new EvaluationError(
      `model '${model.name}' was trained on '${model.datasetName ?? 'an unknown dataset'}', and its test split names episodes of that dataset; `
      + `--data is ${where}. Point --data at the dataset root it was trained on, or use --split all to evaluate on every episode here`,
    );
  }
  const wanted = new Set(testFiles.map(normalizeFile));
  const selected = episodes.filter((e) => wanted.has(normalizeFile(e.file)));
  const found = new Set(selected.map((e) => normalizeFile(e.file)));
  const missingTestFiles = testFiles.filter((f) => !found.has(normalizeFile(f)));
  if (selected.length === 0) {
    throw new EvaluationError(`none of the ${testFiles.length} test episodes of model '${model.name}' are in ${dataName}: is this the dataset it was trained on?`);
  }
  if (missingTestFiles.length > 0) {
    notes.push(`${missingTestFiles.length} of the model's ${testFiles.length} test episodes are missing or were skipped on load (first: ${missingTestFiles[0]})`);
  }
  return { split, episodes: selected, missingTestFiles, notes };
}

/**
 * For a model with the session pipeline: statistics for each wearing among the episodes that the
 * model does not know (not one of its training days), fitted on that wearing's own unlabelled
 * frames — what running statistics would reach live. Returns one note per wearing so fitted.
 */
export function fitUnknownWearings(model: Predictor, episodes: readonly Episode[], minEpisodes = 24): string[] {
  const pipe = model.meta.preprocess.pipeline;
  if (!pipe) return [];
  const groups = new Map<string, Episode[]>();
  for (const e of episodes) if (e.wearing !== undefined && !model.knowsWearing(e.wearing)) groups.set(e.wearing, [...(groups.get(e.wearing) ?? []), e]);
  const notes: string[] = [];
  for (const [w, eps] of groups) {
    if (eps.length < minEpisodes) {
      notes.push(`${w}: ${eps.length} episodes are too few for session statistics (at least ${minEpisodes}); read with the model's own (calibrate for a new day)`);
      continue;
    }
    model.addWearing(w, { wearing: w, ...fitSessionStats(pipe, eps.map((e) => model.toFrames(e, e.file))) });
    notes.push(`${w} is not a training day of this model: its session statistics come from its ${eps.length} unlabelled episodes`);
  }
  return notes;
}

export interface ModelEvaluation {
  result: EvaluationResult;
  /** Episodes left out because their jamo is unknown or not one of the model's classes. */
  excluded: { file: string; reason: string }[];
}

/** Runs the model on the episodes and computes every metric against their jamo. */
export function evaluateModel(model: EvaluableModel, episodes: readonly Episode[]): ModelEvaluation {
  const classIndex = new Map(model.info.classes.map((c, i) => [c.normalize('NFC'), i]));
  const kept: Episode[] = [];
  const labels: number[] = [];
  const excluded: { file: string; reason: string }[] = [];
  for (const e of episodes) {
    if (!e.jamo) {
      excluded.push({ file: e.file, reason: 'unknown label (not inside a jamo folder)' });
      continue;
    }
    const k = classIndex.get(e.jamo.normalize('NFC'));
    if (k === undefined) {
      excluded.push({ file: e.file, reason: `'${e.jamo}' is not one of the model's classes` });
      continue;
    }
    kept.push(e);
    labels.push(k);
  }
  if (kept.length === 0) throw new EvaluationError('no labelled episodes to evaluate (every episode needs a known jamo)');
  const probs = model.predictProbs(kept);
  const result = computeMetrics({ labels, probs, classes: model.info.classes, files: kept.map((e) => e.file) });
  return { result, excluded };
}

/** The bundle's training history in the chart's shape (epochs the run actually reached). */
export function historyOf(model: EvaluableModel): TrainingHistoryRow[] {
  return (model.meta?.history ?? []).map((h) => ({ epoch: h.epoch, trainLoss: h.trainLoss, valLoss: h.valLoss, trainAcc: h.trainAcc, valAcc: h.valAcc }));
}

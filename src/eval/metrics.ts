/**
 * Classification metrics from true labels and full class probabilities.
 *
 * Conventions (all deterministic, all tested):
 * - Predicted class = argmax of the row; on ties the lowest class index wins.
 * - Top-k: classes are ranked by probability descending, ties broken by lower class index first
 *   (the same rule as argmax, so top-1 hit ⇔ argmax correct). A sample is a top-k hit when its true
 *   class is among the first min(k, K) of that ranking.
 * - Per-class precision/recall/F1 follow scikit-learn with `zero_division=0` (its default "warn"
 *   behaviour): a ratio whose denominator is 0 counts as 0.
 * - Macro averages run over the classes that occur in the truth or in the predictions, like
 *   scikit-learn's `precision_recall_fscore_support(average='macro')` with `labels=None`. A class absent
 *   from both says nothing about the model: its per-class ratios are `null` and it is left out.
 * - Per-class accuracy is recall (correct / support); `null` when the class has no samples.
 * - ECE: 15 equal-width bins over [0, 1] of the top-1 confidence, bin b = (b/15, (b+1)/15] (a confidence
 *   of exactly 0 goes to the first bin); ECE = Σ_b |B_b|/n · |accuracy(B_b) − mean confidence(B_b)|
 *   (Guo et al. 2017).
 */

import { argmax } from '../infer/class-scores.js';

export interface MetricsInput {
  /** True class index per sample, 0 ≤ label < K. */
  labels: Int32Array | readonly number[];
  /** N×K row-major probabilities (each row sums to 1). */
  probs: Float32Array | Float64Array;
  /** Class names, length K (e.g. JAMO). */
  classes: readonly string[];
  /** Optional file name per sample, carried into `samples`. */
  files?: readonly string[];
}

export interface MetricsOptions {
  /** k for the top-k accuracy reported as `top5` (default 5). */
  topK?: number;
  /** How many confused pairs to keep (default 10). */
  maxConfusedPairs?: number;
  /** Number of calibration bins (default 15). */
  eceBins?: number;
}

export interface PerClassMetrics {
  jamo: string;
  index: number;
  /** Samples whose true class is this one. */
  support: number;
  /** Samples of this class predicted as this class. */
  correct: number;
  /** Samples predicted as this class (true or not). */
  predicted: number;
  /** correct / support (= recall); null when support is 0. */
  accuracy: number | null;
  /** null only when the class is absent from truth and predictions. */
  precision: number | null;
  recall: number | null;
  f1: number | null;
  /** Mean top-1 confidence over samples of this true class; null when support is 0. */
  meanConfidence: number | null;
}

export interface ConfusedPair {
  /** True jamo. */
  true: string;
  /** Predicted jamo. */
  predicted: string;
  trueIndex: number;
  predictedIndex: number;
  count: number;
  /** count / support of the true class. */
  rate: number;
}

export interface SampleResult {
  file?: string;
  label: number;
  predicted: number;
  /** Probability of the predicted class. */
  confidence: number;
  correct: boolean;
}

export interface CalibrationBin {
  lower: number;
  upper: number;
  count: number;
  /** null when the bin is empty. */
  accuracy: number | null;
  meanConfidence: number | null;
}

export interface EvaluationResult {
  classes: string[];
  n: number;
  top1: number;
  /** Top-k accuracy with k = `topK` (5 unless asked otherwise, capped at K). */
  top5: number;
  topK: number;
  macroPrecision: number;
  macroRecall: number;
  macroF1: number;
  /** How many classes the macro averages ran over (present in truth or predictions). */
  macroClassCount: number;
  perClass: PerClassMetrics[];
  /** confusion[t][p] = samples of true class t predicted as p. */
  confusion: number[][];
  meanConfidence: { all: number; correct: number | null; wrong: number | null };
  ece: number;
  calibration: CalibrationBin[];
  confusedPairs: ConfusedPair[];
  samples: SampleResult[];
}

/** Index of the largest value in row [start, start+K); the lowest index wins ties (argmax of src/infer/class-scores.ts). */
export const argmaxRow = (probs: ArrayLike<number>, start: number, K: number): number => argmax(probs, start, K);

/** 0-based rank of class `c` in the row, ordering by probability descending and then by index ascending. */
export function rankOfClass(probs: ArrayLike<number>, start: number, K: number, c: number): number {
  const pc = probs[start + c];
  let rank = 0;
  for (let j = 0; j < K; j++) {
    const v = probs[start + j];
    if (v > pc || (v === pc && j < c)) rank++;
  }
  return rank;
}

/** A ratio that counts as 0 when its denominator is 0 (scikit-learn's zero_division=0). */
function ratio(num: number, den: number): number {
  return den === 0 ? 0 : num / den;
}

function mean(sum: number, count: number): number | null {
  return count === 0 ? null : sum / count;
}

function validate(input: MetricsInput): { N: number; K: number } {
  const K = input.classes.length;
  const N = input.labels.length;
  if (K < 1) throw new RangeError('computeMetrics: no classes given');
  if (N < 1) throw new RangeError('computeMetrics: no samples to evaluate');
  if (input.probs.length !== N * K) {
    throw new RangeError(`computeMetrics: probs has ${input.probs.length} values, expected ${N} samples × ${K} classes = ${N * K}`);
  }
  if (input.files && input.files.length !== N) {
    throw new RangeError(`computeMetrics: ${input.files.length} file names for ${N} samples`);
  }
  for (let i = 0; i < N; i++) {
    const y = input.labels[i];
    if (!Number.isInteger(y) || y < 0 || y >= K) {
      throw new RangeError(`computeMetrics: label ${y} of sample ${i}${input.files ? ` (${input.files[i]})` : ''} is not a class index 0…${K - 1}`);
    }
  }
  return { N, K };
}

/** Every metric of one evaluation, from true labels and the model's full probability rows. */
export function computeMetrics(input: MetricsInput, options: MetricsOptions = {}): EvaluationResult {
  const { N, K } = validate(input);
  const { labels, probs, classes, files } = input;
  const topK = Math.min(options.topK ?? 5, K);
  const nBins = options.eceBins ?? 15;
  const maxPairs = options.maxConfusedPairs ?? 10;

  const confusion = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  const confSumByTrue = new Array<number>(K).fill(0);
  const binCount = new Array<number>(nBins).fill(0);
  const binCorrect = new Array<number>(nBins).fill(0);
  const binConfSum = new Array<number>(nBins).fill(0);
  const samples: SampleResult[] = [];
  let top1Hits = 0;
  let topKHits = 0;
  let confSumAll = 0;
  let confSumCorrect = 0;
  let confSumWrong = 0;

  for (let i = 0; i < N; i++) {
    const start = i * K;
    const y = labels[i];
    const p = argmaxRow(probs, start, K);
    const confidence = probs[start + p];
    const correct = p === y;
    confusion[y][p]++;
    confSumByTrue[y] += confidence;
    confSumAll += confidence;
    if (correct) {
      top1Hits++;
      confSumCorrect += confidence;
    } else {
      confSumWrong += confidence;
    }
    if (rankOfClass(probs, start, K, y) < topK) topKHits++;
    const bin = Math.min(nBins - 1, Math.max(0, Math.ceil(confidence * nBins) - 1));
    binCount[bin]++;
    binConfSum[bin] += confidence;
    if (correct) binCorrect[bin]++;
    samples.push({ ...(files ? { file: files[i] } : {}), label: y, predicted: p, confidence, correct });
  }

  const perClass: PerClassMetrics[] = [];
  let sumP = 0;
  let sumR = 0;
  let sumF = 0;
  let present = 0;
  for (let c = 0; c < K; c++) {
    const support = confusion[c].reduce((a, b) => a + b, 0);
    let predicted = 0;
    for (let t = 0; t < K; t++) predicted += confusion[t][c];
    const tp = confusion[c][c];
    const isPresent = support > 0 || predicted > 0;
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    const f1 = ratio(2 * tp, support + predicted);
    if (isPresent) {
      present++;
      sumP += precision;
      sumR += recall;
      sumF += f1;
    }
    perClass.push({
      jamo: classes[c],
      index: c,
      support,
      correct: tp,
      predicted,
      accuracy: support > 0 ? tp / support : null,
      precision: isPresent ? precision : null,
      recall: isPresent ? recall : null,
      f1: isPresent ? f1 : null,
      meanConfidence: mean(confSumByTrue[c], support),
    });
  }

  const calibration: CalibrationBin[] = [];
  let ece = 0;
  for (let b = 0; b < nBins; b++) {
    const count = binCount[b];
    const accuracy = mean(binCorrect[b], count);
    const meanConfidence = mean(binConfSum[b], count);
    if (count > 0) ece += (count / N) * Math.abs(accuracy! - meanConfidence!);
    calibration.push({ lower: b / nBins, upper: (b + 1) / nBins, count, accuracy, meanConfidence });
  }

  const confusedPairs: ConfusedPair[] = [];
  for (let t = 0; t < K; t++) {
    for (let p = 0; p < K; p++) {
      const count = confusion[t][p];
      if (t === p || count === 0) continue;
      confusedPairs.push({
        true: classes[t], predicted: classes[p], trueIndex: t, predictedIndex: p, count, rate: count / perClass[t].support,
      });
    }
  }
  // Most frequent first; equal counts in class order (true, then predicted) so the list is stable.
  confusedPairs.sort((a, b) => b.count - a.count || a.trueIndex - b.trueIndex || a.predictedIndex - b.predictedIndex);

  const wrongCount = N - top1Hits;
  return {
    classes: [...classes],
    n: N,
    top1: top1Hits / N,
    top5: topKHits / N,
    topK,
    macroPrecision: sumP / present,
    macroRecall: sumR / present,
    macroF1: sumF / present,
    macroClassCount: present,
    perClass,
    confusion,
    meanConfidence: { all: confSumAll / N, correct: mean(confSumCorrect, top1Hits), wrong: mean(confSumWrong, wrongCount) },
    ece,
    calibration,
    confusedPairs: confusedPairs.slice(0, maxPairs),
    samples,
  };
}

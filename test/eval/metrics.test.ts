import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeMetrics, rankOfClass, argmaxRow } from '../../src/eval/metrics.js';
import { syntheticPredictions } from './synthetic.js';

const close = (actual: number | null, expected: number, msg?: string) => {
  assert.ok(actual !== null, `${msg ?? 'value'} is null`);
  assert.ok(Math.abs(actual - expected) < 1e-6, `${msg ?? 'value'}: ${actual} ≠ ${expected}`);
};

// Four samples, three classes; class 'c' never appears (neither true nor predicted). Sample 3 is a tie.
//   s0 true a, [0.70 0.20 0.10] → a (correct, conf 0.70, ECE bin 10)
//   s1 true a, [0.40 0.50 0.10] → b (wrong,   conf 0.50, bin 7), a ranks 2nd
//   s2 true b, [0.10 0.75 0.15] → b (correct, conf 0.75, bin 11)
//   s3 true b, [0.45 0.45 0.10] → a (tie: lowest index wins; wrong, conf 0.45, bin 6), b ranks 2nd
const handCase = {
  labels: [0, 0, 1, 1],
  probs: new Float32Array([0.7, 0.2, 0.1, 0.4, 0.5, 0.1, 0.1, 0.75, 0.15, 0.45, 0.45, 0.1]),
  classes: ['a', 'b', 'c'],
  files: ['f0', 'f1', 'f2', 'f3'],
};

test('hand-computed case: accuracy, confusion, ties, absent class', () => {
  const r = computeMetrics(handCase);
  assert.equal(r.n, 4);
  assert.deepEqual(r.confusion, [[1, 1, 0], [1, 1, 0], [0, 0, 0]]);
  assert.deepEqual(r.samples.map((s) => s.predicted), [0, 1, 1, 0]);
  assert.equal(r.top1, 0.5);
  assert.equal(r.topK, 3, 'k is capped at the number of classes');
  assert.equal(r.top5, 1);
  // a and b: support 2, predicted 2, one hit each → P = R = F1 = 0.5; c is absent from both → null, not averaged.
  for (const c of r.perClass.slice(0, 2)) {
    assert.deepEqual([c.support, c.correct, c.predicted], [2, 1, 2]);
    close(c.precision, 0.5);
    close(c.recall, 0.5);
    close(c.f1, 0.5);
    close(c.accuracy, 0.5);
  }
  close(r.perClass[0].meanConfidence, 0.6, 'mean confidence of a');
  close(r.perClass[1].meanConfidence, 0.6, 'mean confidence of b');
  const absent = r.perClass[2];
  assert.deepEqual(
    [absent.support, absent.accuracy, absent.precision, absent.recall, absent.f1, absent.meanConfidence],
    [0, null, null, null, null, null],
  );
  assert.equal(r.macroClassCount, 2);
  close(r.macroPrecision, 0.5);
  close(r.macroRecall, 0.5);
  close(r.macroF1, 0.5);
  close(r.meanConfidence.all, 0.6);
  close(r.meanConfidence.correct, 0.725);
  close(r.meanConfidence.wrong, 0.475);
  // Each sample alone in its bin: (|1−.70| + |0−.50| + |1−.75| + |0−.45|) / 4 = 0.375
  close(r.ece, 0.375, 'ECE');
  assert.equal(r.calibration.length, 15);
  assert.deepEqual(r.calibration.map((b) => b.count), [0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0]);
  // Equal counts: ordered by true class, then predicted class.
  assert.deepEqual(r.confusedPairs.map((p) => [p.true, p.predicted, p.count]), [['a', 'b', 1], ['b', 'a', 1]]);
  close(r.confusedPairs[0].rate, 0.5);
  assert.deepEqual(r.samples.map((s) => s.file), ['f0', 'f1', 'f2', 'f3']);
});

test('top-k honours k, and with k = 1 equals top-1', () => {
  assert.equal(computeMetrics(handCase, { topK: 1 }).top5, 0.5);
  assert.equal(computeMetrics(handCase, { topK: 2 }).top5, 1);
});

test('a class that is only predicted counts with zero precision and recall (scikit-learn zero_division=0)', () => {
  // true a, a; predicted a, c. sklearn macro over labels {a, c}: P = (1+0)/2, R = (0.5+0)/2, F1 = (2/3+0)/2.
  const r = computeMetrics({ labels: [0, 0], probs: new Float32Array([0.8, 0.1, 0.1, 0.1, 0.2, 0.7]), classes: ['a', 'b', 'c'] });
  assert.equal(r.macroClassCount, 2);
  close(r.macroPrecision, 0.5);
  close(r.macroRecall, 0.25);
  close(r.macroF1, 1 / 3);
  const c = r.perClass[2];
  assert.deepEqual([c.support, c.predicted, c.accuracy, c.precision, c.recall, c.f1], [0, 1, null, 0, 0, 0]);
  assert.equal(r.perClass[1].f1, null, 'b appears nowhere');
  close(r.meanConfidence.wrong, 0.7);
  assert.equal(r.perClass[0].precision, 1);
});

test('ties: argmax takes the lowest index, top-k ranks equal probabilities by index', () => {
  const flat = new Float32Array(6).fill(1 / 6);
  assert.equal(argmaxRow(flat, 0, 6), 0);
  assert.equal(rankOfClass(flat, 0, 6, 4), 4);
  assert.equal(rankOfClass(flat, 0, 6, 5), 5);
  // Six equal probabilities: class 4 is 5th (a top-5 hit), class 5 is 6th (a miss).
  const r = computeMetrics({ labels: [4, 5], probs: new Float32Array(12).fill(1 / 6), classes: ['a', 'b', 'c', 'd', 'e', 'f'] });
  assert.equal(r.top1, 0);
  assert.equal(r.top5, 0.5);
  assert.deepEqual(r.samples.map((s) => s.predicted), [0, 0]);
  assert.equal(r.meanConfidence.correct, null, 'no correct predictions → null, not NaN');
});

test('all correct: no confused pairs, wrong confidence is null', () => {
  const r = computeMetrics({ labels: [0, 1], probs: new Float32Array([0.9, 0.1, 0.2, 0.8]), classes: ['a', 'b'] });
  assert.equal(r.top1, 1);
  assert.equal(r.macroF1, 1);
  assert.deepEqual(r.confusedPairs, []);
  assert.equal(r.meanConfidence.wrong, null);
});

test('bad input is rejected with a message naming the problem', () => {
  assert.throws(() => computeMetrics({ labels: [0, 3], probs: new Float32Array(6), classes: ['a', 'b', 'c'] }), /label 3 of sample 1/);
  assert.throws(() => computeMetrics({ labels: [0], probs: new Float32Array(2), classes: ['a', 'b', 'c'] }), /expected 1 samples × 3 classes/);
  assert.throws(() => computeMetrics({ labels: [], probs: new Float32Array(0), classes: ['a'] }), /no samples/);
  assert.throws(() => computeMetrics({ labels: [0], probs: new Float32Array(1), classes: ['a'], files: [] }), /file names/);
});

test('real-shaped data (24 jamo, 288 samples) agrees with a direct recount', () => {
  const input = syntheticPredictions({ perClass: 12, errorRate: 0.08 });
  const r = computeMetrics(input);
  const K = 24;
  const labels = Array.from(input.labels);
  let hits = 0;
  let top5 = 0;
  const predictedCount = new Array(K).fill(0);
  for (let i = 0; i < r.n; i++) {
    const row = Array.from(input.probs.subarray(i * K, (i + 1) * K));
    const order = row.map((p, j) => [p, j]).sort((x, y) => y[0] - x[0] || x[1] - y[1]).map((x) => x[1]);
    if (order[0] === labels[i]) hits++;
    if (order.slice(0, 5).includes(labels[i])) top5++;
    predictedCount[order[0]]++;
  }
  assert.equal(r.n, 288);
  assert.ok(hits < r.n, 'the synthetic data has some errors');
  assert.equal(r.top1, hits / r.n);
  assert.equal(r.top5, top5 / r.n);
  assert.deepEqual(r.perClass.map((c) => c.predicted), predictedCount);
  assert.equal(r.confusion.flat().reduce((a, b) => a + b, 0), r.n);
  const f1s = r.perClass.map((c) => c.f1 ?? 0);
  close(r.macroF1, f1s.reduce((a, b) => a + b, 0) / K);
  assert.equal(r.calibration.reduce((a, b) => a + b.count, 0), r.n);
  assert.ok(r.confusedPairs.length > 0 && r.confusedPairs.length <= 10);
  for (let i = 1; i < r.confusedPairs.length; i++) assert.ok(r.confusedPairs[i - 1].count >= r.confusedPairs[i].count);
});

import { JAMO } from '../../src/jamo.js';
import { Rng } from '../../src/util/rng.js';
import type { MetricsInput } from '../../src/eval/metrics.js';

/**
 * Real-shaped predictions: 24 jamo, `perClass` samples each, softmax rows from noisy logits where
 * about `errorRate` of samples favour a neighbouring class. Seeded, so every run is the same.
 */
export function syntheticPredictions(opts: { perClass?: number; errorRate?: number; seed?: number } = {}): MetricsInput {
  const perClass = opts.perClass ?? 12;
  const errorRate = opts.errorRate ?? 0.06;
  const rng = new Rng(opts.seed ?? 7);
  const K = JAMO.length;
  const N = K * perClass;
  const labels = new Int32Array(N);
  const probs = new Float32Array(N * K);
  const files: string[] = [];
  const logits = new Float64Array(K);
  for (let i = 0; i < N; i++) {
    const y = i % K;
    labels[i] = y;
    files.push(`${JAMO[y]}/session1/episode_${String(Math.floor(i / K)).padStart(3, '0')}.csv`);
    for (let k = 0; k < K; k++) logits[k] = rng.normal();
    const target = rng.next() < errorRate ? (y + 1 + rng.int(2)) % K : y;
    logits[target] += 3 + 3 * rng.next();
    if (target !== y) logits[y] += 2;
    let max = -Infinity;
    for (let k = 0; k < K; k++) max = Math.max(max, logits[k]);
    let sum = 0;
    for (let k = 0; k < K; k++) sum += Math.exp(logits[k] - max);
    for (let k = 0; k < K; k++) probs[i * K + k] = Math.exp(logits[k] - max) / sum;
  }
  return { labels, probs, classes: [...JAMO], files };
}

/**
 * Temperature scaling (Guo et al. 2017): one number T so that p^(1/T), renormalised, has the
 * lowest negative log-likelihood on held-out labelled examples. For a network p = softmax(z), and
 * p^(1/T) renormalised is exactly softmax(z/T); for a forest's averaged votes it is the same
 * operation on log-probabilities. T > 1 softens over-confident answers.
 */
import { applyTemperature } from '../infer/core.js';

/** Grid search on a log scale, then a finer one around the best (NLL is unimodal in T). */
export function fitTemperature(probs: Float32Array, labels: Int32Array, N: number, K: number): number {
  if (N === 0) return 1;
  const nll = (T: number): number => {
    const q = applyTemperature(probs, N, K, T, true);
    let s = 0;
    for (let n = 0; n < N; n++) s -= Math.log(Math.max(1e-12, q[n * K + labels[n]!]!));
    return s / N;
  };
  let best = 1;
  let bestLoss = nll(1);
  for (let step = 0; step < 2; step++) {
    const lo = step === 0 ? Math.log(0.1) : Math.log(best) - 0.25;
    const hi = step === 0 ? Math.log(10) : Math.log(best) + 0.25;
    for (let i = 0; i <= 24; i++) {
      const T = Math.exp(lo + ((hi - lo) * i) / 24);
      const l = nll(T);
      if (l < bestLoss) {
        bestLoss = l;
        best = T;
      }
    }
  }
  return best;
}

/** What bench/parallel.ts shares with its worker, and the half-batch step both threads run. */
import type { Model } from '../src/models/index.js';
import type { Kernels } from '../src/nn/kernels.js';
import { softmaxCrossEntropy } from '../src/nn/index.js';

export interface SharedTraining {
  x: Float32Array; // N×T×C training inputs
  labels: Int32Array;
  order: Int32Array; // this epoch's permutation
  params: Float32Array; // the current weights, all parameters in model.parameters() order
  grads: Float32Array; // the worker's gradient, same layout
  control: Int32Array;
  N: number;
  T: number;
  C: number;
}

const buffers = new WeakMap<Model, { x: Float32Array; y: Int32Array }>();

/**
 * Forward and backward of rows [from + lo, from + hi) of the epoch's order, with dLogits scaled
 * so that the halves of one batch of B add up to the batch's mean-loss gradient.
 */
export function halfStep(model: Model, s: SharedTraining, from: number, lo: number, hi: number, k: Kernels): void {
  const stride = s.T * s.C;
  const n = hi - lo;
  if (n <= 0) return;
  let buf = buffers.get(model);
  if (!buf || buf.y.length < n) {
    buf = { x: k.alloc(32 * stride), y: new Int32Array(32) };
    buffers.set(model, buf);
  }
  for (let b = 0; b < n; b++) {
    const i = s.order[from + lo + b]!;
    buf.x.set(s.x.subarray(i * stride, (i + 1) * stride), b * stride);
    buf.y[b] = s.labels[i]!;
  }
  const K = model.config.numClasses;
  const logits = model.forward(buf.x.subarray(0, n * stride), n, s.T);
  const r = softmaxCrossEntropy(logits, buf.y.subarray(0, n), n, K);
  const B = Math.min(32, s.N - from);
  const scale = n / B;
  for (let i = 0; i < r.dLogits.length; i++) r.dLogits[i] *= scale;
  model.backward(r.dLogits);
}

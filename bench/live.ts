/**
 * Per-frame cost of live recognition (issue 6): a simulated glove stream of a phrase through the
 * StreamingRecognizer, classifying with the benchmark's model (untrained weights: the cost per
 * frame does not depend on them). Reports microseconds per frame, classifier calls included.
 */
import type { Model } from '../src/models/index.js';
import type { Kernels } from '../src/nn/kernels.js';
import { softmax } from '../src/nn/index.js';
import { DEFAULT_PAD_VALUE, DEFAULT_T, type Scaler } from '../src/data/index.js';
import { simulateText, StreamingRecognizer } from '../src/stream/index.js';
import { now } from './stats.js';

export function liveFrameCost(model: Model, kernels: Kernels, scaler: Scaler): () => number {
  const T = DEFAULT_T;
  const C = model.config.inputSize;
  const x = kernels.alloc(T * C);
  const K = model.config.numClasses;
  model.train(false);
  // the recogniser's window (raw units, `length` frames) → padded, standardised model input
  const classify = (window: Float32Array, length: number): Float32Array => {
    const n = Math.min(length, T);
    x.fill(DEFAULT_PAD_VALUE);
    x.set(window.subarray(0, n * C));
    scaler.transform(x);
    return softmax(model.forward(x, 1, T), 1, K);
  };
  const stream = simulateText('안녕하세요 반갑습니다', { seed: 3 });
  return () => {
    const rec = new StreamingRecognizer(classify);
    const t = now();
    for (const f of stream.frames) rec.push(f);
    return ((now() - t) * 1000) / stream.frames.length;
  };
}

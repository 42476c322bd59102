/**
 * signglove's side of the benchmark: one training epoch (batch 32, AdamW, cross-entropy, like
 * bench/torch_bench.py), single-episode latency (87×8 → probabilities) and batch throughput.
 */
import { createModel, defaultConfig, type Model } from '../src/models/index.js';
import { AdamW, softmax, softmaxCrossEntropy } from '../src/nn/index.js';
import type { Kernels } from '../src/nn/kernels.js';
import type { Batch } from '../src/data/index.js';
import { Rng } from '../src/util/rng.js';
import { now } from './stats.js';
import { InferencePool } from '../src/infer/worker-pool.js';
import { DataParallel } from '../src/train/data-parallel.js';
import { gather } from '../src/train/trainer.js';
import type { BackendName } from '../src/nn/select-kernels.js';
import { encodeSafetensors } from '../src/nn/safetensors.js';
import { JAMO } from '../src/jamo.js';
import type { Workload } from './workload.js';

export const BATCH = 32;

export function buildModel(arch: string, kernels: Kernels): Model {
  return createModel(defaultConfig(arch), { seed: 1337, kernels });
}

/** Returns a function that trains one epoch over `train` and returns its seconds. */
export function epochRunner(model: Model, train: Batch, kernels: Kernels): () => number {
  const opt = new AdamW(model.parameters(), { lr: 1e-3, weightDecay: 1e-3 });
  const rng = new Rng(1);
  const { N, T, C } = train;
  const K = model.config.numClasses;
  const stride = T * C;
  const xb = kernels.alloc(BATCH * stride);
  const mb = new Uint8Array(BATCH * T);
  const yb = new Int32Array(BATCH);
  return () => {
    const t = now();
    model.train(true);
    const order = rng.permutation(N);
    for (let from = 0; from < N; from += BATCH) {
      const B = Math.min(BATCH, N - from);
      gather(train, order, from, B, xb, mb, yb);
      model.zeroGrad();
      const logits = model.forward(xb.subarray(0, B * stride), B, T);
      const r = softmaxCrossEntropy(logits, yb.subarray(0, B), B, K);
      model.backward(r.dLogits);
      opt.step();
    }
    return (now() - t) / 1000;
  };
}

/**
 * The same epoch as epochRunner on `workers` threads with the trainer's data-parallel engine
 * (`train --workers N`): returns a function giving one epoch's seconds, and a stopper.
 */
export async function parallelEpochRunner(
  model: Model, train: Batch, workers: number, backend: BackendName,
): Promise<{ run: () => Promise<number>; stop: () => Promise<void> }> {
  const { N, T, C } = train;
  const dp = await DataParallel.create(model, { workers, seed: 1337, backend, T, C, maxBatch: BATCH });
  const opt = new AdamW(model.parameters(), { lr: 1e-3, weightDecay: 1e-3 });
  const rng = new Rng(1);
  return {
    run: async () => {
      const t = now();
      model.train(true);
      const order = rng.permutation(N);
      for (let from = 0; from < N; from += BATCH) {
        const B = Math.min(BATCH, N - from);
        gather(train, order, from, B, dp.x, dp.mask, dp.labels);
        await dp.step(B);
        opt.step();
      }
      return (now() - t) / 1000;
    },
    stop: () => dp.close(),
  };
}

/** Milliseconds per single-episode prediction (forward + softmax), averaged over `reps` calls. */
export function singleLatency(model: Model, test: Batch, kernels: Kernels, reps = 100): () => number {
  const { T, C } = test;
  const x1 = kernels.alloc(T * C);
  x1.set(test.x.subarray(0, T * C));
  const K = model.config.numClasses;
  model.train(false);
  return () => {
    const t = now();
    for (let r = 0; r < reps; r++) softmax(model.forward(x1, 1, T), 1, K);
    return (now() - t) / reps;
  };
}

/** Episodes per second predicting the whole test split in one forward pass. */
export function batchThroughput(model: Model, test: Batch, kernels: Kernels): () => number {
  const { N, T } = test;
  const x = kernels.alloc(test.x.length);
  x.set(test.x);
  const K = model.config.numClasses;
  model.train(false);
  return () => {
    const t = now();
    softmax(model.forward(x, N, T), N, K);
    return N / ((now() - t) / 1000);
  };
}

/**
 * Episodes per second predicting the whole test split on every core: the model's weights go to an
 * InferencePool (one network per worker thread), which is what `predictBatchParallel` uses.
 */
export async function batchThroughputParallel(model: Model, test: Batch, workers: number): Promise<{ run: () => Promise<number>; stop: () => Promise<void> }> {
  const meta = {
    format: 'signglove-bundle', version: 1, name: 'bench', arch: model.config, classes: [...JAMO],
    preprocess: { channels: test.C === 8 ? ['flex1', 'flex2', 'flex3', 'flex4', 'flex5', 'pitch', 'roll', 'yaw'] : [], T: test.T, lengthMode: 'pad', padValue: 1, scaler: { mean: new Array(test.C).fill(0), std: new Array(test.C).fill(1) } },
  };
  const pool = await InferencePool.create(encodeSafetensors(model.stateDict(), { signglove: JSON.stringify(meta) }), workers);
  const { N, T } = test;
  return {
    run: async () => {
      const t = now();
      await pool.probs(test.x, test.mask, N, T);
      return N / ((now() - t) / 1000);
    },
    stop: () => pool.close(),
  };
}

export async function repeatAsync(fn: () => Promise<number>, runs: number, warmup = 1): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) out.push(await fn());
  return out;
}

export function repeat(fn: () => number, runs: number, warmup = 1): number[] {
  for (let i = 0; i < warmup; i++) fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) out.push(fn());
  return out;
}

/**
 * Data-parallel training on worker threads (`train --workers N`).
 *
 * Every thread holds a replica of the model. Each batch (B rows, written by the trainer into shared
 * memory) is cut into one contiguous slice per replica: the main thread takes rows [0, n₀), worker w
 * the next slice. Each replica computes the gradient of its slice's loss scaled by slice/B, so the
 * slices add up to the gradient of the batch's mean loss; the main thread adds the workers'
 * gradients into its own in a fixed order (worker 1, 2, …), so a run is reproducible for a seed and
 * a worker count. The trainer then clips and steps as usual, and the new weights are published to
 * the workers with the next batch.
 *
 * Differences from one thread, as in PyTorch's DistributedDataParallel without SyncBatchNorm:
 * BatchNorm normalises each slice with the slice's own statistics, and the main replica's running
 * statistics are the ones kept; every replica draws its own dropout masks.
 *
 * Shared memory: the batch (x, mask, labels), the parameters (main → workers), one gradient block
 * and one (loss sum, correct) pair per worker, and an Int32 control block:
 *   [0] generation (bumped per batch, workers wait on it)   [1] batch size B
 *   [2] workers done with this generation                  [3] stop
 */
import type { Worker } from 'node:worker_threads';
import type { Model } from '../models/index.js';
import type { ArchConfig } from '../models/config.js';
import { softmaxCrossEntropy } from '../nn/loss.js';
import type { BackendName } from '../nn/select-kernels.js';
import { startWorker } from '../util/start-worker.js';

// Atomics.waitAsync (ES2024, in Node since 16) is not in this project's TypeScript lib yet
const waitAsync = (Atomics as unknown as {
  waitAsync(a: Int32Array, index: number, value: number, timeoutMs: number): { async: boolean; value: Promise<string> | string };
}).waitAsync;

/** What a worker needs to build its replica and find its slice. */
export interface ReplicaSetup {
  config: ArchConfig;
  /** Seeds the replica's dropout stream (its initial weights are replaced before the first batch). */
  seed: number;
  rank: number;
  workers: number;
  backend: BackendName;
  T: number;
  C: number;
  maxBatch: number;
  shared: SharedBuffers;
}

export interface SharedBuffers {
  x: SharedArrayBuffer; // maxBatch×T×C float32
  mask: SharedArrayBuffer; // maxBatch×T uint8
  labels: SharedArrayBuffer; // maxBatch int32
  params: SharedArrayBuffer; // P float32, model.parameters() order
  grads: SharedArrayBuffer; // (workers − 1)×P float32
  stats: SharedArrayBuffer; // (workers − 1)×2 float64: loss sum, correct count
  control: SharedArrayBuffer; // 4 int32
}

/** Rows [lo, hi) of a batch of B that replica `rank` of `workers` trains on. */
export function sliceOf(rank: number, workers: number, B: number): [number, number] {
  const per = Math.ceil(B / workers);
  return [Math.min(B, rank * per), Math.min(B, (rank + 1) * per)];
}

/**
 * One replica's part of a batch: forward and backward of rows [lo, hi) with dLogits scaled by
 * (hi − lo)/B. Gradients accumulate into the model's Param.grad (zeroed here first).
 * Returns the slice's loss sum and number of correct top-1 answers.
 */
export function sliceStep(
  model: Model, x: Float32Array, mask: Uint8Array, labels: Int32Array, B: number, T: number, C: number, lo: number, hi: number,
): { lossSum: number; correct: number } {
  model.zeroGrad();
  const n = hi - lo;
  if (n <= 0) return { lossSum: 0, correct: 0 };
  const K = model.config.numClasses;
  const y = labels.subarray(lo, hi);
  const logits = model.forward(x.subarray(lo * T * C, hi * T * C), n, T, mask.subarray(lo * T, hi * T));
  const r = softmaxCrossEntropy(logits, y, n, K);
  const scale = n / B;
  for (let i = 0; i < n * K; i++) r.dLogits[i] = r.dLogits[i]! * scale;
  model.backward(r.dLogits.subarray(0, n * K));
  let correct = 0;
  for (let b = 0; b < n; b++) {
    let arg = 0;
    for (let k = 1; k < K; k++) if (r.probs[b * K + k]! > r.probs[b * K + arg]!) arg = k;
    if (arg === y[b]) correct++;
  }
  return { lossSum: r.loss * n, correct };
}

export class DataParallel {
  /** The batch buffers the trainer fills (shared with the workers). */
  readonly x: Float32Array;
  readonly mask: Uint8Array;
  readonly labels: Int32Array;
  private readonly params: Float32Array;
  private readonly grads: Float32Array;
  private readonly stats: Float64Array;
  private readonly control: Int32Array;
  private generation = 0;
  private failure: Error | null = null;

  private constructor(
    private readonly model: Model, private readonly workers: Worker[], private readonly T: number, private readonly C: number,
    shared: SharedBuffers,
  ) {
    this.x = new Float32Array(shared.x);
    this.mask = new Uint8Array(shared.mask);
    this.labels = new Int32Array(shared.labels);
    this.params = new Float32Array(shared.params);
    this.grads = new Float32Array(shared.grads);
    this.stats = new Float64Array(shared.stats);
    this.control = new Int32Array(shared.control);
    for (const w of workers) {
      w.on('error', (e) => { this.failure ??= e; });
      w.on('exit', (code) => { if (code !== 0) this.failure ??= new Error(`a training worker exited with code ${code}`); });
      w.on('message', (m: { error?: string }) => { if (m.error) this.failure ??= new Error(`training worker: ${m.error}`); });
    }
  }

  /** Starts `workers − 1` worker threads with replicas of `model` (the main thread is the first). */
  static async create(
    model: Model, opts: { workers: number; seed: number; backend: BackendName; T: number; C: number; maxBatch: number },
  ): Promise<DataParallel> {
    const { workers: W, T, C, maxBatch } = opts;
    if (!(Number.isInteger(W) && W >= 2)) throw new Error(`data-parallel training needs at least 2 workers, got ${W}`);
    const P = model.parameters().reduce((n, p) => n + p.data.length, 0);
    const shared: SharedBuffers = {
      x: new SharedArrayBuffer(maxBatch * T * C * 4),
      mask: new SharedArrayBuffer(maxBatch * T),
      labels: new SharedArrayBuffer(maxBatch * 4),
      params: new SharedArrayBuffer(P * 4),
      grads: new SharedArrayBuffer((W - 1) * P * 4),
      stats: new SharedArrayBuffer((W - 1) * 2 * 8),
      control: new SharedArrayBuffer(4 * 4),
    };
    const threads = Array.from({ length: W - 1 }, (_, i) => {
      const setup: ReplicaSetup = { config: model.config, seed: opts.seed + 7919 * (i + 1), rank: i + 1, workers: W, backend: opts.backend, T, C, maxBatch, shared };
      return startWorker(import.meta.url, 'data-parallel-worker', setup);
    });
    try {
      await Promise.all(threads.map((w) => new Promise<void>((resolve, reject) => {
        w.once('message', (m: { ready?: boolean; error?: string }) => (m.error ? reject(new Error(`training worker: ${m.error}`)) : resolve()));
        w.once('error', reject);
      })));
    } catch (e) {
      await Promise.all(threads.map((w) => w.terminate()));
      throw e;
    }
    return new DataParallel(model, threads, T, C, shared);
  }

  /**
   * Trains on the batch of B rows in `x`, `mask`, `labels`: afterwards the main model's Param.grad
   * holds the whole batch's gradient. Returns the batch's loss sum and correct count.
   */
  async step(B: number): Promise<{ lossSum: number; correct: number }> {
    const { model, control: c, T, C } = this;
    const W = this.workers.length + 1;
    // publish the current weights, then start the workers on this batch
    let o = 0;
    for (const p of model.parameters()) {
      this.params.set(p.data, o);
      o += p.data.length;
    }
    Atomics.store(c, 1, B);
    Atomics.store(c, 2, 0);
    Atomics.store(c, 0, ++this.generation);
    Atomics.notify(c, 0);
    const [lo, hi] = sliceOf(0, W, B);
    const mine = sliceStep(model, this.x, this.mask, this.labels, B, T, C, lo, hi);
    // wait without blocking the event loop, so a crashed worker or a Ctrl-C is noticed
    for (let seen = Atomics.load(c, 2); seen < W - 1; seen = Atomics.load(c, 2)) {
      if (this.failure) throw this.failure;
      const r = waitAsync(c, 2, seen, 1000);
      if (r.async) await r.value;
    }
    if (this.failure) throw this.failure;
    // fixed order: worker 1, 2, … — the same sums every run
    let lossSum = mine.lossSum;
    let correct = mine.correct;
    const params = model.parameters();
    for (let w = 0; w < W - 1; w++) {
      const [wlo, whi] = sliceOf(w + 1, W, B);
      if (whi <= wlo) continue;
      let off = w * this.params.length;
      for (const p of params) {
        const g = p.grad;
        for (let i = 0; i < g.length; i++) g[i] = g[i]! + this.grads[off + i]!;
        off += g.length;
      }
      lossSum += this.stats[2 * w]!;
      correct += this.stats[2 * w + 1]!;
    }
    return { lossSum, correct };
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    Atomics.store(this.control, 3, 1);
    Atomics.store(this.control, 0, ++this.generation);
    Atomics.notify(this.control, 0);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

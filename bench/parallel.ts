/**
 * Prototype (bench only): one training epoch with two threads in data parallel, to measure what
 * the second core is worth before the trainer gets a `workers` option (docs/notes-wasm.md).
 *
 * The main thread and one worker each hold the same model (same seed). Per batch of 32 each takes
 * half, scales its dLogits by half/32 so the two gradients add up to the full batch's mean, and
 * writes its gradient into a SharedArrayBuffer; the main thread adds them, takes the AdamW step and
 * publishes the new parameters, which the worker copies before its next half. Exact for models
 * without BatchNorm (up to float summation order); BatchNorm would see half-batch statistics.
 *
 * Synchronisation: one Int32 "generation" counter per direction, Atomics.wait/notify.
 */
import { Worker } from 'node:worker_threads';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import type { Model } from '../src/models/index.js';
import { AdamW } from '../src/nn/index.js';
import type { Kernels } from '../src/nn/kernels.js';
import type { Batch } from '../src/data/index.js';
import { Rng } from '../src/util/rng.js';
import { BATCH } from './signglove.js';
import { halfStep, type SharedTraining } from './parallel-shared.js';
import { now } from './stats.js';

/** Returns a function that trains one epoch on two threads and returns its seconds, and a stopper. */
export async function parallelEpochRunner(
  arch: string, model: Model, train: Batch, kernels: Kernels, backend: string,
): Promise<{ run: () => number; stop: () => Promise<void> }> {
  const params = model.parameters();
  const P = params.reduce((s, p) => s + p.data.length, 0);
  const sab = (bytes: number): SharedArrayBuffer => new SharedArrayBuffer(bytes);
  const shared: SharedTraining = {
    x: new Float32Array(sab(train.x.length * 4)),
    labels: new Int32Array(sab(train.labels.length * 4)),
    order: new Int32Array(sab(train.N * 4)),
    params: new Float32Array(sab(P * 4)),
    grads: new Float32Array(sab(P * 4)),
    control: new Int32Array(sab(4 * 4)), // [0] job generation, [1] done generation, [2] batch start, [3] stop
    N: train.N, T: train.T, C: train.C,
  };
  shared.x.set(train.x);
  shared.labels.set(train.labels);
  packParams(model, shared.params);

  const here = fileURLToPath(import.meta.url);
  const ts = here.endsWith('.ts');
  const entry = path.join(path.dirname(here), ts ? 'parallel-worker.ts' : 'parallel-worker.js');
  // run from sources (tsx): the worker registers tsx itself before importing its entry
  const worker = ts
    ? new Worker(`import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(pathToFileURL(entry).href)}); })`, {
      eval: true, workerData: { arch, backend, shared },
    })
    : new Worker(entry, { workerData: { arch, backend, shared } });
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });

  const opt = new AdamW(params, { lr: 1e-3, weightDecay: 1e-3 });
  const rng = new Rng(1);
  const c = shared.control;
  let gen = 0;

  const run = (): number => {
    const t = now();
    model.train(true);
    shared.order.set(rng.permutation(train.N));
    for (let from = 0; from < train.N; from += BATCH) {
      const B = Math.min(BATCH, train.N - from);
      const mine = Math.ceil(B / 2);
      packParams(model, shared.params); // the worker starts from the current weights
      Atomics.store(c, 2, from);
      Atomics.store(c, 0, ++gen);
      Atomics.notify(c, 0);
      model.zeroGrad();
      halfStep(model, shared, from, mine, B, kernels);
      while (Atomics.load(c, 1) !== gen) Atomics.wait(c, 1, gen - 1);
      // the worker's half (rows mine..B) is in shared.grads
      let o = 0;
      for (const p of params) {
        const g = p.grad;
        for (let i = 0; i < g.length; i++) g[i] += shared.grads[o + i]!;
        o += g.length;
      }
      opt.step();
    }
    return (now() - t) / 1000;
  };

  const stop = async (): Promise<void> => {
    Atomics.store(c, 3, 1);
    Atomics.store(c, 0, ++gen);
    Atomics.notify(c, 0);
    await worker.terminate();
  };
  return { run, stop };
}

function packParams(model: Model, out: Float32Array): void {
  let o = 0;
  for (const p of model.parameters()) {
    out.set(p.data, o);
    o += p.data.length;
  }
}

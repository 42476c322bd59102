/** The second thread of bench/parallel.ts: trains the second half of every batch it is handed. */
import { parentPort, workerData } from 'node:worker_threads';
import { backendByName } from './backends.js';
import { halfStep, type SharedTraining } from './parallel-shared.js';
import { BATCH, buildModel } from './signglove.js';

const { arch, backend, shared } = workerData as { arch: string; backend: string; shared: SharedTraining };
const kernels = backendByName(backend);
const model = buildModel(arch, kernels);
const params = model.parameters();
const c = shared.control;
model.train(true);
parentPort!.postMessage('ready');

let seen = 0;
for (;;) {
  while (Atomics.load(c, 0) === seen) Atomics.wait(c, 0, seen);
  seen = Atomics.load(c, 0);
  if (Atomics.load(c, 3) === 1) break;
  const from = Atomics.load(c, 2);
  const B = Math.min(BATCH, shared.N - from);
  let o = 0;
  for (const p of params) {
    p.data.set(shared.params.subarray(o, o + p.data.length));
    o += p.data.length;
  }
  model.zeroGrad();
  halfStep(model, shared, from, Math.ceil(B / 2), B, kernels);
  o = 0;
  for (const p of params) {
    shared.grads.set(p.grad, o);
    o += p.grad.length;
  }
  Atomics.store(c, 1, seen);
  Atomics.notify(c, 1);
}

/**
 * A worker thread of DataParallel: one replica of the model; for every batch it copies the
 * published weights, trains on its slice and leaves the slice's gradient in shared memory.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createModel } from '../models/index.js';
import { selectKernels } from '../nn/select-kernels.js';
import { sliceOf, sliceStep, type ReplicaSetup } from './data-parallel.js';

const port = parentPort!;
const s = workerData as ReplicaSetup;
try {
  const model = createModel(s.config, { seed: s.seed, kernels: selectKernels(s.backend) });
  model.train(true);
  const params = model.parameters();
  const x = new Float32Array(s.shared.x);
  const mask = new Uint8Array(s.shared.mask);
  const labels = new Int32Array(s.shared.labels);
  const shared = new Float32Array(s.shared.params);
  const P = shared.length;
  const grads = new Float32Array(s.shared.grads, (s.rank - 1) * P * 4, P);
  const stats = new Float64Array(s.shared.stats, (s.rank - 1) * 16, 2);
  const c = new Int32Array(s.shared.control);
  port.postMessage({ ready: true });

  let seen = 0;
  for (;;) {
    // a blocking wait is fine here: this thread has nothing else to do
    while (Atomics.load(c, 0) === seen) Atomics.wait(c, 0, seen);
    seen = Atomics.load(c, 0);
    if (Atomics.load(c, 3) === 1) break;
    const B = Atomics.load(c, 1);
    let o = 0;
    for (const p of params) {
      p.data.set(shared.subarray(o, o + p.data.length));
      o += p.data.length;
    }
    const [lo, hi] = sliceOf(s.rank, s.workers, B);
    const r = sliceStep(model, x, mask, labels, B, s.T, s.C, lo, hi);
    o = 0;
    for (const p of params) {
      grads.set(p.grad, o);
      o += p.grad.length;
    }
    stats[0] = r.lossSum;
    stats[1] = r.correct;
    Atomics.add(c, 2, 1);
    Atomics.notify(c, 2);
  }
} catch (e) {
  port.postMessage({ error: (e as Error).message });
}

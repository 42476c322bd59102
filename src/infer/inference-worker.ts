/** Worker thread of InferencePool: one network from the bundle bytes, forward passes on request. */
import { parentPort, workerData } from 'node:worker_threads';
import { Predictor, applyTemperature } from './core.js';
import { selectKernels } from '../nn/select-kernels.js';

const port = parentPort!;
try {
  const predictor = Predictor.fromBytes(workerData.bundle as Uint8Array, 'bundle', selectKernels('auto'));
  const K = predictor.info.classes.length;
  port.on('message', (m: { id: number; x: Float32Array; mask: Uint8Array; N: number; T: number }) => {
    try {
      const probs = applyTemperature(predictor.model.forward(m.x, m.N, m.T, m.mask), m.N, K, predictor.meta.temperature ?? 1, false);
      port.postMessage({ id: m.id, probs }, [probs.buffer as ArrayBuffer]);
    } catch (e) {
      port.postMessage({ id: m.id, error: (e as Error).message });
    }
  });
  port.postMessage({ ready: K });
} catch (e) {
  port.postMessage({ error: (e as Error).message });
}

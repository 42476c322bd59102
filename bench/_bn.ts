// Micro timing of the JS layers of the CNN front at the MSStackedGRU shape (N = 87·32 rows).
import { BatchNorm1d } from '../src/nn/batchnorm1d.js';
import { Activation } from '../src/nn/activation.js';
import { Dropout } from '../src/nn/dropout.js';
import { MaxPool1d } from '../src/nn/maxpool1d.js';
import { backendByName } from './backends.js';
import { Rng } from '../src/util/rng.js';
const k = backendByName(process.env.BACKEND ?? 'wasm');
const N = 87 * 32, C = 96;
const x = k.alloc(N * C); const rng = new Rng(3);
for (let i = 0; i < x.length; i++) x[i] = rng.uniform(-2, 2);
const dy = k.alloc(N * C); for (let i = 0; i < dy.length; i++) dy[i] = rng.uniform(-1, 1);
const bn = new BatchNorm1d(k, 'bn', C); bn.training = true;
const relu = new Activation(k, 'relu');
const drop = new Dropout(k, 0.3, rng); drop.training = true;
const pool = new MaxPool1d(k);
const time = (name: string, f: () => void) => {
  for (let i = 0; i < 20; i++) f();
  const ts: number[] = [];
  for (let r = 0; r < 7; r++) { const t = performance.now(); for (let i = 0; i < 50; i++) f(); ts.push((performance.now() - t) / 50); }
  ts.sort((a, b) => a - b);
  console.log(name.padEnd(24), (ts[3]! * 1000).toFixed(0).padStart(6), 'µs', ((ts[3]! * 1e6) / (N * C)).toFixed(2), 'ns/elem');
};
time('bn fwd', () => bn.forward(x, N));
time('bn bwd', () => bn.backward(dy));
time('relu fwd', () => relu.forward(x, N * C));
time('relu bwd', () => relu.backward(dy));
time('dropout fwd', () => drop.forward(x, N * C));
time('dropout bwd', () => drop.backward(dy));
time('pool fwd', () => pool.forward(x, 87, 32, C));
time('pool bwd', () => pool.backward(dy));

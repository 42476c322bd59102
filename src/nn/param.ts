/** Trainable parameters and the small buffer helpers every layer uses. */
import type { Kernels } from './kernels.js';
import type { Rng } from '../util/rng.js';

/** A trainable tensor under its PyTorch state_dict name; grad has the same length as data. */
export interface Param {
  name: string;
  shape: number[];
  data: Float32Array;
  grad: Float32Array;
}

export function createParam(k: Kernels, name: string, shape: number[]): Param {
  const n = shape.reduce((a, b) => a * b, 1);
  return { name, shape, data: k.alloc(n), grad: k.alloc(n) };
}

/** PyTorch's default for Linear/Conv1d/GRU/LSTM weights and biases: U(−bound, bound). */
export function initUniform(p: Param, bound: number, rng: Rng): void {
  for (let i = 0; i < p.data.length; i++) p.data[i] = rng.uniform(-bound, bound);
}

/** Returns buf when it holds at least n floats, else a new backend buffer (buffers only grow). */
export function ensure(k: Kernels, buf: Float32Array, n: number): Float32Array {
  return buf.length >= n ? buf : k.alloc(n);
}

/** Adds the column sums of the rows×cols matrix m into out (bias gradients). */
export function addColumnSums(m: Float32Array, rows: number, cols: number, out: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let j = 0; j < cols; j++) out[j] += m[o + j]!;
  }
}

/** Writes bias into every row of the rows×cols matrix y. */
export function broadcastRows(bias: Float32Array, rows: number, cols: number, y: Float32Array): void {
  for (let r = 0; r < rows; r++) y.set(bias.subarray(0, cols), r * cols);
}

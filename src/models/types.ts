/** The Model contract the training loop and inference call (docs/ARCHITECTURE.md). */
import type { Param } from '../nn/param.js';
import type { ArchConfig } from './config.js';

export type { Param };

export type StateDict = Map<string, { shape: number[]; data: Float32Array }>;

export interface Model {
  readonly config: ArchConfig;
  /** Trainable parameters under their PyTorch state_dict names, in state_dict order. */
  parameters(): Param[];
  /** Dropout and BatchNorm batch statistics when on. */
  train(on: boolean): void;
  readonly training: boolean;
  /** Eval mode of the CNN models runs their fused inference path (default); false: layer by layer. */
  fusedEval: boolean;
  /** x: B×T×inputSize (batch-major), mask: B×T validity (used when config.useMask) → B×numClasses logits (owned by the model). */
  forward(x: Float32Array, B: number, T: number, mask?: Uint8Array): Float32Array;
  /** Accumulates into Param.grad; call after forward. */
  backward(dLogits: Float32Array): void;
  zeroGrad(): void;
  /** Copies of the parameters and BatchNorm buffers, PyTorch names and order. */
  stateDict(): StateDict;
  /** Throws naming missing, unexpected or mis-shaped keys. */
  loadStateDict(sd: StateDict): void;
  /** Gives the model's buffers back to its kernels (WebAssembly arena); the model is unusable after. */
  dispose(): void;
}

/** One state_dict entry: how to read and write it. */
export interface StateEntry {
  name: string;
  shape: number[];
  read(): Float32Array;
  write(d: Float32Array): void;
}

export function paramEntry(p: Param): StateEntry {
  return { name: p.name, shape: p.shape, read: () => p.data, write: (d) => p.data.set(d) };
}

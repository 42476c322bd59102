/**
 * The one model class behind all seven architectures, assembled from the config:
 *   x (B×T×C) → time-major → [RNN family: optional Linear `RNN.0`, RNN `RNN.1` (or `RNN`)]
 *                            [CNN family: CNN front (pool halves T), gru / gru1..gruN]
 *   → the last (valid) step → [CNN family: dropout] → head → logits (B×classes).
 */
import { Dropout } from '../nn/dropout.js';
import type { Kernels } from '../nn/kernels.js';
import { Linear } from '../nn/linear.js';
import { ensure, type Param } from '../nn/param.js';
import { RecurrentStack } from '../nn/rnn.js';
import { StepSelect, lastValidSteps, toTimeMajor } from '../nn/sequence.js';
import { Rng } from '../util/rng.js';
import { CnnFront } from './cnn-front.js';
import { isCnnArch, isStackedCnn, type ArchConfig } from './config.js';
import { Head } from './head.js';
import { paramEntry, type Model, type StateDict, type StateEntry } from './types.js';

export class SequenceModel implements Model {
  /** Set by createModel, which owns the allocation bookkeeping (see nn/owned-kernels.ts). */
  dispose: () => void = () => {};
  training = false;
  /** Eval mode of the CNN models runs CnnFront.forwardEval; false runs the layer-by-layer path. */
  fusedEval = true;
  private readonly dense: Linear | null = null;
  private readonly cnn: CnnFront | null = null;
  private readonly rnns: RecurrentStack[] = [];
  private readonly rnnDrops: Dropout[] = []; // between gru1..gruN, and before the head (CNN family)
  private readonly select: StepSelect;
  private readonly head: Head;
  private readonly entries: StateEntry[];
  private readonly params: Param[];
  private xt: Float32Array;
  private steps = new Int32Array(0);

  constructor(readonly config: ArchConfig, private readonly k: Kernels, seed: number) {
    const c = config;
    const rng = new Rng(seed);
    const dropRng = new Rng((seed ^ 0x5bd1e995) >>> 0);
    const H = c.hidden;
    for (const [name, v] of Object.entries({ inputSize: c.inputSize, numClasses: c.numClasses, hidden: c.hidden, layers: c.layers, headHidden: c.headHidden })) {
      if (!(Number.isInteger(v) && v > 0)) throw new Error(`ArchConfig.${name} must be a positive integer, got ${v}`);
    }
    this.entries = [];
    if (isCnnArch(c.arch)) {
      this.cnn = new CnnFront(k, c.inputSize, c.filters, c.kernels, c.cnnDropout, rng, dropRng);
      this.entries.push(...this.cnn.entries());
      if (isStackedCnn(c.arch)) {
        for (let i = 0; i < c.layers; i++) {
          this.rnns.push(new RecurrentStack(k, `gru${i + 1}`, 'gru', i === 0 ? this.cnn.outChannels : H, H, 1, 0, rng));
        }
      } else {
        this.rnns.push(new RecurrentStack(k, 'gru', 'gru', this.cnn.outChannels, H, c.layers, c.rnnDropout, rng));
      }
      for (let i = 0; i < this.rnns.length; i++) this.rnnDrops.push(new Dropout(k, c.rnnDropout, dropRng));
    } else {
      const cell = c.arch === 'LSTM' ? 'lstm' : 'gru';
      if (c.inputDense > 0) {
        this.dense = new Linear(k, 'RNN.0', c.inputSize, c.inputDense, rng, false);
        this.entries.push(...this.dense.params().map(paramEntry));
        this.rnns.push(new RecurrentStack(k, 'RNN.1', cell, c.inputDense, H, c.layers, c.rnnDropout, rng));
      } else {
        this.rnns.push(new RecurrentStack(k, 'RNN', cell, c.inputSize, H, c.layers, c.rnnDropout, rng, false));
      }
    }
    for (const r of this.rnns) this.entries.push(...r.params().map(paramEntry));
    const cnnStyle = this.cnn !== null;
    this.head = new Head(k, cnnStyle ? 'output_layers' : 'output_layers.output_layers', H, c.headHidden, c.numClasses, c.headDropout, cnnStyle ? 'cnn' : 'rnn', rng, dropRng);
    this.entries.push(...this.head.params().map(paramEntry));
    this.params = [];
    if (this.dense) this.params.push(...this.dense.params());
    if (this.cnn) this.params.push(...this.cnn.params());
    for (const r of this.rnns) this.params.push(...r.params());
    this.params.push(...this.head.params());
    this.select = new StepSelect(k);
    this.xt = k.alloc(0);
  }

  parameters(): Param[] {
    return this.params;
  }

  train(on: boolean): void {
    this.training = on;
    if (this.cnn) this.cnn.training = on;
    for (const r of this.rnns) r.training = on;
    for (const d of this.rnnDrops) d.training = on;
    this.head.training = on;
  }

  forward(x: Float32Array, B: number, T: number, mask?: Uint8Array): Float32Array {
    const { k, config: c } = this;
    const C = c.inputSize;
    if (x.length < B * T * C) throw new Error(`forward: x holds ${x.length} values, B×T×inputSize = ${B}×${T}×${C} needs ${B * T * C}`);
    if (mask && mask.length < B * T) throw new Error(`forward: mask holds ${mask.length} values, B×T needs ${B * T}`);
    if (this.cnn && T < 2) throw new Error(`forward: the CNN models need at least 2 time steps, got ${T}`);
    let h: Float32Array;
    const Tr = this.cnn ? Math.floor(T / 2) : T;
    if (this.cnn && !this.training && this.fusedEval) {
      h = this.cnn.forwardEval(x, T, B); // reads the batch-major input itself
    } else {
      this.xt = ensure(k, this.xt, T * B * C);
      toTimeMajor(x, B, T, C, this.xt);
      h = this.xt;
      if (this.cnn) h = this.cnn.forward(h, T, B);
      else if (this.dense) h = this.dense.forward(h, T * B);
    }
    for (let i = 0; i < this.rnns.length; i++) {
      // stacked CNN models: dropout between gru1..gruN (the last one's dropout comes after selection)
      if (i > 0) h = this.rnnDrops[i - 1]!.forward(h, Tr * B * c.hidden);
      h = this.rnns[i]!.forward(h, Tr, B);
    }
    if (this.steps.length < B) this.steps = new Int32Array(B);
    lastValidSteps(c.useMask ? mask : undefined, B, T, this.cnn ? 2 : 1, this.steps);
    let s = this.select.forward(h, Tr, B, c.hidden, this.steps);
    if (this.cnn) s = this.rnnDrops[this.rnnDrops.length - 1]!.forward(s, B * c.hidden);
    // a view of exactly B×classes (the layer's buffer may be larger after a bigger batch)
    return this.head.forward(s, B).subarray(0, B * c.numClasses);
  }

  backward(dLogits: Float32Array): void {
    let d = this.head.backward(dLogits);
    if (this.cnn) d = this.rnnDrops[this.rnnDrops.length - 1]!.backward(d);
    d = this.select.backward(d);
    for (let i = this.rnns.length - 1; i >= 0; i--) {
      d = this.rnns[i]!.backward(d);
      if (i > 0) d = this.rnnDrops[i - 1]!.backward(d);
    }
    if (this.cnn) this.cnn.backward(d);
    else if (this.dense) this.dense.backward(d);
  }

  zeroGrad(): void {
    for (const p of this.params) p.grad.fill(0);
  }

  stateDict(): StateDict {
    const sd: StateDict = new Map();
    for (const e of this.entries) sd.set(e.name, { shape: [...e.shape], data: e.read().slice() });
    return sd;
  }

  loadStateDict(sd: StateDict): void {
    const want = new Map(this.entries.map((e) => [e.name, e]));
    const missing = [...want.keys()].filter((n) => !sd.has(n));
    const extra = [...sd.keys()].filter((n) => !want.has(n));
    const badShape: string[] = [];
    for (const [n, e] of want) {
      const t = sd.get(n);
      if (!t) continue;
      const size = e.shape.reduce((a, b) => a * b, 1);
      const same = t.shape.length === e.shape.length && t.shape.every((v, i) => v === e.shape[i]);
      if (!same || t.data.length !== size) badShape.push(`${n} (got [${t.shape}], expected [${e.shape}])`);
    }
    if (missing.length || extra.length || badShape.length) {
      const parts = [];
      if (missing.length) parts.push(`missing keys: ${missing.join(', ')}`);
      if (extra.length) parts.push(`unexpected keys: ${extra.join(', ')}`);
      if (badShape.length) parts.push(`wrong shapes: ${badShape.join('; ')}`);
      throw new Error(`loadStateDict (${this.config.arch}): ${parts.join('; ')}`);
    }
    for (const [n, e] of want) e.write(sd.get(n)!.data);
  }
}

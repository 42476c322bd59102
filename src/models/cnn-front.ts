/**
 * The convolutional front of the CNN family on time-major data, T×B×C → ⌊T/2⌋×B×F:
 * one kernel:  cnn = Conv1d · BatchNorm1d · ReLU · MaxPool1d(2) · Dropout
 * several:     towerN = Conv1d(kN) · BatchNorm1d · ReLU each, concatenated on channels, then
 *              cnn_post = BatchNorm1d · ReLU · MaxPool1d(2) · Dropout
 */
import { Activation } from '../nn/activation.js';
import { BatchNorm1d } from '../nn/batchnorm1d.js';
import { concatColumns, splitColumns } from '../nn/concat.js';
import { Conv1d } from '../nn/conv1d.js';
import { Dropout } from '../nn/dropout.js';
import type { Kernels } from '../nn/kernels.js';
import { MaxPool1d } from '../nn/maxpool1d.js';
import { ensure, type Param } from '../nn/param.js';
import type { Rng } from '../util/rng.js';
import { paramEntry, type StateEntry } from './types.js';

interface Tower {
  conv: Conv1d;
  bn: BatchNorm1d;
  relu: Activation;
}

export function bnEntries(bn: BatchNorm1d): StateEntry[] {
  const C = bn.C;
  return [
    paramEntry(bn.weight),
    paramEntry(bn.bias),
    { name: `${bn.prefix}.running_mean`, shape: [C], read: () => bn.runningMean, write: (d) => bn.runningMean.set(d) },
    { name: `${bn.prefix}.running_var`, shape: [C], read: () => bn.runningVar, write: (d) => bn.runningVar.set(d) },
    {
      name: `${bn.prefix}.num_batches_tracked`, shape: [],
      read: () => new Float32Array([bn.numBatchesTracked]), write: (d) => { bn.numBatchesTracked = d[0]!; },
    },
  ];
}

export class CnnFront {
  readonly towers: Tower[] = [];
  readonly post: BatchNorm1d | null;
  private readonly postRelu: Activation;
  private readonly pool: MaxPool1d;
  private readonly drop: Dropout;
  readonly outChannels: number;
  private cat: Float32Array;
  private dTower: Float32Array[] = [];
  private T = 0;
  private B = 0;

  constructor(private readonly k: Kernels, inSize: number, filters: number, kernels: number[], dropout: number, rng: Rng, dropRng: Rng) {
    if (kernels.length === 0) throw new Error('CNN front: at least one kernel size is needed');
    const single = kernels.length === 1;
    kernels.forEach((K, i) => {
      const p = single ? 'cnn' : `tower${i + 1}`;
      this.towers.push({
        conv: new Conv1d(k, `${p}.0`, inSize, filters, K, rng, false),
        bn: new BatchNorm1d(k, `${p}.1`, filters),
        relu: new Activation(k, 'relu'),
      });
    });
    this.outChannels = filters * kernels.length;
    this.post = single ? null : new BatchNorm1d(k, 'cnn_post.0', this.outChannels);
    this.postRelu = new Activation(k, 'relu');
    this.pool = new MaxPool1d(k);
    this.drop = new Dropout(k, dropout, dropRng);
    this.cat = k.alloc(0);
  }

  entries(): StateEntry[] {
    const e: StateEntry[] = [];
    for (const t of this.towers) e.push(...t.conv.params().map(paramEntry), ...bnEntries(t.bn));
    if (this.post) e.push(...bnEntries(this.post));
    return e;
  }

  params(): Param[] {
    const p: Param[] = [];
    for (const t of this.towers) p.push(...t.conv.params(), ...t.bn.params());
    if (this.post) p.push(...this.post.params());
    return p;
  }

  set training(on: boolean) {
    for (const t of this.towers) t.bn.training = on;
    if (this.post) this.post.training = on;
    this.drop.training = on;
  }

  /** x: T×B×in → ⌊T/2⌋×B×outChannels. */
  forward(x: Float32Array, T: number, B: number): Float32Array {
    this.T = T;
    this.B = B;
    const R = T * B;
    const F = this.towers[0]!.conv.cout;
    const outs = this.towers.map((t) => t.relu.forward(t.bn.forward(t.conv.forward(x, T, B), R), R * F));
    let h: Float32Array;
    if (this.post) {
      this.cat = ensure(this.k, this.cat, R * this.outChannels);
      concatColumns(outs, outs.map(() => F), R, this.cat);
      h = this.postRelu.forward(this.post.forward(this.cat, R), R * this.outChannels);
    } else {
      h = outs[0]!;
    }
    const p = this.pool.forward(h, T, B, this.outChannels);
    return this.drop.forward(p, Math.floor(T / 2) * B * this.outChannels);
  }

  /** dy: ⌊T/2⌋×B×outChannels → nothing (the model input needs no gradient). */
  backward(dy: Float32Array): void {
    const R = this.T * this.B;
    const F = this.towers[0]!.conv.cout;
    let d = this.pool.backward(this.drop.backward(dy));
    if (this.post) {
      d = this.post.backward(this.postRelu.backward(d));
      while (this.dTower.length < this.towers.length) this.dTower.push(this.k.alloc(0));
      for (let i = 0; i < this.towers.length; i++) this.dTower[i] = ensure(this.k, this.dTower[i]!, R * F);
      splitColumns(d, this.towers.map(() => F), R, this.dTower);
      this.towers.forEach((t, i) => t.conv.backward(t.bn.backward(t.relu.backward(this.dTower[i]!))));
    } else {
      const t = this.towers[0]!;
      t.conv.backward(t.bn.backward(t.relu.backward(d)));
    }
  }
}

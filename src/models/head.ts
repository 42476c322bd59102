/**
 * The classification head: Linear(in→hidden) · activation · dropout · Linear(hidden→classes),
 * PyTorch Sequential indices 0 and 3 hold the Linears. The RNN family's order is
 * Linear, Dropout, Tanh, Linear; the CNN family's is Linear, ReLU, Dropout, Linear.
 */
import { Activation } from '../nn/activation.js';
import { Dropout } from '../nn/dropout.js';
import type { Kernels } from '../nn/kernels.js';
import { Linear } from '../nn/linear.js';
import type { Param } from '../nn/param.js';
import type { Rng } from '../util/rng.js';

export class Head {
  readonly l0: Linear;
  readonly l3: Linear;
  private readonly act: Activation;
  private readonly drop: Dropout;

  constructor(
    k: Kernels, prefix: string, inSize: number, hidden: number, classes: number, dropout: number,
    private readonly style: 'rnn' | 'cnn', rng: Rng, dropRng: Rng,
  ) {
    this.l0 = new Linear(k, `${prefix}.0`, inSize, hidden, rng);
    this.l3 = new Linear(k, `${prefix}.3`, hidden, classes, rng);
    this.act = new Activation(k, style === 'rnn' ? 'tanh' : 'relu');
    this.drop = new Dropout(k, dropout, dropRng);
  }

  params(): Param[] {
    return [...this.l0.params(), ...this.l3.params()];
  }

  set training(on: boolean) {
    this.drop.training = on;
  }

  /** x: B×in → logits B×classes. */
  forward(x: Float32Array, B: number): Float32Array {
    const n = B * this.l0.outSize;
    let h = this.l0.forward(x, B);
    if (this.style === 'rnn') h = this.act.forward(this.drop.forward(h, n), n);
    else h = this.drop.forward(this.act.forward(h, n), n);
    return this.l3.forward(h, B);
  }

  /** dLogits: B×classes → dx: B×in. */
  backward(dLogits: Float32Array): Float32Array {
    let d = this.l3.backward(dLogits);
    if (this.style === 'rnn') d = this.drop.backward(this.act.backward(d));
    else d = this.act.backward(this.drop.backward(d));
    return this.l0.backward(d);
  }
}

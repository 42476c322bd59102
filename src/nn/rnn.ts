/**
 * A multi-layer GRU or LSTM (PyTorch nn.GRU / nn.LSTM with num_layers, batch_first) on
 * time-major data, with PyTorch's inter-layer dropout on every layer's output except the last.
 */
import type { Kernels } from './kernels.js';
import { Dropout } from './dropout.js';
import { GRULayer } from './gru.js';
import { LSTMLayer } from './lstm.js';
import type { Param } from './param.js';
import type { Rng } from '../util/rng.js';

export type CellKind = 'gru' | 'lstm';

export class RecurrentStack {
  readonly layers: (GRULayer | LSTMLayer)[] = [];
  private readonly drops: Dropout[] = [];
  constructor(
    k: Kernels, prefix: string, readonly cell: CellKind, readonly inSize: number, readonly H: number,
    readonly numLayers: number, dropout: number, rng: Rng, needInputGrad = true,
  ) {
    if (numLayers < 1) throw new Error(`${prefix}: an RNN needs at least 1 layer, got ${numLayers}`);
    for (let l = 0; l < numLayers; l++) {
      const inp = l === 0 ? inSize : H;
      const nig = l === 0 ? needInputGrad : true;
      this.layers.push(cell === 'gru' ? new GRULayer(k, prefix, l, inp, H, rng, nig) : new LSTMLayer(k, prefix, l, inp, H, rng, nig));
      if (l < numLayers - 1) this.drops.push(new Dropout(k, dropout, rng));
    }
  }

  params(): Param[] {
    return this.layers.flatMap((l) => l.params());
  }

  set training(on: boolean) {
    for (const d of this.drops) d.training = on;
  }

  /** x: T×B×in → T×B×H outputs of the last layer. */
  forward(x: Float32Array, T: number, B: number): Float32Array {
    let h = x;
    for (let l = 0; l < this.layers.length; l++) {
      h = this.layers[l]!.forward(h, T, B);
      if (l < this.drops.length) h = this.drops[l]!.forward(h, T * B * this.H);
    }
    return h;
  }

  /** dy: T×B×H → dx: T×B×in. */
  backward(dy: Float32Array): Float32Array {
    let d = dy;
    for (let l = this.layers.length - 1; l >= 0; l--) {
      if (l < this.drops.length) d = this.drops[l]!.backward(d);
      d = this.layers[l]!.backward(d);
    }
    return d;
  }
}

/**
 * The convolutional front of the CNN family on time-major data, T×B×C → ⌊T/2⌋×B×F:
 * one kernel:  cnn = Conv1d · BatchNorm1d · ReLU · MaxPool1d(2) · Dropout
 * several:     towerN = Conv1d(kN) · BatchNorm1d · ReLU each, concatenated on channels, then
 *              cnn_post = BatchNorm1d · ReLU · MaxPool1d(2) · Dropout
 * Inference has its own fused path, forwardEval: the same function with far fewer passes over memory.
 */
import { BatchNorm1d } from '../nn/batchnorm1d.js';
import { Conv1d } from '../nn/conv1d.js';
import { Dropout } from '../nn/dropout.js';
import type { Kernels } from '../nn/kernels.js';
import { MaxPool1d } from '../nn/maxpool1d.js';
import { ensure, type Param } from '../nn/param.js';
import type { Rng } from '../util/rng.js';
import { paramEntry, type StateEntry } from './types.js';

// each BatchNorm1d here runs with its ReLU fused (BatchNorm1d.forward(x, N, true)): the same bits, fewer passes
interface Tower {
  conv: Conv1d;
  bn: BatchNorm1d;
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
  private readonly pool: MaxPool1d;
  private readonly drop: Dropout;
  readonly outChannels: number;
  private cat: Float32Array;
  private dTower: Float32Array[] = [];
  private T = 0;
  private B = 0;
  // forwardEval's buffers: folded tower weights (F × taps·in each), the per-channel bias/scale/shift
  // of the fused pass, the zero-padded input, one chunk of conv output, the pooled result
  private readonly foldedW: Float32Array[];
  private readonly foldedBias: Float32Array;
  private readonly postScale: Float32Array;
  private readonly postShift: Float32Array;
  private xpad: Float32Array;
  private convOut: Float32Array;
  private pooled: Float32Array;

  constructor(private readonly k: Kernels, inSize: number, filters: number, kernels: number[], dropout: number, rng: Rng, dropRng: Rng) {
    if (kernels.length === 0) throw new Error('CNN front: at least one kernel size is needed');
    const single = kernels.length === 1;
    kernels.forEach((taps, i) => {
      const p = single ? 'cnn' : `tower${i + 1}`;
      this.towers.push({
        conv: new Conv1d(k, `${p}.0`, inSize, filters, taps, rng, false),
        bn: new BatchNorm1d(k, `${p}.1`, filters),
      });
    });
    this.outChannels = filters * kernels.length;
    this.post = single ? null : new BatchNorm1d(k, 'cnn_post.0', this.outChannels);
    this.pool = new MaxPool1d(k);
    this.drop = new Dropout(k, dropout, dropRng);
    this.cat = k.alloc(0);
    this.foldedW = this.towers.map((t) => k.alloc(filters * t.conv.taps * inSize));
    this.foldedBias = k.alloc(this.outChannels);
    this.postScale = k.alloc(this.outChannels);
    this.postShift = k.alloc(this.outChannels);
    this.xpad = this.convOut = this.pooled = k.alloc(0);
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
    const outs = this.towers.map((t) => t.bn.forward(t.conv.forward(x, T, B), R, true));
    let h: Float32Array;
    if (this.post) {
      const Ft = this.outChannels;
      this.cat = ensure(this.k, this.cat, R * Ft);
      outs.forEach((o, i) => this.k.copyRows(R, F, o, 0, F, this.cat, i * F, Ft));
      h = this.post.forward(this.cat, R, true);
    } else {
      h = outs[0]!;
    }
    const p = this.pool.forward(h, T, B, this.outChannels);
    return this.drop.forward(p, Math.floor(T / 2) * B * this.outChannels);
  }

  /**
   * Eval mode from batch-major input, x: B×T×in → ⌊T/2⌋×B×outChannels (time-major): the same
   * function as forward() with training off (dropout off, BatchNorm on running statistics),
   * computed with far fewer passes over memory:
   * - each tower's BatchNorm is folded into its convolution's weights and bias;
   * - the episodes lie back to back with P (the largest padding) zero frames around each, so row u
   *   of a tower's im2col matrix is the taps·in floats from frame u on: A needs no copy (lda = in,
   *   rows overlap) and a tower's whole convolution is one gemm, written straight into its
   *   columns of the concatenated output;
   * - bias, ReLU, the post BatchNorm, ReLU and MaxPool are one pass (convPostPool) that also
   *   writes the result time-major for the GRU.
   * Episodes go in chunks, so a chunk's convolution output is still in cache for that pass.
   * Rounding differs from forward() (folded weights, one sum over all taps) by ~1e-7 relative.
   */
  forwardEval(x: Float32Array, T: number, B: number): Float32Array {
    const { k, towers, outChannels: Ft } = this;
    const I = towers[0]!.conv.cin;
    const F = towers[0]!.conv.cout;
    const P = Math.max(...towers.map((t) => (t.conv.taps - 1) / 2));
    const S = T + 2 * P;
    const Tp = Math.floor(T / 2);
    this.fold();
    // zero-padded episodes: frame t of episode b at row b·S + P + t
    this.xpad = ensure(k, this.xpad, B * S * I);
    const xp = this.xpad;
    for (let b = 0; b < B; b++) {
      const at = b * S * I;
      xp.fill(0, at, at + P * I);
      xp.set(x.subarray(b * T * I, (b + 1) * T * I), at + P * I);
      xp.fill(0, at + (P + T) * I, at + S * I);
    }
    // ~256 KB of conv output per chunk (L2-sized), at least one episode
    const chunk = Math.max(1, Math.min(B, Math.floor((64 * 1024) / (S * Ft))));
    this.convOut = ensure(k, this.convOut, chunk * S * Ft);
    this.pooled = ensure(k, this.pooled, Tp * B * Ft);
    for (let b0 = 0; b0 < B; b0 += chunk) {
      const Bc = Math.min(chunk, B - b0);
      const M = (Bc - 1) * S + T; // rows up to the last real frame of the chunk's last episode
      towers.forEach((t, i) => {
        const p = (t.conv.taps - 1) / 2;
        const KI = t.conv.taps * I;
        k.gemm(false, true, M, F, KI, 1, xp, (b0 * S + P - p) * I, I, this.foldedW[i]!, 0, KI, 0, this.convOut, i * F, Ft);
      });
      k.convPostPool(Bc, T, S, Ft, B * Ft, this.convOut, this.foldedBias, this.postScale, this.postShift, this.pooled.subarray(b0 * Ft));
    }
    return this.pooled;
  }

  /** Folds the towers' (and the post) BatchNorm running statistics into forwardEval's buffers. */
  private fold(): void {
    const F = this.towers[0]!.conv.cout;
    this.towers.forEach((t, i) => {
      const { cin: I, taps } = t.conv;
      const w = t.conv.weight.data; // F × I × taps (PyTorch layout)
      const cb = t.conv.bias.data;
      const { weight: g, bias: beta, runningMean: mean, runningVar: v, eps } = t.bn;
      const dst = this.foldedW[i]!; // F × taps·I: [o][tap·I + c], the order of a window's floats
      for (let o = 0; o < F; o++) {
        const s = g.data[o]! / Math.sqrt(v[o]! + eps);
        for (let c = 0; c < I; c++) for (let tap = 0; tap < taps; tap++) dst[o * taps * I + tap * I + c] = w[(o * I + c) * taps + tap]! * s;
        this.foldedBias[i * F + o] = (cb[o]! - mean[o]!) * s + beta.data[o]!;
      }
    });
    const post = this.post;
    for (let c = 0; c < this.outChannels; c++) {
      if (post) {
        const s = post.weight.data[c]! / Math.sqrt(post.runningVar[c]! + post.eps);
        this.postScale[c] = s;
        this.postShift[c] = post.bias.data[c]! - post.runningMean[c]! * s;
      } else {
        // one tower: relu(a)·1 + 0 = relu(a) exactly, so the same pass serves
        this.postScale[c] = 1;
        this.postShift[c] = 0;
      }
    }
  }

  /** dy: ⌊T/2⌋×B×outChannels → nothing (the model input needs no gradient). */
  backward(dy: Float32Array): void {
    const R = this.T * this.B;
    const F = this.towers[0]!.conv.cout;
    let d = this.pool.backward(this.drop.backward(dy));
    if (this.post) {
      d = this.post.backward(d);
      const Ft = this.outChannels;
      while (this.dTower.length < this.towers.length) this.dTower.push(this.k.alloc(0));
      for (let i = 0; i < this.towers.length; i++) {
        this.dTower[i] = ensure(this.k, this.dTower[i]!, R * F);
        this.k.copyRows(R, F, d, i * F, Ft, this.dTower[i]!, 0, F);
      }
      this.towers.forEach((t, i) => t.conv.backward(t.bn.backward(this.dTower[i]!)));
    } else {
      const t = this.towers[0]!;
      t.conv.backward(t.bn.backward(d));
    }
  }
}

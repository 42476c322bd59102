/**
 * One LSTM layer over a time-major sequence (PyTorch nn.LSTM layer l: weight_ih_l{l} 4H×in,
 * weight_hh_l{l} 4H×H, bias_ih_l{l}, bias_hh_l{l}; gates i, f, g, o; h0 = c0 = 0).
 */
import type { Kernels } from './kernels.js';
import { addColumnSums, createParam, ensure, initUniform, type Param } from './param.js';
import type { Rng } from '../util/rng.js';

export class LSTMLayer {
  readonly wIh: Param;
  readonly wHh: Param;
  readonly bIh: Param;
  readonly bHh: Param;
  private x: Float32Array = new Float32Array(0);
  private gates: Float32Array; // T×B×4H: pre-activations, then the activated i, f, g, o
  private c: Float32Array; // T×B×H cell states
  private y: Float32Array; // T×B×H outputs
  private zero: Float32Array; // B×H zeros (h0, c0)
  private bias: Float32Array; // b_ih + b_hh
  private dG: Float32Array;
  private dh: Float32Array;
  private dc: Float32Array;
  private dx: Float32Array;
  private readonly ones = { buf: new Float32Array(0) };
  private T = 0;
  private B = 0;

  constructor(
    private readonly k: Kernels, prefix: string, layer: number,
    readonly inSize: number, readonly H: number, rng: Rng, private readonly needInputGrad = true,
  ) {
    const s = `_l${layer}`;
    this.wIh = createParam(k, `${prefix}.weight_ih${s}`, [4 * H, inSize]);
    this.wHh = createParam(k, `${prefix}.weight_hh${s}`, [4 * H, H]);
    this.bIh = createParam(k, `${prefix}.bias_ih${s}`, [4 * H]);
    this.bHh = createParam(k, `${prefix}.bias_hh${s}`, [4 * H]);
    const bound = 1 / Math.sqrt(H);
    for (const p of this.params()) initUniform(p, bound, rng);
    this.bias = k.alloc(4 * H);
    this.gates = this.c = this.y = this.zero = this.dG = this.dh = this.dc = this.dx = k.alloc(0);
  }

  params(): Param[] {
    return [this.wIh, this.wHh, this.bIh, this.bHh];
  }

  /** x: T×B×in (time-major) → y: T×B×H (owned by the layer). */
  forward(x: Float32Array, T: number, B: number): Float32Array {
    const { k, H, inSize: I } = this;
    const G = 4 * H;
    const R = T * B;
    this.x = x;
    this.T = T;
    this.B = B;
    this.gates = ensure(k, this.gates, R * G);
    this.c = ensure(k, this.c, R * H);
    this.y = ensure(k, this.y, R * H);
    this.zero = ensure(k, this.zero, B * H);
    const { gates, c, y, bias } = this;
    for (let j = 0; j < G; j++) bias[j] = this.bIh.data[j]! + this.bHh.data[j]!;
    k.gemmBias(R, G, I, x, 0, I, this.wIh.data, 0, I, bias, gates, 0, G);
    k.lstmSequenceForward(T, B, H, gates, this.wHh.data, this.zero, c, y);
    return y;
  }

  /** dy: T×B×H → dx: T×B×in; accumulates all four gradients. */
  backward(dy: Float32Array): Float32Array {
    const { k, H, inSize: I, T, B } = this;
    const G = 4 * H;
    const R = T * B;
    this.dG = ensure(k, this.dG, R * G);
    this.dh = ensure(k, this.dh, B * H);
    this.dc = ensure(k, this.dc, B * H);
    const { gates, c, y, dG, dh, dc } = this;
    dh.fill(0, 0, B * H);
    dc.fill(0, 0, B * H);
    k.lstmSequenceBackward(T, B, H, gates, this.wHh.data, this.zero, c, dy, dh, dc, dG);
    k.gemm(true, false, G, I, R, 1, dG, 0, G, this.x, 0, I, 1, this.wIh.grad, 0, I);
    if (T > 1) k.gemm(true, false, G, H, (T - 1) * B, 1, dG, B * G, G, y, 0, H, 1, this.wHh.grad, 0, H);
    addColumnSums(this.k, dG, R, G, this.bIh.grad, this.ones);
    addColumnSums(this.k, dG, R, G, this.bHh.grad, this.ones);
    if (!this.needInputGrad) return this.dx;
    this.dx = ensure(k, this.dx, R * I);
    k.gemm(false, false, R, I, G, 1, dG, 0, G, this.wIh.data, 0, I, 0, this.dx, 0, I);
    return this.dx;
  }
}

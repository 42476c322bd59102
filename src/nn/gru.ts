/**
 * One GRU layer over a time-major sequence (PyTorch nn.GRU layer l: weight_ih_l{l} 3H×in,
 * weight_hh_l{l} 3H×H, bias_ih_l{l}, bias_hh_l{l}; gates r, z, n; h0 = 0).
 * Input projections of all steps are one gemm; the recurrence is one whole-layer kernel call
 * (each step one B×H·H×3H gemm plus the fused cell, see Kernels.gruSequenceForward).
 */
import type { Kernels } from './kernels.js';
import { addColumnSums, createParam, ensure, initUniform, type Param } from './param.js';
import type { Rng } from '../util/rng.js';

export class GRULayer {
  readonly wIh: Param;
  readonly wHh: Param;
  readonly bIh: Param;
  readonly bHh: Param;
  private x: Float32Array = new Float32Array(0);
  private gates: Float32Array; // T×B×3H: x-projections, then the activated r, z, n
  private gh: Float32Array; // T×B×3H: h-projections (+ b_hh), kept for the reset gate's backward
  private y: Float32Array; // T×B×H outputs
  private h0: Float32Array; // B×H zeros
  private dGx: Float32Array;
  private dGh: Float32Array;
  private dh: Float32Array; // B×H running dL/dh
  private dx: Float32Array;
  private readonly ones = { buf: new Float32Array(0) };
  private T = 0;
  private B = 0;

  constructor(
    private readonly k: Kernels, prefix: string, layer: number,
    readonly inSize: number, readonly H: number, rng: Rng, private readonly needInputGrad = true,
  ) {
    const s = `_l${layer}`;
    this.wIh = createParam(k, `${prefix}.weight_ih${s}`, [3 * H, inSize]);
    this.wHh = createParam(k, `${prefix}.weight_hh${s}`, [3 * H, H]);
    this.bIh = createParam(k, `${prefix}.bias_ih${s}`, [3 * H]);
    this.bHh = createParam(k, `${prefix}.bias_hh${s}`, [3 * H]);
    const bound = 1 / Math.sqrt(H);
    for (const p of this.params()) initUniform(p, bound, rng);
    this.gates = this.gh = this.y = this.h0 = this.dGx = this.dGh = this.dh = this.dx = k.alloc(0);
  }

  params(): Param[] {
    return [this.wIh, this.wHh, this.bIh, this.bHh];
  }

  /** x: T×B×in (time-major) → y: T×B×H (owned by the layer). */
  forward(x: Float32Array, T: number, B: number): Float32Array {
    const { k, H, inSize: I } = this;
    const G = 3 * H;
    const R = T * B;
    this.x = x;
    this.T = T;
    this.B = B;
    this.gates = ensure(k, this.gates, R * G);
    this.gh = ensure(k, this.gh, R * G);
    this.y = ensure(k, this.y, R * H);
    this.h0 = ensure(k, this.h0, B * H);
    const { gates, gh, y } = this;
    k.gemmBias(R, G, I, x, 0, I, this.wIh.data, 0, I, this.bIh.data, gates, 0, G);
    k.gruSequenceForward(T, B, H, gates, gh, this.wHh.data, this.bHh.data, this.h0, y);
    return y;
  }

  /** dy: T×B×H (gradient of every output) → dx: T×B×in; accumulates all four gradients. */
  backward(dy: Float32Array): Float32Array {
    const { k, H, inSize: I, T, B } = this;
    const G = 3 * H;
    const R = T * B;
    this.dGx = ensure(k, this.dGx, R * G);
    this.dGh = ensure(k, this.dGh, R * G);
    this.dh = ensure(k, this.dh, B * H);
    const { gates, gh, y, dGx, dGh, dh } = this;
    dh.fill(0, 0, B * H);
    k.gruSequenceBackward(T, B, H, gates, gh, this.wHh.data, this.h0, y, dy, dh, dGx, dGh);
    // weight gradients over all steps at once
    k.gemm(true, false, G, I, R, 1, dGx, 0, G, this.x, 0, I, 1, this.wIh.grad, 0, I);
    if (T > 1) k.gemm(true, false, G, H, (T - 1) * B, 1, dGh, B * G, G, y, 0, H, 1, this.wHh.grad, 0, H);
    addColumnSums(this.k, dGx, R, G, this.bIh.grad, this.ones);
    addColumnSums(this.k, dGh, R, G, this.bHh.grad, this.ones);
    if (!this.needInputGrad) return this.dx;
    this.dx = ensure(k, this.dx, R * I);
    k.gemm(false, false, R, I, G, 1, dGx, 0, G, this.wIh.data, 0, I, 0, this.dx, 0, I);
    return this.dx;
  }
}


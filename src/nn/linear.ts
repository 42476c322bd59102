/** Linear layer y = x·Wᵀ + b over N rows (PyTorch nn.Linear: weight out×in, bias out). */
import type { Kernels } from './kernels.js';
import { addColumnSums, createParam, ensure, initUniform, type Param } from './param.js';
import type { Rng } from '../util/rng.js';

export class Linear {
  readonly weight: Param;
  readonly bias: Param;
  private x: Float32Array = new Float32Array(0);
  private y: Float32Array;
  private dx: Float32Array;
  private readonly ones = { buf: new Float32Array(0) };
  private N = 0;

  constructor(
    private readonly k: Kernels, prefix: string, readonly inSize: number, readonly outSize: number, rng: Rng,
    /** false for a first layer whose input needs no gradient */
    private readonly needInputGrad = true,
  ) {
    this.weight = createParam(k, `${prefix}.weight`, [outSize, inSize]);
    this.bias = createParam(k, `${prefix}.bias`, [outSize]);
    const bound = 1 / Math.sqrt(inSize);
    initUniform(this.weight, bound, rng);
    initUniform(this.bias, bound, rng);
    this.y = k.alloc(0);
    this.dx = k.alloc(0);
  }

  params(): Param[] {
    return [this.weight, this.bias];
  }

  /** x: N×in → y: N×out (owned by the layer, valid until the next forward). */
  forward(x: Float32Array, N: number): Float32Array {
    const { inSize: I, outSize: O } = this;
    this.x = x;
    this.N = N;
    this.y = ensure(this.k, this.y, N * O);
    this.k.gemmBias(N, O, I, x, 0, I, this.weight.data, 0, I, this.bias.data, this.y, 0, O);
    return this.y;
  }

  /** dy: N×out → dx: N×in; accumulates dW (out×in) += dyᵀ·x and db += Σ dy. */
  backward(dy: Float32Array): Float32Array {
    const { inSize: I, outSize: O, N } = this;
    this.k.gemm(true, false, O, I, N, 1, dy, 0, O, this.x, 0, I, 1, this.weight.grad, 0, I);
    addColumnSums(this.k, dy, N, O, this.bias.grad, this.ones);
    if (!this.needInputGrad) return this.dx;
    this.dx = ensure(this.k, this.dx, N * I);
    this.k.gemm(false, false, N, I, O, 1, dy, 0, O, this.weight.data, 0, I, 0, this.dx, 0, I);
    return this.dx;
  }
}

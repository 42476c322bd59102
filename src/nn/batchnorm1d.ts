/**
 * BatchNorm1d over N rows × C channels (for a sequence, N = T·B: PyTorch normalises each channel
 * over batch and time). Training: batch statistics (biased variance), running mean/var updated with
 * momentum and the unbiased variance, num_batches_tracked += 1. Eval: the running statistics.
 */
import type { Kernels } from './kernels.js';
import { createParam, ensure, type Param } from './param.js';

export class BatchNorm1d {
  training = false;
  readonly weight: Param;
  readonly bias: Param;
  readonly runningMean: Float32Array;
  readonly runningVar: Float32Array;
  numBatchesTracked = 0;
  private readonly mean: Float64Array;
  private readonly invStd: Float64Array;
  private readonly acc1: Float64Array; // per-channel sums (scratch)
  private readonly acc2: Float64Array;
  // per-channel float32 vectors for the N×C passes (backend buffers)
  private readonly mean32: Float32Array;
  private readonly invStd32: Float32Array;
  private readonly k1: Float32Array;
  private readonly k2: Float32Array;
  private readonly k3: Float32Array;
  private xhat: Float32Array;
  private y: Float32Array;
  private dx: Float32Array;
  private N = 0;
  private usedBatchStats = false;
  private relu = false;

  constructor(
    private readonly k: Kernels, readonly prefix: string, readonly C: number,
    readonly momentum = 0.1, readonly eps = 1e-5,
  ) {
    this.weight = createParam(k, `${prefix}.weight`, [C]);
    this.bias = createParam(k, `${prefix}.bias`, [C]);
    this.weight.data.fill(1);
    this.runningMean = new Float32Array(C);
    this.runningVar = new Float32Array(C).fill(1);
    this.mean = new Float64Array(C);
    this.invStd = new Float64Array(C);
    this.acc1 = new Float64Array(C);
    this.acc2 = new Float64Array(C);
    this.mean32 = k.alloc(C);
    this.invStd32 = k.alloc(C);
    this.k1 = k.alloc(C);
    this.k2 = k.alloc(C);
    this.k3 = k.alloc(C);
    this.xhat = this.y = this.dx = k.alloc(0);
  }

  params(): Param[] {
    return [this.weight, this.bias];
  }

  /**
   * x: N×C → y: N×C. relu: y = ReLU(BatchNorm(x)) in the same pass (and backward takes the
   * ReLU's gradient too): the same bits as a separate ReLU after it, one pass less each way.
   */
  forward(x: Float32Array, N: number, relu = false): Float32Array {
    const { C, mean, invStd } = this;
    this.N = N;
    this.relu = relu;
    this.xhat = ensure(this.k, this.xhat, N * C);
    this.y = ensure(this.k, this.y, N * C);
    this.usedBatchStats = this.training;
    if (this.training) {
      if (N < 2) throw new Error(`${this.prefix}: BatchNorm1d in training needs more than 1 value per channel, got ${N}`);
      // one pass: float64 sums of x and x² (exact enough for float32 data of any offset)
      const { acc1: s1, acc2: s2 } = this;
      this.k.colSums2(N, C, x, x, s1, s2);
      const m = this.momentum;
      for (let c = 0; c < C; c++) {
        mean[c] = s1[c]! / N;
        const ss = Math.max(0, s2[c]! - s1[c]! * mean[c]!); // Σ(x − mean)²
        const v = ss / N;
        invStd[c] = 1 / Math.sqrt(v + this.eps);
        this.runningMean[c] = (1 - m) * this.runningMean[c]! + m * mean[c]!;
        this.runningVar[c] = (1 - m) * this.runningVar[c]! + m * (ss / (N - 1));
      }
      this.numBatchesTracked++;
    } else {
      for (let c = 0; c < C; c++) {
        mean[c] = this.runningMean[c]!;
        invStd[c] = 1 / Math.sqrt(this.runningVar[c]! + this.eps);
      }
    }
    for (let c = 0; c < C; c++) { this.mean32[c] = mean[c]!; this.invStd32[c] = invStd[c]!; }
    if (relu) this.k.bnReluForward(N, C, x, this.mean32, this.invStd32, this.weight.data, this.bias.data, this.xhat, this.y);
    else this.k.bnForward(N, C, x, this.mean32, this.invStd32, this.weight.data, this.bias.data, this.xhat, this.y);
    return this.y;
  }

  /** dy: N×C → dx: N×C; accumulates dγ = Σ dy·x̂, dβ = Σ dy (dy through the ReLU when forward had one). */
  backward(dy: Float32Array): Float32Array {
    const { C, N, xhat, invStd } = this;
    this.dx = ensure(this.k, this.dx, N * C);
    const dx = this.dx;
    const { acc1: sumDy, acc2: sumDyXhat, k1, k2, k3 } = this;
    if (this.relu) this.k.reluColSums2(N, C, this.y, dy, xhat, sumDy, sumDyXhat);
    else this.k.colSums2(N, C, dy, xhat, sumDy, sumDyXhat);
    const g = this.weight.data;
    for (let c = 0; c < C; c++) {
      this.weight.grad[c] += sumDyXhat[c]!;
      this.bias.grad[c] += sumDy[c]!;
      // batch statistics: dx = γ·invStd·(dy − mean(dy) − x̂·mean(dy·x̂)); running ones: dx = γ·invStd·dy
      k1[c] = g[c]! * invStd[c]!;
      k2[c] = this.usedBatchStats ? sumDy[c]! / N : 0;
      k3[c] = this.usedBatchStats ? sumDyXhat[c]! / N : 0;
    }
    if (this.relu) this.k.reluBnBackward(N, C, this.y, dy, xhat, k1, k2, k3, dx);
    else this.k.bnBackward(N, C, dy, xhat, k1, k2, k3, dx);
    return dx;
  }
}

/**
 * Conv1d with zero "same" padding (odd kernel taps, padding taps//2, stride 1) on time-major data
 * T×B×Cin → T×B×Cout (PyTorch nn.Conv1d: weight Cout×Cin×taps, bias Cout).
 * Forward and the weight gradient are one gemm each over the im2col matrix (T·B × taps·Cin): with
 * Cin = 8 a gemm per tap had K = 8 and read and wrote the whole output once per tap. The input
 * gradient (when needed) is one gemm per tap: dx[t + k − pad] += dy[t] · W[:, :, k].
 */
import type { Kernels } from './kernels.js';
import { addColumnSums, createParam, ensure, initUniform, type Param } from './param.js';
import type { Rng } from '../util/rng.js';

export class Conv1d {
  readonly weight: Param;
  readonly bias: Param;
  private readonly pad: number;
  private readonly wTap: Float32Array; // taps×Cout×Cin: the weight repacked per tap (input gradient)
  private readonly wCol: Float32Array; // Cout × taps·Cin: the weight in im2col order [o][tap·Cin + c]
  private readonly dwCol: Float32Array;
  private col: Float32Array; // T·B × taps·Cin
  private y: Float32Array;
  private dx: Float32Array;
  private readonly ones = { buf: new Float32Array(0) };
  private T = 0;
  private B = 0;

  constructor(
    private readonly k: Kernels, prefix: string, readonly cin: number, readonly cout: number, readonly taps: number,
    rng: Rng, private readonly needInputGrad = true,
  ) {
    if (taps % 2 !== 1) throw new Error(`${prefix}: Conv1d "same" padding needs an odd kernel, got ${taps}`);
    this.pad = (taps - 1) / 2;
    this.weight = createParam(k, `${prefix}.weight`, [cout, cin, taps]);
    this.bias = createParam(k, `${prefix}.bias`, [cout]);
    const bound = 1 / Math.sqrt(cin * taps);
    initUniform(this.weight, bound, rng);
    initUniform(this.bias, bound, rng);
    this.wTap = k.alloc(taps * cout * cin);
    this.wCol = k.alloc(taps * cout * cin);
    this.dwCol = k.alloc(taps * cout * cin);
    this.y = this.dx = this.col = k.alloc(0);
  }

  params(): Param[] {
    return [this.weight, this.bias];
  }

  /** Rows [lo, hi) of the output that tap k reaches, and the input shift. */
  private range(tap: number, T: number): [number, number, number] {
    const s = tap - this.pad;
    return [Math.max(0, -s), Math.min(T, T - s), s];
  }

  /** x: T×B×Cin → y: T×B×Cout. */
  forward(x: Float32Array, T: number, B: number): Float32Array {
    const { k, cin: I, cout: O, taps } = this;
    this.T = T;
    this.B = B;
    const w = this.weight.data;
    const KI = taps * I;
    for (let o = 0; o < O; o++) for (let i = 0; i < I; i++) for (let t = 0; t < taps; t++) this.wCol[o * KI + t * I + i] = w[(o * I + i) * taps + t]!;
    const R = T * B;
    this.col = ensure(k, this.col, R * KI);
    k.im2colTime(T, B, I, taps, x, this.col);
    this.y = ensure(k, this.y, R * O);
    k.gemmBias(R, O, KI, this.col, 0, KI, this.wCol, 0, KI, this.bias.data, this.y, 0, O);
    return this.y;
  }

  /** dy: T×B×Cout → dx: T×B×Cin; accumulates weight and bias gradients. */
  backward(dy: Float32Array): Float32Array {
    const { k, cin: I, cout: O, taps, T, B } = this;
    const KI = taps * I;
    const R = T * B;
    k.gemm(true, false, O, KI, R, 1, dy, 0, O, this.col, 0, KI, 0, this.dwCol, 0, KI);
    const g = this.weight.grad;
    for (let o = 0; o < O; o++) for (let i = 0; i < I; i++) for (let t = 0; t < taps; t++) g[(o * I + i) * taps + t] += this.dwCol[o * KI + t * I + i]!;
    if (this.needInputGrad) {
      const w = this.weight.data;
      for (let o = 0; o < O; o++) for (let i = 0; i < I; i++) for (let t = 0; t < taps; t++) this.wTap[(t * O + o) * I + i] = w[(o * I + i) * taps + t]!;
      this.dx = ensure(k, this.dx, R * I);
      this.dx.fill(0, 0, R * I);
      for (let tap = 0; tap < taps; tap++) {
        const [lo, hi, s] = this.range(tap, T);
        if (hi <= lo) continue;
        k.gemm(false, false, (hi - lo) * B, I, O, 1, dy, lo * B * O, O, this.wTap, tap * O * I, I, 1, this.dx, (lo + s) * B * I, I);
      }
    }
    addColumnSums(this.k, dy, T * B, O, this.bias.grad, this.ones);
    return this.dx;
  }
}

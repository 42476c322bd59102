/**
 * Conv1d with zero "same" padding (odd kernel taps, padding taps//2, stride 1) on time-major data
 * T×B×Cin → T×B×Cout (PyTorch nn.Conv1d: weight Cout×Cin×taps, bias Cout).
 * Time-major makes every kernel tap one gemm over a contiguous block of rows, with no im2col:
 * y[t] += x[t + k − pad] · W[:, :, k]ᵀ.
 */
import type { Kernels } from './kernels.js';
import { addColumnSums, createParam, ensure, initUniform, type Param } from './param.js';
import type { Rng } from '../util/rng.js';

export class Conv1d {
  readonly weight: Param;
  readonly bias: Param;
  private readonly pad: number;
  private readonly wTap: Float32Array; // taps×Cout×Cin: the weight repacked per tap
  private readonly dwTap: Float32Array;
  private x: Float32Array = new Float32Array(0);
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
    this.dwTap = k.alloc(taps * cout * cin);
    this.y = this.dx = k.alloc(0);
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
    this.x = x;
    this.T = T;
    this.B = B;
    const w = this.weight.data;
    for (let o = 0; o < O; o++) for (let i = 0; i < I; i++) for (let t = 0; t < taps; t++) this.wTap[(t * O + o) * I + i] = w[(o * I + i) * taps + t]!;
    this.y = ensure(k, this.y, T * B * O);
    k.fillRows(T * B, O, this.bias.data, this.y);
    for (let tap = 0; tap < taps; tap++) {
      const [lo, hi, s] = this.range(tap, T);
      if (hi <= lo) continue;
      k.gemm(false, true, (hi - lo) * B, O, I, 1, x, (lo + s) * B * I, I, this.wTap, tap * O * I, I, 1, this.y, lo * B * O, O);
    }
    return this.y;
  }

  /** dy: T×B×Cout → dx: T×B×Cin; accumulates weight and bias gradients. */
  backward(dy: Float32Array): Float32Array {
    const { k, cin: I, cout: O, taps, T, B } = this;
    this.dwTap.fill(0);
    if (this.needInputGrad) {
      this.dx = ensure(k, this.dx, T * B * I);
      this.dx.fill(0, 0, T * B * I);
    }
    for (let tap = 0; tap < taps; tap++) {
      const [lo, hi, s] = this.range(tap, T);
      if (hi <= lo) continue;
      const rows = (hi - lo) * B;
      k.gemm(true, false, O, I, rows, 1, dy, lo * B * O, O, this.x, (lo + s) * B * I, I, 1, this.dwTap, tap * O * I, I);
      if (this.needInputGrad) k.gemm(false, false, rows, I, O, 1, dy, lo * B * O, O, this.wTap, tap * O * I, I, 1, this.dx, (lo + s) * B * I, I);
    }
    const g = this.weight.grad;
    for (let o = 0; o < O; o++) for (let i = 0; i < I; i++) for (let t = 0; t < taps; t++) g[(o * I + i) * taps + t] += this.dwTap[(t * O + o) * I + i]!;
    addColumnSums(this.k, dy, T * B, O, this.bias.grad, this.ones);
    return this.dx;
  }
}

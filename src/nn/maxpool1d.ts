/** MaxPool1d(kernel = stride = 2) over time on time-major data: T×B×C → ⌊T/2⌋×B×C. */
import type { Kernels } from './kernels.js';
import { ensure } from './param.js';

export class MaxPool1d {
  private arg = new Uint8Array(0); // 1 when the later of the two steps won
  private y: Float32Array;
  private dx: Float32Array;
  private T = 0;
  private rowLen = 0;

  constructor(private readonly k: Kernels) {
    this.y = this.dx = k.alloc(0);
  }

  /** x: T×B×C → y: ⌊T/2⌋×B×C; ties go to the earlier step like PyTorch. */
  forward(x: Float32Array, T: number, B: number, C: number): Float32Array {
    const Tp = Math.floor(T / 2);
    const L = B * C;
    this.T = T;
    this.rowLen = L;
    this.y = ensure(this.k, this.y, Tp * L);
    if (this.arg.length < Tp * L) this.arg = new Uint8Array(Tp * L);
    const { y, arg } = this;
    for (let t = 0; t < Tp; t++) {
      const a = 2 * t * L;
      const b = a + L;
      const o = t * L;
      for (let i = 0; i < L; i++) {
        const u = x[a + i]!;
        const v = x[b + i]!;
        // NaN propagates like PyTorch: a NaN later value wins
        if (v > u || v !== v) { y[o + i] = v; arg[o + i] = 1; } else { y[o + i] = u; arg[o + i] = 0; }
      }
    }
    return y;
  }

  /** dy: ⌊T/2⌋×B×C → dx: T×B×C (a dropped odd last step gets zero). */
  backward(dy: Float32Array): Float32Array {
    const { T, rowLen: L } = this;
    const Tp = Math.floor(T / 2);
    this.dx = ensure(this.k, this.dx, T * L);
    const dx = this.dx;
    dx.fill(0, 0, T * L);
    for (let t = 0; t < Tp; t++) {
      const o = t * L;
      for (let i = 0; i < L; i++) dx[(2 * t + this.arg[o + i]!) * L + i] = dy[o + i]!;
    }
    return dx;
  }
}

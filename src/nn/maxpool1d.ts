/** MaxPool1d(kernel = stride = 2) over time on time-major data: T×B×C → ⌊T/2⌋×B×C. */
import type { Kernels } from './kernels.js';
import { ensure } from './param.js';

export class MaxPool1d {
  private x: Float32Array = new Float32Array(0); // the input, to find the winners again in backward
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
    this.x = x;
    this.k.maxPool2Forward(Tp, L, x, this.y);
    return this.y;
  }

  /** dy: ⌊T/2⌋×B×C → dx: T×B×C (a dropped odd last step gets zero). */
  backward(dy: Float32Array): Float32Array {
    const { T, rowLen: L } = this;
    const Tp = Math.floor(T / 2);
    this.dx = ensure(this.k, this.dx, T * L);
    this.k.maxPool2Backward(T, Tp, L, this.x, dy, this.dx);
    return this.dx;
  }
}

/** Element-wise activations with cached outputs for backward. */
import type { Kernels } from './kernels.js';

export type ActivationKind = 'relu' | 'tanh';

export class Activation {
  private y: Float32Array = new Float32Array(0);
  private dx: Float32Array = new Float32Array(0);
  private n = 0;

  constructor(private readonly k: Kernels, readonly kind: ActivationKind) {}

  /** x: n floats → y: n floats (owned by the layer). */
  forward(x: Float32Array, n: number): Float32Array {
    if (this.y.length < n) this.y = this.k.alloc(n);
    const y = this.y;
    this.n = n;
    if (this.kind === 'relu') this.k.reluForward(n, x, y);
    else for (let i = 0; i < n; i++) y[i] = Math.tanh(x[i]!);
    return y;
  }

  /** dy: n → dx: n, using the cached output (relu′ = [y>0], tanh′ = 1 − y²). */
  backward(dy: Float32Array): Float32Array {
    const n = this.n;
    if (this.dx.length < n) this.dx = this.k.alloc(n);
    const { y, dx } = this;
    if (this.kind === 'relu') this.k.reluBackward(n, y, dy, dx);
    else for (let i = 0; i < n; i++) { const t = y[i]!; dx[i] = dy[i]! * (1 - t * t); }
    return dx;
  }
}

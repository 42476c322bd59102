/** Inverted dropout: in training, zero with probability p and scale the rest by 1/(1−p). */
import type { Kernels } from './kernels.js';
import type { Rng } from '../util/rng.js';

export class Dropout {
  training = false;
  private mask: Float32Array = new Float32Array(0); // 0 or 1/(1−p) per element
  private draws: Float32Array = new Float32Array(0); // the uint32 draws behind mask, as raw bits
  private y: Float32Array = new Float32Array(0);
  private dx: Float32Array = new Float32Array(0);
  private n = 0;
  private active = false;

  constructor(private readonly k: Kernels, readonly p: number, private readonly rng: Rng) {
    if (!(p >= 0 && p < 1)) throw new Error(`Dropout: p must be in [0, 1), got ${p}`);
  }

  /** x: n → y: n; the identity (x itself) in eval mode or when p = 0. */
  forward(x: Float32Array, n: number): Float32Array {
    this.n = n;
    this.active = this.training && this.p > 0;
    if (!this.active) return x;
    if (this.y.length < n) {
      this.y = this.k.alloc(n);
      this.mask = this.k.alloc(n);
      this.draws = this.k.alloc(n);
    }
    const scale = 1 / (1 - this.p);
    // integer threshold: P(u32 < p·2³²) = p, without a float division per element
    const thr = Math.floor(this.p * 4294967296);
    const d = this.draws;
    this.rng.fillUint32(new Uint32Array(d.buffer, d.byteOffset, n), n);
    this.k.dropoutForward(n, d, thr, scale, x, this.mask, this.y);
    return this.y;
  }

  backward(dy: Float32Array): Float32Array {
    if (!this.active) return dy;
    const n = this.n;
    if (this.dx.length < n) this.dx = this.k.alloc(n);
    this.k.mul(n, dy, this.mask, this.dx);
    return this.dx;
  }
}

/**
 * Layout changes and step selection on sequences: batch-major B×T×C (the model input) versus
 * time-major T×B×C (what the recurrent and convolutional layers use, so that one time step of a
 * batch is a contiguous B×C block).
 */
import type { Kernels } from './kernels.js';
import { ensure } from './param.js';

/** x: B×T×C → out: T×B×C. */
export function toTimeMajor(x: Float32Array, B: number, T: number, C: number, out: Float32Array): void {
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const src = (b * T + t) * C;
      const dst = (t * B + b) * C;
      for (let c = 0; c < C; c++) out[dst + c] = x[src + c]!;
    }
  }
}

/**
 * The index of the last valid step of each episode from a B×T validity mask (the last t with
 * mask ≠ 0; T−1 when no mask is given or an episode has no valid step), mapped to a sequence
 * shortened by `pool` (MaxPool with kernel = stride = pool): the valid length L becomes
 * max(1, ⌊L/pool⌋).
 */
export function lastValidSteps(mask: Uint8Array | undefined, B: number, T: number, pool: number, out: Int32Array): void {
  const Tp = Math.floor(T / pool);
  for (let b = 0; b < B; b++) {
    let L = T;
    if (mask) {
      L = 0;
      for (let t = T - 1; t >= 0; t--) if (mask[b * T + t] !== 0) { L = t + 1; break; }
      if (L === 0) L = T;
    }
    const Lp = Math.min(Tp, Math.max(1, Math.floor(L / pool)));
    out[b] = Lp - 1;
  }
}

/** Picks one time step per episode: y (T×B×H, time-major) → B×H; backward scatters back. */
export class StepSelect {
  private idx = new Int32Array(0);
  private out: Float32Array;
  private dy: Float32Array;
  private T = 0;
  private B = 0;
  private H = 0;

  constructor(private readonly k: Kernels) {
    this.out = this.dy = k.alloc(0);
  }

  /** y: T×B×H, steps: B indices in [0, T) → B×H. */
  forward(y: Float32Array, T: number, B: number, H: number, steps: Int32Array): Float32Array {
    this.T = T;
    this.B = B;
    this.H = H;
    if (this.idx.length < B) this.idx = new Int32Array(B);
    this.out = ensure(this.k, this.out, B * H);
    for (let b = 0; b < B; b++) {
      const t = steps[b]!;
      if (!(t >= 0 && t < T)) throw new Error(`StepSelect: step ${t} of episode ${b} is outside 0..${T - 1}`);
      this.idx[b] = t;
      const src = (t * B + b) * H;
      this.out.set(y.subarray(src, src + H), b * H);
    }
    return this.out;
  }

  /** dOut: B×H → dy: T×B×H (zero except at the selected steps). */
  backward(dOut: Float32Array): Float32Array {
    const { T, B, H } = this;
    this.dy = ensure(this.k, this.dy, T * B * H);
    this.dy.fill(0, 0, T * B * H);
    for (let b = 0; b < B; b++) {
      const dst = (this.idx[b]! * B + b) * H;
      this.dy.set(dOut.subarray(b * H, b * H + H), dst);
    }
    return this.dy;
  }
}

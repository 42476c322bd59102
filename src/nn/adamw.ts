/**
 * AdamW with PyTorch's semantics (torch.optim.AdamW, amsgrad off): decoupled weight decay
 * p ← p·(1 − lr·wd), then the bias-corrected Adam step p ← p − lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + ε).
 */
import type { Param } from './param.js';

export interface AdamWOptions {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  /** PyTorch's default is 0.01. */
  weightDecay?: number;
}

export interface AdamWState {
  step: number;
  lr: number;
  m: Record<string, Float32Array>;
  v: Record<string, Float32Array>;
}

export class AdamW {
  lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  weightDecay: number;
  stepCount = 0;
  private readonly m = new Map<Param, Float32Array>();
  private readonly v = new Map<Param, Float32Array>();

  constructor(readonly params: Param[], o: AdamWOptions = {}) {
    this.lr = o.lr ?? 1e-3;
    [this.beta1, this.beta2] = o.betas ?? [0.9, 0.999];
    this.eps = o.eps ?? 1e-8;
    this.weightDecay = o.weightDecay ?? 1e-2;
    for (const p of params) {
      this.m.set(p, new Float32Array(p.data.length));
      this.v.set(p, new Float32Array(p.data.length));
    }
  }

  /** One update of every parameter from its .grad (all share one step count, like PyTorch's group). */
  step(params: Param[] = this.params): void {
    this.stepCount++;
    const { lr, beta1: b1, beta2: b2, eps, weightDecay: wd } = this;
    const bc1 = 1 - Math.pow(b1, this.stepCount);
    const bc2Sqrt = Math.sqrt(1 - Math.pow(b2, this.stepCount));
    const stepSize = lr / bc1;
    const decay = 1 - lr * wd;
    for (const p of params) {
      const m = this.m.get(p);
      const v = this.v.get(p);
      if (!m || !v) throw new Error(`AdamW.step: parameter ${p.name} was not given to the optimizer`);
      const { data, grad } = p;
      for (let i = 0; i < data.length; i++) {
        const g = grad[i]!;
        const mi = (m[i] = b1 * m[i]! + (1 - b1) * g);
        const vi = (v[i] = b2 * v[i]! + (1 - b2) * g * g);
        const w = Math.fround(data[i]! * decay);
        data[i] = w - stepSize * (mi / (Math.sqrt(vi) / bc2Sqrt + eps));
      }
    }
  }

  /** Moments and step count, keyed by parameter name (for checkpoints). */
  state(): AdamWState {
    const m: Record<string, Float32Array> = {};
    const v: Record<string, Float32Array> = {};
    for (const p of this.params) {
      m[p.name] = this.m.get(p)!.slice();
      v[p.name] = this.v.get(p)!.slice();
    }
    return { step: this.stepCount, lr: this.lr, m, v };
  }

  loadState(s: AdamWState): void {
    for (const p of this.params) {
      const m = s.m[p.name];
      const v = s.v[p.name];
      if (!m || !v || m.length !== p.data.length || v.length !== p.data.length) {
        throw new Error(`AdamW.loadState: missing or mis-sized moments for ${p.name}`);
      }
      this.m.get(p)!.set(m);
      this.v.get(p)!.set(v);
    }
    this.stepCount = s.step;
    this.lr = s.lr;
  }
}

/**
 * Finite-difference gradient check with a random projection: L = Σ y ⊙ R for a fixed random R,
 * analytic dL/dθ from backward(R), numeric from float64 central differences over the float32
 * engine (using the actually representable perturbation).
 */
import assert from 'node:assert/strict';
import { Rng } from '../../src/util/rng.js';

export interface Wrt {
  name: string;
  value: Float32Array;
  /** The analytic gradient after backward (read after the call). */
  grad: () => Float32Array;
  /** Number of elements to probe (all when omitted or larger). */
  n?: number;
}

export function gradCheck(opts: {
  forward: () => Float32Array;
  backward: (dy: Float32Array) => void;
  wrt: Wrt[];
  seed?: number;
  eps?: number;
  rtol?: number;
  atol?: number;
  /** The function has kinks (ReLU, max-pool): skip probes that straddle one, up to 10%. */
  kinks?: boolean;
}): { checked: number; worst: number; skipped: number } {
  const rng = new Rng(opts.seed ?? 7);
  const eps = opts.eps ?? 1e-2;
  const rtol = opts.rtol ?? 2e-2;
  const atol = opts.atol ?? 2e-4;
  const y0 = opts.forward();
  const R = new Float64Array(y0.length);
  for (let i = 0; i < R.length; i++) R[i] = rng.normal();
  const Rf = Float32Array.from(R);
  const loss = (): number => {
    const y = opts.forward();
    let s = 0;
    for (let i = 0; i < R.length; i++) s += y[i]! * R[i]!;
    return s;
  };
  opts.forward();
  opts.backward(Rf);
  const analytic = opts.wrt.map((w) => w.grad().slice());
  let checked = 0;
  let worst = 0;
  let skipped = 0;
  opts.wrt.forEach((w, wi) => {
    const len = w.value.length;
    const n = Math.min(len, w.n ?? len);
    const idx = n === len ? [...Array(len).keys()] : Array.from({ length: n }, () => rng.int(len));
    const central = (i: number, h: number): number => {
      const v = w.value[i]!;
      w.value[i] = v + h;
      const hp = w.value[i]! - v;
      const lp = loss();
      w.value[i] = v - h;
      const hm = w.value[i]! - v;
      const lm = loss();
      w.value[i] = v;
      return (lp - lm) / (hp - hm);
    };
    for (const i of idx) {
      const num = central(i, eps);
      const ana = analytic[wi]![i]!;
      const err = Math.abs(num - ana);
      const tol = atol + rtol * Math.max(Math.abs(num), Math.abs(ana));
      if (err > tol && opts.kinks) {
        // a ReLU/max-pool kink inside ±eps makes the difference quotient depend on the step:
        // skip the element when halving the step changes it (and count it)
        const half = central(i, eps / 2);
        if (Math.abs(half - num) > tol) { skipped++; continue; }
      }
      worst = Math.max(worst, err / tol);
      assert.ok(err <= tol, `${w.name}[${i}]: analytic ${ana} vs numeric ${num}`);
      checked++;
    }
  });
  assert.ok(skipped <= 0.1 * (checked + skipped), `${skipped} of ${checked + skipped} probes straddled a kink`);
  return { checked, worst, skipped };
}

export function randn(n: number, rng: Rng, scale = 1): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.normal() * scale;
  return a;
}

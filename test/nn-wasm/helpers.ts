/** Shared helpers of the WebAssembly backend tests: random data and a float64 reference gemm. */
import assert from 'node:assert/strict';
import { Rng } from '../../src/util/rng.js';

export function randomArray(rng: Rng, n: number, into?: Float32Array): Float32Array {
  const a = into ?? new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.uniform(-1, 1);
  return a;
}

// The float64 reference gemm lives with the other backend-independent checks.
export { refGemm } from '../nn/kernel-checks.js';

/** Element-wise |a − b| ≤ atol + rtol·|b|, reporting the first offending index. */
export function assertClose(a: Float32Array, b: Float32Array, atol: number, rtol: number, what: string): void {
  assert.equal(a.length, b.length, `${what}: lengths differ`);
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (!(Math.abs(x - y) <= atol + rtol * Math.abs(y))) {
      assert.fail(`${what}: index ${i}: ${x} vs ${y}`);
    }
  }
}

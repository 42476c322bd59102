/** Shared helpers of the WebAssembly backend tests: random data and a float64 reference gemm. */
import assert from 'node:assert/strict';
import { Rng } from '../../src/util/rng.js';

export function randomArray(rng: Rng, n: number, into?: Float32Array): Float32Array {
  const a = into ?? new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.uniform(-1, 1);
  return a;
}

/** C = alpha·op(A)·op(B) + beta·C in float64 (beta = 0 ignores C). */
export function refGemm(
  transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
  A: Float32Array, aOff: number, lda: number, B: Float32Array, bOff: number, ldb: number,
  beta: number, C: Float32Array, cOff: number, ldc: number,
): void {
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) {
        const a = transA ? A[aOff + k * lda + i]! : A[aOff + i * lda + k]!;
        const b = transB ? B[bOff + j * ldb + k]! : B[bOff + k * ldb + j]!;
        s += a * b;
      }
      const c = cOff + i * ldc + j;
      C[c] = alpha * s + (beta === 0 ? 0 : beta * C[c]!);
    }
  }
}

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

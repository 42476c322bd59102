import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWasmKernels } from '../../src/nn/wasm/index.js';
import { tsKernels } from '../../src/nn/kernels-ts.js';
import { Rng } from '../../src/util/rng.js';
import { assertClose, randomArray, refGemm } from './helpers.js';

const wasm = createWasmKernels({ memoryMiB: 64 });

// shapes cover: M = 1 (gemv path), edge tiles (M % 4, N % 8), K blocks (K > 256), N blocks (N > 512), GRU shapes
const SHAPES: [number, number, number][] = [
  [1, 1, 1], [1, 192, 64], [1, 37, 13], [1, 200, 300], [3, 5, 7], [4, 8, 1], [5, 9, 17],
  [32, 192, 64], [2784, 192, 8], [33, 70, 300], [17, 530, 19], [130, 12, 260],
];

for (const [M, N, K] of SHAPES) {
  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      test(`gemm ${M}×${N}×${K} transA=${transA} transB=${transB}: wasm = float64 reference = ts`, () => {
        const rng = new Rng(M * 1000 + N * 10 + K);
        // padded strides and offsets, so ld ≠ cols and off ≠ 0 are exercised
        const aRows = transA ? K : M, aCols = transA ? M : K;
        const bRows = transB ? N : K, bCols = transB ? K : N;
        const lda = aCols + 3, ldb = bCols + 1, ldc = N + 2;
        const aOff = 5, bOff = 2, cOff = 7;
        for (const [alpha, beta] of [[1, 0], [0.5, 1], [-1.5, 0.25]] as const) {
          const A = randomArray(rng, aOff + aRows * lda);
          const B = randomArray(rng, bOff + bRows * ldb);
          const C0 = randomArray(rng, cOff + M * ldc);
          if (beta === 0) C0.fill(NaN, cOff, cOff + N); // beta = 0 must ignore NaN in C
          const ref = C0.slice();
          refGemm(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, ref, cOff, ldc);
          const viaTs = C0.slice();
          tsKernels.gemm(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, viaTs, cOff, ldc);
          // foreign arrays (copied in and out)
          const foreign = C0.slice();
          wasm.gemm(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, foreign, cOff, ldc);
          // arrays in wasm memory (in place)
          const Aw = wasm.alloc(A.length); Aw.set(A);
          const Bw = wasm.alloc(B.length); Bw.set(B);
          const Cw = wasm.alloc(C0.length); Cw.set(C0);
          wasm.gemm(transA, transB, M, N, K, alpha, Aw, aOff, lda, Bw, bOff, ldb, beta, Cw, cOff, ldc);
          const tol = 2e-6 * Math.sqrt(K) * Math.abs(alpha);
          assertClose(foreign, ref, tol, 1e-5, 'wasm (foreign) vs reference');
          assertClose(Cw, ref, tol, 1e-5, 'wasm (in memory) vs reference');
          assertClose(Cw, viaTs, 2 * tol, 1e-5, 'wasm vs ts');
          // gaps between rows of C and before cOff are untouched
          for (let i = 0; i < M; i++) for (let j = N; j < ldc && cOff + i * ldc + j < Cw.length; j++) {
            assert.equal(Object.is(Cw[cOff + i * ldc + j], C0[cOff + i * ldc + j]), true, 'gap changed');
          }
          for (const b of [Aw, Bw, Cw]) wasm.release(b);
        }
      });
    }
  }
}

test('gemm with K = 0 or alpha = 0 only scales C', () => {
  const C = new Float32Array([1, 2, 3, 4]);
  wasm.gemm(false, false, 2, 2, 0, 1, new Float32Array(0), 0, 1, new Float32Array(0), 0, 2, 0.5, C, 0, 2);
  assert.deepEqual([...C], [0.5, 1, 1.5, 2]);
});

// gemmBias is gemm with the bias rows as its starting C: the same bits as writing the bias into C
// and accumulating (beta = 1), for the gemv path (M = 1), edge tiles and several K blocks
for (const [M, N, K] of [[1, 192, 64], [1, 37, 300], [5, 9, 17], [289, 192, 64], [33, 70, 300], [17, 530, 19]] as const) {
  test(`gemmBias ${M}×${N}×${K} equals bias rows + gemm(beta = 1), bit for bit, and the reference`, () => {
    const rng = new Rng(M * 7 + N * 3 + K);
    const lda = K + 2, ldw = K + 1, ldc = N + 3, aOff = 3, wOff = 1, cOff = 2;
    const A = randomArray(rng, aOff + M * lda), W = randomArray(rng, wOff + N * ldw), bias = randomArray(rng, N);
    const C0 = randomArray(rng, cOff + M * ldc);
    for (let i = 0; i < M; i++) C0[cOff + i * ldc] = NaN; // the old contents of C must not matter
    const viaFill = wasm.alloc(C0.length); viaFill.set(C0);
    for (let i = 0; i < M; i++) viaFill.set(bias, cOff + i * ldc);
    wasm.gemm(false, true, M, N, K, 1, A, aOff, lda, W, wOff, ldw, 1, viaFill, cOff, ldc);
    for (const foreign of [false, true]) {
      const C = foreign ? C0.slice() : wasm.alloc(C0.length);
      if (!foreign) C.set(C0);
      wasm.gemmBias(M, N, K, A, aOff, lda, W, wOff, ldw, bias, C, cOff, ldc);
      assert.deepEqual(Array.from(C), Array.from(viaFill), `foreign=${foreign}`);
    }
    const ref = C0.slice();
    for (let i = 0; i < M; i++) ref.set(bias, cOff + i * ldc);
    refGemm(false, true, M, N, K, 1, A, aOff, lda, W, wOff, ldw, 1, ref, cOff, ldc);
    const viaTs = C0.slice();
    tsKernels.gemmBias(M, N, K, A, aOff, lda, W, wOff, ldw, bias, viaTs, cOff, ldc);
    assertClose(viaTs, ref, 2e-6 * Math.sqrt(K), 1e-5, 'ts vs reference');
    assertClose(viaFill, ref, 2e-6 * Math.sqrt(K), 1e-5, 'wasm vs reference');
  });
}

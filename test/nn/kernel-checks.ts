/**
 * Reusable checks of a Kernels backend against float64 references (for every backend's tests:
 * import from here, not from a .test.ts file, so no foreign tests get registered).
 */
import assert from 'node:assert/strict';
import type { Kernels } from '../../src/nn/kernels.js';
import { Rng } from '../../src/util/rng.js';

/** C = alpha·op(A)·op(B) + beta·C in float64 (beta = 0 ignores C; a Float64Array C keeps the result unrounded). */
export function refGemm(
  transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number,
  A: Float32Array, aOff: number, lda: number, B: Float32Array, bOff: number, ldb: number,
  beta: number, C: Float32Array | Float64Array, cOff: number, ldc: number,
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

/** Checks any backend's gemm against a float64 triple loop (exported for other backends' tests). */
export function checkGemm(k: Kernels, seed = 1): void {
  const rng = new Rng(seed);
  const shapes: [number, number, number][] = [[1, 1, 1], [3, 5, 2], [4, 4, 4], [7, 9, 13], [17, 6, 300], [33, 192, 64], [1, 37, 300]];
  for (const [M, N, K] of shapes) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        for (const beta of [0, 1, 0.5]) {
          const alpha = beta === 0.5 ? -1.5 : 1;
          // padded strides and offsets
          const ar = transA ? K : M, ac = transA ? M : K, lda = ac + 2;
          const br = transB ? N : K, bc = transB ? K : N, ldb = bc + 1;
          const ldc = N + 3, aOff = 5, bOff = 2, cOff = 4;
          const A = k.alloc(aOff + ar * lda), B = k.alloc(bOff + br * ldb), C = k.alloc(cOff + M * ldc);
          for (let i = 0; i < A.length; i++) A[i] = rng.normal();
          for (let i = 0; i < B.length; i++) B[i] = rng.normal();
          for (let i = 0; i < C.length; i++) C[i] = beta === 0 ? NaN : rng.normal();
          const C0 = C.slice();
          k.gemm(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, C, cOff, ldc);
          const expected = Float64Array.from(C0);
          refGemm(transA, transB, M, N, K, alpha, A, aOff, lda, B, bOff, ldb, beta, expected, cOff, ldc);
          for (let i = 0; i < M; i++) {
            for (let j = 0; j < N; j++) {
              const ref = expected[cOff + i * ldc + j]!;
              const got = C[cOff + i * ldc + j]!;
              assert.ok(Math.abs(got - ref) <= 1e-5 * (1 + Math.sqrt(K)) * (1 + Math.abs(ref)), `${k.name} gemm tA=${transA} tB=${transB} ${M}×${N}×${K} β=${beta} C[${i},${j}] ${got} vs ${ref}`);
            }
            // padding between rows is untouched
            for (let j = N; j < ldc && cOff + i * ldc + j < C.length; j++) assert.ok(Object.is(C[cOff + i * ldc + j], C0[cOff + i * ldc + j]));
          }
          for (let i = 0; i < cOff; i++) assert.ok(Object.is(C[i], C0[i]), 'before the offset is untouched');
        }
      }
    }
  }
}

/** Compares a backend's fused GRU/LSTM cell steps (forward and backward, with offsets) to a reference backend. */
export function checkCells(k: Kernels, ref: Kernels, seed = 2): void {
  const rng = new Rng(seed);
  const fill = (kk: Kernels, n: number, vals: Float32Array): Float32Array => { const a = kk.alloc(n); a.set(vals); return a; };
  const rand = (n: number, s = 1): Float32Array => Float32Array.from({ length: n }, () => rng.normal() * s);
  for (const [B, H] of [[1, 1], [3, 5], [32, 64], [7, 17]] as [number, number][]) {
    const off = 3;
    for (const cell of ['gru', 'lstm'] as const) {
      const G = (cell === 'gru' ? 3 : 4) * H;
      const inputs = { gates: rand(off + B * G, 2), gh: rand(off + B * G, 2), hPrev: rand(off + B * H, 0.5), dh: rand(off + B * H), dc: rand(off + B * H) };
      const run = (kk: Kernels): Float32Array[] => {
        const gates = fill(kk, off + B * G, inputs.gates), gh = fill(kk, off + B * G, inputs.gh), hPrev = fill(kk, off + B * H, inputs.hPrev);
        const h = kk.alloc(off + B * H), c = kk.alloc(off + B * H), dh = fill(kk, off + B * H, inputs.dh), dc = fill(kk, off + B * H, inputs.dc);
        const dG = kk.alloc(off + B * G), dG2 = kk.alloc(off + B * G), dhPrev = kk.alloc(off + B * H);
        if (cell === 'gru') {
          kk.gruCellForward(B, H, gates, off, gh, off, hPrev, off, h, off);
          kk.gruCellBackward(B, H, gates, off, gh, off, hPrev, off, dh, off, dG, off, dG2, off, dhPrev, off);
        } else {
          kk.lstmCellForward(B, H, gates, off, hPrev, off, c, off, h, off);
          kk.lstmCellBackward(B, H, gates, off, hPrev, off, c, off, dh, off, dc, off, dG, off);
        }
        return [gates, h, c, dG, dG2, dhPrev, dc].map((a) => a.slice());
      };
      const a = run(k);
      const b = run(ref);
      const names = ['gates', 'h', 'c', 'dGx', 'dGh', 'dhPrev', 'dc'];
      a.forEach((arr, i) => {
        for (let j = 0; j < arr.length; j++) {
          assert.ok(Math.abs(arr[j]! - b[i]![j]!) <= 1e-5 * (1 + Math.abs(b[i]![j]!)), `${k.name} ${cell} B=${B} H=${H} ${names[i]}[${j}] ${arr[j]} vs ${ref.name} ${b[i]![j]}`);
        }
      });
    }
  }
}

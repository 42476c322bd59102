/**
 * gemm speed of the TypeScript and WebAssembly backends at the shapes the reference GRU uses
 * (hidden 64, batch 32, 87 steps, input 8), in GFLOPS (2·M·N·K per call).
 */
import type { Kernels } from '../src/nn/kernels.js';
import { Rng } from '../src/util/rng.js';
import { now, summarize, type Summary } from './stats.js';

export interface GemmShape {
  label: string;
  transA: boolean;
  transB: boolean;
  M: number;
  N: number;
  K: number;
}

/** Forward, backward and inference gemms of GRU(8→64) ×2 at batch 32 (see src/nn/gru.ts). */
export const GRU_SHAPES: GemmShape[] = [
  { label: 'recurrent h·W_hhᵀ (32×64·64×192)', transA: false, transB: true, M: 32, N: 192, K: 64 },
  { label: 'input x·W_ihᵀ, layer 1 (2784×8·8×192)', transA: false, transB: true, M: 2784, N: 192, K: 8 },
  { label: 'input x·W_ihᵀ, layer 2 (2784×64·64×192)', transA: false, transB: true, M: 2784, N: 192, K: 64 },
  { label: 'backward dGh·W_hh (32×192·192×64)', transA: false, transB: false, M: 32, N: 64, K: 192 },
  { label: 'weight grad dGᵀ·y (192×2784·2784×64)', transA: true, transB: false, M: 192, N: 64, K: 2784 },
  { label: 'single episode h·W_hhᵀ (1×64·64×192)', transA: false, transB: true, M: 1, N: 192, K: 64 },
];

export interface KernelResult {
  shape: GemmShape;
  backend: string;
  gflops: Summary;
}

/** Times each shape on each backend: repeats calls for ~budgetMs per run, `runs` runs, GFLOPS per run. */
export function benchGemm(backends: Kernels[], shapes: GemmShape[], runs: number, budgetMs = 150): KernelResult[] {
  const rng = new Rng(7);
  const out: KernelResult[] = [];
  for (const s of shapes) {
    for (const k of backends) {
      const aLen = s.M * s.K;
      const bLen = s.K * s.N;
      const A = k.alloc(aLen);
      const B = k.alloc(bLen);
      const C = k.alloc(s.M * s.N);
      for (let i = 0; i < aLen; i++) A[i] = rng.uniform(-1, 1);
      for (let i = 0; i < bLen; i++) B[i] = rng.uniform(-1, 1);
      const lda = s.transA ? s.M : s.K;
      const ldb = s.transB ? s.K : s.N;
      const call = (): void => k.gemm(s.transA, s.transB, s.M, s.N, s.K, 1, A, 0, lda, B, 0, ldb, 1, C, 0, s.N);
      // warm-up (JIT tiers up) and an estimate of calls per run
      let reps = 1;
      for (;;) {
        const t = now();
        for (let r = 0; r < reps; r++) call();
        const dt = now() - t;
        if (dt > budgetMs / 4) {
          reps = Math.max(1, Math.round((reps * budgetMs) / dt));
          break;
        }
        reps *= 2;
      }
      const g: number[] = [];
      for (let r = 0; r < runs; r++) {
        const t = now();
        for (let i = 0; i < reps; i++) call();
        const sec = (now() - t) / 1000;
        g.push((2 * s.M * s.N * s.K * reps) / sec / 1e9);
      }
      out.push({ shape: s, backend: k.name, gflops: summarize(g) });
    }
  }
  return out;
}

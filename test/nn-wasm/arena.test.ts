import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Arena } from '../../src/nn/wasm/arena.js';
import { createWasmKernels } from '../../src/nn/wasm/index.js';
import { tsKernels } from '../../src/nn/kernels-ts.js';

test('arena: aligned zeroed blocks, reuse after release, coalescing, full → -1', () => {
  const bytes = new Uint8Array(4096);
  const a = new Arena(bytes, 64, 4096);
  const x = a.alloc(10);
  const y = a.alloc(100);
  const z = a.alloc(64);
  assert.deepEqual([x % 64, y % 64, z % 64], [0, 0, 0]);
  bytes.fill(7, x, x + 64);
  bytes.fill(7, y, y + 128);
  a.release(x, 10);
  a.release(y, 100); // merges with x's block
  const w = a.alloc(150); // fits in the merged 192 bytes
  assert.equal(w, x);
  assert.ok(bytes.subarray(w, w + 192).every((v) => v === 0), 'reused block is zeroed');
  assert.equal(a.alloc(1 << 20), -1);
  a.release(w, 150);
  a.release(z, 64); // topmost: the high-water mark drops back to the start
  assert.equal(a.stats().highWater, 0);
  assert.equal(a.stats().inUse, 0);
});

test('alloc returns views into wasm memory; release frees them', () => {
  const k = createWasmKernels({ memoryMiB: 4 });
  const v = k.alloc(1000);
  assert.equal(v.length, 1000);
  assert.ok(v.every((x) => x === 0));
  const used = k.stats().inUse;
  assert.ok(used >= 4000);
  k.release(v);
  assert.equal(k.stats().inUse, used - 4032);
});

test('a full arena falls back to ordinary arrays and TypeScript kernels, with the same results', () => {
  const k = createWasmKernels({ memoryMiB: 2 });
  const keep: Float32Array[] = [];
  // fill the arena: the first array that is not a view of the 2 MiB memory is a plain one
  for (;;) {
    const v = k.alloc(64 * 1024);
    keep.push(v);
    if (v.buffer.byteLength === v.byteLength) break;
  }
  const M = 300, N = 300, K = 300; // too big for what is left: TypeScript runs it
  const A = new Float32Array(M * K).map((_, i) => Math.sin(i));
  const B = new Float32Array(K * N).map((_, i) => Math.cos(i));
  const C1 = new Float32Array(M * N);
  const C2 = new Float32Array(M * N);
  k.gemm(false, false, M, N, K, 1, A, 0, K, B, 0, N, 0, C1, 0, N);
  tsKernels.gemm(false, false, M, N, K, 1, A, 0, K, B, 0, N, 0, C2, 0, N);
  for (let i = 0; i < C1.length; i++) assert.ok(Math.abs(C1[i]! - C2[i]!) < 1e-4);
  assert.ok(k.stats().tsFallbacks > 0);
});

// With the arena full to the last block, every kernel call finds its foreign operands cannot be
// copied in and takes its fallback: the TypeScript reference, or for the whole-layer kernels this
// backend's own per-step calls (which fall back in turn). A model then computes the reference's
// exact bits, through every kernel a training step uses.
test('a full arena: every kernel falls back, and a training step gives the TypeScript bits exactly', async () => {
  const { createModel, defaultConfig } = await import('../../src/models/index.js');
  const { softmaxCrossEntropy } = await import('../../src/nn/loss.js');
  const k = createWasmKernels({ memoryMiB: 2 });
  const keep: Float32Array[] = [];
  for (const n of [64 * 1024, 1]) for (;;) {
    const v = k.alloc(n);
    keep.push(v);
    if (v.buffer.byteLength === v.byteLength) break; // not a view of wasm memory: no room left
  }
  for (const arch of ['GRU', 'LSTM', 'MSStackedGRU'] as const) {
    const config = {
      ...defaultConfig(arch, 3, 4), hidden: 5, headHidden: 6, filters: 3, kernels: arch === 'MSStackedGRU' ? [3, 5] : [],
      rnnDropout: 0, headDropout: 0, cnnDropout: 0,
    };
    const B = 3, T = 9;
    const x = Float32Array.from({ length: B * T * 3 }, (_, i) => Math.sin(i * 0.7));
    const y = Int32Array.from([0, 3, 1]);
    const run = (kernels: typeof tsKernels): number[][] => {
      const m = createModel(config, { seed: 5, kernels });
      m.train(true);
      m.zeroGrad();
      const logits = m.forward(x, B, T);
      m.backward(softmaxCrossEntropy(logits, y, B, 4).dLogits);
      return [Array.from(logits), ...m.parameters().map((p) => Array.from(p.grad))];
    };
    const before = k.stats().tsFallbacks;
    assert.deepEqual(run(k), run(tsKernels), `${arch}: logits and gradients`);
    assert.ok(k.stats().tsFallbacks > before, `${arch}: the kernels fell back`);
  }
});

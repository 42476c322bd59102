import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createModel, defaultConfig } from '../../src/models/index.js';
import { createWasmKernels } from '../../src/nn/wasm/index.js';
import { softmaxCrossEntropy } from '../../src/nn/loss.js';

// A process that builds model after model on one WebAssembly arena (leave-one-session-out, k-fold,
// compare --train) must not fill it: disposed models give their buffers back, so later models still
// run in the arena instead of falling back to copies and the TypeScript kernels.
test('disposing models returns their buffers to the arena, so model after model stays on the fast path', () => {
  const k = createWasmKernels({ memoryMiB: 48 });
  const inUseAfter: number[] = [];
  for (let i = 0; i < 12; i++) {
    const m = createModel({ ...defaultConfig('MSStackedGRU'), hidden: 16, headHidden: 32, filters: 8 }, { seed: i, kernels: k });
    m.train(true);
    const B = 32;
    const x = new Float32Array(B * 87 * 8).fill(0.5);
    m.zeroGrad();
    const r = softmaxCrossEntropy(m.forward(x, B, 87), new Int32Array(B), B, 24);
    m.backward(r.dLogits);
    m.train(false);
    m.forward(new Float32Array(64 * 87 * 8), 64, 87);
    m.dispose();
    m.dispose(); // twice is harmless
    inUseAfter.push(k.stats().inUse);
  }
  const s = k.stats();
  assert.equal(s.tsFallbacks, 0, 'no kernel had to fall back to TypeScript');
  assert.equal(inUseAfter[11], inUseAfter[1], `arena use must not grow from model to model: ${inUseAfter.join(', ')}`);
  assert.ok(s.peak < s.capacity, 'the arena never filled');
});

/** The whole-layer GRU and LSTM kernels (one wasm call per layer) equal the per-step gemm + cell calls bit for bit. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWasmKernels } from '../../src/nn/wasm/index.js';
import { Rng } from '../../src/util/rng.js';
import { randomArray } from './helpers.js';

const wasm = createWasmKernels({ memoryMiB: 16 });

for (const foreign of [false, true]) {
  test(`gruSequenceForward equals the step-by-step calls (${foreign ? 'foreign arrays' : 'wasm views'})`, () => {
    const rng = new Rng(9);
    for (const [T, B, H] of [[1, 1, 4], [5, 1, 64], [7, 3, 5], [4, 32, 64]] as const) {
      const G = 3 * H;
      const gates = randomArray(rng, T * B * G), bHh = randomArray(rng, G);
      const w = randomArray(rng, G * H), h0 = randomArray(rng, B * H);
      const place = (a: Float32Array): Float32Array => { const b = foreign ? new Float32Array(a.length) : wasm.alloc(a.length); b.set(a); return b; };
      // reference: b_hh in every row of gh, then the per-step gemm (beta = 1) and cell calls
      const g1 = place(gates), q1 = place(new Float32Array(T * B * G)), y1 = place(new Float32Array(T * B * H));
      for (let r = 0; r < T * B; r++) q1.set(bHh, r * G);
      for (let t = 0; t < T; t++) {
        if (t > 0) wasm.gemm(false, true, B, G, H, 1, y1, (t - 1) * B * H, H, w, 0, H, 1, q1, t * B * G, G);
        wasm.gruCellForward(B, H, g1, t * B * G, q1, t * B * G, t === 0 ? h0 : y1, t === 0 ? 0 : (t - 1) * B * H, y1, t * B * H);
      }
      // gh starts as garbage: the sequence kernel must write all of it
      const g2 = place(gates), q2 = place(randomArray(rng, T * B * G)), y2 = place(new Float32Array(T * B * H));
      wasm.gruSequenceForward(T, B, H, g2, q2, place(w), place(bHh), place(h0), y2);
      assert.deepEqual(Array.from(y2), Array.from(y1), `y T=${T} B=${B} H=${H}`);
      assert.deepEqual(Array.from(g2), Array.from(g1), `gates T=${T} B=${B} H=${H}`);
      assert.deepEqual(Array.from(q2), Array.from(q1), `gh T=${T} B=${B} H=${H}`);
    }
  });
}

for (const foreign of [false, true]) {
  test(`gruSequenceBackward equals the step-by-step calls (${foreign ? 'foreign arrays' : 'wasm views'})`, () => {
    const rng = new Rng(10);
    for (const [T, B, H] of [[1, 1, 4], [5, 1, 64], [7, 3, 5], [4, 32, 64]] as const) {
      const G = 3 * H;
      const place = (a: Float32Array): Float32Array => { const b = foreign ? new Float32Array(a.length) : wasm.alloc(a.length); b.set(a); return b; };
      const gates = place(randomArray(rng, T * B * G)), gh = place(randomArray(rng, T * B * G));
      const w = place(randomArray(rng, G * H)), h0 = place(randomArray(rng, B * H));
      const y = place(randomArray(rng, T * B * H)), dy = place(randomArray(rng, T * B * H));
      const dh1 = place(new Float32Array(B * H)), dGx1 = place(new Float32Array(T * B * G)), dGh1 = place(new Float32Array(T * B * G));
      for (let t = T - 1; t >= 0; t--) {
        for (let i = 0; i < B * H; i++) dh1[i] = Math.fround(dh1[i]! + dy[t * B * H + i]!);
        wasm.gruCellBackward(B, H, gates, t * B * G, gh, t * B * G, t === 0 ? h0 : y, t === 0 ? 0 : (t - 1) * B * H, dh1, 0, dGx1, t * B * G, dGh1, t * B * G, dh1, 0);
        if (t > 0) wasm.gemm(false, false, B, H, G, 1, dGh1, t * B * G, G, w, 0, H, 1, dh1, 0, H);
      }
      const dh2 = place(new Float32Array(B * H)), dGx2 = place(new Float32Array(T * B * G)), dGh2 = place(new Float32Array(T * B * G));
      wasm.gruSequenceBackward(T, B, H, gates, gh, w, h0, y, dy, dh2, dGx2, dGh2);
      assert.deepEqual(Array.from(dh2), Array.from(dh1), `dh T=${T} B=${B} H=${H}`);
      assert.deepEqual(Array.from(dGx2), Array.from(dGx1), `dGx T=${T} B=${B} H=${H}`);
      assert.deepEqual(Array.from(dGh2), Array.from(dGh1), `dGh T=${T} B=${B} H=${H}`);
    }
  });
}

for (const foreign of [false, true]) {
  test(`lstmSequenceForward and lstmSequenceBackward equal the step-by-step calls (${foreign ? 'foreign arrays' : 'wasm views'})`, () => {
    const rng = new Rng(12);
    for (const [T, B, H] of [[1, 1, 4], [5, 1, 64], [7, 3, 5], [4, 32, 64]] as const) {
      const G = 4 * H;
      const place = (a: Float32Array): Float32Array => { const b = foreign ? new Float32Array(a.length) : wasm.alloc(a.length); b.set(a); return b; };
      const gates = randomArray(rng, T * B * G), w = place(randomArray(rng, G * H)), c0 = place(randomArray(rng, B * H));
      const dy = place(randomArray(rng, T * B * H));
      // reference: the layer's per-step gemm and cell calls
      const g1 = place(gates), c1 = place(new Float32Array(T * B * H)), y1 = place(new Float32Array(T * B * H));
      for (let t = 0; t < T; t++) {
        const p = t === 0 ? 0 : (t - 1) * B * H;
        if (t > 0) wasm.gemm(false, true, B, G, H, 1, y1, p, H, w, 0, H, 1, g1, t * B * G, G);
        wasm.lstmCellForward(B, H, g1, t * B * G, t === 0 ? c0 : c1, p, c1, t * B * H, y1, t * B * H);
      }
      const dh1 = place(new Float32Array(B * H)), dc1 = place(new Float32Array(B * H)), dG1 = place(new Float32Array(T * B * G));
      for (let t = T - 1; t >= 0; t--) {
        for (let i = 0; i < B * H; i++) dh1[i] = Math.fround(dh1[i]! + dy[t * B * H + i]!);
        const p = t === 0 ? 0 : (t - 1) * B * H;
        wasm.lstmCellBackward(B, H, g1, t * B * G, t === 0 ? c0 : c1, p, c1, t * B * H, dh1, 0, dc1, 0, dG1, t * B * G);
        if (t > 0) wasm.gemm(false, false, B, H, G, 1, dG1, t * B * G, G, w, 0, H, 0, dh1, 0, H);
      }
      // one call each; c and y start as garbage: the kernel must write all of them
      const g2 = place(gates), c2 = place(randomArray(rng, T * B * H)), y2 = place(randomArray(rng, T * B * H));
      wasm.lstmSequenceForward(T, B, H, g2, w, c0, c2, y2);
      assert.deepEqual(Array.from(y2), Array.from(y1), `y T=${T} B=${B} H=${H}`);
      assert.deepEqual(Array.from(c2), Array.from(c1), `c T=${T} B=${B} H=${H}`);
      assert.deepEqual(Array.from(g2), Array.from(g1), `gates T=${T} B=${B} H=${H}`);
      const dh2 = place(new Float32Array(B * H)), dc2 = place(new Float32Array(B * H)), dG2 = place(new Float32Array(T * B * G));
      wasm.lstmSequenceBackward(T, B, H, g2, w, c0, c2, dy, dh2, dc2, dG2);
      assert.deepEqual(Array.from(dG2), Array.from(dG1), `dG T=${T} B=${B} H=${H}`);
      assert.deepEqual(Array.from(dc2), Array.from(dc1), `dc T=${T} B=${B} H=${H}`);
      assert.deepEqual(Array.from(dh2), Array.from(dh1), `dh T=${T} B=${B} H=${H}`);
    }
  });
}

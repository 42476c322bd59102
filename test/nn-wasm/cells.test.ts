import { test } from 'node:test';
import { createWasmKernels } from '../../src/nn/wasm/index.js';
import { tsKernels } from '../../src/nn/kernels-ts.js';
import type { Kernels } from '../../src/nn/kernels.js';
import { Rng } from '../../src/util/rng.js';
import { assertClose, randomArray } from './helpers.js';

const wasm = createWasmKernels({ memoryMiB: 16 });
const ATOL = 3e-6;
const RTOL = 1e-5;

/** Copies of the same inputs, either ordinary arrays or views into the wasm memory. */
function place(k: Kernels | null, arrays: Float32Array[]): Float32Array[] {
  return arrays.map((a) => {
    const b = k ? k.alloc(a.length) : new Float32Array(a.length);
    b.set(a);
    return b;
  });
}

// H % 4 ≠ 0 exercises the one-lane tail; large pre-activations exercise saturation
for (const [B, H] of [[1, 1], [3, 5], [2, 16], [32, 64], [4, 7]] as const) {
  for (const inMemory of [false, true]) {
    const where = inMemory ? 'in wasm memory' : 'foreign arrays';
    test(`gruCellForward/Backward B=${B} H=${H} (${where}) match ts`, () => {
      const rng = new Rng(B * 100 + H);
      const G = 3 * H;
      const off = 3; // non-zero offsets everywhere
      const gates = randomArray(rng, off + B * G).map((v) => v * 6);
      const gh = randomArray(rng, off + B * G).map((v) => v * 6);
      const hPrev = randomArray(rng, off + B * H);
      const h = new Float32Array(off + B * H);
      const [g1, q1, p1, h1] = place(null, [gates, gh, hPrev, h]) as [Float32Array, Float32Array, Float32Array, Float32Array];
      const [g2, q2, p2, h2] = place(inMemory ? wasm : null, [gates, gh, hPrev, h]) as [Float32Array, Float32Array, Float32Array, Float32Array];
      tsKernels.gruCellForward(B, H, g1, off, q1, off, p1, off, h1, off);
      wasm.gruCellForward(B, H, g2, off, q2, off, p2, off, h2, off);
      assertClose(g2, g1, ATOL, RTOL, 'activated gates');
      assertClose(h2, h1, ATOL, RTOL, 'h');

      const dh = randomArray(rng, off + B * H);
      const zeros = (n: number): Float32Array => new Float32Array(n);
      const [d1, x1, r1] = place(null, [dh, zeros(off + B * G), zeros(off + B * G)]) as [Float32Array, Float32Array, Float32Array];
      const [d2, x2, r2] = place(inMemory ? wasm : null, [dh, zeros(off + B * G), zeros(off + B * G)]) as [Float32Array, Float32Array, Float32Array];
      // dhPrev aliases dh, as the GRU layer calls it
      tsKernels.gruCellBackward(B, H, g1, off, q1, off, p1, off, d1, off, x1, off, r1, off, d1, off);
      wasm.gruCellBackward(B, H, g1, off, q1, off, p1, off, d2, off, x2, off, r2, off, d2, off);
      assertClose(x2, x1, ATOL, RTOL, 'dGx');
      assertClose(r2, r1, ATOL, RTOL, 'dGh');
      assertClose(d2, d1, ATOL, RTOL, 'dhPrev');
    });

    test(`lstmCellForward/Backward B=${B} H=${H} (${where}) match ts`, () => {
      const rng = new Rng(B * 100 + H + 7);
      const G = 4 * H;
      const off = 2;
      const gates = randomArray(rng, off + B * G).map((v) => v * 6);
      const cPrev = randomArray(rng, off + B * H).map((v) => v * 2);
      const zeros = (n: number): Float32Array => new Float32Array(n);
      const [g1, cp1, c1, h1] = place(null, [gates, cPrev, zeros(off + B * H), zeros(off + B * H)]) as Float32Array[] as [Float32Array, Float32Array, Float32Array, Float32Array];
      const [g2, cp2, c2, h2] = place(inMemory ? wasm : null, [gates, cPrev, zeros(off + B * H), zeros(off + B * H)]) as [Float32Array, Float32Array, Float32Array, Float32Array];
      tsKernels.lstmCellForward(B, H, g1, off, cp1, off, c1, off, h1, off);
      wasm.lstmCellForward(B, H, g2, off, cp2, off, c2, off, h2, off);
      assertClose(g2, g1, ATOL, RTOL, 'activated gates');
      assertClose(c2, c1, ATOL, RTOL, 'c');
      assertClose(h2, h1, ATOL, RTOL, 'h');

      const dh = randomArray(rng, off + B * H);
      const dc = randomArray(rng, off + B * H);
      const [d1, dc1, dG1] = place(null, [dh, dc, zeros(off + B * G)]) as [Float32Array, Float32Array, Float32Array];
      const [d2, dc2, dG2] = place(inMemory ? wasm : null, [dh, dc, zeros(off + B * G)]) as [Float32Array, Float32Array, Float32Array];
      tsKernels.lstmCellBackward(B, H, g1, off, cp1, off, c1, off, d1, off, dc1, off, dG1, off);
      wasm.lstmCellBackward(B, H, g1, off, cp1, off, c1, off, d2, off, dc2, off, dG2, off);
      assertClose(dG2, dG1, ATOL, RTOL, 'dG');
      assertClose(dc2, dc1, ATOL, RTOL, 'dcPrev');
    });
  }
}

// The vector paths (8 and 4 units at a time, two chains interleaved) and the one-lane tail must
// give every unit the same arithmetic: H = 13 = 8 + 4 + 1 with every unit fed the same inputs
// (per gate) must give 13 identical outputs, bit for bit.
test('gruCellForward: every unit gets the same bits, whichever path (8-wide, 4-wide, tail) it takes', () => {
  const H = 13, G = 3 * H;
  for (const [gx, gr] of [[0.3, -1.2], [4.5, 2.25], [-7, 0.01], [90, -90]] as const) {
    const gates = new Float32Array(G), gh = new Float32Array(G), hPrev = new Float32Array(H).fill(0.37), h = new Float32Array(H);
    for (let j = 0; j < H; j++) {
      gates[j] = gx; gates[H + j] = gr; gates[2 * H + j] = gx - gr;
      gh[j] = gr; gh[H + j] = -gx; gh[2 * H + j] = gx * 0.5;
    }
    wasm.gruCellForward(1, H, gates, 0, gh, 0, hPrev, 0, h, 0);
    for (let j = 1; j < H; j++) {
      for (const [what, a, i0, i] of [['r', gates, 0, j], ['z', gates, H, H + j], ['n', gates, 2 * H, 2 * H + j], ['h', h, 0, j]] as const) {
        if (!Object.is(a[i], a[i0])) throw new Error(`${what} of unit ${j} is ${a[i]}, unit 0 got ${a[i0]} (inputs ${gx}, ${gr})`);
      }
    }
  }
});

/** The optional element-wise kernels of the wasm backend give the TypeScript loops' exact bits. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tsKernels } from '../../src/nn/kernels-ts.js';
import { createWasmKernels } from '../../src/nn/wasm/index.js';
import { Rng } from '../../src/util/rng.js';
import { randomArray } from './helpers.js';

const wasm = createWasmKernels({ memoryMiB: 16 });

/** Random values with ties, ±0, NaN and ±Infinity sprinkled in. */
function data(rng: Rng, n: number): Float32Array {
  const a = randomArray(rng, n);
  for (let i = 0; i < n; i += 7) a[i] = [0, -0, NaN, Infinity, -Infinity, a[i + 1] ?? 1, -NaN][(i / 7) % 7]!;
  return a;
}
/** A wasm-memory copy (views) or, when foreign, an ordinary copy: both paths must agree. */
function inWasm(a: Float32Array, foreign: boolean): Float32Array {
  const b = foreign ? new Float32Array(a.length) : wasm.alloc(a.length);
  b.set(a);
  return b;
}
const bits = (a: Float32Array): Int32Array => new Int32Array(a.buffer, a.byteOffset, a.length);
function sameBits(a: Float32Array, b: Float32Array, what: string): void {
  assert.deepEqual(Array.from(bits(a)), Array.from(bits(b)), what);
}

/** Equal as values (Object.is: every NaN equals every NaN, +0 and −0 differ). */
function sameValues(a: Float32Array, b: Float32Array, what: string): void {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) assert.fail(`${what}: [${i}] ${a[i]} vs ${b[i]}`);
}

for (const foreign of [false, true]) {
  const tag = foreign ? 'foreign arrays' : 'wasm views';
  test(`mul, dropout, ReLU, MaxPool: wasm equals TypeScript bit for bit (${tag})`, () => {
    const rng = new Rng(5);
    for (const n of [1, 3, 4, 37, 1001]) {
      const a = data(rng, n), b = data(rng, n);
      const yt = new Float32Array(n), yw = inWasm(new Float32Array(n), foreign);
      tsKernels.mul(n, a, b, yt);
      wasm.mul(n, inWasm(a, foreign), inWasm(b, foreign), yw);
      sameBits(yw, yt, `mul n=${n}`);
      // dropout: uint32 draws around the threshold, as raw bits
      const u = new Float32Array(n), ub = new Uint32Array(u.buffer);
      for (let i = 0; i < n; i++) ub[i] = (Math.floor(rng.next() * 4) * 0x40000000 + (i % 3) - 1 + 0x100000000) % 0x100000000;
      for (const thr of [0, 0x40000000, 0x80000000, 0xffffffff]) {
        const mt = new Float32Array(n), mw = inWasm(new Float32Array(n), foreign);
        tsKernels.dropoutForward(n, u, thr, 1 / 0.7, a, mt, yt);
        wasm.dropoutForward(n, inWasm(u, foreign), thr, 1 / 0.7, inWasm(a, foreign), mw, yw);
        sameBits(mw, mt, `dropout mask n=${n} thr=${thr}`);
        sameBits(yw, yt, `dropout y n=${n} thr=${thr}`);
      }
      tsKernels.reluForward(n, a, yt);
      wasm.reluForward(n, inWasm(a, foreign), yw);
      sameBits(yw, yt, `relu n=${n}`);
      const dt = new Float32Array(n), dw = inWasm(new Float32Array(n), foreign);
      tsKernels.reluBackward(n, yt, b, dt);
      wasm.reluBackward(n, inWasm(yt, foreign), inWasm(b, foreign), dw);
      sameBits(dw, dt, `relu backward n=${n}`);
    }
    for (const [T, L] of [[2, 1], [7, 5], [10, 12], [87, 9]] as const) {
      const Tp = Math.floor(T / 2);
      const x = data(rng, T * L), dy = data(rng, Tp * L);
      for (let i = 0; i + L < x.length; i += 11) x[i + L] = x[i]!; // ties go to the earlier step
      const yt = new Float32Array(Tp * L), yw = inWasm(new Float32Array(Tp * L), foreign);
      tsKernels.maxPool2Forward(Tp, L, x, yt);
      wasm.maxPool2Forward(Tp, L, inWasm(x, foreign), yw);
      sameBits(yw, yt, `maxpool T=${T} L=${L}`);
      const dt = new Float32Array(T * L).fill(5), dw = inWasm(new Float32Array(T * L).fill(5), foreign);
      tsKernels.maxPool2Backward(T, Tp, L, x, dy, dt);
      wasm.maxPool2Backward(T, Tp, L, inWasm(x, foreign), inWasm(dy, foreign), dw);
      sameBits(dw, dt, `maxpool backward T=${T} L=${L}`);
    }
  });

  test(`fillRows and the fused CNN eval tail: wasm equals TypeScript bit for bit (${tag})`, () => {
    const rng = new Rng(11);
    for (const [rows, cols] of [[1, 1], [3, 5], [40, 192]] as const) {
      const bias = data(rng, cols);
      const yt = new Float32Array(rows * cols + 2).fill(7), yw = inWasm(new Float32Array(rows * cols + 2).fill(7), foreign);
      tsKernels.fillRows(rows, cols, bias, yt);
      wasm.fillRows(rows, cols, bias, yw);
      sameBits(yw, yt, `fillRows ${rows}×${cols}`);
      assert.equal(yw[rows * cols], 7, 'fillRows wrote past its rows');
    }
    // Bc episodes of S rows (T real, S − T padding rows that must not be read), C channels
    for (const [Bc, T, S, C, Btot] of [[1, 2, 2, 1, 1], [2, 7, 13, 5, 3], [3, 87, 93, 96, 5], [4, 10, 12, 32, 4]] as const) {
      const Tp = T >> 1;
      const y = data(rng, Bc * S * C);
      for (let b = 0; b < Bc; b++) y.fill(NaN, (b * S + T) * C, (b + 1) * S * C); // padding: never read
      for (let i = 0; i + C < y.length; i += 13) y[i + C] = y[i]!; // ties
      const bias = data(rng, C), scale = randomArray(rng, C), shift = randomArray(rng, C);
      const outStep = Btot * C;
      const ot = new Float32Array(Tp * outStep).fill(3), ow = inWasm(new Float32Array(Tp * outStep).fill(3), foreign);
      tsKernels.convPostPool(Bc, T, S, C, outStep, y, bias, scale, shift, ot);
      wasm.convPostPool(Bc, T, S, C, outStep, inWasm(y, foreign), inWasm(bias, foreign), inWasm(scale, foreign), inWasm(shift, foreign), ow);
      // a NaN's sign bit is unspecified here (see Kernels.convPostPool): same values, ±0 told apart
      sameValues(ow, ot, `convPostPool Bc=${Bc} T=${T} C=${C}`);
      // the same as its parts: bias add, ReLU, affine, ReLU (per episode, float32 steps), MaxPool
      const relu = (v: number): number => (v > 0 || v !== v ? v : 0);
      for (let b = 0; b < Bc; b++) {
        const e = new Float32Array(T * C);
        for (let t = 0; t < T; t++) for (let c = 0; c < C; c++) e[t * C + c] = relu(Math.fround(y[(b * S + t) * C + c]! + bias[c]!));
        for (let t = 0; t < T; t++) for (let c = 0; c < C; c++) e[t * C + c] = relu(Math.fround(Math.fround(e[t * C + c]! * scale[c]!) + shift[c]!));
        const p = new Float32Array(Tp * C);
        tsKernels.maxPool2Forward(Tp, C, e, p);
        for (let t = 0; t < Tp; t++) sameValues(ot.subarray(t * outStep + b * C, t * outStep + (b + 1) * C), p.subarray(t * C, (t + 1) * C), `parts b=${b} t=${t}`);
      }
      // columns of episodes outside the chunk are untouched
      for (let t = 0; t < Tp; t++) for (let i = Bc * C; i < outStep; i++) assert.equal(ow[t * outStep + i], 3);
    }
  });

  test(`BatchNorm passes: wasm equals TypeScript bit for bit (${tag})`, () => {
    const rng = new Rng(6);
    for (const [N, C] of [[1, 1], [5, 3], [9, 8], [2784, 7], [33, 96]] as const) {
      const x = randomArray(rng, N * C), dy = randomArray(rng, N * C);
      for (let i = 0; i < x.length; i++) x[i] = 100 + 3 * x[i]!; // an offset, like raw sensor data
      const s1t = new Float64Array(C), s2t = new Float64Array(C), s1w = new Float64Array(C), s2w = new Float64Array(C);
      tsKernels.colSums2(N, C, x, dy, s1t, s2t);
      wasm.colSums2(N, C, inWasm(x, foreign), inWasm(dy, foreign), s1w, s2w);
      assert.deepEqual(Array.from(s1w), Array.from(s1t), `colSums2 s1 N=${N} C=${C}`);
      assert.deepEqual(Array.from(s2w), Array.from(s2t), `colSums2 s2 N=${N} C=${C}`);
      const v = [randomArray(rng, C), randomArray(rng, C), randomArray(rng, C), randomArray(rng, C)];
      const ht = new Float32Array(N * C), yt = new Float32Array(N * C);
      const hw = inWasm(ht, foreign), yw = inWasm(yt, foreign);
      tsKernels.bnForward(N, C, x, v[0]!, v[1]!, v[2]!, v[3]!, ht, yt);
      wasm.bnForward(N, C, inWasm(x, foreign), ...v.map((a) => inWasm(a, foreign)) as [Float32Array, Float32Array, Float32Array, Float32Array], hw, yw);
      sameBits(hw, ht, `bnForward xhat N=${N} C=${C}`);
      sameBits(yw, yt, `bnForward y N=${N} C=${C}`);
      const dt = new Float32Array(N * C), dw = inWasm(dt, foreign);
      tsKernels.bnBackward(N, C, dy, ht, v[0]!, v[1]!, v[2]!, dt);
      wasm.bnBackward(N, C, inWasm(dy, foreign), inWasm(ht, foreign), inWasm(v[0]!, foreign), inWasm(v[1]!, foreign), inWasm(v[2]!, foreign), dw);
      sameBits(dw, dt, `bnBackward N=${N} C=${C}`);
    }
  });

  test(`BatchNorm with its ReLU fused, strided row copies: the bits of their parts, on both backends (${tag})`, () => {
    const rng = new Rng(8);
    for (const [N, C] of [[1, 1], [5, 3], [9, 8], [2784, 7], [33, 96]] as const) {
      const x = data(rng, N * C), dy = data(rng, N * C);
      const v = [randomArray(rng, C), randomArray(rng, C), randomArray(rng, C), randomArray(rng, C)];
      // the parts, in TypeScript: bnForward then reluForward; reluBackward then colSums2 and bnBackward
      const h0 = new Float32Array(N * C), y0 = new Float32Array(N * C), r0 = new Float32Array(N * C);
      tsKernels.bnForward(N, C, x, v[0]!, v[1]!, v[2]!, v[3]!, h0, y0);
      tsKernels.reluForward(N * C, y0, r0);
      const m0 = new Float32Array(N * C), s10 = new Float64Array(C), s20 = new Float64Array(C), d0 = new Float32Array(N * C);
      tsKernels.reluBackward(N * C, r0, dy, m0);
      tsKernels.colSums2(N, C, m0, h0, s10, s20);
      tsKernels.bnBackward(N, C, m0, h0, v[0]!, v[1]!, v[2]!, d0);
      for (const [name, k] of [['ts', tsKernels], ['wasm', wasm]] as const) {
        const put = (a: Float32Array): Float32Array => (k === wasm ? inWasm(a, foreign) : a.slice());
        const h = put(new Float32Array(N * C)), y = put(new Float32Array(N * C));
        k.bnReluForward(N, C, put(x), ...v.map(put) as [Float32Array, Float32Array, Float32Array, Float32Array], h, y);
        sameBits(h, h0, `${name} bnReluForward xhat N=${N} C=${C}`);
        sameBits(y, r0, `${name} bnReluForward y N=${N} C=${C}`);
        const s1 = new Float64Array(C), s2 = new Float64Array(C);
        k.reluColSums2(N, C, put(r0), put(dy), put(h0), s1, s2);
        assert.deepEqual(Array.from(s1), Array.from(s10), `${name} reluColSums2 s1 N=${N} C=${C}`);
        assert.deepEqual(Array.from(s2), Array.from(s20), `${name} reluColSums2 s2 N=${N} C=${C}`);
        const d = put(new Float32Array(N * C));
        k.reluBnBackward(N, C, put(r0), put(dy), put(h0), put(v[0]!), put(v[1]!), put(v[2]!), d);
        sameBits(d, d0, `${name} reluBnBackward N=${N} C=${C}`);
      }
    }
    // im2colTime: every row against its definition (zeros outside the sequence), both backends
    for (const [T, B, I, taps] of [[5, 2, 3, 3], [9, 3, 8, 7], [4, 1, 5, 5]] as const) {
      const x = data(rng, T * B * I);
      for (const [name, k] of [['ts', tsKernels], ['wasm', wasm]] as const) {
        const col = k === wasm ? inWasm(new Float32Array(T * B * taps * I).fill(7), foreign) : new Float32Array(T * B * taps * I).fill(7);
        k.im2colTime(T, B, I, taps, k === wasm ? inWasm(x, foreign) : x, col);
        const p = (taps - 1) / 2;
        for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) for (let tap = 0; tap < taps; tap++) for (let c = 0; c < I; c++) {
          const u = t + tap - p;
          const want = u < 0 || u >= T ? 0 : x[(u * B + b) * I + c]!;
          const got = col[((t * B + b) * taps + tap) * I + c]!;
          if (!Object.is(got, want)) assert.fail(`${name} im2colTime T=${T} taps=${taps} [${t},${b},${tap},${c}] ${got} vs ${want}`);
        }
      }
    }
    // copyRows: a block of 3 columns out of rows of 7, into column 2 of rows of 5, rest untouched
    const src = data(rng, 4 * 7);
    for (const [name, k] of [['ts', tsKernels], ['wasm', wasm]] as const) {
      const dst = k === wasm ? inWasm(new Float32Array(4 * 5).fill(9), foreign) : new Float32Array(4 * 5).fill(9);
      k.copyRows(4, 3, k === wasm ? inWasm(src, foreign) : src, 1, 7, dst, 2, 5);
      for (let r = 0; r < 4; r++) {
        for (let j = 0; j < 5; j++) {
          const want = j >= 2 && j < 5 ? src[1 + r * 7 + j - 2]! : 9;
          if (!Object.is(dst[r * 5 + j], want)) assert.fail(`${name} copyRows [${r}][${j}] ${dst[r * 5 + j]} vs ${want}`);
        }
      }
    }
  });
}

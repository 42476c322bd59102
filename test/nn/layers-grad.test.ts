/** Finite-difference gradient checks of every layer of the engine, on both backends. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Activation, BatchNorm1d, Conv1d, Linear, MaxPool1d, RecurrentStack, StepSelect,
  concatColumns, lastValidSteps, softmaxCrossEntropy, splitColumns, tsKernels, type Kernels,
} from '../../src/nn/index.js';
import { createWasmKernels } from '../../src/nn/wasm/index.js';
import { Rng } from '../../src/util/rng.js';
import { gradCheck, randn } from './gradcheck.js';

const BACKENDS: [string, Kernels][] = [['ts', tsKernels], ['wasm', createWasmKernels({ memoryMiB: 32 })]];

for (const [backend, k] of BACKENDS) {
  test(`Linear: input, weight and bias gradients (${backend})`, () => {
    const rng = new Rng(1);
    const N = 5, I = 6, O = 7;
    const lin = new Linear(k, 'l', I, O, rng);
    const x = randn(N * I, rng);
    let dx: Float32Array = new Float32Array(0);
    const r = gradCheck({
      forward: () => lin.forward(x, N),
      backward: (dy) => { lin.weight.grad.fill(0); lin.bias.grad.fill(0); dx = lin.backward(dy); },
      wrt: [
        { name: 'x', value: x, grad: () => dx },
        { name: 'weight', value: lin.weight.data, grad: () => lin.weight.grad },
        { name: 'bias', value: lin.bias.data, grad: () => lin.bias.grad },
      ],
    });
    assert.equal(r.checked, N * I + O * I + O);
  });

  for (const K of [1, 3, 5, 7]) {
    test(`Conv1d k=${K} ("same" zero padding): input, weight and bias gradients (${backend})`, () => {
      const rng = new Rng(K);
      const T = 9, B = 2, I = 3, O = 4;
      const conv = new Conv1d(k, 'c', I, O, K, rng);
      const x = randn(T * B * I, rng);
      let dx: Float32Array = new Float32Array(0);
      gradCheck({
        forward: () => conv.forward(x, T, B),
        backward: (dy) => { conv.weight.grad.fill(0); conv.bias.grad.fill(0); dx = conv.backward(dy); },
        wrt: [
          { name: 'x', value: x, grad: () => dx },
          { name: 'weight', value: conv.weight.data, grad: () => conv.weight.grad },
          { name: 'bias', value: conv.bias.data, grad: () => conv.bias.grad },
        ],
      });
    });
  }

  test(`Conv1d forward equals a direct convolution with zero padding (${backend})`, () => {
    const rng = new Rng(3);
    const T = 6, B = 2, I = 2, O = 3, K = 5;
    const conv = new Conv1d(k, 'c', I, O, K, rng);
    const x = randn(T * B * I, rng);
    const y = conv.forward(x, T, B);
    const w = conv.weight.data;
    for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) for (let o = 0; o < O; o++) {
      let s = conv.bias.data[o]!;
      for (let i = 0; i < I; i++) for (let q = 0; q < K; q++) {
        const tt = t + q - 2;
        if (tt >= 0 && tt < T) s += w[(o * I + i) * K + q]! * x[(tt * B + b) * I + i]!;
      }
      assert.ok(Math.abs(y[(t * B + b) * O + o]! - s) < 1e-5);
    }
  });

  test(`BatchNorm1d: gradients in training (batch statistics) and eval mode; running statistics (${backend})`, () => {
    const rng = new Rng(4);
    const N = 12, C = 3;
    for (const training of [true, false]) {
      const bn = new BatchNorm1d(k, 'bn', C);
      for (let c = 0; c < C; c++) { bn.weight.data[c] = 0.5 + rng.next(); bn.bias.data[c] = rng.normal(); bn.runningMean[c] = rng.normal(); bn.runningVar[c] = 0.5 + rng.next(); }
      bn.training = training;
      const x = randn(N * C, rng, 2);
      let dx: Float32Array = new Float32Array(0);
      gradCheck({
        forward: () => bn.forward(x, N),
        backward: (dy) => { bn.weight.grad.fill(0); bn.bias.grad.fill(0); dx = bn.backward(dy); },
        wrt: [
          { name: 'x', value: x, grad: () => dx },
          { name: 'weight', value: bn.weight.data, grad: () => bn.weight.grad },
          { name: 'bias', value: bn.bias.data, grad: () => bn.bias.grad },
        ],
      });
    }
    // running statistics after one training batch: momentum 0.1, unbiased variance
    const bn = new BatchNorm1d(k, 'bn', 1);
    bn.training = true;
    const x = Float32Array.from([1, 2, 3, 6]);
    bn.forward(x, 4);
    assert.ok(Math.abs(bn.runningMean[0]! - 0.3) < 1e-6);
    assert.ok(Math.abs(bn.runningVar[0]! - (0.9 + 0.1 * (14 / 3))) < 1e-6);
    assert.equal(bn.numBatchesTracked, 1);
  });

  for (const kind of ['relu', 'tanh'] as const) {
    test(`${kind}: gradient (${backend})`, () => {
      const rng = new Rng(5);
      const n = 40;
      // keep inputs away from relu's kink
      const x = randn(n, rng).map((v) => (Math.abs(v) < 0.1 ? v + 0.3 : v));
      const act = new Activation(k, kind);
      let dx: Float32Array = new Float32Array(0);
      gradCheck({ forward: () => act.forward(x, n), backward: (dy) => { dx = act.backward(dy); }, wrt: [{ name: 'x', value: x, grad: () => dx }] });
    });
  }

  test(`MaxPool1d(2, 2): gradient, odd length drops the last step (${backend})`, () => {
    const rng = new Rng(6);
    const T = 7, B = 2, C = 3;
    const x = new Float32Array(T * B * C);
    for (let i = 0; i < x.length; i++) x[i] = rng.int(1000) * 0.1; // distinct values 0.1 apart: no ties within eps
    for (let i = 0; i < x.length; i++) for (let j = 0; j < i; j++) if (x[i] === x[j]) x[i] += 0.05 * (i + 1);
    const pool = new MaxPool1d(k);
    let dx: Float32Array = new Float32Array(0);
    gradCheck({ forward: () => pool.forward(x, T, B, C), backward: (dy) => { dx = pool.backward(dy); }, wrt: [{ name: 'x', value: x, grad: () => dx }], eps: 1e-3 });
    const y = pool.forward(x, T, B, C);
    for (let t = 0; t < 3; t++) for (let i = 0; i < B * C; i++) assert.equal(y[t * B * C + i], Math.max(x[2 * t * B * C + i]!, x[(2 * t + 1) * B * C + i]!));
    for (let i = 6 * B * C; i < T * B * C; i++) assert.equal(dx[i], 0);
  });

  test(`tower concatenation on channels and its split (${backend})`, () => {
    const rng = new Rng(8);
    const rows = 4;
    const a = randn(rows * 2, rng), b = randn(rows * 3, rng);
    const out = new Float32Array(rows * 5);
    concatColumns([a, b], [2, 3], rows, out);
    assert.deepEqual([...out.subarray(5, 10)], [a[2], a[3], b[3], b[4], b[5]]);
    const da = new Float32Array(rows * 2), db = new Float32Array(rows * 3);
    splitColumns(out, [2, 3], rows, [da, db]);
    assert.deepEqual(da, a);
    assert.deepEqual(db, b);
  });

  for (const cell of ['gru', 'lstm'] as const) {
    for (const layers of [1, 3]) {
      test(`${cell.toUpperCase()} ${layers} layer(s): input and every weight gradient (${backend})`, () => {
        const rng = new Rng(9 + layers);
        const T = 5, B = 3, I = 4, H = 3;
        const rnn = new RecurrentStack(k, 'rnn', cell, I, H, layers, 0, rng);
        const x = randn(T * B * I, rng);
        let dx: Float32Array = new Float32Array(0);
        gradCheck({
          forward: () => rnn.forward(x, T, B),
          backward: (dy) => { for (const p of rnn.params()) p.grad.fill(0); dx = rnn.backward(dy); },
          wrt: [{ name: 'x', value: x, grad: () => dx }, ...rnn.params().map((p) => ({ name: p.name, value: p.data, grad: () => p.grad }))],
        });
      });
    }
  }

  test(`last-valid-step selection with a mask (and after pooling): gradient reaches only the chosen steps (${backend})`, () => {
    const T = 6, B = 3;
    const mask = Uint8Array.from([1, 1, 1, 0, 0, 0, /**/ 1, 1, 1, 1, 1, 1, /**/ 1, 0, 0, 0, 0, 0]);
    const steps = new Int32Array(B);
    lastValidSteps(mask, B, T, 1, steps);
    assert.deepEqual([...steps], [2, 5, 0]);
    lastValidSteps(mask, B, T, 2, steps);
    assert.deepEqual([...steps], [0, 2, 0]);
    lastValidSteps(undefined, B, T, 1, steps);
    assert.deepEqual([...steps], [5, 5, 5]);
    // through a GRU: the selected outputs' gradient flows back only to steps ≤ the chosen one
    const rng = new Rng(12);
    const H = 2, I = 2;
    const rnn = new RecurrentStack(k, 'g', 'gru', I, H, 2, 0, rng);
    const sel = new StepSelect(k);
    const x = randn(T * B * I, rng);
    lastValidSteps(mask, B, T, 1, steps);
    let dx: Float32Array = new Float32Array(0);
    gradCheck({
      forward: () => sel.forward(rnn.forward(x, T, B), T, B, H, steps),
      backward: (dy) => { for (const p of rnn.params()) p.grad.fill(0); dx = rnn.backward(sel.backward(dy)); },
      wrt: [{ name: 'x', value: x, grad: () => dx }, ...rnn.params().map((p) => ({ name: p.name, value: p.data, grad: () => p.grad }))],
    });
    for (let i = 0; i < I; i++) {
      assert.equal(dx[(3 * B + 0) * I + i], 0, 'episode 0 after its last valid step');
      assert.equal(dx[(1 * B + 2) * I + i], 0, 'episode 2 after step 0');
      assert.notEqual(dx[(5 * B + 1) * I + i], 0, 'episode 1 at its last step');
    }
  });

  test(`softmax cross-entropy: loss value and dLogits by finite differences (${backend})`, () => {
    const rng = new Rng(13);
    const B = 3, K = 5;
    const z = randn(B * K, rng, 2);
    const y = [1, 4, 0];
    const r = softmaxCrossEntropy(z, y, B, K);
    let ref = 0;
    for (let b = 0; b < B; b++) {
      let s = 0;
      for (let j = 0; j < K; j++) s += Math.exp(z[b * K + j]!);
      ref += Math.log(s) - z[b * K + y[b]!]!;
    }
    assert.ok(Math.abs(r.loss - ref / B) < 1e-6);
    for (let i = 0; i < B * K; i++) {
      const v = z[i]!;
      z[i] = v + 1e-2; const hp = z[i]! - v; const lp = softmaxCrossEntropy(z, y, B, K).loss;
      z[i] = v - 1e-2; const hm = z[i]! - v; const lm = softmaxCrossEntropy(z, y, B, K).loss;
      z[i] = v;
      const num = (lp - lm) / (hp - hm);
      assert.ok(Math.abs(num - r.dLogits[i]!) < 1e-4 + 1e-2 * Math.abs(num), `dLogits[${i}] ${r.dLogits[i]} vs ${num}`);
    }
    assert.throws(() => softmaxCrossEntropy(z, [1, 5, 0], B, K), /target 5/);
  });
}

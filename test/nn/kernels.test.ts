/** The TypeScript kernels against naive references: gemm in all transpose cases, offsets, strides, beta. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tsKernels } from '../../src/nn/kernels-ts.js';
import { checkCells, checkGemm } from './kernel-checks.js';

test('ts gemm matches a naive float64 product for every transpose combination, stride, offset, alpha and beta', () => {
  checkGemm(tsKernels);
});

test('ts GRU and LSTM cells match the formulas on one element', () => {
  const k = tsKernels;
  const H = 1;
  const gates = Float32Array.from([0.3, -0.2, 0.5]);
  const gh = Float32Array.from([0.1, 0.4, -0.7]);
  const hPrev = Float32Array.from([0.25]);
  const h = new Float32Array(1);
  k.gruCellForward(1, H, gates, 0, gh, 0, hPrev, 0, h, 0);
  const sg = (v: number) => 1 / (1 + Math.exp(-v));
  const r = sg(0.4), z = sg(0.2), n = Math.tanh(0.5 + r * -0.7);
  assert.ok(Math.abs(h[0]! - ((1 - z) * n + z * 0.25)) < 1e-6);
  const lg = Float32Array.from([0.3, -0.2, 0.5, 0.9]);
  const cPrev = Float32Array.from([0.4]);
  const c = new Float32Array(1), h2 = new Float32Array(1);
  k.lstmCellForward(1, H, lg, 0, cPrev, 0, c, 0, h2, 0);
  const cv = sg(-0.2) * 0.4 + sg(0.3) * Math.tanh(0.5);
  assert.ok(Math.abs(c[0]! - cv) < 1e-6);
  assert.ok(Math.abs(h2[0]! - sg(0.9) * Math.tanh(cv)) < 1e-6);
});

test('checkCells compares two backends and catches a wrong cell', () => {
  checkCells(tsKernels, tsKernels);
  const broken = { ...tsKernels, name: 'broken', gruCellForward: (...a: Parameters<typeof tsKernels.gruCellForward>) => { tsKernels.gruCellForward(...a); a[8][a[9]] += 0.01; } };
  assert.throws(() => checkCells(broken, tsKernels), /broken gru/);
});

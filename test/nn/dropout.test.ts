/** Dropout, alone and between RNN layers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dropout, RecurrentStack, tsKernels as k } from '../../src/nn/index.js';
import { Rng } from '../../src/util/rng.js';
import { randn } from './gradcheck.js';

test('Dropout: inverted scaling, about p dropped, backward uses the same mask, identity in eval', () => {
  const n = 20000;
  const x = new Float32Array(n).fill(2);
  const d = new Dropout(k, 0.3, new Rng(1));
  d.training = true;
  const y = d.forward(x, n);
  let zeros = 0;
  for (let i = 0; i < n; i++) {
    if (y[i] === 0) zeros++;
    else assert.ok(Math.abs(y[i]! - 2 / 0.7) < 1e-6);
  }
  assert.ok(Math.abs(zeros / n - 0.3) < 0.02, `dropped ${zeros / n}`);
  const dy = new Float32Array(n).fill(1);
  const dx = d.backward(dy);
  for (let i = 0; i < n; i += 97) assert.equal(dx[i], y[i]! / 2);
  d.training = false;
  assert.equal(d.forward(x, n), x);
  assert.throws(() => new Dropout(k, 1, new Rng(1)), /p must be in/);
});

test('inter-layer dropout of a multi-layer GRU acts only in training', () => {
  const T = 4, B = 2, I = 3, H = 5;
  const withDrop = new RecurrentStack(k, 'g', 'gru', I, H, 3, 0.5, new Rng(2));
  const noDrop = new RecurrentStack(k, 'g', 'gru', I, H, 3, 0, new Rng(2));
  const x = randn(T * B * I, new Rng(3));
  const ref = noDrop.forward(x, T, B).slice(0, T * B * H);
  withDrop.training = false;
  assert.deepEqual(withDrop.forward(x, T, B).slice(0, T * B * H), ref);
  withDrop.training = true;
  const a = withDrop.forward(x, T, B).slice(0, T * B * H);
  assert.notDeepEqual(a, ref);
});

test('Rng.fillUint32 continues the nextUint32 sequence', () => {
  const a = new Rng(42), b = new Rng(42);
  const out = new Uint32Array(1000);
  b.nextUint32();
  a.nextUint32();
  b.fillUint32(out, 1000);
  for (let i = 0; i < 1000; i++) assert.equal(out[i], a.nextUint32());
  assert.equal(b.nextUint32(), a.nextUint32());
});

test('ReLU and MaxPool1d: NaN, −0 and ties (TypeScript loops)', () => {
  const y = new Float32Array(4);
  k.reluForward(4, new Float32Array([-1, -0, 2, NaN]), y);
  assert.ok(Object.is(y[0], 0) && Object.is(y[1], 0) && y[2] === 2 && Number.isNaN(y[3]));
  const p = new Float32Array(3);
  // rows: t0 = [1, 5, 1], t1 = [1, 3, NaN] → ties keep t0, NaN later wins
  k.maxPool2Forward(1, 3, new Float32Array([1, 5, 1, 1, 3, NaN]), p);
  assert.ok(p[0] === 1 && p[1] === 5 && Number.isNaN(p[2]));
});

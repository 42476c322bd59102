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

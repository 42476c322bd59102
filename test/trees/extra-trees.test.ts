import { test } from 'node:test';
import assert from 'node:assert/strict';
import { concatForests, fitExtraTrees, predictExtraTrees } from '../../src/trees/extra-trees.js';
import { forestFromTensors, forestToTensors } from '../../src/trees/forest-tensors.js';
import { Rng } from '../../src/util/rng.js';

/** K Gaussian blobs in F dimensions; only the first 2 features carry the class. */
function blobs(N: number, K: number, F: number, seed: number): { X: Float32Array; y: Int32Array } {
  const rng = new Rng(seed);
  const X = new Float32Array(N * F);
  const y = new Int32Array(N);
  for (let n = 0; n < N; n++) {
    const k = n % K;
    y[n] = k;
    X[n * F] = Math.cos((2 * Math.PI * k) / K) * 3 + rng.normal() * 0.3;
    X[n * F + 1] = Math.sin((2 * Math.PI * k) / K) * 3 + rng.normal() * 0.3;
    for (let f = 2; f < F; f++) X[n * F + f] = rng.normal();
  }
  return { X, y };
}

const argmax = (p: Float32Array, n: number, K: number) => {
  let a = 0;
  for (let k = 1; k < K; k++) if (p[n * K + k]! > p[n * K + a]!) a = k;
  return a;
};

test('extra trees learn separable classes, give probability rows that sum to 1, and are deterministic for a seed', () => {
  const K = 6;
  const train = blobs(600, K, 8, 1);
  const test = blobs(300, K, 8, 2);
  const f = fitExtraTrees(train.X, train.y, K, 8, { trees: 40, seed: 3 });
  const p = predictExtraTrees(f, test.X, 300);
  let ok = 0;
  for (let n = 0; n < 300; n++) {
    if (argmax(p, n, K) === test.y[n]) ok++;
    const s = p.subarray(n * K, (n + 1) * K).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(s - 1) < 1e-5);
  }
  assert.ok(ok / 300 > 0.95, `accuracy ${ok / 300}`);
  assert.deepEqual(fitExtraTrees(train.X, train.y, K, 8, { trees: 40, seed: 3 }), f);
  assert.notDeepEqual(fitExtraTrees(train.X, train.y, K, 8, { trees: 40, seed: 4 }).threshold, f.threshold);
});

test('two forests joined as one predict the mean of their probabilities', () => {
  const K = 4;
  const a = fitExtraTrees(blobs(200, K, 5, 1).X, blobs(200, K, 5, 1).y, K, 5, { trees: 10, seed: 1 });
  const b = fitExtraTrees(blobs(80, K, 5, 7).X, blobs(80, K, 5, 7).y, K, 5, { trees: 10, seed: 2 });
  const q = blobs(50, K, 5, 9).X;
  const both = predictExtraTrees(concatForests(a, b), q, 50);
  const pa = predictExtraTrees(a, q, 50);
  const pb = predictExtraTrees(b, q, 50);
  both.forEach((v, i) => assert.ok(Math.abs(v - (pa[i]! + pb[i]!) / 2) < 1e-6, `${i}: ${v} vs ${(pa[i]! + pb[i]!) / 2}`));
  assert.throws(() => concatForests(a, fitExtraTrees(blobs(40, 3, 5, 1).X, blobs(40, 3, 5, 1).y, 3, 5, { trees: 2 })), /4 classes × 5 features against 3 × 5/);
});

test('sample weights move the decision: a heavily weighted relabelled point wins its neighbourhood', () => {
  const X = Float32Array.from([0, 1, 2, 3, 10, 11, 12, 13]);
  const y = Int32Array.from([0, 0, 0, 0, 1, 1, 1, 1]);
  // the same x = 2 point twice more, as class 1: unweighted it loses, weighted it wins
  const X2 = Float32Array.from([...X, 2, 2]);
  const y2 = Int32Array.from([...y, 1, 1]);
  const q = Float32Array.from([2]);
  const plain = predictExtraTrees(fitExtraTrees(X2, y2, 2, 1, { trees: 50, seed: 1, minSamplesSplit: 2 }, Float32Array.from([1, 1, 1, 1, 1, 1, 1, 1, 0.01, 0.01])), q, 1);
  const heavy = predictExtraTrees(fitExtraTrees(X2, y2, 2, 1, { trees: 50, seed: 1, minSamplesSplit: 2 }, Float32Array.from([1, 1, 1, 1, 1, 1, 1, 1, 50, 50])), q, 1);
  assert.ok(plain[0]! > 0.5, `unweighted p(0 | x=2) = ${plain[0]}`);
  assert.ok(heavy[1]! > 0.5, `weighted p(1 | x=2) = ${heavy[1]}`);
});

test('a forest survives its tensor form exactly, and a damaged one is refused with the file named', () => {
  const d = blobs(200, 4, 5, 9);
  const f = fitExtraTrees(d.X, d.y, 4, 5, { trees: 10, seed: 1 });
  const back = forestFromTensors(forestToTensors(f, { x: d.X, y: d.y }), 5, 'm.safetensors');
  assert.deepEqual(back.forest, f);
  assert.deepEqual(back.source!.y, d.y);
  const sd = forestToTensors(f);
  sd.get('trees.left')!.data[0] = 1e6;
  assert.throws(() => forestFromTensors(sd, 5, 'm.safetensors'), /m\.safetensors: tree bundle links to node 1000000/);
  assert.throws(() => forestFromTensors(forestToTensors(f), 3, 'm.safetensors'), /splits on feature \d of 3/);
});

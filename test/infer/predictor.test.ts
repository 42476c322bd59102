import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel, MAX_FRAMES, resolveModelPath } from '../../src/infer/index.js';

const model = await loadModel();
const C = model.info.channels.length;
const rows = (n: number): number[][] =>
  Array.from({ length: n }, (_, t) => [780, 700, 860, 850, 860, -14 + t * 0.01, -69, -68].slice(0, C));

test('predict accepts rows of numbers, rows keyed by channel, and episodes, with the same answer', () => {
  const r = rows(80);
  const a = model.predict(r, { topK: 3 });
  const keyed = r.map((row) => Object.fromEntries(model.info.channels.map((c, i) => [c, row[i]!])));
  const b = model.predict(keyed, { topK: 3 });
  const ep = { channels: [...model.info.channels].reverse(), data: Float32Array.from(r.flatMap((row) => [...row].reverse())), length: 80 };
  const c = model.predict(ep, { topK: 3 });
  assert.deepEqual(b, a);
  assert.deepEqual(c, a);
  assert.equal(a.topK.length, 3);
  assert.equal(a.topK[0]!.jamo, a.jamo);
  assert.ok(a.topK[0]!.confidence >= a.topK[1]!.confidence && a.topK[1]!.confidence >= a.topK[2]!.confidence);
});

test('predictBatch handles episodes of any length in chunks, equal to one-by-one predictions', () => {
  const eps = [rows(12), rows(80), rows(300), rows(87)];
  const batch = model.predictBatch(eps, { chunkSize: 3 });
  assert.equal(batch.length, 4);
  // Same letters; probabilities equal up to float rounding (a batch sums in another order).
  eps.forEach((e, i) => {
    const one = model.predict(e);
    assert.equal(batch[i]!.jamo, one.jamo);
    assert.ok(Math.abs(batch[i]!.confidence - one.confidence) < 1e-5, `${batch[i]!.confidence} vs ${one.confidence}`);
  });
});

test('bad input gets an error that names the problem', () => {
  assert.throws(() => model.predict([]), /no frames/);
  assert.throws(() => model.predict([[1, 2, 3]]), /frame 0 has 3 values, expected 8/);
  const nan = rows(5);
  nan[2]![4] = Number.NaN;
  assert.throws(() => model.predict(nan), /frame 2, channel 'flex5' is NaN|frame 2, channel 'flex5'.*not a finite number/);
  assert.throws(() => model.predict([{ flex1: 1 }]), /frame 0 has no 'flex2' value/);
  assert.throws(() => model.predict({ channels: ['flex1'], data: new Float32Array(1), length: 1 }), /no 'flex2' channel/);
  assert.throws(() => model.predict(rows(MAX_FRAMES + 1)), /at most 10000/);
});

test('an unknown model name says what is shipped', () => {
  assert.throws(() => resolveModelPath('no-such-model'), /no model 'no-such-model'.*shipped: .*gru/);
});

test('predictBatchParallel gives exactly the predictions of predictBatch, from worker threads', async () => {
  const m = await loadModel('gru'); // a network: the pool runs networks (a forest answers on its own thread)
  try {
    // 100 episodes: several chunks per worker, so the chunks' order in the result is checked too
    const eps = Array.from({ length: 100 }, (_, i) =>
      rows(40 + (i % 9) * 20).map((r) => r.map((v, c) => (c < 5 ? v + ((i * 37 + c * 53) % 160) - 80 : c === 6 ? v + ((i * 29) % 120) - 60 : v))));
    const serial = m.predictBatch(eps, { topK: 3, chunkSize: 100 });
    const parallel = await m.predictBatchParallel(eps, { topK: 3, workers: 2 });
    assert.deepEqual(parallel, serial);
    assert.ok(new Set(serial.map((p) => p.confidence)).size > 50, 'the episodes should not all look alike');
    await assert.rejects(m.predictBatchParallel([[[1, 2]]] as unknown as number[][][]), /frame 0 has 2 values/);
  } finally {
    await m.close();
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixLength, makeBatch, Scaler } from '../../src/data/preprocess.js';
import { randomSplit } from '../../src/data/splits.js';
import type { Episode } from '../../src/data/types.js';
import { makeEpisode } from './helpers.js';

const ep5 = makeEpisode([[1, 10], [2, 20], [3, 30], [4, 40], [5, 50]]);

test("fixLength 'pad': keeps the first T frames of a long episode, pads a short one at the end with a mask", () => {
  const short = fixLength(ep5, 7, 'pad', -9);
  assert.deepEqual([...short.data], [1, 10, 2, 20, 3, 30, 4, 40, 5, 50, -9, -9, -9, -9]);
  assert.deepEqual([...short.mask], [1, 1, 1, 1, 1, 0, 0]);
  assert.equal(short.validLength, 5);
  const long = fixLength(ep5, 3, 'pad');
  assert.deepEqual([...long.data], [1, 10, 2, 20, 3, 30]);
  assert.deepEqual([...long.mask], [1, 1, 1]);
  assert.equal(long.validLength, 3);
});

test("fixLength 'truncate': keeps the middle T frames of a long episode, pads a short one like 'pad'", () => {
  assert.deepEqual([...fixLength(ep5, 3, 'truncate').data], [2, 20, 3, 30, 4, 40]);
  assert.deepEqual([...fixLength(ep5, 2, 'truncate').data], [2, 20, 3, 30]);
  assert.deepEqual([...fixLength(ep5, 6, 'truncate', 0).data], [...fixLength(ep5, 6, 'pad', 0).data]);
});

test("fixLength 'resample': linear interpolation with the endpoints kept, no padding", () => {
  const up = fixLength(ep5, 9, 'resample');
  assert.deepEqual([...up.data].filter((_, i) => i % 2 === 0), [1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5]);
  assert.deepEqual([...up.mask], Array(9).fill(1));
  assert.equal(up.validLength, 9);
  const down = fixLength(ep5, 3, 'resample');
  assert.deepEqual([...down.data], [1, 10, 3, 30, 5, 50]);
  const single = fixLength(makeEpisode([[7, 8]]), 3, 'resample');
  assert.deepEqual([...single.data], [7, 8, 7, 8, 7, 8]);
});

test('fixLength refuses a bad T and an unknown mode', () => {
  assert.throws(() => fixLength(ep5, 0, 'pad'), /positive integer/);
  assert.throws(() => fixLength(ep5, 4, 'stretch' as never), /unknown length mode 'stretch'/);
});

test('Scaler: population std on real frames, constant channel gets std 1, JSON round trip', () => {
  const a = makeEpisode([[1, 5], [3, 5]]);
  const b = makeEpisode([[5, 5]]);
  const s = Scaler.fit([a, b]);
  assert.deepEqual([...s.mean], [3, 5]);
  assert.deepEqual([...s.std], [Math.sqrt(8 / 3), 1]);
  const copy = Scaler.fromJSON(JSON.parse(JSON.stringify(s.toJSON())));
  assert.deepEqual(copy.toJSON(), s.toJSON());
  const x = Float32Array.from([3, 5, 5, 6]);
  s.transform(x);
  assert.deepEqual([...x], [0, 0, Math.fround(2 / Math.sqrt(8 / 3)), 1]);
  s.inverseTransform(x);
  assert.ok(Math.abs(x[2]! - 5) < 1e-5);
});

test('Scaler.fromJSON refuses mismatched or non-positive entries', () => {
  assert.throws(() => Scaler.fromJSON({ channels: ['a', 'b'], mean: [0], std: [1] }), /2 channels but 1 means/);
  assert.throws(() => Scaler.fromJSON({ channels: ['a'], mean: [0], std: [0] }), /not positive/);
});

test('leak fix: a scaler fitted on the training split ignores the test episodes entirely', () => {
  // 4 classes × 10 episodes; test episodes get wild values that would move an all-data fit
  const episodes: Episode[] = [];
  for (let i = 0; i < 40; i++) episodes.push(makeEpisode([[i, 2 * i], [i + 1, 2 * i + 1]], { label: i % 4, file: `e${i}` }));
  const split = randomSplit(episodes, { seed: 3 });
  const trainEps = split.train.map((i) => episodes[i]!);
  const fitted = Scaler.fit(trainEps);

  const poisoned = episodes.map((e, i) => (split.test.includes(i) ? makeEpisode([[1e6, -1e6], [1e6, -1e6]], { label: e.label }) : e));
  const refit = Scaler.fit(split.train.map((i) => poisoned[i]!));
  assert.deepEqual(refit.toJSON(), fitted.toJSON());
  // and it is not the all-data statistics the reference used
  assert.notDeepEqual(Scaler.fit(poisoned).toJSON(), fitted.toJSON());
  // matches a hand computation over training frames only
  const vals = trainEps.flatMap((e) => [e.data[0]!, e.data[2]!]);
  const mean = vals.reduce((p, v) => p + v, 0) / vals.length;
  assert.ok(Math.abs(fitted.mean[0]! - mean) < 1e-9);
});

test('Scaler fits on real frames only: padding does not shift the statistics', () => {
  const shortEp = makeEpisode([[10], [20]]);
  const s = Scaler.fit([shortEp]);
  assert.deepEqual([...s.mean], [15]);
  assert.deepEqual([...s.std], [5]);
});

test('makeBatch: pads in raw units and then scales (the reference order), masks and lengths', () => {
  const a = makeEpisode([[10], [20]], { label: 3 });
  const b = makeEpisode([[30], [40], [50], [60]], { label: 5 });
  const scaler = new Scaler(['c0'], Float64Array.from([20]), Float64Array.from([10]));
  const batch = makeBatch([a, b], { T: 3, mode: 'pad', padValue: 1, scaler });
  assert.equal(batch.N, 2);
  assert.equal(batch.T, 3);
  assert.equal(batch.C, 1);
  // a: 10, 20, pad 1 → (1 − 20) / 10 = −1.9 ; b: first 3 frames
  assert.deepEqual([...batch.x], [-1, 0, -1.9, 1, 2, 3].map(Math.fround));
  assert.deepEqual([...batch.mask], [1, 1, 0, 1, 1, 1]);
  assert.deepEqual([...batch.labels], [3, 5]);
  assert.deepEqual([...batch.lengths], [2, 3]);
});

test('makeBatch with padAfterScaling: the pad value is in standardised units', () => {
  const a = makeEpisode([[10], [20]]);
  const scaler = new Scaler(['c0'], Float64Array.from([20]), Float64Array.from([10]));
  const batch = makeBatch([a], { T: 4, padValue: 0, scaler, padAfterScaling: true });
  assert.deepEqual([...batch.x], [-1, 0, 0, 0]);
});

test('makeBatch without a scaler and with mismatched channels', () => {
  const a = makeEpisode([[1, 2]]);
  assert.deepEqual([...makeBatch([a], { T: 2, padValue: 0 }).x], [1, 2, 0, 0]);
  const other = makeEpisode([[1, 2]], { channels: ['x', 'y'] });
  assert.throws(() => makeBatch([a, other], { T: 2 }), /channels \[x, y\] differ/);
});

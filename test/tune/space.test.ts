/** Sampling of `signglove tune`: reproducible for a seed, inside the space, trial 0 the default. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { archList, defaultParams, haltonPoint, searchSpace, trainFlags, trialParams, valueAt } from '../../src/tune/space.js';
import { ARCHS, defaultConfig } from '../../src/models/index.js';
import { settingsOf } from '../../src/tune/trial.js';
import { augmentFor, DEFAULT_AUGMENT } from '../../src/train/augment.js';
import { PIPELINE_INPUTS } from '../../src/data/session-norm.js';

test('the same seed gives the same trials; another seed another design', () => {
  const space = searchSpace(['GRU']);
  const a = Array.from({ length: 20 }, (_, i) => trialParams(space, ['GRU'], i, 42));
  const b = Array.from({ length: 20 }, (_, i) => trialParams(space, ['GRU'], i, 42));
  const c = Array.from({ length: 20 }, (_, i) => trialParams(space, ['GRU'], i, 43));
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.slice(1), c.slice(1));
  assert.deepEqual(a[0], c[0], 'trial 0 is the default whatever the seed');
  // every trial differs from the others
  assert.equal(new Set(a.map((p) => JSON.stringify(p))).size, a.length);
});

test('every sampled value lies in its range, and the Halton design covers each axis evenly', () => {
  const space = searchSpace(['CNNGRU']);
  assert.ok(space.some((s) => s.name === 'filters'), 'CNN models search their filters');
  const n = 64;
  for (let i = 1; i <= n; i++) {
    const p = trialParams(space, ['CNNGRU'], i, 7);
    for (const s of space) {
      const v = p[s.name];
      if (s.kind === 'choice') assert.ok(s.values.includes(v!), `${s.name}=${String(v)}`);
      else assert.ok(typeof v === 'number' && v >= s.min * 0.999 && v <= s.max * 1.001, `${s.name}=${String(v)}`);
    }
  }
  // the first 64 points put 16 (± 1) in each quarter of the axes with small bases (2, 3, 5, 7);
  // independent random draws would miss by ~3.5 on average
  for (let d = 0; d < 4; d++) {
    const quarters = [0, 0, 0, 0];
    for (let i = 1; i <= n; i++) quarters[Math.floor(haltonPoint(i, space.length, 7)[d]! * 4)]!++;
    for (const q of quarters) assert.ok(Math.abs(q - n / 4) <= 1, `dimension ${d}: ${quarters.join(', ')}`);
  }
});

test('log parameters are spread on a log scale; choices take every value', () => {
  const lr = searchSpace(['GRU']).find((s) => s.name === 'lr')!;
  assert.ok(Math.abs(Number(valueAt(lr, 0.5)) - Math.sqrt(3e-4 * 1e-2)) < 1e-4);
  const hidden = searchSpace(['GRU']).find((s) => s.name === 'hidden')!;
  assert.deepEqual([0, 0.2, 0.4, 0.6, 0.8, 0.999].map((u) => valueAt(hidden, u)), [32, 48, 64, 96, 128, 128]);
});

test('trial 0 trains exactly what `signglove train` trains by default', () => {
  const p = defaultParams('GRU');
  const s = settingsOf(p, 7);
  assert.deepEqual(s.arch, defaultConfig('GRU', 7, 24));
  // the default augmentation, as `train` applies it to the pipeline's inputs (a smaller shift on gravity)
  assert.deepEqual(s.train.augment, augmentFor(DEFAULT_AUGMENT, PIPELINE_INPUTS));
  assert.equal(s.train.lr, 1e-3);
  assert.equal(s.train.batchSize, 32);
  assert.deepEqual(trainFlags(searchSpace(['GRU']), p), ['--model', 'gru', '--hidden', '64', '--layers', '2', '--lr', '0.001', '--weight-decay', '0.001', '--batch-size', '32', '--augment-scale', '1']);
});

test('--model all searches the architecture too', () => {
  const archs = archList('all');
  assert.deepEqual(archs, [...ARCHS]);
  const space = searchSpace(archs);
  assert.equal(space[0]!.name, 'arch');
  const seen = new Set(Array.from({ length: 40 }, (_, i) => trialParams(space, archs, i + 1, 1).arch));
  assert.equal(seen.size, ARCHS.length, 'every architecture is tried');
  const gru = Array.from({ length: 40 }, (_, i) => trialParams(space, archs, i + 1, 1)).find((p) => p.arch === 'GRU')!;
  assert.equal(gru.filters, undefined, 'a recurrent model carries no CNN setting');
});

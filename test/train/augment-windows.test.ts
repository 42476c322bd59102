import { test } from 'node:test';
import assert from 'node:assert/strict';
import { augmentBatch, augmentFor, DEFAULT_AUGMENT, GRAVITY_SHIFT_SCALE, NO_AUGMENT } from '../../src/train/augment.js';
import { trainingWindows } from '../../src/train/session-data.js';
import { PIPELINE_INPUTS } from '../../src/data/session-norm.js';
import type { Episode } from '../../src/data/types.js';
import { Rng } from '../../src/util/rng.js';

function episode(length: number, C = 2): Episode {
  // frame t, channel c holds t * 10 + c: every window's position can be read back from its values
  const data = new Float32Array(length * C);
  for (let t = 0; t < length; t++) for (let c = 0; c < C; c++) data[t * C + c] = t * 10 + c;
  return { file: `ep${length}.csv`, label: 3, jamo: 'ㄹ', session: '3', wearing: 'day', channels: ['flex1', 'flex2'].slice(0, C), data, length };
}

test('a hold longer than T trains as windows of T spread over it, from its first frame to its last', () => {
  const [w0, w1, w2, w3, ...rest] = trainingWindows([episode(300)], 87);
  assert.equal(rest.length, 0);
  const starts = [w0!, w1!, w2!, w3!].map((w) => {
    assert.equal(w.length, 87);
    assert.equal(w.data.length, 87 * 2);
    assert.equal(w.label, 3);
    assert.equal(w.wearing, 'day');
    return w.data[0]! / 10;
  });
  assert.deepEqual(starts, [0, 71, 142, 213]);
  assert.equal(w3!.data[86 * 2]! / 10, 299);
  // consecutive frames of the source, not resampled
  assert.deepEqual([...w1!.data.subarray(0, 4)], [710, 711, 720, 721]);
});

test('a hold of at most T frames stays one episode, as it was', () => {
  const short = episode(80);
  const exact = episode(87);
  const out = trainingWindows([short, exact], 87);
  assert.equal(out.length, 2);
  assert.equal(out[0], short);
  assert.equal(out[1], exact);
});

test('gravity inputs get a third of the wearing shift (offset, gain); the standardised flex channels all of it', () => {
  const cfg = augmentFor({ ...NO_AUGMENT, offset: 0.5, gain: 0.3 }, PIPELINE_INPUTS);
  assert.deepEqual(cfg.shiftScale, [1, 1, 1, 1, 1, GRAVITY_SHIFT_SCALE, GRAVITY_SHIFT_SCALE, GRAVITY_SHIFT_SCALE]);
  const B = 64;
  const T = 3;
  const C = PIPELINE_INPUTS.length;
  // every frame reads 0 on every channel: the augmented value is the episode's offset
  const x = new Float32Array(B * T * C);
  augmentBatch(cfg, x, new Uint8Array(B * T).fill(1), B, T, C, new Rng(1));
  const spread = (c: number) => Math.sqrt(Array.from({ length: B }, (_, b) => x[b * T * C + c]! ** 2).reduce((a, v) => a + v) / B);
  for (let c = 0; c < 5; c++) assert.ok(spread(c) > 0.3 && spread(c) < 0.7, `${PIPELINE_INPUTS[c]}: offset spread ${spread(c)}`);
  for (let c = 5; c < C; c++) assert.ok(spread(c) > 0.1 && spread(c) < 0.25, `${PIPELINE_INPUTS[c]}: offset spread ${spread(c)}`);
});

test('inputs without gravity keep the augmentation as it is', () => {
  assert.equal(augmentFor(DEFAULT_AUGMENT, ['flex1', 'flex2', 'pitch', 'roll']), DEFAULT_AUGMENT);
  const given = { ...DEFAULT_AUGMENT, shiftScale: [1, 0] };
  assert.equal(augmentFor(given, PIPELINE_INPUTS), given);
});

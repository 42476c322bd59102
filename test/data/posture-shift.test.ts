import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitPostureShifts, letterShifts, postureCopies } from '../../src/data/posture-shift.js';
import { shiftedFeatures, summaryFeatures } from '../../src/trees/features.js';
import { Rng } from '../../src/util/rng.js';

const inputs = ['flex1', 'flex2', 'grav_x'];

/** A normalised episode of 4 frames: flex values fixed, gravity 0.5. */
function ep(label: number, session: string, f1: number, f2: number) {
  const data = new Float32Array(4 * 3);
  for (let t = 0; t < 4; t++) data.set([f1, f2, 0.5], t * 3);
  return { data, length: 4, label, session };
}

test('posture shifts are learnt per letter, relative to the basic posture', () => {
  const eps = [ep(0, '3', 0, 0), ep(0, '1', -1, -0.5), ep(0, '5', 1, 2), ep(1, '3', 0.5, 0.5), ep(1, '5', 0.5, 1.5)];
  const s = fitPostureShifts(inputs, eps, 3)!;
  assert.deepEqual(s.postures, ['1', '5']);
  assert.deepEqual(s.channels, ['flex1', 'flex2']);
  assert.deepEqual(s.shift[0], [[-1, -0.5], [1, 2]]);
  // letter 1 was never signed in posture 1; letter 2 never at all
  assert.deepEqual(s.shift[1], [null, [0, 1]]);
  assert.deepEqual(s.shift[2], [null, null]);
  // no posture folders (or no basic one): nothing to learn
  assert.equal(fitPostureShifts(inputs, [ep(0, '', 0, 0)], 3), null);
  assert.equal(fitPostureShifts(inputs, [ep(0, '1', 0, 0), ep(0, '2', 1, 1)], 3), null);

  const copies = postureCopies(s, inputs, ep(1, '3', 0.2, 0));
  assert.equal(copies.length, 1);
  assert.equal(copies[0]!.posture, '5');
  // flex2 moved by letter 1's posture-5 shift; flex1 reads 0.2 + 0; a masked (0) channel stays 0, gravity untouched
  assert.deepEqual([...copies[0]!.data.subarray(0, 3)].map((v) => Math.round(v * 100) / 100), [0.2, 0, 0.5]);
  const moved = postureCopies(s, inputs, ep(0, '3', 0.2, 0.3));
  assert.deepEqual(moved.map((c) => c.posture), ['1', '5']);
  assert.deepEqual(moved.map((c) => [...c.data.subarray(0, 3)].map((v) => Math.round(v * 100) / 100)), [[-0.8, -0.2, 0.5], [1.2, 2.3, 0.5]]);
});

test('a finger whose shift was never learnt moves as its neighbours do', () => {
  const inputs3 = ['flex1', 'flex2', 'flex3'];
  const e = (label: number, session: string, a: number, b: number, c: number) => {
    const data = new Float32Array(2 * 3);
    for (let t = 0; t < 2; t++) data.set([a, b, c], t * 3);
    return { data, length: 2, label, session };
  };
  // flex2 broken (0) on the training day: its learnt shift is 0
  const s = fitPostureShifts(inputs3, [e(0, '3', 0, 0, 0), e(0, '5', 1, 0, 3)], 1)!;
  assert.deepEqual(s.shift[0], [[1, 0, 3]]);
  const shot = e(0, '3', 0.5, 0.5, 0.5);
  assert.deepEqual([...postureCopies(s, inputs3, shot)[0]!.data.subarray(0, 3)], [1.5, 0.5, 3.5]);
  assert.deepEqual([...postureCopies(s, inputs3, shot, ['flex2'])[0]!.data.subarray(0, 3)], [1.5, 2.5, 3.5]);
  // at the edge of the hand: the one neighbour
  assert.deepEqual([...postureCopies(s, inputs3, shot, ['flex3'])[0]!.data.subarray(0, 3)], [1.5, 0.5, 0.5]);
});


test("any letter's shifts move a hold: its features follow from the hold's features alone", () => {
  const inputs5 = ['flex1', 'flex2', 'flex3', 'grav_x'];
  const e = (label: number, session: string, a: number, b: number, c: number) => {
    const data = new Float32Array(2 * 4);
    for (let t = 0; t < 2; t++) data.set([a, b, c, 0.1], t * 4);
    return { data, length: 2, label, session };
  };
  const s = fitPostureShifts(inputs5, [e(0, '3', 0, 0, 0), e(0, '1', -1, -2, -3), e(0, '5', 1, 0.5, 3), e(1, '3', 0, 0, 0), e(1, '5', 2, 2, 2)], 2)!;
  assert.deepEqual(letterShifts(s, 1), [{ posture: '5', shift: [2, 2, 2] }]);
  assert.deepEqual(letterShifts(s, 0, ['flex2']).map((x) => x.shift), [[-1, -2, -3], [1, 2, 3]]);
  assert.deepEqual(letterShifts(s, 7), []);

  // a hold of 50 frames with varied readings (none exactly 0), moved by letter 0's posture-1 shift
  const rng = new Rng(3);
  const L = 50;
  const hold = { data: new Float32Array(L * 4), length: L, label: 1 };
  for (let i = 0; i < hold.data.length; i++) hold.data[i] = rng.next() * 2 - 0.9;
  const [moved] = postureCopies(s, inputs5, { ...hold, label: 0 });
  const own = summaryFeatures(inputs5, [hold]);
  const viaFeatures = shiftedFeatures(inputs5, own, [-1, -2, -3, 0]);
  const viaFrames = summaryFeatures(inputs5, [{ data: moved!.data, length: L }]);
  assert.equal(viaFeatures.length, viaFrames.length);
  viaFrames.forEach((v, i) => assert.ok(Math.abs(v - viaFeatures[i]!) < 1e-5, `feature ${i}: ${viaFeatures[i]} vs ${v}`));
  // a masked input reads 0 and does not move, and is left out of the common flex
  const masked = { ...hold, data: Float32Array.from(hold.data) };
  for (let t = 0; t < L; t++) masked.data[t * 4 + 1] = 0;
  const [movedMasked] = postureCopies(s, inputs5, { ...masked, label: 0 });
  const a = summaryFeatures(inputs5, [{ data: movedMasked!.data, length: L }], ['flex2']);
  const b = shiftedFeatures(inputs5, summaryFeatures(inputs5, [masked], ['flex2']), [-1, -2, -3, 0], ['flex2']);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]!) < 1e-5, `masked, feature ${i}: ${b[i]} vs ${v}`));
  assert.throws(() => shiftedFeatures(inputs5, own.subarray(1), [0, 0, 0, 0]), /features, expected/);
});

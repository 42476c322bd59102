import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitPostureShifts, postureCopies } from '../../src/data/posture-shift.js';

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


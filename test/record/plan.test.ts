import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JAMO } from '../../src/jamo.js';
import { parseLetters, promptKey, promptOrder, remainingPrompts } from '../../src/record/plan.js';
import { HANDSHAPES, VARIANTS } from '../../src/record/handshapes.js';

const count = (keys: string[]) => keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>());

test('shuffled order: every letter exactly k times, interleaved, never the same letter twice in a row, the same for the same seed', () => {
  for (const reps of [1, 3, 5]) {
    const order = promptOrder({ reps, seed: 7 });
    assert.equal(order.length, 24 * reps);
    const per = count(order.map((p) => p.jamo));
    assert.deepEqual([...per.keys()].sort(), [...JAMO].sort());
    for (const n of per.values()) assert.equal(n, reps);
    for (let i = 1; i < order.length; i++) assert.notEqual(order[i]!.jamo, order[i - 1]!.jamo, `position ${i}`);
    // interleaved, not blocks: the first 24 prompts already hold every letter
    if (reps > 1) assert.equal(new Set(order.slice(0, 24).map((p) => p.jamo)).size, 24);
  }
  assert.deepEqual(promptOrder({ seed: 3 }), promptOrder({ seed: 3 }));
  assert.notDeepEqual(promptOrder({ seed: 3 }).map((p) => p.jamo), promptOrder({ seed: 4 }).map((p) => p.jamo));
  assert.notDeepEqual(promptOrder({ seed: 3 }).slice(0, 24).map((p) => p.jamo), [...JAMO]);
});

test('with variants: each letter in each of the five postures exactly k times; letter subsets', () => {
  const order = promptOrder({ reps: 2, variants: true, seed: 1, letters: ['ㄱ', 'ㅏ', 'ㅎ'] });
  assert.equal(order.length, 3 * 5 * 2);
  const per = count(order.map(promptKey));
  assert.equal(per.size, 15);
  for (const n of per.values()) assert.equal(n, 2);
  assert.deepEqual(new Set(order.map((p) => p.variant)), new Set(Object.keys(VARIANTS)));
  for (let i = 1; i < order.length; i++) assert.notEqual(order[i]!.jamo, order[i - 1]!.jamo);
  assert.ok(promptOrder({ reps: 1 }).every((p) => p.variant === '3'), 'without --variants: the basic posture');
});

test('resume: prompts already kept are skipped, the rest keep their order', () => {
  const order = promptOrder({ reps: 3, seed: 2, letters: ['ㄱ', 'ㄴ', 'ㄷ'] });
  const kept = new Map([['ㄱ/3', 2], ['ㄴ/3', 3]]);
  const rest = remainingPrompts(order, kept);
  assert.deepEqual(rest, order.filter((p) => (p.jamo === 'ㄱ' ? p.rep >= 2 : p.jamo === 'ㄷ')));
  assert.equal(rest.length, 1 + 3);
});

test('letters: all, typed letters, and one line naming what is not a letter', () => {
  assert.deepEqual(parseLetters('all'), [...JAMO]);
  assert.deepEqual(parseLetters('ㄱ ㄴ,ㄷㄱ'), ['ㄱ', 'ㄴ', 'ㄷ']);
  assert.throws(() => parseLetters('ㄱ가'), /'가' not one of the 24 letters.*syllable; its letters are ㄱ ㅏ/);
  assert.throws(() => parseLetters(''), /no letters given/);
  for (const j of JAMO) assert.ok(HANDSHAPES[j].ko && HANDSHAPES[j].en, `handshape of ${j}`);
});

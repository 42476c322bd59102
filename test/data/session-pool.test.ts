import { test } from 'node:test';
import assert from 'node:assert/strict';
import { poolSessionStats, type SessionStats } from '../../src/data/session-norm.js';

const stats = (masked: string[], c: number): SessionStats => ({
  channels: ['flex1', 'flex4'], center: [c, c], scale: [1, 1], masked, episodes: 10, frames: 800,
});

test('poolSessionStats: one session keeps its masked channels (a bundle reads its training wearing as in training)', () => {
  assert.deepEqual(poolSessionStats([stats(['flex4'], 1)]).masked, ['flex4']);
});

test('poolSessionStats: several sessions keep only the channels masked in all of them', () => {
  const p = poolSessionStats([stats(['flex4'], 1), stats([], 3)]);
  assert.deepEqual(p.masked, []);
  assert.deepEqual(p.center, [2, 2]);
  assert.deepEqual(poolSessionStats([stats(['flex4', 'flex1'], 1), stats(['flex4'], 3)]).masked, ['flex4']);
});

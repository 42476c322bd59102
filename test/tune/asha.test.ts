/** ASHA pruning decisions on synthetic objective curves. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Asha, promotable, rungEpochs } from '../../src/tune/asha.js';

test('rungs at min·η^k below the maximum', () => {
  assert.deepEqual(rungEpochs(5, 30, 3), [5, 15]);
  assert.deepEqual(rungEpochs(1, 30, 3), [1, 3, 9, 27]);
  assert.deepEqual(rungEpochs(2, 100, 2), [2, 4, 8, 16, 32, 64]);
  assert.deepEqual(rungEpochs(30, 30, 3), []);
  assert.throws(() => rungEpochs(1, 10, 1), /η must be ≥ 2/);
});

test('a value goes on while in the top 1/η of its rung (itself included); the first ones always go on', () => {
  assert.equal(promotable(0.5, [0.5], 3), true);
  assert.equal(promotable(0.1, [0.5, 0.1], 3), false, 'below the best of two: k = 1');
  assert.equal(promotable(0.5, [0.9, 0.5, 0.1], 3), false);
  assert.equal(promotable(0.8, [0.9, 0.8, 0.7, 0.6, 0.5, 0.4], 3), true, 'second of six, k = 2');
  assert.equal(promotable(0.7, [0.9, 0.8, 0.7, 0.6, 0.5, 0.4], 3), false);
});

/** A learning curve: quality q reached with time constant tau. */
const curve = (q: number, tau: number) => (epoch: number) => q * (1 - Math.exp(-epoch / tau));

/** Runs trials one after another through the pruner; returns the epoch each stopped at. */
function simulate(curves: ((e: number) => number)[], rungs: number[], eta: number, max: number): number[] {
  const asha = new Asha(rungs, eta);
  return curves.map((f, id) => {
    for (const [k, epoch] of rungs.entries()) if (!asha.report(id, k, f(epoch))) return epoch;
    return max;
  });
}

test('on synthetic curves: poor trials stop early, the best always runs to the end', () => {
  const rungs = rungEpochs(3, 27, 3); // 3, 9
  const qualities = [0.6, 0.9, 0.3, 0.8, 0.5, 0.95, 0.2, 0.7, 0.4];
  const stopped = simulate(qualities.map((q) => curve(q, 4)), rungs, 3, 27);
  // trial 0 is first everywhere; trial 2 (0.3) is below the best of {0.6, 0.9, 0.3} at epoch 3
  assert.equal(stopped[0], 27);
  assert.equal(stopped[1], 27);
  assert.equal(stopped[2], 3);
  assert.equal(stopped[5], 27, 'the best trial is never pruned');
  assert.equal(stopped[6], 3, 'the worst trial stops at the first rung');
  const full = stopped.filter((e) => e === 27).length;
  assert.ok(full <= 4, `most trials stop early: ${stopped.join(', ')}`);
  const epochsSpent = stopped.reduce((a, b) => a + b, 0);
  assert.ok(epochsSpent < qualities.length * 27 * 0.6, `pruning saves epochs: ${epochsSpent}`);
});

test('a slow starter is judged at each rung against the values there, not against final figures', () => {
  // trial 1 learns slowly (tau 12) but ends best; at epoch 3 it is behind trial 0 and pruned
  const stopped = simulate([curve(0.7, 1), curve(0.99, 12)], [3, 9], 3, 27);
  assert.deepEqual(stopped, [27, 3]);
});

test('a trial run again replaces its own value instead of counting twice', () => {
  const asha = new Asha([5], 3);
  assert.equal(asha.report(0, 0, 0.5), true);
  assert.equal(asha.report(1, 0, 0.4), false);
  assert.equal(asha.report(1, 0, 0.6), true, 'the retried trial competes with its new value');
  assert.deepEqual(asha.values(0).sort(), [0.5, 0.6]);
});

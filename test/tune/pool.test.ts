/** The trial pool: trials on worker threads give what the same trial gives in this thread, pruning included. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TrialPool } from '../../src/tune/pool.js';
import { prepareFolds, runTrial, type ObjectiveSpec, type TrialJob } from '../../src/tune/trial.js';
import { searchSpace, trialParams } from '../../src/tune/space.js';
import { writeTinyDataset } from '../train/tiny-dataset.js';

function jobs(): TrialJob[] {
  const space = searchSpace(['GRU']);
  return [0, 1, 2].map((id) => ({ id, params: { ...trialParams(space, ['GRU'], id, 5), hidden: 16 }, maxEpochs: 4, rungs: [2], patience: 10, seed: 5 }));
}

test('two worker threads run three trials; each record equals the trial run in this thread', { timeout: 60_000 }, async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'signglove-tune-pool-'));
  const pool = (() => {
    writeTinyDataset(root, { classes: ['ㄱ', 'ㄴ', 'ㅏ'], sessions: 2, perSession: 4 });
    const spec: ObjectiveSpec = { data: [root], protocol: 'posture', holdout: null, splitSeed: 1 };
    return { spec, pool: new TrialPool(2, spec, 'ts') };
  })();
  try {
    const asked: { id: number; rung: number; value: number }[] = [];
    // the pool asks this thread at every rung; trial 2 is told to stop there
    const records = await Promise.all(jobs().map((j) => pool.pool.run(j, (rung, _epoch, value) => {
      asked.push({ id: j.id, rung, value });
      return j.id !== 2;
    })));
    assert.deepEqual(records.map((r) => r.status), ['complete', 'complete', 'pruned']);
    assert.deepEqual(asked.map((a) => a.id).sort(), [0, 1, 2], 'one question per trial at the one rung');
    assert.equal(records[2]!.prunedAt, 2);
    assert.deepEqual(records[0]!.folds.map((f) => f.name), ['posture-1', 'posture-2'], 'with two posture folders both are held out');

    // the same trials in this thread: bit-for-bit the same figures (training is deterministic)
    const folds = await prepareFolds(pool.spec);
    for (const [i, j] of jobs().entries()) {
      const local = await runTrial(j, folds, { decide: () => j.id !== 2, worker: 'here' });
      assert.equal(local.status, records[i]!.status);
      assert.equal(local.objective, records[i]!.objective, `trial ${j.id}`);
      assert.deepEqual(local.rungValues, records[i]!.rungValues);
      assert.deepEqual(local.folds, records[i]!.folds);
      if (local.status === 'pruned') assert.equal(local.objective, local.rungValues[0]!.value, 'a pruned trial scores its value at the rung');
    }
  } finally {
    await pool.pool.close();
    rmSync(root, { recursive: true, force: true });
  }
});

test('a closed pool rejects the trials it still had, so a search can stop at once', { timeout: 30_000 }, async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'signglove-tune-pool-'));
  writeTinyDataset(root, { classes: ['ㄱ', 'ㄴ'], sessions: 2, perSession: 3 });
  const pool = new TrialPool(1, { data: [root], protocol: 'posture', holdout: null, splitSeed: 1 }, 'ts');
  try {
    const settled = Promise.allSettled(jobs().map((j) => pool.run({ ...j, maxEpochs: 200, patience: 1000 }, () => true)));
    await pool.close();
    const results = await settled;
    assert.ok(results.every((s) => s.status === 'rejected' && /closed/.test(String(s.reason))), JSON.stringify(results.map((s) => s.status)));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

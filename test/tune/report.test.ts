/** The search's report: rank correlation, importance, CSV, and the ranking of trials. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parameterImportance, spearman, tuneCsv } from '../../src/tune/report.js';
import { rankTrials, bestTrial } from '../../src/tune/search.js';
import { searchSpace } from '../../src/tune/space.js';
import type { TrialRecord } from '../../src/tune/trial.js';

function record(id: number, status: TrialRecord['status'], objective: number | null, params: Record<string, number | boolean>): TrialRecord {
  return {
    id, params: { arch: 'GRU', ...params }, status, objective, folds: objective === null ? [] : [{ name: 'posture-2', accuracy: objective, epochs: 3, bestEpoch: 2 }],
    rungValues: [], epochs: 3, seconds: 1, worker: 'h,1', finishedAt: '2026-01-01T00:00:00Z',
  };
}

test("Spearman's ρ: 1 for a monotone relation, −1 reversed, ties share ranks, 0 for a constant", () => {
  assert.equal(spearman([1, 2, 3, 4], [10, 20, 25, 100]), 1);
  assert.equal(spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1);
  assert.equal(spearman([1, 1, 1], [1, 2, 3]), 0);
  assert.ok(Math.abs(spearman([1, 2, 2, 3], [1, 2, 3, 4]) - 0.9487) < 1e-3);
});

test('importance is measured on complete trials only, with log parameters on their log axis', () => {
  const space = searchSpace(['GRU']);
  const records = [
    record(0, 'complete', 0.5, { lr: 1e-3, hidden: 64 }),
    record(1, 'complete', 0.7, { lr: 2e-3, hidden: 32 }),
    record(2, 'complete', 0.9, { lr: 5e-3, hidden: 48 }),
    record(3, 'pruned', 0.1, { lr: 9e-3, hidden: 128 }),
  ];
  const imp = Object.fromEntries(parameterImportance(records, space).map((r) => [r.param, r]));
  assert.equal(imp.lr!.rho, 1);
  assert.equal(imp.lr!.n, 3, 'the pruned trial is left out');
  assert.equal(imp.dropout!.n, 0);
});

test('ranking: complete trials by objective, then pruned, then failed; the best is a complete one', () => {
  const records = [record(0, 'complete', 0.8, {}), record(1, 'pruned', 0.95, {}), record(2, 'failed', null, {}), record(3, 'complete', 0.9, {})];
  assert.deepEqual(rankTrials(records).map((r) => r.id), [3, 0, 1, 2]);
  assert.equal(bestTrial(records)!.id, 3);
  assert.equal(bestTrial([record(1, 'pruned', 0.9, {})]), undefined);
});

test('CSV: one row per trial in id order, fields with commas quoted', () => {
  const csv = tuneCsv([record(1, 'complete', 0.9, { lr: 0.002 }), record(0, 'complete', 0.8, {})], searchSpace(['GRU']));
  const lines = csv.trim().split('\n');
  assert.equal(lines.length, 3);
  assert.match(lines[0]!, /^trial,arch,status,objective,hidden,/);
  assert.match(lines[1]!, /^0,GRU,complete,0\.8,/);
  assert.match(lines[2]!, /^1,GRU,complete,0\.9,.*,0\.002,/);
  assert.ok(lines[1]!.endsWith(',"h,1",2026-01-01T00:00:00Z'), lines[1]);
});

/** The end of `signglove train`: what to run next (and it runs), and a whole-run ETA. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { DATASET_1001, sharedSkip } from '../shared.js';
import { formatDuration, nextStepsMessage, RunEta, shellWord } from '../../src/train/run-summary.js';

const CLI = path.join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js');

test('the whole-run ETA counts the epochs this fold may still run and every fold after it', () => {
  const eta = new RunEta(2, 10);
  assert.equal(eta.text(), '');
  for (let e = 1; e <= 3; e++) eta.epochDone('fold1', e, 2);
  assert.equal(eta.epochsLeft(), 7 + 10);
  assert.equal(eta.secondsLeft(), 34);
  assert.equal(eta.text(), 'run ≤ 34 s left (at most 17 epochs over 2 folds)');
  for (let e = 1; e <= 10; e++) eta.epochDone('fold2', e, 2);
  assert.equal(eta.text(), 'run: last epoch done');
  assert.equal(formatDuration(3 * 3600 + 5 * 60), '3 h 05 min');
  assert.equal(shellWord("my data/day 1"), "'my data/day 1'");
});

test('a multi-fold run says which bundle the commands use', () => {
  const msg = nextStepsMessage({ bundles: ['out/gru-a.safetensors', 'out/gru-b.safetensors'], data: ['d'], outDir: 'out' });
  assert.match(msg, /2 bundles, one per fold \(gru-a\.safetensors, gru-b\.safetensors\)/);
  assert.match(msg, /signglove evaluate --model out\/gru-a\.safetensors --data d --out out\/gru-a-report/);
});

test('train ends with the evaluate command for its bundle and where the report goes; that command runs', { skip: sharedSkip, timeout: 120_000 }, () => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'sg-next-'));
  try {
    const r = spawnSync(process.execPath, [CLI, 'train', '--model', 'extra_trees', '--trees', '5', '--data', DATASET_1001, '--out', out], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const bundle = path.join(out, 'extra_trees.safetensors');
    const report = path.join(out, 'extra_trees-report');
    assert.match(r.stderr, /\nNext:\n/);
    assert.ok(r.stderr.includes(path.join(report, 'report.html')), r.stderr);
    const command = r.stderr.split('\n').map((l) => l.trim()).find((l) => l.startsWith('signglove evaluate '));
    assert.equal(command, `signglove evaluate --model ${bundle} --data ${DATASET_1001} --out ${report}`);
    assert.ok(r.stderr.includes(`signglove live --model ${bundle} --source sim:한글`));
    // the printed command, as the user would paste it (paths here have no spaces)
    const e = spawnSync(process.execPath, [CLI, ...command!.split(' ').slice(1), '--json'], { encoding: 'utf8' });
    assert.equal(e.status, 0, e.stderr);
    assert.ok(existsSync(path.join(report, 'report.html')));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

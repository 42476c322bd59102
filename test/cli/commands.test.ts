import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PACKAGE_ROOT, MODELS_DIR } from '../../src/paths.js';
import { DATASET_1001, sharedSkip } from '../shared.js';

// The compiled CLI, as a user runs it.
const CLI = path.join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js');
function signglove(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('--help lists every subcommand with a description', () => {
  const r = signglove('--help');
  assert.equal(r.code, 0);
  for (const cmd of ['demo', 'data', 'train', 'predict', 'evaluate', 'compare', 'serve', 'live', 'simulate']) {
    assert.match(r.stdout, new RegExp(`\\n  ${cmd} .*\\S`), `${cmd} in --help`);
  }
});

test('compare --json: one object per model with the documented keys, on its own test episodes', { skip: sharedSkip }, () => {
  const r = signglove('compare', path.join(MODELS_DIR, 'gru.safetensors'), '--data', DATASET_1001, '--json');
  assert.equal(r.code, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
  assert.equal(rows.length, 1);
  for (const key of ['model', 'testAccuracy', 'macroF1', 'params', 'epochs', 'trainSeconds', 'latencyMs']) assert.ok(key in rows[0]!, key);
  assert.equal(rows[0]!.model, 'gru');
  assert.equal(rows[0]!.n, 289);
  assert.ok((rows[0]!.testAccuracy as number) >= 0.99 && (rows[0]!.testAccuracy as number) <= 1);
  assert.ok((rows[0]!.latencyMs as number) > 0);
});

test('predict --json on a session folder: one prediction per file with its truth', { skip: sharedSkip }, () => {
  const r = signglove('predict', path.join(DATASET_1001, 'ㅎ', '1'), '--json', '--top-k', '3');
  assert.equal(r.code, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as { file: string; truth: string; jamo: string; topK: unknown[] }[];
  assert.equal(rows.length, 12);
  assert.ok(rows.every((x) => x.truth === 'ㅎ' && x.topK.length === 3));
  assert.ok(rows.filter((x) => x.jamo === 'ㅎ').length >= 10, 'the shipped GRU reads ㅎ (its training data included most of these)');
});

test('a missing dataset is one clear line and exit code 2, no stack trace', () => {
  const r = signglove('predict', path.join(PACKAGE_ROOT, 'no-such-folder'));
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^signglove: no such file or folder: .*no-such-folder\n$/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PACKAGE_ROOT, MODELS_DIR } from '../../src/paths.js';
import { DATASET_0819, DATASET_1001, sharedSkip } from '../shared.js';
import { loadModel } from '../../src/infer/index.js';

// The compiled CLI, as a user runs it.
const CLI = path.join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js');
function signglove(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('--help lists every subcommand with a description', () => {
  const r = signglove('--help');
  assert.equal(r.code, 0);
  for (const cmd of ['demo', 'data', 'train', 'tune', 'worker', 'predict', 'evaluate', 'compare', 'serve', 'live', 'simulate']) {
    assert.match(r.stdout, new RegExp(`\\n  ${cmd} .*\\S`), `${cmd} in --help`);
  }
});

test('compare --json: one object per model with the documented keys, on its own test episodes of both days', { skip: sharedSkip }, async () => {
  const bundle = path.join(MODELS_DIR, 'gru.safetensors');
  const r = signglove('compare', bundle, '--data', DATASET_1001, DATASET_0819, '--json');
  assert.equal(r.code, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
  assert.equal(rows.length, 1);
  for (const key of ['model', 'testAccuracy', 'macroF1', 'params', 'epochs', 'trainSeconds', 'latencyMs']) assert.ok(key in rows[0]!, key);
  assert.equal(rows[0]!.model, 'gru');
  const meta = (await loadModel(bundle)).meta;
  assert.equal(rows[0]!.n, meta.training!.testN);
  // each day read with its own recorded statistics: exactly the accuracy the bundle records
  assert.equal(rows[0]!.testAccuracy, meta.training!.testAccuracy);
  assert.ok((rows[0]!.latencyMs as number) > 0);
});

test('predict --json on a session folder: one prediction per file with its truth', { skip: sharedSkip }, () => {
  const r = signglove('predict', path.join(DATASET_1001, 'ㅎ', '1'), '--json', '--top-k', '3');
  assert.equal(r.code, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as { file: string; truth: string; jamo: string; topK: unknown[] }[];
  assert.equal(rows.length, 12);
  assert.ok(rows.every((x) => x.truth === 'ㅎ' && x.topK.length === 3));
  assert.ok(rows.filter((x) => x.jamo === 'ㅎ').length >= 10, 'the shipped model reads ㅎ (its training data included most of these)');
});

test('a missing dataset is one clear line and exit code 2, no stack trace', () => {
  const r = signglove('predict', path.join(PACKAGE_ROOT, 'no-such-folder'));
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^signglove: no such file or folder: .*no-such-folder\n$/);
});

test('train --workers 0 is one clear line and exit code 2, before any data is read', () => {
  const r = signglove('train', '--model', 'GRU', '--data', path.join(PACKAGE_ROOT, 'no-such-folder'), '--workers', '0');
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^signglove: --workers needs at least 1 \(this thread\), got 0\n$/);
});

test('Ctrl-C (a real SIGINT) during train stops after the current batch, saves the best model and exits 130', { skip: sharedSkip, timeout: 60_000 }, async () => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'signglove-sigint-'));
  let child: ReturnType<typeof spawn> | undefined;
  try {
    // 200 epochs would take minutes: only a handled interrupt ends this run quickly
    child = spawn(process.execPath, [CLI, 'train', '--model', 'GRU', '--data', DATASET_1001, '--epochs', '200', '--out', out, '--no-charts'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const c = child;
    let stderr = '';
    c.stdout!.resume();
    const exited = new Promise<number | null>((resolve) => c.on('exit', (code) => resolve(code)));
    let sentAt = 0;
    c.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      // interrupt once the second epoch has been reported (training is well under way)
      if (!sentAt && /epoch\s+2 /.test(stderr)) {
        sentAt = Date.now();
        c.kill('SIGINT');
      }
    });
    const code = await exited;
    assert.ok(sentAt > 0, `no epoch reported: ${stderr.slice(-500)}`);
    assert.ok(Date.now() - sentAt < 10_000, `took ${Date.now() - sentAt} ms to stop after SIGINT`);
    assert.equal(code, 130, stderr.slice(-500));
    assert.match(stderr, /interrupted/);
    const model = await loadModel(path.join(out, 'gru.safetensors'));
    assert.equal(model.meta.training?.stoppedBy, 'interrupted');
    assert.ok((model.meta.training?.epochs ?? 99) < 10);
    await model.close();
  } finally {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    rmSync(out, { recursive: true, force: true });
  }
});

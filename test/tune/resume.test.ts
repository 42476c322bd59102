/**
 * `signglove tune` killed mid-search (SIGKILL) continues where it stopped: finished trials are
 * kept as they are, the rest run, and the outputs (table, JSON, CSV, report, train command, bundle)
 * cover every trial.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { writeTinyDataset } from '../train/tiny-dataset.js';
import type { TuneSummary } from '../../src/tune/report.js';
import type { TrialRecord } from '../../src/tune/trial.js';

const CLI = path.join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js');
const TRIALS = 4;

function tuneArgs(data: string, out: string): string[] {
  return [CLI, 'tune', '--model', 'gru', '--data', data, '--trials', String(TRIALS), '--epochs', '6', '--min-epochs', '2', '--patience', '100',
    '--parallel', '1', '--seed', '3', '--out', out];
}

function trialFiles(out: string): Map<string, string> {
  const dir = path.join(out, 'trials');
  const m = new Map<string, string>();
  if (!existsSync(dir)) return m;
  for (const f of readdirSync(dir).filter((n) => /^trial-\d+\.json$/.test(n))) m.set(f, readFileSync(path.join(dir, f), 'utf8'));
  return m;
}

test('a search killed after a finished trial continues where it stopped, and reports every trial', { timeout: 120_000 }, async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'signglove-tune-resume-'));
  try {
    const data = path.join(root, 'ds');
    const out = path.join(root, 'search');
    writeTinyDataset(data, { classes: ['ㄱ', 'ㄴ', 'ㅏ'], sessions: 2, perSession: 4 });

    // first run: SIGKILL as soon as one trial is on disk
    const child = spawn(process.execPath, tuneArgs(data, out), { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
    while (trialFiles(out).size === 0 && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL', `the search ended before it could be killed:\n${stderr}`);
    const before = trialFiles(out);
    assert.ok(before.size >= 1 && before.size < TRIALS, `killed with ${before.size} of ${TRIALS} trials done`);

    // second run: the finished trials are read back, not run again
    const csv = path.join(root, 'trials.csv');
    const r = spawnSync(process.execPath, [...tuneArgs(data, out), '--json', '--csv', csv], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`resuming: ${before.size} of ${TRIALS} trials already done`));
    const after = trialFiles(out);
    assert.equal(after.size, TRIALS, 'every trial is on disk');
    for (const [f, text] of before) assert.equal(after.get(f), text, `${f} was not run again`);
    const ran = [...after.values()].map((t) => JSON.parse(t) as TrialRecord);
    const pids = new Set(ran.map((t) => t.worker));
    assert.equal(pids.size, 2, 'trials of two processes: the killed one and the one that resumed');

    // outputs cover every trial
    const summary = JSON.parse(r.stdout) as TuneSummary;
    assert.deepEqual(summary.records.map((x) => x.id), [0, 1, 2, 3]);
    assert.equal(summary.default!.id, 0);
    assert.ok(summary.best && summary.best.status === 'complete');
    assert.ok(summary.records.every((x) => x.status === 'failed' || (x.objective !== null && x.objective >= 0 && x.objective <= 1)));
    assert.equal(readFileSync(path.join(out, 'trials.jsonl'), 'utf8').trim().split('\n').length, TRIALS);
    assert.equal(readFileSync(csv, 'utf8').trim().split('\n').length, TRIALS + 1, 'CSV: a header and one row per trial');
    const html = readFileSync(path.join(out, 'tune.html'), 'utf8');
    for (let id = 0; id < TRIALS; id++) assert.ok(html.includes(`data-trial="${id}"`), `trial ${id} in the report`);
    assert.equal((html.match(/<svg/g) ?? []).length, 3, 'three charts');
    assert.ok(existsSync(summary.bundle!), 'a bundle of the best configuration');

    // the printed command is a ready `signglove train`
    assert.match(summary.trainCommand!, /^signglove train --model gru /);
    const words = summary.trainCommand!.split(' ').slice(1).map((w) => w.replace(/^'|'$/g, ''));
    const bestOut = path.join(root, 'retrained');
    const t = spawnSync(process.execPath, [CLI, ...words.slice(0, -2), '--out', bestOut, '--no-charts'], { encoding: 'utf8' });
    assert.equal(t.status, 0, t.stderr);
    assert.ok(existsSync(path.join(bestOut, 'gru.safetensors')));

    // another search in the same folder is refused in one line
    const other = spawnSync(process.execPath, [...tuneArgs(data, out).map((a) => (a === '3' ? '4' : a))], { encoding: 'utf8' });
    assert.equal(other.status, 2);
    assert.match(other.stderr, /^signglove: .* holds a search with other settings.*\n$/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

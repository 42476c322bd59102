/**
 * Ordinary mistakes get one line naming the problem and exit 2, before any long work, never a
 * stack trace (issue 16, items 8, 9 and 10).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { episodeCsv, writeFile } from '../data/helpers.js';
import { writeTinyDataset } from '../train/tiny-dataset.js';

const CLI = path.join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js');
function signglove(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Exit 2 and exactly one line on stderr matching `pattern`: no stack trace. */
function oneLine(r: { code: number | null; stderr: string }, pattern: RegExp): void {
  const lines = r.stderr.trim().split('\n');
  assert.equal(r.code, 2, r.stderr);
  assert.equal(lines.length, 1, `one line, got:\n${r.stderr}`);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
}

const root = mkdtempSync(path.join(os.tmpdir(), 'signglove-input-errors-'));
test.after(() => rmSync(root, { recursive: true, force: true }));
const trainArgs = (data: string, out: string) => ['train', '--data', data, '--out', out, '--epochs', '1', '--hidden', '8', '--no-charts'];

test('train on an empty dataset: exit 2, one line', () => {
  mkdirSync(path.join(root, 'empty/ㄱ/1'), { recursive: true });
  oneLine(signglove(...trainArgs(path.join(root, 'empty'), path.join(root, 'o1'))), /^signglove: no usable episodes in .*empty/);
});

test('train on a dataset too small to split: exit 2 before training, naming the counts', () => {
  writeTinyDataset(path.join(root, 'small'), { classes: ['ㄱ'], sessions: 1, perSession: 2 });
  oneLine(signglove(...trainArgs(path.join(root, 'small'), path.join(root, 'o2'))), /^signglove: dataset too small to split: 2 episodes give \d+ train \/ \d+ validation \/ \d+ test/);
});

test('train into an unwritable --out: exit 2 before loading anything', () => {
  writeTinyDataset(path.join(root, 'ok'));
  writeFileSync(path.join(root, 'afile'), '');
  oneLine(signglove(...trainArgs(path.join(root, 'ok'), path.join(root, 'afile', 'out'))), /^signglove: cannot write to the output folder .*afile.out: a file is in the way$/);
});

test('an unreadable dataset folder: exit 2, one line', () => {
  const loop = path.join(root, 'loop');
  symlinkSync(loop, loop); // a folder name nobody can read, even root
  oneLine(signglove('data', 'inspect', loop), /^signglove: no such file or folder|cannot read folder/);
  if (process.getuid?.() !== 0) {
    const locked = path.join(root, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0);
    oneLine(signglove('data', 'inspect', locked), /^signglove: cannot read folder .*locked: permission denied$/);
    chmodSync(locked, 0o755);
  }
});

test('predict on a file over the frame limit: exit 2 naming the file and the limit', () => {
  const [header, row] = episodeCsv(1, 1).split('\n');
  const long = writeFile(root, 'long.csv', `${header}\n${`${row}\n`.repeat(10_001)}`);
  oneLine(signglove('predict', long), /^signglove: no episode could be read from .*long\.csv: .*long\.csv: too long: 10001 frames \(at most 10000 are accepted\)$/);
});

test('data inspect on one bad file says why; escape sequences in it are shown, not sent to the terminal', () => {
  const bad = writeFile(root, 'bad.csv', 'timestamp,\u001b]0;pwned\u0007flex1\n1,2\n');
  const r = signglove('data', 'inspect', bad);
  oneLine(r, /^signglove: no episodes loaded from .*bad\.csv: .*bad\.csv:1: missing column 'flex1' \(the file has: timestamp, \\x1b\]0;pwned\\x07flex1\)$/);
  assert.ok(!r.stderr.includes('\u001b') && !r.stderr.includes('\u0007'));
});

test('evaluate and simulate into an unwritable --out: exit 2, one line, before any work', () => {
  writeFileSync(path.join(root, 'blocker'), '');
  oneLine(signglove('evaluate', '--data', path.join(root, 'ok'), '--out', path.join(root, 'blocker', 'r')), /^signglove: cannot write to the output folder .*blocker.r: a file is in the way$/);
  oneLine(signglove('simulate', '--text', '안녕', '--out', path.join(root, 'blocker', 'x.csv')), /^signglove: cannot write .*blocker.x\.csv: a part of the path is not a folder$/);
});

test("live: a glove's '#' message with escape sequences is shown escaped", () => {
  const r = spawnSync(process.execPath, [CLI, 'live', '--source', 'stdin', '--model', 'prototype'], {
    encoding: 'utf8',
    input: '# \u001b]0;pwned\u0007 booting \u001b[2J\n0,1.5,-2.25,30,800,801,802,803,804\n',
    timeout: 60_000,
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /glove: \\x1b\]0;pwned\\x07 booting \\x1b\[2J/);
  assert.ok(!(r.stdout + r.stderr).includes('\u001b'));
});

test('serve --allow-origin takes origins only: a path or another scheme is exit 2, one line', () => {
  oneLine(signglove('serve', '--port', '0', '--allow-origin', 'https://app.example/page'), /^signglove: --allow-origin: 'https:\/\/app\.example\/page' is not an origin/);
  oneLine(signglove('serve', '--port', '0', '--allow-origin', 'file:///x'), /^signglove: --allow-origin: 'file:\/\/\/x' is not an http\(s\) origin$/);
});

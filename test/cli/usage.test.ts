/** The CLI's first minutes: usage errors, one naming scheme with the old spellings still read, pipes, sources, the demo. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MODELS_DIR, PACKAGE_ROOT } from '../../src/paths.js';
import { shippedModelPath } from '../../src/infer/index.js';
import { DATASET_1001, sharedSkip } from '../shared.js';
import { findModelName, MODEL_NAMES, modelArch, modelNameOf } from '../../src/models/names.js';
import { ARCHS } from '../../src/models/config.js';
import { parseSourceSpec } from '../../src/stream/source-spec.js';
import { usbSerialDevices } from '../../src/stream/sources/serial.js';

const CLI = path.join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js');
function signglove(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const lines = (s: string): string[] => s.split('\n').filter(Boolean);

test('an unknown flag: one line naming it, the flag meant and where the help is, exit 2', () => {
  // named before the missing --data: the unknown flag is the mistake to fix first
  for (const args of [['train', '--max-epochs', '3'], ['train', '--data', 'x', '--max-epochs', '3']]) {
    const r = signglove(...args);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "signglove: unknown option '--max-epochs' (did you mean --epochs?); see 'signglove train --help'\n");
    assert.equal(r.stdout, '');
  }
  const typo = signglove('evaluate', '--dta', 'x');
  assert.equal(typo.code, 2);
  assert.equal(typo.stderr, "signglove: unknown option '--dta' (did you mean --data?); see 'signglove evaluate --help'\n");
});

test('an unknown command: its near namesake and where the help is, exit 2; a bad choice and a missing option are one line too', () => {
  const r = signglove('trian');
  assert.equal(r.code, 2);
  assert.equal(r.stderr, "signglove: unknown command 'trian' (did you mean train?); see 'signglove --help'\n");
  const bad = signglove('train', '--data', 'x', '--split', 'sideways');
  assert.equal(bad.code, 2);
  assert.equal(lines(bad.stderr).length, 1);
  assert.match(bad.stderr, /argument 'sideways' is invalid/);
  const missing = signglove('train', '--epochs', '3');
  assert.equal(missing.code, 2);
  assert.equal(lines(missing.stderr).length, 1);
  assert.match(lines(missing.stderr)[0]!, /required option '-d, --data <dir\.\.\.>' not specified/);
  // help itself still works and exits 0
  assert.equal(signglove('train', '--help').code, 0);
});

test('model names: snake_case as the shipped files, each listed once; the old spellings are still read', () => {
  assert.equal(MODEL_NAMES.length, 1 + ARCHS.length);
  for (const arch of ARCHS) assert.equal(modelArch(modelNameOf(arch)), arch);
  for (const [old, name] of [['CNNGRU', 'cnn_gru'], ['MSCGRU', 'ms_gru'], ['MSCSGRU', 'ms_stacked_gru'], ['ExtraTrees', 'extra_trees'], ['StackedGRU', 'stacked_gru'], ['cnn-gru', 'cnn_gru']]) {
    assert.equal(findModelName(old), name, old);
  }
  assert.equal(findModelName('transformer'), undefined);
  // shipped models by an old spelling too
  assert.equal(shippedModelPath('CNNGRU'), path.join(MODELS_DIR, 'cnn_gru.safetensors'));
  assert.equal(shippedModelPath('MSCSGRU'), path.join(MODELS_DIR, 'ms_stacked_gru.safetensors'));
  assert.equal(shippedModelPath('ExtraTrees'), path.join(MODELS_DIR, 'extra_trees.safetensors'));
  const help = signglove('train', '--help').stdout;
  for (const name of MODEL_NAMES) assert.equal(help.split(name).length - 1 >= 1, true, name);
  for (const old of ['CNNGRU', 'MSCGRU', 'MSCSGRU', 'ExtraTrees']) assert.ok(!help.includes(old), `${old} is not listed`);
  const unknown = signglove('train', '--model', 'transformer', '--data', 'x');
  assert.equal(unknown.code, 2);
  assert.match(lines(unknown.stderr)[0]!, /unknown model 'transformer'; use one of extra_trees, gru, stacked_gru, lstm, cnn_gru, cnn_stacked_gru, ms_gru, ms_stacked_gru/);
  // an old spelling gets past the flags to the data (a missing folder, not a usage error)
  const old = signglove('train', '--model', 'MSCGRU', '--data', path.join(PACKAGE_ROOT, 'no-such-folder'));
  assert.equal(old.code, 2);
  assert.match(old.stderr, /^signglove: no such file or folder/);
});

test('train --model ExtraTrees (an old spelling) trains and names the bundle extra_trees', { skip: sharedSkip, timeout: 60_000 }, () => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'sg-alias-'));
  try {
    const r = signglove('train', '--model', 'ExtraTrees', '--trees', '5', '--data', DATASET_1001, '--out', out);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`→ ${path.join(out, 'extra_trees.safetensors').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test("data split takes train's flag names; its first ones are hidden aliases giving the same split", { skip: sharedSkip, timeout: 60_000 }, () => {
  const now = signglove('data', 'split', DATASET_1001, '--split', 'kfold', '--folds', '3', '--split-seed', '5', '--json');
  const before = signglove('data', 'split', DATASET_1001, '--kind', 'kfold', '--k', '3', '--seed', '5', '--json');
  assert.equal(now.code, 0, now.stderr);
  assert.equal(before.code, 0, before.stderr);
  assert.equal(JSON.parse(now.stdout).length, 3);
  assert.equal(now.stdout, before.stdout);
  const help = signglove('data', 'split', '--help').stdout;
  for (const flag of ['--split ', '--split-seed', '--folds', '--test-data']) assert.ok(help.includes(flag), flag);
  for (const flag of ['--kind', '--k ', '--seed', '--test ']) assert.ok(!help.includes(flag), `${flag} hidden`);
  const both = signglove('data', 'split', DATASET_1001, '--kind', 'kfold', '--split', 'random');
  assert.equal(both.code, 2);
  assert.match(both.stderr, /cannot be used with/);
});

test('simulate | head: the closed pipe ends the run quietly, exit 0', () => {
  const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${CLI}" simulate --text 한글 --speed 20 | head -n 1`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.match(r.stdout, /^# signglove simulate text=한글/);
});

test("--source keeps the user's case; a bare device path is told to use serial:", () => {
  const r = signglove('live', '--source', '/dev/ttyACM0');
  assert.equal(r.code, 2);
  assert.ok(r.stderr.includes("bad source '/dev/ttyACM0': a serial port is written serial:/dev/ttyACM0"), r.stderr);
  assert.ok(!r.stderr.includes('ttyacm0'));
  assert.deepEqual(parseSourceSpec('SERIAL:/dev/ttyACM0'), { kind: 'serial', path: '/dev/ttyACM0' });
  const open = signglove('live', '--source', 'serial:/dev/NoSuchGlove', '--no-reconnect');
  assert.equal(open.code, 2);
  assert.match(open.stderr, /cannot open the glove's serial port \/dev\/NoSuchGlove/);
});

test('the USB serial ports in a /dev folder are listed when serialport cannot list them', () => {
  const dev = mkdtempSync(path.join(os.tmpdir(), 'sg-dev-'));
  try {
    for (const f of ['ttyACM0', 'ttyUSB1', 'ttyS0', 'null']) writeFileSync(path.join(dev, f), '');
    mkdirSync(path.join(dev, 'pts'));
    assert.deepEqual(usbSerialDevices(dev), [{ path: `${dev}/ttyACM0` }, { path: `${dev}/ttyUSB1` }]);
    assert.equal(usbSerialDevices(path.join(dev, 'missing')), undefined);
  } finally {
    rmSync(dev, { recursive: true, force: true });
  }
});

test('demo: a phrase with spaces is signed with a pause between the words and read back with its space', { timeout: 60_000 }, () => {
  const r = signglove('demo', '--text', '안녕 하세요');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\(ㅇ ㅏ ㄴ ㄴ ㅕ ㅇ \/ ㅎ ㅏ ㅅ ㅓ ㅣ ㅇ ㅛ\)/);
  assert.match(r.stdout, /^text: 안녕 하세요 {3}✓ as spelled$/m);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { inspectDataset } from '../../src/data/inspect.js';
import { loadDataset } from '../../src/data/load.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { DATASET_1001, sharedSkip } from '../shared.js';
import { episodeCsv, tempDir, writeFile } from './helpers.js';

const HEADER = 'timestamp_ms,flex1,flex2,flex3,flex4,flex5,pitch,roll,yaw';

/** Rows with flex2 stuck at `flex2` and a timestamp step of `stepMs`. */
function csv(rows: number, opts: { flex2?: (t: number) => number; stepMs?: number; seed?: number } = {}): string {
  const lines = [HEADER];
  for (let t = 0; t < rows; t++) {
    const s = opts.seed ?? 0;
    lines.push([t * (opts.stepMs ?? 30), 800 + (t % 7) + s, opts.flex2 ? opts.flex2(t) : 790 + (t % 5), 820 + (t % 3), 860 + (t % 4), 880 + (t % 6), 10 + t * 0.1, -40 - (t % 3), -17 + s + (t % 2) * 0.5].join(','));
  }
  return lines.join('\n') + '\n';
}

test('inspect: counts per class and session, lengths, rates, and the anomalies a user should see', async () => {
  const { dir, cleanup } = tempDir();
  try {
    writeFile(dir, 'ㄱ/1/ok.csv', csv(40, { seed: 1 }));
    writeFile(dir, 'ㄱ/2/ok.csv', csv(40, { seed: 2 }));
    writeFile(dir, 'ㄴ/1/flat.csv', csv(40, { flex2: () => 777, seed: 3 }));
    writeFile(dir, 'ㄴ/1/saturated.csv', csv(40, { flex2: (t) => (t < 10 ? 0 : 790), seed: 4 }));
    writeFile(dir, 'ㄴ/2/slow.csv', csv(40, { stepMs: 60, seed: 5 }));
    writeFile(dir, 'ㄴ/2/copy.csv', csv(40, { seed: 1 }));
    writeFile(dir, 'ㄴ/2/short.csv', csv(3));
    writeFile(dir, 'other/x.csv', csv(40));
    const s = inspectDataset(await loadDataset(dir));

    assert.equal(s.episodes, 6);
    assert.deepEqual(s.skipped, [{ file: 'ㄴ/2/short.csv', reason: 'too short: 3 frames (minimum 10)' }]);
    assert.equal(s.classes['ㄱ'], 2);
    assert.equal(s.classes['ㄴ'], 4);
    assert.equal(s.classes['ㅣ'], 0);
    assert.deepEqual(s.sessions, { '1': 3, '2': 3 });
    assert.deepEqual(s.classSessions['ㄴ'], { '1': 2, '2': 2 });
    assert.deepEqual(s.length, { min: 40, max: 40, mean: 40, median: 40 });
    assert.ok(Math.abs(s.samplingHz!.median - 1000 / 30) < 1e-9);
    assert.equal(s.channelStats.length, 8);
    assert.equal(s.channelStats[1]!.min, 0);

    const kinds = (kind: string) => s.anomalies.filter((a) => a.kind === kind);
    assert.equal(kinds('skipped-file')[0]!.count, 1);
    assert.deepEqual(kinds('ignored-folder')[0]!.examples, ['other']);
    assert.equal(kinds('missing-class')[0]!.count, 22);
    const flat = kinds('flat-sensor');
    assert.equal(flat.length, 1);
    assert.equal(flat[0]!.channel, 'flex2');
    assert.match(flat[0]!.examples[0]!, /^ㄴ\/1\/flat\.csv/);
    const sat = kinds('saturated-sensor');
    assert.equal(sat.length, 1);
    assert.match(sat[0]!.examples[0]!, /ㄴ\/1\/saturated\.csv \(10\/40 frames\)/);
    assert.match(kinds('sampling-rate')[0]!.examples[0]!, /ㄴ\/2\/slow\.csv \(16\.7 Hz\)/);
    assert.equal(kinds('duplicate')[0]!.examples[0], 'ㄱ/1/ok.csv = ㄴ/2/copy.csv');
    // the flat value 777 is in the usual range: nothing unusual beyond what is listed
    assert.equal(kinds('out-of-range').length, 0);
  } finally {
    cleanup();
  }
});

test('inspect: values outside the possible range, and unlabelled files', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const p = writeFile(dir, 'raw.csv', csv(20).replace(/\n0,800,/, '\n0,1500,'));
    const s = inspectDataset(await loadDataset([p]));
    assert.equal(s.classes['?'], 1);
    assert.equal(s.anomalies.find((a) => a.kind === 'unlabelled')!.count, 1);
    const out = s.anomalies.find((a) => a.kind === 'out-of-range')!;
    assert.equal(out.channel, 'flex1');
    assert.equal(s.anomalies.some((a) => a.kind === 'missing-class'), false);
  } finally {
    cleanup();
  }
});

const run = promisify(execFile);
const CLI = [path.join(PACKAGE_ROOT, 'src', 'cli', 'main.ts')];

test('signglove data inspect --json prints one object with episodes, skipped, classes, sessions', async () => {
  const { dir, cleanup } = tempDir();
  try {
    writeFile(dir, 'ㅎ/1/a.csv', episodeCsv(20, 1));
    writeFile(dir, 'ㅎ/2/b.csv', episodeCsv(20, 2));
    writeFile(dir, 'ㅎ/2/c.csv', episodeCsv(2, 3));
    const { stdout } = await run(process.execPath, ['--import', 'tsx', ...CLI, 'data', 'inspect', dir, '--json'], { cwd: PACKAGE_ROOT });
    const j = JSON.parse(stdout);
    assert.equal(j.episodes, 2);
    assert.deepEqual(j.skipped, [{ file: 'ㅎ/2/c.csv', reason: 'too short: 2 frames (minimum 10)' }]);
    assert.equal(j.classes['ㅎ'], 2);
    assert.deepEqual(j.sessions, { '1': 1, '2': 1 });
    // strict: the same folder is an error exit naming the file
    await assert.rejects(
      run(process.execPath, ['--import', 'tsx', ...CLI, 'data', 'inspect', dir, '--strict'], { cwd: PACKAGE_ROOT }),
      (err: { code?: number; stderr?: string }) => err.code !== 0 && /ㅎ\/2\/c\.csv: too short/.test(err.stderr ?? ''),
    );
  } finally {
    cleanup();
  }
});

test('inspect on the 2025-10-01 set: headline numbers', { skip: sharedSkip }, async () => {
  const s = inspectDataset(await loadDataset(DATASET_1001));
  assert.equal(s.episodes, 1443);
  assert.equal(s.skipped.length, 1);
  assert.equal(Object.values(s.classes).filter((n) => n > 0).length, 24);
  assert.deepEqual(Object.keys(s.sessions), ['1', '2', '3', '4', '5']);
  assert.equal(s.length.median, 80);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { DatasetError, loadDataset } from '../../src/data/load.js';
import { JAMO } from '../../src/jamo.js';
import { DATASET_0819, DATASET_1001, sharedSkip } from '../shared.js';
import { episodeCsv, tempDir, writeFile } from './helpers.js';

/** A small dataset with every kind of trouble the loader must report. */
function messyDataset(root: string): void {
  writeFile(root, 'ㄱ/1/episode_a_ㄱ_1.csv', episodeCsv(20, 1));
  writeFile(root, 'ㄱ/2/episode_b_ㄱ_2.csv', episodeCsv(20, 2));
  writeFile(root, 'ㄴ/1/episode_c_ㄴ_1.csv', episodeCsv(20, 3));
  // ㅏ written with the conjoining jamo U+1161 (its NFKD form) still means ㅏ
  writeFile(root, '\u1161/1/episode_d.csv', episodeCsv(20, 4));
  // an NFD session name (as macOS writes Hangul syllables) comes back NFC
  writeFile(root, `ㅣ/${'오전'.normalize('NFD')}/episode_e.csv`, episodeCsv(20, 10));
  writeFile(root, 'ㄴ/2/short.csv', episodeCsv(1, 5));
  writeFile(root, 'ㄴ/2/nan.csv', episodeCsv(20, 6).replace(/\n(\d+,\d+,)[^,]+,/, '\n$1NaN,'));
  writeFile(root, 'ㄴ/2/empty.csv', '');
  writeFile(root, 'ㄴ/2/noflex5.csv', 'timestamp,pitch,roll,yaw,flex1,flex2,flex3,flex4\n1,2,3,4,5,6,7,8\n');
  writeFile(root, 'ㄴ/2/notes.txt', 'not an episode');
  writeFile(root, 'misc/episode_x.csv', episodeCsv(20, 7));
  writeFile(root, 'ㄱ/1/deeper/episode_y.csv', episodeCsv(20, 8));
  writeFile(root, 'loose.csv', episodeCsv(20, 9));
}

test('folder load: classes and sessions from folders; every bad file reported with its reason', async () => {
  const { dir, cleanup } = tempDir();
  try {
    messyDataset(dir);
    const r = await loadDataset(dir);
    assert.deepEqual(
      r.episodes.map((e) => [e.file, e.jamo, e.label, e.session]),
      [
        // sorted by code point: U+1161 comes before the compatibility jamo
        ['\u1161/1/episode_d.csv', 'ㅏ', JAMO.indexOf('ㅏ'), '1'],
        ['ㄱ/1/episode_a_ㄱ_1.csv', 'ㄱ', 0, '1'],
        ['ㄱ/2/episode_b_ㄱ_2.csv', 'ㄱ', 0, '2'],
        ['ㄴ/1/episode_c_ㄴ_1.csv', 'ㄴ', 1, '1'],
        ['ㅣ/오전/episode_e.csv', 'ㅣ', JAMO.indexOf('ㅣ'), '오전'],
      ],
    );
    assert.equal(r.root, dir);
    assert.ok(r.episodes.every((e) => path.isAbsolute(e.path!) && e.length === 20));
    const byFile = new Map(r.problems.map((p) => [p.file, p]));
    assert.deepEqual([...byFile.keys()].sort(), ['loose.csv', 'ㄴ/2/empty.csv', 'ㄴ/2/nan.csv', 'ㄴ/2/noflex5.csv', 'ㄴ/2/short.csv'].sort());
    assert.match(byFile.get('ㄴ/2/short.csv')!.reason, /too short: 1 frame \(minimum 10\)/);
    assert.match(byFile.get('ㄴ/2/empty.csv')!.reason, /empty file/);
    assert.match(byFile.get('ㄴ/2/noflex5.csv')!.reason, /missing column 'flex5'/);
    assert.equal(byFile.get('ㄴ/2/nan.csv')!.row, 2);
    assert.match(byFile.get('ㄴ/2/nan.csv')!.reason, /column 'pitch': NaN value/);
    assert.match(byFile.get('loose.csv')!.reason, /outside the <jamo>\/<session>\/ layout/);
    assert.deepEqual(r.ignoredFolders, ['misc', 'ㄱ/1/deeper']);
  } finally {
    cleanup();
  }
});

test('strict mode turns any problem into a DatasetError listing them', async () => {
  const { dir, cleanup } = tempDir();
  try {
    messyDataset(dir);
    await assert.rejects(loadDataset(dir, { strict: true }), (err: unknown) => {
      assert.ok(err instanceof DatasetError);
      assert.equal(err.problems.length, 5);
      assert.match(err.message, /ㄴ\/2\/short\.csv: too short/);
      assert.match(err.message, /misc: folder ignored/);
      return true;
    });
    // a clean folder passes strict
    const clean = path.join(dir, 'clean');
    writeFile(clean, 'ㅎ/3/e.csv', episodeCsv(12));
    assert.equal((await loadDataset(clean, { strict: true })).episodes.length, 1);
  } finally {
    cleanup();
  }
});

test('minLength is a parameter', async () => {
  const { dir, cleanup } = tempDir();
  try {
    writeFile(dir, 'ㄱ/1/a.csv', episodeCsv(5));
    assert.equal((await loadDataset(dir)).episodes.length, 0);
    assert.equal((await loadDataset(dir, { minLength: 5 })).episodes.length, 1);
  } finally {
    cleanup();
  }
});

test('a single file keeps its given name and takes its class from its folders', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const inLayout = writeFile(dir, 'ㅣ/4/e.csv', episodeCsv(15));
    const alone = writeFile(dir, 'raw/glove.csv', '1,2,3,4,801,802,803,804,805\n'.repeat(12));
    const a = await loadDataset(inLayout);
    assert.equal(a.episodes[0]!.file, inLayout);
    assert.equal(a.episodes[0]!.jamo, 'ㅣ');
    assert.equal(a.episodes[0]!.session, '4');
    assert.equal(a.root, undefined);
    const b = await loadDataset(alone);
    assert.equal(b.episodes[0]!.label, -1);
    assert.equal(b.episodes[0]!.length, 12);
  } finally {
    cleanup();
  }
});

test('a list of files and folders: names relative to their common root, no file twice', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const f1 = writeFile(dir, 'day1/ㄱ/1/a.csv', episodeCsv(15, 1));
    writeFile(dir, 'day1/ㄴ/1/b.csv', episodeCsv(15, 2));
    writeFile(dir, 'day2/ㄷ/1/c.csv', episodeCsv(15, 3));
    const r = await loadDataset([path.join(dir, 'day1'), path.join(dir, 'day2'), f1]);
    assert.equal(r.root, dir);
    assert.deepEqual(r.episodes.map((e) => e.file), ['day1/ㄱ/1/a.csv', 'day1/ㄴ/1/b.csv', 'day2/ㄷ/1/c.csv']);
    assert.deepEqual(r.episodes.map((e) => e.jamo), ['ㄱ', 'ㄴ', 'ㄷ']);
  } finally {
    cleanup();
  }
});

test('a class folder or a session folder loads with names relative to the dataset root', async () => {
  const { dir, cleanup } = tempDir();
  try {
    writeFile(dir, 'ㅋ/1/a.csv', episodeCsv(15, 1));
    writeFile(dir, 'ㅋ/2/b.csv', episodeCsv(15, 2));
    const cls = await loadDataset(path.join(dir, 'ㅋ'));
    assert.deepEqual(cls.episodes.map((e) => e.file), ['ㅋ/1/a.csv', 'ㅋ/2/b.csv']);
    const ses = await loadDataset(path.join(dir, 'ㅋ', '2'));
    assert.deepEqual(ses.episodes.map((e) => [e.file, e.jamo, e.session]), [['ㅋ/2/b.csv', 'ㅋ', '2']]);
  } finally {
    cleanup();
  }
});

test('a flat folder of CSVs (no jamo folders) loads them unlabelled', async () => {
  const { dir, cleanup } = tempDir();
  try {
    writeFile(dir, 'b.csv', episodeCsv(15, 1));
    writeFile(dir, 'a.csv', episodeCsv(15, 2));
    const r = await loadDataset(dir);
    assert.deepEqual(r.episodes.map((e) => [e.file, e.label]), [['a.csv', -1], ['b.csv', -1]]);
    assert.equal(r.problems.length, 0);
  } finally {
    cleanup();
  }
});

test('extra channels (accel) load when asked for', async () => {
  const { dir, cleanup } = tempDir();
  try {
    writeFile(dir, 'ㄱ/1/a.csv', episodeCsv(15));
    const r = await loadDataset(dir, { channels: ['flex1', 'accel_x', 'accel_y', 'accel_z'] });
    assert.deepEqual(r.channels, ['flex1', 'accel_x', 'accel_y', 'accel_z']);
    assert.deepEqual([...r.episodes[0]!.data.subarray(1, 4)], [0.3, -0.66, 0.7].map(Math.fround));
  } finally {
    cleanup();
  }
});

test('a missing input is an error naming it', async () => {
  await assert.rejects(loadDataset('/nonexistent/signglove/x'), /no such file or folder: \/nonexistent\/signglove\/x/);
});

test('the 2025-10-01 set: 1,443 episodes, 1 too short, 24 classes × 5 sessions', { skip: sharedSkip }, async () => {
  const r = await loadDataset(DATASET_1001);
  assert.equal(r.episodes.length, 1443);
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0]!.file, 'ㅊ/3/episode_20251001_154132_ㅊ_3.csv');
  assert.match(r.problems[0]!.reason, /too short/);
  assert.deepEqual(r.ignoredFolders, []);
  assert.equal(new Set(r.episodes.map((e) => e.label)).size, 24);
  assert.deepEqual([...new Set(r.episodes.map((e) => e.session))].sort(), ['1', '2', '3', '4', '5']);
  // sorted by file, so class order follows JAMO
  assert.ok(r.episodes.every((e, i) => i === 0 || r.episodes[i - 1]!.label <= e.label));
});

test('the 2025-08-19 set: 600 episodes of (nearly all) 300 steps', { skip: sharedSkip }, async () => {
  const r = await loadDataset(DATASET_0819);
  assert.equal(r.episodes.length, 600);
  assert.equal(r.problems.length, 0);
  // one recording on that day stopped early, at 112 frames
  assert.equal(r.episodes.filter((e) => e.length === 300).length, 599);
});

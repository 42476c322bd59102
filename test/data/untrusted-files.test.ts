/** Dataset trees and files a careless user or an attacker may hand the loader (issue 16, items 1, 2, 9). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadDataset } from '../../src/data/load.js';
import { parseEpisodeCsv, tryParseEpisodeCsv } from '../../src/data/parse-episode.js';
import { readTextFileBounded } from '../../src/data/safe-read.js';
import { episodeCsv, tempDir, writeFile } from './helpers.js';

const canMkfifo = process.platform !== 'win32';

test('a FIFO, a link to /dev/zero and a link leaving the dataset are reported, never opened', { skip: !canMkfifo && 'no FIFOs' }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    writeFile(dir, 'ㄱ/1/good.csv', episodeCsv(20, 1));
    execFileSync('mkfifo', [path.join(dir, 'ㄱ/1/fifo.csv')]);
    symlinkSync('/dev/zero', path.join(dir, 'ㄱ/1/zero.csv'));
    const outside = writeFile(path.dirname(dir), `${path.basename(dir)}-outside.csv`, episodeCsv(20, 2));
    symlinkSync(outside, path.join(dir, 'ㄱ/1/outside.csv'));
    symlinkSync('good.csv', path.join(dir, 'ㄱ/1/inside.csv')); // a link inside the dataset is fine
    symlinkSync('missing.csv', path.join(dir, 'ㄱ/1/dangling.csv'));
    try {
      const r = await loadDataset(dir); // before the fix: hangs forever on the FIFO
      assert.deepEqual(r.episodes.map((e) => e.file), ['ㄱ/1/good.csv', 'ㄱ/1/inside.csv']);
      const reasons = Object.fromEntries(r.problems.map((p) => [p.file, p.reason]));
      assert.match(reasons['ㄱ/1/fifo.csv']!, /FIFO.*not a regular file/);
      assert.match(reasons['ㄱ/1/zero.csv']!, /device.*not a regular file/);
      assert.match(reasons['ㄱ/1/outside.csv']!, /outside the dataset/);
      assert.match(reasons['ㄱ/1/dangling.csv']!, /cannot be followed/);
    } finally {
      writeFileSync(outside, '');
    }
  } finally {
    cleanup();
  }
});

test('a file over the size limit is skipped with a reason naming the limit', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const big = writeFile(dir, 'ㄱ/1/big.csv', episodeCsv(2000, 1));
    writeFile(dir, 'ㄱ/1/ok.csv', episodeCsv(20, 2));
    assert.throws(() => readTextFileBounded(big, 1000), /larger than the 0\.00 MB limit per file/);
    assert.match(readTextFileBounded(big), /^timestamp/);
    const r = await loadDataset(dir);
    assert.equal(r.episodes.length, 2);
  } finally {
    cleanup();
  }
});

test('values outside float32 or physically impossible are rejected with file, row and reason (item 2)', () => {
  const lines = episodeCsv(20, 1).split('\n');
  const cells = lines[3]!.split(',');
  const flex1 = lines[0]!.split(',').indexOf('flex1');
  const pitch = lines[0]!.split(',').indexOf('pitch');
  const withCell = (col: number, v: string): string => {
    const c = [...cells];
    c[col] = v;
    return [...lines.slice(0, 3), c.join(','), ...lines.slice(4)].join('\n');
  };
  const reason = (text: string): string => {
    const r = tryParseEpisodeCsv(text, 'f.csv');
    assert.ok(r.problem, 'must be rejected');
    return `${r.problem.row}: ${r.problem.reason}`;
  };
  assert.equal(reason(withCell(flex1, '1e39')), "4: column 'flex1': value 1e+39 is too large (outside the float32 range)");
  assert.equal(reason(withCell(flex1, '1e99999')), "4: column 'flex1': value '1e99999' is too large (outside the float32 range)");
  assert.match(reason(withCell(flex1, '99999')), /^4: column 'flex1': value 99999 is outside the plausible range -100…4200/);
  assert.match(reason(withCell(pitch, '-400.5')), /^4: column 'pitch': value -400.5 is outside the plausible range -360…360/);
  // ordinary readings still load, 12-bit ADC values included
  assert.equal(parseEpisodeCsv(withCell(flex1, '4095'), 'f.csv').length, 20);
});

test('CR-only line ends parse; UTF-16 and NUL bytes are named as such (item 9)', () => {
  const text = episodeCsv(12, 3);
  const cr = parseEpisodeCsv(text.replace(/\n/g, '\r'), 'cr.csv');
  assert.deepEqual(cr.data, parseEpisodeCsv(text, 'lf.csv').data);
  const { dir, cleanup } = tempDir();
  try {
    const p16 = path.join(dir, 'u16.csv');
    writeFileSync(p16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    assert.throws(() => readTextFileBounded(p16), /UTF-16 encoded; save it as UTF-8/);
    const noBom = path.join(dir, 'u16nobom.csv');
    writeFileSync(noBom, Buffer.from(text, 'utf16le'));
    assert.throws(() => readTextFileBounded(noBom), /UTF-16/);
  } finally {
    cleanup();
  }
  const r = tryParseEpisodeCsv('timestamp,a\u0000b\n1,2\n', 'nul.csv');
  assert.match(r.problem!.reason, /NUL bytes/);
  assert.ok(!r.problem!.reason.includes('\u0000'));
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EpisodeParseError, parseEpisodeCsv, splitCsvLine, tryParseEpisodeCsv } from '../../src/data/parse-episode.js';
import { DEFAULT_CHANNELS } from '../../src/data/types.js';
import { Rng } from '../../src/util/rng.js';
import { episodeCsv } from './helpers.js';

const UNIFIED_HEADER = 'timestamp_ms,recv_timestamp_ms,pitch,roll,yaw,flex1,flex2,flex3,flex4,flex5,sampling_hz,accel_x,accel_y,accel_z';

/** The problem parseEpisodeCsv reports for this text (fails the test if it parses). */
function problemOf(text: string, channels: readonly string[] = DEFAULT_CHANNELS) {
  const r = tryParseEpisodeCsv(text, 'f.csv', channels);
  assert.ok(r.problem, 'expected a problem');
  return r.problem;
}

test('reads the unified 14-column episode CSV into the default channels, in their order', () => {
  const text = `${UNIFIED_HEADER}\n0,100,-16.85,-43.78,-17.32,836,771,887,885,869,33.3,0.304,-0.666,0.708\n29,129,-16.87,-43.77,-17.31,838,781,873,899,879,34.4,0.304,-0.665,0.709\n`;
  const ep = parseEpisodeCsv(text, 'a.csv');
  assert.equal(ep.length, 2);
  assert.deepEqual(ep.channels, [...DEFAULT_CHANNELS]);
  assert.deepEqual([...ep.data.subarray(0, 8)], [836, 771, 887, 885, 869, -16.85, -43.78, -17.32].map(Math.fround));
  assert.deepEqual([...ep.timestampsMs!], [0, 29]);
  assert.equal(ep.label, -1);
  assert.equal(ep.file, 'a.csv');
});

test('BOM, CRLF, quoted header names, spaces and blank trailing lines are fine', () => {
  const text = '\ufeff"timestamp_ms", "pitch","roll","yaw","flex1","flex2","flex3","flex4","flex5"\r\n' +
    '1, 1.5,2,3,10,11,12,13,14\r\n2,1.25,2,3,10,11,12,13,"15"\r\n\r\n\r\n   \r\n';
  const ep = parseEpisodeCsv(text, 'b.csv');
  assert.equal(ep.length, 2);
  assert.deepEqual([...ep.data], [10, 11, 12, 13, 14, 1.5, 2, 3, 10, 11, 12, 13, 15, 1.25, 2, 3]);
});

test('headerless firmware lines: 9 and 12 fields by position, # messages skipped', () => {
  const nine = '# glove ready\n1000,1,2,3,801,802,803,804,805\n# calibrating\n1030,4,5,6,811,812,813,814,815\n';
  const ep9 = parseEpisodeCsv(nine, 'raw9.csv');
  assert.equal(ep9.length, 2);
  assert.deepEqual([...ep9.data.subarray(0, 8)], [801, 802, 803, 804, 805, 1, 2, 3]);
  assert.deepEqual([...ep9.timestampsMs!], [1000, 1030]);

  const twelve = '1000,1,2,3,0.5,-0.5,0.25,801,802,803,804,805\n';
  const ep12 = parseEpisodeCsv(twelve, 'raw12.csv', ['flex1', 'accel_x', 'accel_z', 'yaw']);
  assert.deepEqual([...ep12.data], [801, 0.5, 0.25, 3]);
});

test('12-field glove CSV with its header; --channels picks accel too', () => {
  const text = 'timestamp,pitch,roll,yaw,accel_x,accel_y,accel_z,flex1,flex2,flex3,flex4,flex5\n5,1,2,3,0.1,0.2,0.3,7,8,9,10,11\n';
  const ep = parseEpisodeCsv(text, 'c.csv', [...DEFAULT_CHANNELS, 'accel_x', 'accel_y', 'accel_z']);
  assert.deepEqual([...ep.data], [7, 8, 9, 10, 11, 1, 2, 3, 0.1, 0.2, 0.3].map(Math.fround));
});

test('missing column: reported at the header row, naming the column', () => {
  const p = problemOf('timestamp,pitch,roll,yaw,flex1,flex2,flex3,flex4\n1,2,3,4,5,6,7,8\n');
  assert.equal(p.row, 1);
  assert.equal(p.column, 'flex5');
  assert.match(p.reason, /missing column 'flex5'/);
});

test('non-numeric, NaN, infinite and empty cells: reported with row and column', () => {
  const header = 'timestamp,pitch,roll,yaw,flex1,flex2,flex3,flex4,flex5\n';
  const good = '1,2,3,4,5,6,7,8,9\n';
  const cases: [string, RegExp, string][] = [
    ['2,2,3,4,5,abc,7,8,9', /non-numeric value 'abc'/, 'flex2'],
    ['2,2,3,4,5,6,NaN,8,9', /NaN value/, 'flex3'],
    ['2,2,3,4,5,6,7,nan,9', /NaN value/, 'flex4'],
    ['2,2,3,inf,5,6,7,8,9', /infinite/, 'yaw'],
    ['2,2,,4,5,6,7,8,9', /empty cell/, 'roll'],
    ['2,2,3,4,5,6,7,8,0x1f', /non-numeric/, 'flex5'],
    ['x,2,3,4,5,6,7,8,9', /non-numeric value 'x'/, 'timestamp'],
  ];
  for (const [row, reason, column] of cases) {
    const p = problemOf(header + good + row + '\n');
    assert.equal(p.row, 3, row);
    assert.equal(p.column, column, row);
    assert.match(p.reason, reason, row);
    assert.match(p.reason, new RegExp(`column '${column}'`), row);
  }
});

test('a bad cell in a column that is not read does not matter', () => {
  const text = `${UNIFIED_HEADER}\n0,100,1,2,3,4,5,6,7,8,oops,,x,y\n`;
  assert.equal(parseEpisodeCsv(text, 'd.csv').length, 1);
});

test('empty file, header only, and only comments are problems', () => {
  assert.match(problemOf('').reason, /empty file/);
  assert.match(problemOf('\n\r\n  \n').reason, /empty file/);
  assert.match(problemOf('\ufeff').reason, /empty file/);
  assert.match(problemOf(`${UNIFIED_HEADER}\n\n`).reason, /no data rows/);
  assert.match(problemOf('# hello\n# bye\n').reason, /empty file/);
});

test('rows with too few or too many fields are reported at their line', () => {
  const header = 'timestamp,pitch,roll,yaw,flex1,flex2,flex3,flex4,flex5\n';
  let p = problemOf(header + '1,2,3,4,5,6,7,8,9\n1,2,3,4,5,6,7,8\n');
  assert.equal(p.row, 3);
  assert.match(p.reason, /8 fields, expected 9/);
  p = problemOf(header + '1,2,3,4,5,6,7,8,9,10\n');
  assert.equal(p.row, 2);
  assert.match(p.reason, /10 fields, expected 9/);
});

test('headerless line with a field count the firmware never sends', () => {
  const p = problemOf('1,2,3,4,5,6,7\n');
  assert.equal(p.row, 1);
  assert.match(p.reason, /7 fields.*9 or 12/);
});

test('duplicate header names are refused', () => {
  const p = problemOf('flex1,flex1,flex2,flex3,flex4,flex5,pitch,roll,yaw\n1,2,3,4,5,6,7,8,9\n');
  assert.match(p.reason, /duplicate column 'flex1'/);
});

test('parseEpisodeCsv throws EpisodeParseError whose message names file and row', () => {
  assert.throws(
    () => parseEpisodeCsv('timestamp,pitch,roll,yaw,flex1,flex2,flex3,flex4,flex5\n1,2,3,4,5,6,7,8,bad\n', 'dir/e.csv'),
    (err: unknown) => err instanceof EpisodeParseError && /^dir\/e\.csv:2: column 'flex5'/.test(err.message),
  );
});

test('the fast number reader agrees with Number() on many random cells', () => {
  const rng = new Rng(7);
  const cells: string[] = [];
  for (let i = 0; i < 3000; i++) {
    const kind = rng.int(5);
    const v = (rng.next() - 0.5) * 10 ** rng.int(8);
    cells.push(
      kind === 0 ? String(Math.round(v))
        : kind === 1 ? v.toFixed(rng.int(6))
        : kind === 2 ? v.toExponential(rng.int(5))
        : kind === 3 ? String(v) // up to 17 significant digits: the careful path
        : `+${Math.abs(v).toFixed(2)}`,
    );
  }
  // Timestamps are kept as float64, so they show any rounding difference; channels are float32.
  const rows: string[] = [];
  for (let i = 0; i + 9 <= cells.length; i += 9) rows.push(cells.slice(i, i + 9).join(','));
  // channels without physical limits (flex and angles have them): this is about reading numbers
  const channels = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8'];
  const text = `timestamp,${channels.join(',')}\n` + rows.join('\n');
  const ep = parseEpisodeCsv(text, 'r.csv', channels);
  const parsed = rows.map((r) => r.split(',').map(Number));
  assert.deepEqual([...ep.timestampsMs!], parsed.map((r) => r[0]));
  assert.deepEqual([...ep.data], parsed.flatMap((r) => r.slice(1).map(Math.fround)));
});

test('splitCsvLine honours quotes and doubled quotes', () => {
  assert.deepEqual(splitCsvLine('a,"b,c","d""e",'), ['a', 'b,c', 'd"e', '']);
});

test('synthetic helper episodes parse at full length', () => {
  assert.equal(parseEpisodeCsv(episodeCsv(80), 'h.csv').length, 80);
});

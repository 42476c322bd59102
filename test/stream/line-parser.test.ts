import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GloveLineParser } from '../../src/stream/line-parser.js';
import { frameChannelIndex } from '../../src/stream/frame.js';
import { EPISODE_COLUMNS } from '../../src/data/glove-format.js';

const at = (name: string) => frameChannelIndex(name);

test('9-field firmware lines map by position; accel is NaN', () => {
  const p = new GloveLineParser().parse('1234,1.5,-2.25,30,801,802,803,804,805\r\n');
  assert.equal(p.kind, 'frame');
  if (p.kind !== 'frame') return;
  assert.equal(p.frame.t, 1234);
  assert.equal(p.frame.values[at('pitch')], 1.5);
  assert.equal(p.frame.values[at('roll')], -2.25);
  assert.equal(p.frame.values[at('flex1')], 801);
  assert.equal(p.frame.values[at('flex5')], 805);
  assert.ok(Number.isNaN(p.frame.values[at('accel_x')]!));
});

test('12-field firmware lines carry accel after yaw', () => {
  const p = new GloveLineParser().parse('10,1,2,3,0.5,-0.25,0.75,700,710,720,730,740');
  assert.equal(p.kind, 'frame');
  if (p.kind !== 'frame') return;
  assert.equal(p.frame.values[at('yaw')], 3);
  assert.equal(p.frame.values[at('accel_y')], -0.25);
  assert.equal(p.frame.values[at('flex1')], 700);
  assert.equal(p.frame.values[at('flex5')], 740);
});

test('a header sets the field order (recorded episode columns, extra columns ignored)', () => {
  const parser = new GloveLineParser();
  assert.equal(parser.parse(EPISODE_COLUMNS.join(',')).kind, 'header');
  const p = parser.parse('30,1759295449733,-14.53,-69.53,-68.46,781,778,857,844,862,33.3,0.273,-0.921,0.343');
  assert.equal(p.kind, 'frame');
  if (p.kind !== 'frame') return;
  assert.equal(p.frame.t, 30);
  assert.equal(p.frame.values[at('pitch')], Math.fround(-14.53));
  assert.equal(p.frame.values[at('flex5')], 862);
  assert.equal(p.frame.values[at('accel_z')], Math.fround(0.343));
  // a headerless firmware line still parses by position after a header of another width
  assert.equal(parser.parse('1,2,3,4,5,6,7,8,9').kind, 'frame');
});

test("'#' lines are messages", () => {
  assert.deepEqual(new GloveLineParser().parse('# IMU calibrated'), { kind: 'message', text: 'IMU calibrated' });
});

test('malformed lines are reported with a reason, never thrown', () => {
  const parser = new GloveLineParser();
  for (const bad of ['1,2,3', '1,2,3,4,5,6,7,8,x', '1,2,3,4,5,6,7,8,', 'garbage', '1,2,3,4,5,6,7,8,9,10', 'NaN,1,2,3,4,5,6,7,8']) {
    const p = parser.parse(bad);
    assert.equal(p.kind, 'malformed', bad);
    if (p.kind === 'malformed') assert.ok(p.reason.length > 0);
  }
  assert.equal(parser.parse('   ').kind, 'empty');
  // a header lacking required channels is refused and does not change the field order
  assert.equal(parser.parse('timestamp,flex1,flex2').kind, 'malformed');
  assert.equal(parser.parse('1,2,3,4,5,6,7,8,9').kind, 'frame');
});

test('empty accel fields (a glove without one, or formatFirmwareLine of such frames) are missing values', () => {
  const p = new GloveLineParser().parse('10,1,2,3,,,,700,710,720,730,740');
  assert.equal(p.kind, 'frame');
  if (p.kind !== 'frame') return;
  assert.ok(Number.isNaN(p.frame.values[at('accel_x')]!));
  assert.equal(p.frame.values[at('flex5')], 740);
  // the channels every model needs must be there
  assert.equal(new GloveLineParser().parse('10,1,2,,0.5,0.5,0.5,700,710,720,730,740').kind, 'malformed');
});

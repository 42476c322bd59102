import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { GloveLineParser } from '../../src/stream/line-parser.js';
import { frameChannelIndex, type Frame } from '../../src/stream/frame.js';
import { openReadableSource } from '../../src/stream/sources/readable.js';
import { Resampler } from '../../src/stream/resample.js';
import { collect } from './helpers.js';

const at = (name: string) => frameChannelIndex(name);
const jsonLine = (s: number, flex = 800, yaw = 10) =>
  JSON.stringify({ timestamp: s, yaw, pitch: 1.5, roll: -2, flex1: flex, flex2: flex + 1, flex3: flex + 2, flex4: flex + 3, flex5: flex + 4 });

test('JSON-lines firmware: fields by name, timestamp in seconds', () => {
  const p = new GloveLineParser().parse(jsonLine(1.25, 700));
  assert.equal(p.kind, 'frame');
  if (p.kind !== 'frame') return;
  assert.equal(p.frame.t, 1250);
  assert.equal(p.frame.values[at('flex1')], 700);
  assert.equal(p.frame.values[at('flex5')], 704);
  assert.equal(p.frame.values[at('yaw')], 10);
  assert.ok(Number.isNaN(p.frame.values[at('accel_x')]!));
});

test('malformed JSON lines are counted and skipped by a source', async () => {
  const lines = [jsonLine(0), '{"timestamp": 0.02, "yaw": 1', jsonLine(0.04), '{"timestamp": 0.06, "yaw": "x"}', '{"yaw": 1}', jsonLine(0.08), ''];
  const source = openReadableSource(Readable.from([lines.join('\n')]));
  const { frames, done } = collect(source);
  await done;
  assert.deepEqual(frames.map((f) => f.t), [0, 40, 80]);
  assert.equal(source.stats.malformed, 3);
  assert.match(source.stats.lastMalformed!, /timestamp/);
});

test('a 50 Hz stream is resampled to the 30 ms grid, values interpolated', () => {
  const r = new Resampler(30);
  const out: Frame[] = [];
  for (let i = 0; i <= 50; i++) {
    const p = new GloveLineParser().parse(jsonLine(i * 0.02, 800 + i * 2, 170 + i * 0.4)); // yaw crosses 180
    assert.equal(p.kind, 'frame');
    if (p.kind === 'frame') out.push(...r.push(p.frame));
  }
  // 1 s of frames at 50 Hz → 0, 30, …, 990 ms: 34 frames
  assert.equal(out.length, 34);
  out.forEach((f, k) => assert.equal(f.t, k * 30));
  // flex rises 2 per 20 ms: 3 per 30 ms
  assert.ok(Math.abs(out[10]!.values[at('flex1')]! - 830) < 1e-3);
  // yaw goes the short way round 180°: 170 + 0.4 × 27 = 180.8 → -179.2 at 540 ms
  assert.ok(Math.abs(out[18]!.values[at('yaw')]! - -179.2) < 1e-3, String(out[18]!.values[at('yaw')]));
});

test('resampling restarts after a gap instead of inventing frames across it', () => {
  const r = new Resampler(30, 500);
  const frame = (t: number): Frame => ({ t, values: new Float32Array(11).fill(1) });
  assert.equal(r.push(frame(0)).length, 1);
  assert.equal(r.push(frame(20)).length, 0);
  assert.equal(r.push(frame(40)).length, 1);
  assert.deepEqual(r.push(frame(5000)).map((f) => f.t), [5000]);
});

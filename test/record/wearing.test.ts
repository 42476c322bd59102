import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simulateText } from '../../src/stream/simulator/simulate.js';
import { newWearing, parseWearing } from '../../src/stream/simulator/new-wearing.js';
import { parseSourceSpec } from '../../src/stream/source-spec.js';
import { FRAME_CHANNELS } from '../../src/stream/frame.js';
import { findEpisodeFaults } from '../../src/data/sensor-faults.js';
import { PACKAGE_ROOT } from '../../src/paths.js';

const at = (c: string) => FRAME_CHANNELS.indexOf(c);

test('a new wearing: the same signing with offsets, a dead flex4 and a drifting yaw; seeded', () => {
  const usual = simulateText('안녕', { seed: 3 });
  const worn = simulateText('안녕', { seed: 3, wearing: parseWearing('new:5') });
  assert.equal(worn.frames.length, usual.frames.length, 'the same course of the hand');
  const mean = (s: typeof usual, c: string) => s.frames.reduce((a, f) => a + f.values[at(c)]!, 0) / s.frames.length;
  const w = newWearing(5);
  for (const c of ['flex1', 'flex2', 'flex3', 'flex5', 'pitch', 'roll']) {
    assert.notEqual(Math.round(mean(worn, c)), Math.round(mean(usual, c)), c);
    assert.ok(Math.abs(w.offset[at(c)]!) <= 40, `${c} offset within what the recorded days differ by`);
  }
  // flex4 reads like the 2025-08-19 dead sensor: the fault checks call it out of range
  const flex = ['flex1', 'flex2', 'flex3', 'flex4', 'flex5'];
  const data = Float32Array.from(worn.frames.slice(0, 80).flatMap((f) => flex.map((c) => f.values[at(c)]!)));
  assert.deepEqual(findEpisodeFaults(data, 80, flex).faults.map((f) => [f.channel, f.kind]), [['flex4', 'out-of-range']]);
  assert.deepEqual(simulateText('안녕', { seed: 3, wearing: parseWearing('new:5') }).frames.map((f) => [...f.values]), worn.frames.map((f) => [...f.values]));
  assert.deepEqual(parseWearing('new'), newWearing(1));
  assert.throws(() => parseWearing('tuesday'), /unknown wearing 'tuesday': use new or new:SEED/);
});

test('sim: sources take a wearing option; record accepts a bare sim', () => {
  assert.deepEqual(parseSourceSpec('sim:안녕,wearing=new:3'), { kind: 'sim', text: '안녕', wearing: 'new:3' });
  assert.deepEqual(parseSourceSpec('sim:안녕 사랑'), { kind: 'sim', text: '안녕 사랑' });
  assert.deepEqual(parseSourceSpec('sim', { simText: 'optional' }), { kind: 'sim', text: '' });
  assert.deepEqual(parseSourceSpec('sim:wearing=new', { simText: 'optional' }), { kind: 'sim', text: '', wearing: 'new' });
  assert.throws(() => parseSourceSpec('sim'), /give the text to spell/);
  assert.throws(() => parseSourceSpec('sim:안녕,wearing=old'), /unknown wearing 'old'/);
  assert.throws(() => parseSourceSpec('sim:안녕,colour=red'), /unknown simulator option 'colour'/);
});

test('calibrate --source: records k + 1 holds per letter, reports before/after on the held-out ones, saves into the profile', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sg-cal-src-'));
  try {
    const profile = path.join(dir, 'alice');
    const r = spawnSync(process.execPath, [path.join(PACKAGE_ROOT, 'dist/src/cli/main.js'), 'calibrate', '--source', 'sim:wearing=new:2', '--letters', 'ㄱㄴㅏ', '--shots', '2', '--speed', '1000', '--countdown', '0.5', '--profile', profile, '--json'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.shots, 6);
    assert.equal(out.heldOut, 3);
    assert.ok(out.before >= 0 && out.before <= 1 && out.after >= 0 && out.after <= 1);
    assert.deepEqual(out.masked, ['flex4']);
    assert.match(r.stderr, /recording 2 holds per letter \+ 1 held out \(3 letters\)/);
    assert.match(r.stderr, /flex4 has been faulty in 3 holds in a row/);
    assert.ok(existsSync(path.join(profile, 'extra_trees-personal.safetensors')));
    const p = JSON.parse(readFileSync(path.join(profile, 'profile.json'), 'utf8'));
    assert.equal(p.calibrations.length, 1);
    assert.equal(p.calibrations[0].heldOut, 3);
    assert.equal(existsSync(path.join(profile, 'pending-recording')), false, 'the finished recording lives on in recordings/');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

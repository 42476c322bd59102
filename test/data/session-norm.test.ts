import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultPipeline, fitSessionStats, normalizeEpisode, poolSessionStats, SessionAccumulator, wrapDegrees } from '../../src/data/session-norm.js';

// the angle path (pitch and roll standardised one by one), as bundles from before gravity inputs read
const cfg = defaultPipeline(['flex1', 'flex2', 'flex3', 'flex4', 'flex5', 'pitch', 'roll']);

/** An episode of T frames: flex = base + offset, pitch, roll (and a yaw that must be ignored). */
function ep(T: number, flex: number[], pitch: number, roll: number, yaw = 123): { data: Float32Array; length: number } {
  const d = new Float32Array(T * 8);
  for (let t = 0; t < T; t++) {
    flex.forEach((v, c) => (d[t * 8 + c] = v + (t % 3) - 1));
    d[t * 8 + 5] = pitch;
    d[t * 8 + 6] = roll;
    d[t * 8 + 7] = yaw + t;
  }
  return { data: d, length: T };
}

test('the default pipeline reads 8 raw channels, drops yaw and turns pitch and roll into gravity', () => {
  const def = defaultPipeline();
  assert.deepEqual(def.raw, ['flex1', 'flex2', 'flex3', 'flex4', 'flex5', 'pitch', 'roll', 'yaw']);
  assert.deepEqual(def.inputs, ['flex1', 'flex2', 'flex3', 'flex4', 'flex5', 'grav_x', 'grav_y', 'grav_z']);
  assert.deepEqual(def.angles, []);
  assert.deepEqual(cfg.angles, ['pitch', 'roll']);
  assert.throws(() => defaultPipeline(['flex1', 'grav_x'], ['flex1', 'roll']), /grav_x' needs pitch and roll/);
});

test('a constant per-channel offset between two wearings disappears after per-session normalisation', () => {
  const dayA = [ep(60, [800, 780, 820, 860, 880], 10, -40), ep(60, [850, 880, 790, 800, 840], 40, 30)];
  const dayB = dayA.map((e) => {
    const d = e.data.slice();
    for (let t = 0; t < e.length; t++) {
      for (let c = 0; c < 5; c++) d[t * 8 + c] += [-30, 12, -20, 25, -8][c]!;
      d[t * 8 + 6] += 25; // roll: the arm held differently
    }
    return { data: d, length: e.length };
  });
  const sa = fitSessionStats(cfg, dayA);
  const sb = fitSessionStats(cfg, dayB);
  for (let i = 0; i < 2; i++) {
    const a = normalizeEpisode(cfg, sa, dayA[i]!.data, 60).data;
    const b = normalizeEpisode(cfg, sb, dayB[i]!.data, 60).data;
    assert.equal(a.length, 60 * 7);
    for (let k = 0; k < a.length; k++) assert.ok(Math.abs(a[k]! - b[k]!) < 1e-3, `value ${k}: ${a[k]} vs ${b[k]}`);
  }
});

test('angles are centred on their circular mean: a roll around ±180° is not torn apart', () => {
  const s = fitSessionStats(cfg, [ep(30, [800, 800, 800, 800, 800], 0, 175), ep(30, [810, 810, 810, 810, 810], 0, -175)]);
  assert.ok(Math.abs(Math.abs(s.center[6]!) - 180) < 0.5, `roll centre ${s.center[6]}`);
  assert.ok(s.scale[6]! < 10, `roll scale ${s.scale[6]}`);
  const x = normalizeEpisode(cfg, s, ep(1, [800, 800, 800, 800, 800], 0, -175).data, 1).data;
  assert.ok(Math.abs(x[6]!) < 2, `normalised roll ${x[6]}`);
  assert.equal(wrapDegrees(190), -170);
  assert.equal(wrapDegrees(-180), -180);
});

test('a faulty channel reads 0 (the session mean), and a session-masked one too; statistics skip both', () => {
  const healthy = ep(40, [800, 780, 820, 860, 880], 10, -40);
  const dead = ep(40, [800, 4, 820, 860, 880], 10, -40);
  const s = fitSessionStats(cfg, [healthy, healthy, dead]);
  assert.ok(Math.abs(s.center[1]! - 780) < 1, `flex2 centre from healthy frames only: ${s.center[1]}`);
  const x = normalizeEpisode(cfg, s, dead.data, 40);
  assert.deepEqual(x.faults.faults.map((f) => f.channel), ['flex2']);
  for (let t = 0; t < 40; t++) assert.equal(x.data[t * 7 + 1], 0);
  const masked = normalizeEpisode(cfg, { ...s, masked: ['flex4'] }, healthy.data, 40).data;
  for (let t = 0; t < 40; t++) assert.equal(masked[t * 7 + 3], 0);
});

test('statistics are the same fitted at once or episode by episode, and pool to their mean', () => {
  const eps = [ep(20, [800, 780, 820, 860, 880], 10, -40), ep(30, [850, 880, 790, 800, 840], 40, 30)];
  const acc = new SessionAccumulator(cfg);
  for (const e of eps) acc.add(e.data, e.length);
  assert.deepEqual(acc.stats(), fitSessionStats(cfg, eps));
  const a = fitSessionStats(cfg, [eps[0]!]);
  const b = fitSessionStats(cfg, [eps[1]!]);
  const p = poolSessionStats([a, b]);
  assert.equal(p.center[0], (a.center[0]! + b.center[0]!) / 2);
  assert.equal(p.episodes, 2);
});

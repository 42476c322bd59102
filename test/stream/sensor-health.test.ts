// Sensor health while live: each problem named at once, healthy streams left alone, recovery said.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { SensorHealthMonitor, trainedRanges, healthReporter, type HealthWarning } from '../../src/stream/sensor-health.js';
import { simulateText } from '../../src/stream/simulator/simulate.js';
import { FRAME_CHANNELS, frameChannelIndex, type Frame } from '../../src/stream/frame.js';
import { FIRMWARE_HEADER, formatFirmwareLine } from '../../src/stream/firmware-csv.js';
import { createLiveSession } from '../../src/stream/live-session.js';
import type { ServedModel } from '../../src/server/types.js';
import type { SessionStats } from '../../src/data/session-norm.js';
import { loadModel } from '../../src/infer/index.js';
import { JAMO } from '../../src/jamo.js';
import { PACKAGE_ROOT } from '../../src/paths.js';

const CH = ['flex1', 'flex2', 'flex3', 'flex4', 'flex5', 'pitch', 'roll', 'yaw'];

/** n frames of a healthy glove (flex ~800 with ADC noise), `set` overriding channels per frame. */
function frames(n: number, set: (k: number) => Partial<Record<string, number>> = () => ({}), start = 0): number[][] {
  return Array.from({ length: n }, (_, i) => {
    const k = start + i;
    const over = set(k);
    return CH.map((c, j) => over[c] ?? (c.startsWith('flex') ? 800 + j * 10 + ((k * 7 + j * 3) % 5) : 10 + ((k + j) % 3)));
  });
}

function run(mon: SensorHealthMonitor, rows: number[][]): { changes: HealthWarning[][]; firstAt: number } {
  const changes: HealthWarning[][] = [];
  let firstAt = -1;
  rows.forEach((r, k) => {
    const w = mon.push(r);
    if (w) {
      changes.push(w);
      if (firstAt < 0) firstAt = k + 1;
    }
  });
  return { changes, firstAt };
}

test('a healthy glove raises nothing', () => {
  const { changes } = run(new SensorHealthMonitor(CH, { trained: { flex1: [700, 950], flex2: [700, 950] } }), frames(400));
  assert.deepEqual(changes, []);
});

test('a dead, saturated, implausible or missing flex channel is named within a second, with what to do', () => {
  const cases: [string, number, HealthWarning['problem'], RegExp][] = [
    ['flex2', 5, 'dead', /flex2 reads 5–5, near 0: .*disconnected.*check its wire/],
    ['flex3', 1023, 'saturated', /flex3 reads 1023–1023, at the top of the ADC/],
    ['flex4', 340, 'implausible', /flex4 reads 340–340, where a flex sensor on this glove reads 500–1010 \(the model saw 780–930\): check/],
    ['flex5', NaN, 'missing', /flex5 sends no values/],
  ];
  for (const [channel, value, problem, message] of cases) {
    const mon = new SensorHealthMonitor(CH, { trained: { flex4: [780, 930] } });
    const { changes, firstAt } = run(mon, frames(100, () => ({ [channel]: value })));
    assert.ok(firstAt > 0 && firstAt <= 33, `${channel} ${problem} reported after ${firstAt} frames`);
    assert.equal(changes.length, 1, 'said once, not every second');
    const [w] = changes[0]!;
    assert.equal(w!.channel, channel);
    assert.equal(w!.problem, problem);
    assert.match(w!.message, message);
  }
});

test('outside what the model saw in training: names both ranges and suggests calibrating', () => {
  const mon = new SensorHealthMonitor(CH, { trained: { flex1: [740, 930] } });
  const { changes } = run(mon, frames(66, (k) => ({ flex1: 640 + (k % 4) })));
  assert.equal(changes.length, 1);
  assert.equal(changes[0]![0]!.problem, 'untrained');
  assert.match(changes[0]![0]!.message, /flex1 reads 640–643 where the model saw 740–930: .*calibrate/);
  // without training ranges the same readings are a possible flex value: no warning
  assert.deepEqual(run(new SensorHealthMonitor(CH), frames(66, (k) => ({ flex1: 640 + (k % 4) }))).changes, []);
});

test('a flat channel (no ADC noise) is reported only after two seconds, and recovery clears it', () => {
  const mon = new SensorHealthMonitor(CH);
  const flat = run(mon, frames(120, () => ({ flex2: 812 })));
  assert.equal(flat.firstAt, 66, 'one second of a flat reading is a still hand, not a fault');
  assert.equal(flat.changes[0]![0]!.problem, 'flat');
  const after = run(mon, frames(66, () => ({}), 120));
  assert.deepEqual(after.changes, [[]], 'the channel recovered: an empty list once');
  assert.deepEqual(mon.warnings, []);
});

test('trained ranges: mean ± 4 standard deviations over the training days, masked channels left out', () => {
  const day = (wearing: string, center: number, masked: string[] = []): SessionStats => ({
    wearing, channels: ['flex1', 'flex4', 'pitch'], center: [center, center, 0], scale: [10, 10, 30], masked, episodes: 1, frames: 80,
  });
  const r = trainedRanges([day('a', 800), day('b', 850, ['flex4'])]);
  assert.deepEqual(r, { flex1: [760, 890], flex4: [760, 840] });
});

test('the live session sends a health event when a sensor dies and when it is back', () => {
  const K = JAMO.length;
  const model: ServedModel = {
    info: { name: 'flat-test', arch: 'Test', classes: [...JAMO], channels: CH, T: 80 },
    predict: () => ({ jamo: JAMO[0]!, index: 0, confidence: 1, topK: [] }),
    predictBatch: () => [],
    classifyWindow: () => new Float32Array(K).fill(1 / K),
  };
  const session = createLiveSession(model);
  const events = [...frames(40, () => ({ flex2: 4 })), ...frames(70, () => ({}), 40)].flatMap((r) => session.push(Float32Array.from(r)));
  const health = events.filter((e) => e.type === 'health');
  assert.equal(health.length, 2);
  assert.equal(health[0]!.type === 'health' && health[0]!.warnings[0]!.channel, 'flex2');
  assert.deepEqual(health[1], { type: 'health', warnings: [] });
});

test("the shipped model's training days: its ranges flag flex4 at 290–380, and the simulated glove raises nothing", async () => {
  const model = await loadModel();
  const sessions = model.meta.preprocess.trainingSessions;
  const said: string[] = [];
  const watch = healthReporter(sessions, (l) => said.push(l));
  for (const f of simulateText('안녕하세요', { seed: 4 }).frames) watch(f);
  assert.deepEqual(said, []);
  const flex4 = frameChannelIndex('flex4');
  const broken: Frame[] = simulateText('안녕', { seed: 4 }).frames.map((f, k) => {
    const values = Float32Array.from(f.values);
    values[flex4] = 290 + (k % 90);
    return { t: f.t, values };
  });
  for (const f of broken) watch(f);
  assert.equal(said.length, 1);
  assert.match(said[0]!, /^sensor: flex4 reads 2\d\d–3\d\d, where a flex sensor on this glove reads 500–1010 \(the model saw \d+–\d+\)/);
  await model.close();
});

test('signglove live says a dead sensor in one line on stderr, and the letters still come', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sg-health-'));
  try {
    const flex2 = FRAME_CHANNELS.indexOf('flex2');
    const sim = simulateText('한글', { seed: 2 });
    const rows = sim.frames.map((f) => {
      const values = Float32Array.from(f.values);
      values[flex2] = 3;
      return formatFirmwareLine({ t: f.t, values });
    });
    const file = path.join(dir, 'dead-flex2.csv');
    writeFileSync(file, [FIRMWARE_HEADER, ...rows].join('\n') + '\n');
    const r = spawnSync(process.execPath, [path.join(PACKAGE_ROOT, 'dist/src/cli/main.js'), 'live', '--source', `replay:${file}`, '--speed', '1000', '--model', 'prototype'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('sensor:'));
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, /^sensor: flex2 reads 3–3, near 0: the sensor is disconnected or broken; check its wire and connector$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { simulateHeldLetters, simulateText } from '../../src/stream/simulator/simulate.js';
import { commonSessions } from '../../src/stream/simulator/params.js';
import { loadSimulatorParams, SIMULATOR_PARAMS_FILE } from '../../src/stream/simulator/params-file.js';
import { estimateSimulatorParams } from '../../src/stream/simulator/estimate.js';
import { formatFirmwareLine, FIRMWARE_HEADER } from '../../src/stream/firmware-csv.js';
import { GloveLineParser } from '../../src/stream/line-parser.js';
import { FRAME_CHANNELS, frameChannelIndex } from '../../src/stream/frame.js';
import { MotionDetector } from '../../src/stream/motion.js';
import { loadDataset } from '../../src/data/load.js';
import { DEFAULT_CHANNELS } from '../../src/data/types.js';
import { JAMO } from '../../src/jamo.js';
import { DEFAULT_FAULT_RULES } from '../../src/data/sensor-faults.js';
import { DATASET_0819, DATASET_1001, sharedSkip } from '../shared.js';

test('the shipped parameter file is small and covers all 24 letters in every session', () => {
  assert.ok(statSync(SIMULATOR_PARAMS_FILE).size < 200 * 1024);
  const p = loadSimulatorParams();
  assert.equal(p.classes.length, 24);
  assert.ok(commonSessions(p).length >= 2);
});

test('same seed, same stream; the stream holds each letter with moves between', () => {
  const a = simulateText('안녕', { seed: 4 });
  const b = simulateText('안녕', { seed: 4 });
  const c = simulateText('안녕', { seed: 5 });
  assert.deepEqual(a.frames.map((f) => Array.from(f.values)), b.frames.map((f) => Array.from(f.values)));
  assert.notDeepEqual(a.frames.map((f) => f.t), c.frames.map((f) => f.t));
  assert.deepEqual(a.segments.map((s) => s.jamo), [...'ㅇㅏㄴㄴㅕㅇ']);
  for (let i = 1; i < a.segments.length; i++) {
    const gap = a.segments[i]!.start - a.segments[i - 1]!.end;
    assert.ok(gap >= 8 && gap <= 20, `move of ${gap} frames`);
  }
  for (const s of a.segments) assert.ok(s.end - s.start >= 70 && s.end - s.start <= 90);
  // realistic timing: ~33 Hz with the recorded jitter
  const dts = a.frames.slice(1).map((f, i) => f.t - a.frames[i]!.t);
  assert.ok(dts.every((d) => d >= 15 && d <= 45));
  const meanDt = dts.reduce((x, y) => x + y, 0) / dts.length;
  assert.ok(meanDt > 25 && meanDt < 33, `mean interval ${meanDt}`);
  // raw units like the glove: flex ADC counts, angles in degrees
  for (const f of a.frames) {
    for (let k = 0; k < 5; k++) assert.ok(f.values[k]! >= 0 && f.values[k]! <= 1023 && Number.isInteger(f.values[k]!));
    assert.ok(Math.abs(f.values[frameChannelIndex('yaw')]!) <= 180);
  }
});

test('a held letter has the level of its class in that session (flex within noise of the knots)', () => {
  const p = loadSimulatorParams();
  const [ep] = simulateHeldLetters({ perClass: 1, seed: 2, session: '1', channels: FRAME_CHANNELS });
  const stats = p.classes.find((c) => c.jamo === 'ㄱ')!.sessions.find((s) => s.session === '1')!;
  for (let c = 0; c < 5; c++) {
    let m = 0;
    for (let t = 0; t < ep!.length; t++) m += ep!.data[t * FRAME_CHANNELS.length + c]! / ep!.length;
    const knotMean = stats.knots.reduce((a, k) => a + k[c]!, 0) / stats.knots.length;
    assert.ok(Math.abs(m - knotMean) < 4 * stats.episodeStd[c]! + 3 * stats.noiseStd[c]! + 5, `flex${c + 1}: ${m} vs ${knotMean}`);
  }
  assert.equal(simulateHeldLetters({ perClass: 2, seed: 1 }).length, 48);
});

test('firmware lines written by the simulator parse back to the same frames', () => {
  const s = simulateText('한글', { seed: 1 });
  const parser = new GloveLineParser();
  assert.equal(parser.parse(FIRMWARE_HEADER).kind, 'header');
  for (const f of s.frames.slice(0, 50)) {
    const p = parser.parse(formatFirmwareLine(f));
    assert.equal(p.kind, 'frame');
    if (p.kind !== 'frame') continue;
    assert.equal(p.frame.t, f.t);
    for (let c = 0; c < FRAME_CHANNELS.length; c++) assert.ok(Math.abs(p.frame.values[c]! - f.values[c]!) < 0.006);
  }
});

test('letters outside the 24 are refused by name', () => {
  assert.throws(() => simulateText('까'), /'까'/);
});

test('estimation from real recordings: matches the shipped file, and real holds look still to the motion detector', { skip: sharedSkip }, async () => {
  const { episodes } = await loadDataset(DATASET_1001, { channels: FRAME_CHANNELS });
  const reference = (await loadDataset(DATASET_0819, { channels: FRAME_CHANNELS })).episodes;
  const fresh = estimateSimulatorParams(episodes, { source: 'signglove-2025-10-01', reference });
  assert.deepEqual(fresh, loadSimulatorParams(), 'assets/simulator/params.json is out of date: run scripts/estimate-simulator.ts');
  const idx = DEFAULT_CHANNELS.map((c) => FRAME_CHANNELS.indexOf(c));
  let broken = 0;
  for (const e of episodes) {
    const md = new MotionDetector(DEFAULT_CHANNELS);
    let moved = false;
    for (let t = 0; t < e.length; t++) {
      const s = md.push(idx.map((c) => e.data[t * FRAME_CHANNELS.length + c]!));
      if (t > 10 && !s.still) moved = true;
    }
    if (moved) broken++;
  }
  assert.ok(broken / episodes.length < 0.01, `${broken} of ${episodes.length} recorded holds looked like motion`);
  assert.equal(new Set(episodes.map((e) => e.jamo)).size, JAMO.length);
});

test('the simulator never signs with a faulty sensor (2025-10-01 flex2 dead on ㅌ is not a cue it learned)', () => {
  const params = loadSimulatorParams();
  const [lo, hi] = DEFAULT_FAULT_RULES.flexValid;
  const bad: string[] = [];
  for (const cls of params.classes) {
    for (const s of cls.sessions) {
      params.channels.forEach((ch, c) => {
        if (ch.startsWith('flex') && s.knots.some((k) => k[c]! < lo || k[c]! > hi)) bad.push(`${cls.jamo}/${s.session} ${ch}`);
      });
    }
  }
  assert.deepEqual(bad, []);
});

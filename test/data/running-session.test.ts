import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { defaultPipeline, fitSessionStats, orientTrainingSessions } from '../../src/data/session-norm.js';
import { RunningSession } from '../../src/data/running-session.js';
import { adaptiveClassifier } from '../../src/stream/adaptive-session.js';
import { StreamingRecognizer } from '../../src/stream/recognizer.js';
import { buildEpisodeStream, EpisodePool } from '../../src/stream/episode-streams.js';
import { loadModel } from '../../src/infer/index.js';
import { loadDataset } from '../../src/data/load.js';
import { DATASET_1001, sharedSkip } from '../shared.js';

const cfg = defaultPipeline();
const R = cfg.raw.length;

/** n frames of a held sign: flex at `flex` (with a little noise unless stuck), pitch and roll fixed. */
function frames(n: number, flex: number[], pitch: number, roll: number, stuck: number[] = []): Float32Array {
  const d = new Float32Array(n * R);
  for (let t = 0; t < n; t++) {
    flex.forEach((v, c) => (d[t * R + c] = stuck.includes(c) ? v : v + ((t * 7 + c) % 5) - 2));
    d[t * R + 5] = pitch + (t % 3) - 1;
    d[t * R + 6] = roll;
    d[t * R + 7] = t;
  }
  return d;
}

const ORIENT = [[20, -40], [50, 30], [-10, -90], [45, -150], [5, 60], [-30, 10]] as const;
const prior = (() => {
  const eps = ORIENT.map(([p, r]) => ({ data: frames(50, [800, 800, 800, 800, 800], p, r), length: 50 }));
  const s = fitSessionStats(cfg, eps);
  return { cfg: orientTrainingSessions(cfg, [s]), stats: s };
})();

test('running statistics start at the prior and move towards the live frames by weight', () => {
  const run = new RunningSession(prior.cfg, prior.stats, { priorFrames: 300, chunkFrames: 30, updateEvery: 60 });
  assert.equal(run.stats, prior.stats);
  assert.equal(run.version, 0);
  // 300 live frames 40 counts higher on every flex: as much weight as the prior, so half-way
  for (let k = 0; k < 10; k++) {
    const [p, r] = ORIENT[k % ORIENT.length]!;
    run.add(frames(30, [840, 840, 840, 840, 840], p, r), 30);
  }
  assert.ok(run.version >= 4);
  for (let c = 0; c < 5; c++) assert.ok(Math.abs(run.stats.center[c]! - (prior.stats.center[c]! + 20)) < 1.5, `flex${c + 1} centre ${run.stats.center[c]}`);
  assert.deepEqual(run.stats.masked, []);
});

test('a flex sensor that sticks live is masked, and a board turned on the hand is found again', () => {
  const run = new RunningSession(prior.cfg, prior.stats, { priorFrames: 100 });
  // the same signs with the board turned 40° about z: rotate each gravity and read back pitch and roll
  const turned = ORIENT.map(([p, r]) => {
    const rad = Math.PI / 180;
    const g = [-Math.sin(p * rad), Math.sin(r * rad) * Math.cos(p * rad), Math.cos(r * rad) * Math.cos(p * rad)];
    const a = 40 * rad;
    const h = [Math.cos(a) * g[0]! - Math.sin(a) * g[1]!, Math.sin(a) * g[0]! + Math.cos(a) * g[1]!, g[2]!];
    return [Math.asin(-h[0]!) / rad, Math.atan2(h[1]!, h[2]!) / rad] as const;
  });
  for (let k = 0; k < 24; k++) {
    const [p, r] = turned[k % turned.length]!;
    run.add(frames(60, [800, 800, 800, 5, 800], p, r, [3]), 60);
  }
  assert.deepEqual(run.stats.masked, ['flex4']);
  assert.ok(Math.abs(run.stats.azimuth! - 40) <= 10, `azimuth ${run.stats.azimuth}`);
});

test('live, a shipped model learns a new wearing from the holds it evaluates', { skip: sharedSkip }, async () => {
  const model = await loadModel('extra_trees');
  try {
    const eps = (await loadDataset(DATASET_1001, { channels: model.info.channels })).episodes.filter((e) => e.session === '3');
    const adapter = adaptiveClassifier(model)!;
    assert.ok(adapter);
    const rec = new StreamingRecognizer(adapter.classify, { channels: model.info.channels, classes: model.info.classes, maxWindow: 80 });
    rec.on('frame', adapter.onFrame);
    const pool = new EpisodePool(eps);
    for (const [i, phrase] of ['가나다', '라마바', '사아자', '차카타', '파하'].entries()) {
      for (const f of buildEpisodeStream(phrase, pool, { seed: i + 1 }).frames) rec.push(f);
    }
    rec.finish();
    assert.ok(adapter.running.version > 0, 'the statistics never changed');
    // the pool of both training days reads in the first day's frame; 2025-10-01 sits ~50° from it
    const day = model.meta.preprocess.trainingSessions!.find((s) => s.wearing === path.basename(DATASET_1001))!;
    const gap = (a: number, b: number) => Math.abs(((a - b + 540) % 360) - 180);
    assert.ok(gap(adapter.running.stats.azimuth!, day.azimuth!) < gap(model.session!.azimuth ?? 0, day.azimuth!), `running ${adapter.running.stats.azimuth}, day ${day.azimuth}, pool ${model.session!.azimuth}`);
  } finally {
    await model.close();
  }
});

test('only a model with a session pipeline and no calibration adapts live; a personal model gives letters at a lower confidence', { skip: sharedSkip }, async () => {
  const { calibrationHint, canAdapt, prototypeModel, liveDefaults, PERSONAL_MODEL_CONFIDENCE } = await import('../../src/stream/live-session.js');
  const model = await loadModel('extra_trees');
  try {
    assert.equal(canAdapt(model), true);
    assert.equal(canAdapt(prototypeModel()), false);
    const personal = { ...model, info: model.info, session: model.session, classifyWindow: model.classifyWindow.bind(model), meta: { ...model.meta, calibration: { base: 'extra_trees' } } };
    assert.equal(canAdapt(personal as never), false);
    // the recogniser's own 0.85 for the shipped model; the personal model's calibrated confidence asks for less
    assert.equal(liveDefaults(model).confidence, undefined);
    assert.ok(PERSONAL_MODEL_CONFIDENCE < 0.85);
    assert.deepEqual([liveDefaults(personal as never).confidence, liveDefaults(personal as never).changeConfidence], [PERSONAL_MODEL_CONFIDENCE, PERSONAL_MODEL_CONFIDENCE]);
    // a real glove on the uncalibrated model is told to calibrate, with the command for its source and model
    const hint = calibrationHint(model, { kind: 'tcp', source: 'tcp:192.168.4.1:3333', model: 'extra_trees' });
    assert.match(hint ?? '', /^extra_trees is not calibrated for this wearing: .*`signglove calibrate --source tcp:192\.168\.4\.1:3333 --model extra_trees --profile profiles\/me`/);
    assert.match(calibrationHint(model, { kind: 'serial', source: 'serial:/dev/ttyACM0' })!, /`signglove calibrate --source serial:\/dev\/ttyACM0 --profile profiles\/me`/, 'no --model when none was given');
    for (const kind of ['replay', 'stdin', 'sim']) assert.equal(calibrationHint(model, { kind, source: `${kind}:x` }), undefined, kind);
    assert.equal(calibrationHint(personal as never, { kind: 'serial', source: 'serial:/dev/ttyACM0' }), undefined);
    assert.equal(calibrationHint(prototypeModel(), { kind: 'serial', source: 'serial:/dev/ttyACM0' }), undefined);
  } finally {
    await model.close();
  }
});

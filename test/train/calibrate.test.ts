import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runTrainJob } from '../../src/train/pipeline.js';
import { calibrateModel } from '../../src/train/calibrate.js';
import { loadModel, resolveModelPath } from '../../src/infer/index.js';
import { loadDataset, type Episode } from '../../src/data/index.js';
import { tempDir } from '../data/helpers.js';
import { featureNames } from '../../src/trees/features.js';
import { fitSessionStats } from '../../src/data/session-norm.js';
import { computeMetrics } from '../../src/eval/metrics.js';
import { applyTemperature } from '../../src/infer/core.js';
import { JAMO } from '../../src/jamo.js';
import { copyLetters, DATASET_0819, DATASET_1001, SUBSET_LETTERS, sharedSkip } from '../shared.js';
import { smallNewDay } from './new-day.js';

const LETTERS = SUBSET_LETTERS;
const subset = (src: string, dir: string) => copyLetters(src, dir);

test('calibrating on 3 episodes per letter of a new day lifts accuracy on that day\'s other episodes', { skip: sharedSkip }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    const { base, day2 } = await smallNewDay(dir);
    // strict: shots only from the basic-posture folder 3, tested on the other folders
    const shots: Episode[] = [];
    for (const j of LETTERS) shots.push(...day2.filter((e) => e.jamo === j && e.session === '3').slice(0, 3));
    const held = day2.filter((e) => e.session !== '3');
    const acc = (preds: { index: number }[]) => preds.filter((p, i) => p.index === held[i]!.label).length / held.length;
    // zero-shot on day 2 (flex4 dead there, working on day 1): read by a forest refitted without flex4
    const names = featureNames(base.meta.preprocess.pipeline!.inputs);
    const flex4Splits = (f: { feature: Int32Array }) => [...f.feature].filter((i) => i >= 0 && names[i]!.startsWith('flex4')).length;
    const day2Stats = fitSessionStats(base.meta.preprocess.pipeline!, shots.map((e) => base.toFrames(e, e.file)));
    assert.deepEqual(day2Stats.masked, ['flex4']);
    assert.ok(flex4Splits(base.forestFor(base.session!)) > 0, 'the forest as trained uses flex4');
    assert.equal(flex4Splits(base.forestFor(day2Stats)), 0);
    assert.equal(base.forestFor(day2Stats), base.forestFor({ ...day2Stats }), 'refitted once per channel');
    const before = acc(base.predictBatch(held));
    const cal = await calibrateModel(base, shots, { seed: 1 });
    const after = acc(cal.predictor.predictBatch(held));
    assert.ok(after >= before + 0.15, `before ${before.toFixed(3)}, after ${after.toFixed(3)}`);
    // what the bundle records: the new wearing's statistics from the shots only, flex4 masked on that day
    assert.deepEqual(cal.meta.preprocess.session!.masked, ['flex4']);
    assert.equal(cal.meta.preprocess.session!.episodes, shots.length);
    assert.equal(cal.meta.calibration!.method, 'refit-forest');
    assert.equal(cal.meta.calibration!.shotsPerClass, 3);
    // flex4 works on day 1 and is broken on day 2: the personal forest is refitted without it
    assert.deepEqual(cal.meta.calibration!.fittedWithout, ['flex4']);
    const c = cal.predictor.classifier;
    assert.equal(c.kind, 'trees');
    if (c.kind === 'trees') {
      const names = featureNames(cal.meta.preprocess.pipeline!.inputs);
      const used = new Set([...c.forest.feature].filter((f) => f >= 0).map((f) => names[f]!));
      assert.ok(used.size > 10);
      assert.deepEqual([...used].filter((n) => n.startsWith('flex4')), []);
    }
    assert.ok(cal.temperature > 0 && Number.isFinite(cal.temperature));
    // the temperature is fitted on the shots' posture copies held out of the forest, so it exists
    // from one shot per letter, and confidence on the other postures means more than the raw votes
    const one = shots.filter((_, i) => i % 3 === 0);
    const cal1 = await calibrateModel(base, one, { seed: 1 });
    assert.notEqual(cal1.temperature, 1);
    const labels = Int32Array.from(held.map((e) => e.label));
    const ece = (T: number) => computeMetrics({ labels, probs: applyTemperature(cal1.predictor.predictProbs(held), held.length, 24, T / cal1.temperature, true), classes: [...JAMO] }).ece;
    assert.ok(ece(cal1.temperature) < ece(1), `ECE ${ece(cal1.temperature).toFixed(3)} with T ${cal1.temperature.toFixed(2)}, ${ece(1).toFixed(3)} without`);
    await base.close();
  } finally {
    cleanup();
  }
});

test('with every letter among the shots a forest of the wearer\'s holds joins the refit, unless the day has a sensor no training day had', { skip: sharedSkip }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    const personalTrees = async (train: string, calib: string) => {
      const r = await runTrainJob({ arch: 'ExtraTrees', data: train, split: 'random', outDir: path.join(dir, path.basename(train)), charts: false, trees: { trees: 20 }, log: () => {} });
      const base = await loadModel(r.folds[0]!.bundle);
      const day = (await loadDataset(calib, { channels: base.info.channels })).episodes;
      const shots = day.filter((e) => e.session === '3').filter((e, i, all) => all.findIndex((x) => x.label === e.label) === i);
      assert.equal(new Set(shots.map((e) => e.label)).size, 24);
      const cal = await calibrateModel(base, shots, { seed: 1 });
      await base.close();
      const c = cal.predictor.classifier;
      return { trees: c.kind === 'trees' ? c.forest.roots.length : 0, method: cal.meta.calibration!.method };
    };
    // 2025-08-19 has flex4 broken, 2025-10-01 working: calibrating on 08-19 masks it, a forest of its holds is added
    assert.deepEqual(await personalTrees(DATASET_1001, DATASET_0819), { trees: 40, method: 'refit-forest + wearer forest' });
    // a model of 08-19 never saw flex4 work: on 10-01 the posture copies cannot move it, so no wearer forest
    assert.deepEqual(await personalTrees(DATASET_0819, DATASET_1001), { trees: 20, method: 'refit-forest' });
  } finally {
    cleanup();
  }
});

test('the calibrate command writes a personal bundle into a profile and keeps its recordings', { skip: sharedSkip }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    const day1 = subset(DATASET_1001, dir);
    const r = await runTrainJob({ arch: 'ExtraTrees', data: day1, split: 'random', outDir: path.join(dir, 'out'), charts: false, trees: { trees: 30 }, log: () => {} });
    const calib = path.join(dir, 'calib');
    for (const j of LETTERS.slice(0, 3)) {
      mkdirSync(path.join(calib, j), { recursive: true });
      cpSync(path.join(DATASET_0819, j, '3'), path.join(calib, j, '3'), { recursive: true });
    }
    const { spawnSync } = await import('node:child_process');
    const { PACKAGE_ROOT } = await import('../../src/paths.js');
    const cli = path.join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js');
    const profile = path.join(dir, 'alice');
    const run = () => spawnSync(process.execPath, [cli, 'calibrate', '--model', r.folds[0]!.bundle, '--data', calib, '--shots', '2', '--profile', profile, '--json'], { encoding: 'utf8' });
    const first = run();
    assert.equal(first.status, 0, first.stderr);
    const out = JSON.parse(first.stdout) as { model: string; shots: number; earlierCalibrations: number; before: number; after: number };
    assert.equal(out.shots, 6);
    assert.equal(out.earlierCalibrations, 0);
    assert.ok(out.after >= out.before, `${out.before} → ${out.after}`);
    const second = run();
    assert.equal(second.status, 0, second.stderr);
    assert.equal((JSON.parse(second.stdout) as { earlierCalibrations: number }).earlierCalibrations, 1);
    assert.equal(readdirSync(path.join(profile, 'recordings')).length, 2);
    const personal = await loadModel(out.model);
    assert.equal(personal.meta.calibration!.base, 'extra_trees');
    await personal.close();
    // live, serve and the rest take the profile folder as the model: its latest personal model
    assert.equal(resolveModelPath(profile), out.model);
    const live = spawnSync(process.execPath, [cli, 'live', '--model', profile, '--source', 'sim:가', '--speed', '1000'], { encoding: 'utf8' });
    assert.equal(live.status, 0, live.stderr);
    const empty = path.join(dir, 'bob');
    mkdirSync(empty);
    writeFileSync(path.join(empty, 'profile.json'), JSON.stringify({ format: 'signglove-profile', version: 1, calibrations: [] }));
    assert.throws(() => resolveModelPath(empty), /profile .*bob has no calibration yet: run signglove calibrate --profile/);
    const bad = spawnSync(process.execPath, [cli, 'calibrate', '--data', calib, '--shots', '0'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr);
  } finally {
    cleanup();
  }
});

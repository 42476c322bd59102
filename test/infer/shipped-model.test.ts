import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel, listShippedModels, DEFAULT_MODEL } from '../../src/infer/index.js';
import { evaluateHeldLetters, runSimulatedWords, SIMULATION_WORDS } from '../../src/stream/simulated-evaluation.js';
import { useSimulatedWearing } from '../../src/stream/simulator/wearing.js';
import { loadWearings } from '../../src/train/pipeline.js';
import { DATASET_0819, DATASET_1001, sharedSkip } from '../shared.js';

// Acceptance of the shipped models: they load without training, read simulated gloves (a wearing
// of their own, read with its session statistics as a calibrated wearer's would be), and reproduce
// on their held-out test episodes of both recording days the accuracy their bundles record.

test('the default model is the tree ensemble, trained on both recording days', async () => {
  const model = await loadModel();
  assert.equal(DEFAULT_MODEL, 'extra_trees');
  assert.equal(model.info.arch, 'ExtraTrees');
  assert.deepEqual(model.meta.preprocess.trainingSessions!.map((s) => s.wearing).sort(), ['signglove-2025-08-19', 'signglove-2025-10-01']);
  assert.deepEqual(model.meta.preprocess.trainingSessions!.find((s) => s.wearing === 'signglove-2025-08-19')!.masked, ['flex4']);
  await model.close();
});

for (const name of ['extra_trees', 'gru']) {
  test(`the shipped ${name} recognises at least 95% of simulated held letters`, async () => {
    const model = await loadModel(name);
    useSimulatedWearing(model);
    const r = evaluateHeldLetters((w, n) => model.classifyWindow(w, n), { perClass: 10, seed: 11, channels: model.info.channels });
    assert.equal(r.total, 240);
    assert.ok(r.accuracy >= 0.95, `held-letter accuracy ${(r.accuracy * 100).toFixed(1)}% < 95%`);
    await model.close();
  });

  test(`the shipped ${name} reproduces its recorded test accuracy on exactly its held-out episodes of both days`, { skip: sharedSkip }, async () => {
    const model = await loadModel(name);
    const ds = await loadWearings([DATASET_1001, DATASET_0819], model.info.channels);
    const held = new Set(model.info.testFiles);
    const test = ds.episodes.filter((e) => held.has(e.file));
    assert.equal(test.length, model.info.testFiles.length, 'every recorded test episode is in the datasets');
    assert.ok(new Set(test.map((e) => e.wearing)).size === 2, 'test episodes of both days');
    const preds = model.predictBatch(test, { chunkSize: 64 });
    const acc = preds.filter((p, i) => p.index === test[i]!.label).length / test.length;
    assert.equal(acc, model.info.testAccuracy);
    await model.close();
  });
}

test('replaying simulated streams of 20 words with the default model, at least 90% come out exactly', async () => {
  const model = await loadModel();
  useSimulatedWearing(model);
  const r = runSimulatedWords(SIMULATION_WORDS, (w, n) => model.classifyWindow(w, n), { seed: 5 });
  assert.equal(r.total, 20);
  const wrong = r.details.filter((d) => !d.exact).map((d) => `${d.word}→${d.text}`);
  assert.ok(r.exact / r.total >= 0.9, `only ${r.exact}/20 words exact: ${wrong.join(', ')}`);
  await model.close();
});

test('shipped models are listed with their headline numbers', async () => {
  const list = await listShippedModels();
  const trees = list.find((m) => m.name === 'extra_trees');
  assert.ok(trees, `extra_trees in ${list.map((m) => m.name).join(',')}`);
  assert.equal(trees.datasetName, 'signglove-2025-10-01+signglove-2025-08-19');
  assert.ok(trees.testAccuracy! > 0.95);
  assert.ok(list.some((m) => m.name === 'gru'));
});

test('episodes of a training day are read with that day\'s statistics, until useSession says otherwise', { skip: sharedSkip }, async () => {
  const model = await loadModel();
  const day = (await loadWearings(DATASET_0819, model.info.channels)).episodes.filter((e) => e.session === '3').slice(0, 30);
  assert.equal(day[0]!.wearing, 'signglove-2025-08-19');
  const stats = model.meta.preprocess.trainingSessions!.find((s) => s.wearing === 'signglove-2025-08-19')!;
  const tagged = model.predictProbs(day);
  const untagged = model.predictProbs(day.map(({ wearing: _, ...e }) => e));
  assert.notDeepEqual(untagged, tagged, 'without its wearing an episode is read with the pooled statistics');
  model.useSession(stats);
  assert.deepEqual(model.predictProbs(day.map(({ wearing: _, ...e }) => e)), tagged);
  // an explicit session applies to every episode, tagged or not
  const other = model.meta.preprocess.trainingSessions!.find((s) => s.wearing === 'signglove-2025-10-01')!;
  model.useSession(other);
  assert.notDeepEqual(model.predictProbs(day), tagged);
  await model.close();
});

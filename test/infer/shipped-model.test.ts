import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel, listShippedModels } from '../../src/infer/index.js';
import { evaluateHeldLetters, runSimulatedWords, SIMULATION_WORDS } from '../../src/stream/simulated-evaluation.js';
import { loadDataset } from '../../src/data/index.js';
import { DATASET_1001, sharedSkip } from '../shared.js';

// Acceptance of the shipped GRU (issues 4 and 6): it loads without training, reads simulated
// gloves, and reproduces on its held-out test episodes the accuracy its bundle records.

test('the shipped GRU recognises at least 95% of simulated held letters', async () => {
  const model = await loadModel();
  assert.equal(model.info.arch, 'GRU');
  const r = evaluateHeldLetters((w, n) => model.classifyWindow(w, n), { perClass: 10, seed: 11, channels: model.info.channels });
  assert.equal(r.total, 240);
  assert.ok(r.accuracy >= 0.95, `held-letter accuracy ${(r.accuracy * 100).toFixed(1)}% < 95%`);
});

test('replaying simulated streams of 20 words, at least 90% come out exactly', async () => {
  const model = await loadModel();
  const r = runSimulatedWords(SIMULATION_WORDS, (w, n) => model.classifyWindow(w, n), { seed: 5 });
  assert.equal(r.total, 20);
  const wrong = r.details.filter((d) => !d.exact).map((d) => `${d.word}→${d.text}`);
  assert.ok(r.exact / r.total >= 0.9, `only ${r.exact}/20 words exact: ${wrong.join(', ')}`);
});

test('the shipped GRU reproduces its recorded test accuracy on exactly its held-out episodes', { skip: sharedSkip }, async () => {
  const model = await loadModel('gru');
  const ds = await loadDataset(DATASET_1001, { channels: model.info.channels });
  const held = new Set(model.info.testFiles);
  const test = ds.episodes.filter((e) => held.has(e.file));
  assert.equal(test.length, model.info.testFiles.length, 'every recorded test episode is in the dataset');
  const preds = model.predictBatch(test, { chunkSize: 64 });
  const acc = preds.filter((p, i) => p.index === test[i]!.label).length / test.length;
  assert.equal(acc, model.info.testAccuracy);
  assert.ok(acc >= 0.99, `shipped GRU test accuracy ${acc}`);
});

test('shipped models are listed with their headline numbers', async () => {
  const list = await listShippedModels();
  const gru = list.find((m) => m.name === 'gru');
  assert.ok(gru, `gru in ${list.map((m) => m.name).join(',')}`);
  assert.equal(gru.datasetName, 'signglove-2025-10-01');
  assert.ok(gru.testAccuracy! > 0.9);
});

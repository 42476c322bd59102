import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { loadModel, type LoadedModel } from '../../src/infer/index.js';
import { loadDataset, type Episode } from '../../src/data/index.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { DATASET_0819, DATASET_1001, sharedSkip } from '../shared.js';
import { loadWearings } from '../../src/train/pipeline.js';

// A bundle written before the session input pipeline (the GRU shipped until then, kept as a
// fixture): it must load and predict exactly as before, with its own fixed scaler.
const LEGACY = path.join(PACKAGE_ROOT, 'test', 'fixtures', 'legacy-gru-2025-10-01.safetensors');

/** Accuracy on exactly the bundle's recorded test episodes (all of them must be among `episodes`). */
function recordedTestAccuracy(model: LoadedModel, episodes: Episode[]): number {
  const held = new Set(model.info.testFiles);
  const test = episodes.filter((e) => held.has(e.file));
  assert.equal(test.length, model.info.testFiles.length);
  const preds = model.predictBatch(test, { chunkSize: 64 });
  return preds.filter((p, i) => p.index === test[i]!.label).length / test.length;
}

test('a bundle from before session normalisation loads, keeps its scaler, and cannot be given session statistics', async () => {
  const m = await loadModel(LEGACY);
  assert.equal(m.meta.preprocess.pipeline, undefined);
  assert.deepEqual(m.info.channels, ['flex1', 'flex2', 'flex3', 'flex4', 'flex5', 'pitch', 'roll', 'yaw']);
  assert.equal(m.meta.temperature, undefined);
  assert.throws(() => m.useSession({ channels: [], center: [], scale: [], masked: [], episodes: 0, frames: 0 }), /predates session normalisation/);
  await m.close();
});

test('the old bundle reproduces its recorded test accuracy on exactly its held-out episodes', { skip: sharedSkip }, async () => {
  const model = await loadModel(LEGACY);
  const ds = await loadDataset(DATASET_1001, { channels: model.info.channels });
  const acc = recordedTestAccuracy(model, ds.episodes);
  assert.equal(acc, model.info.testAccuracy);
  assert.ok(acc >= 0.99);
  await model.close();
});

// A session-pipeline bundle from before gravity inputs (the GRU shipped until then): it reads pitch
// and roll standardised one by one, has no orientation frame, and must predict exactly as before.
const PITCH_ROLL = path.join(PACKAGE_ROOT, 'test', 'fixtures', 'gru-pitch-roll-2025-10-01+08-19.safetensors');

test('a bundle from before gravity inputs reproduces its recorded test accuracy on both days', { skip: sharedSkip }, async () => {
  const model = await loadModel(PITCH_ROLL);
  const pipe = model.meta.preprocess.pipeline!;
  assert.deepEqual(pipe.inputs, ['flex1', 'flex2', 'flex3', 'flex4', 'flex5', 'pitch', 'roll']);
  assert.equal(pipe.orientationReference, undefined);
  // each day read with its own recorded statistics, as `compare` and `evaluate` do
  const ds = await loadWearings([DATASET_1001, DATASET_0819], model.info.channels);
  assert.equal(recordedTestAccuracy(model, ds.episodes), model.info.testAccuracy);
  await model.close();
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DATASET_1001, sharedSkip } from '../shared.js';
import { runTrainJob, archFileName } from '../../src/train/pipeline.js';
import { loadModel } from '../../src/infer/index.js';
import { loadDataset } from '../../src/data/index.js';

// A small real slice: 4 classes × 5 sessions, so a few epochs run in seconds.
const CLASSES = ['ㄱ', 'ㅏ', 'ㅗ', 'ㅣ'];
const dirs = CLASSES.map((j) => path.join(DATASET_1001, j));

function tmp(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'signglove-train-'));
}

test('archFileName gives the shipped bundle names', () => {
  assert.equal(archFileName('GRU'), 'gru');
  assert.equal(archFileName('StackedGRU'), 'stacked_gru');
  assert.equal(archFileName('LSTM'), 'lstm');
  assert.equal(archFileName('CNNStackedGRU'), 'cnn_stacked_gru');
  assert.equal(archFileName('MSGRU'), 'ms_gru');
  assert.equal(archFileName('MSStackedGRU'), 'ms_stacked_gru');
});

test('training on real data lowers the loss, and the bundle round-trips to identical predictions', { skip: sharedSkip }, async () => {
  const out = tmp();
  try {
    const r = await runTrainJob({
      arch: 'GRU', data: dirs, split: 'random', outDir: out, name: 'tiny',
      archOverrides: { hidden: 16, headHidden: 32 },
      train: { epochs: 6, batchSize: 16, lr: 3e-3, seed: 7, patience: 100 },
      charts: false, log: () => {},
    });
    const h = r.folds[0]!.meta.history!;
    assert.equal(h.length, 6);
    assert.ok(h[5]!.trainLoss < h[0]!.trainLoss * 0.8, `train loss should fall: ${h.map((e) => e.trainLoss.toFixed(3)).join(' → ')}`);
    // per-epoch metrics were written as they happened, one JSON line each
    const lines = readFileSync(path.join(out, 'tiny.metrics.jsonl'), 'utf8').trim().split('\n');
    assert.equal(lines.length, 6);
    assert.equal(JSON.parse(lines[2]!).epoch, 3);
    assert.ok(existsSync(path.join(out, 'tiny.md')));

    // saved → loaded → the same probabilities as the model that was evaluated at the end of training
    const model = await loadModel(path.join(out, 'tiny.safetensors'));
    assert.equal(model.info.arch, 'GRU');
    assert.deepEqual(model.info.channels, ['flex1', 'flex2', 'flex3', 'flex4', 'flex5', 'pitch', 'roll', 'yaw']);
    const ds = await loadDataset(dirs);
    const test = ds.episodes.filter((e) => model.info.testFiles.includes(e.file));
    assert.equal(test.length, r.folds[0]!.test.n);
    const preds = model.predictBatch(test);
    const acc = preds.filter((p, i) => p.index === test[i]!.label).length / test.length;
    assert.equal(acc, r.folds[0]!.test.top1, 'reloaded bundle must reproduce the recorded test accuracy exactly');
    const again = await loadModel(path.join(out, 'tiny.safetensors'));
    assert.deepEqual(again.predictProbs(test.slice(0, 5)), model.predictProbs(test.slice(0, 5)));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('same seed, data and backend give the same metrics bit for bit', { skip: sharedSkip }, async () => {
  const runs = [];
  for (let i = 0; i < 2; i++) {
    const out = tmp();
    try {
      const r = await runTrainJob({
        arch: 'CNNGRU', data: dirs.slice(0, 2), split: 'random', outDir: out, name: 'det',
        archOverrides: { hidden: 8, headHidden: 16, filters: 4 },
        train: { epochs: 2, batchSize: 8, seed: 3 }, charts: false, log: () => {},
      });
      runs.push(r.folds[0]!.meta.history!.map(({ seconds: _s, ...rest }) => rest));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }
  assert.deepEqual(runs[0], runs[1]);
});

test('an aborted run stops early and still saves the best model so far', { skip: sharedSkip }, async () => {
  const out = tmp();
  try {
    const ctrl = new AbortController();
    const r = await runTrainJob({
      arch: 'GRU', data: dirs.slice(0, 2), split: 'random', outDir: out, name: 'stop',
      archOverrides: { hidden: 8, headHidden: 16 },
      train: { epochs: 50, batchSize: 8, seed: 1 }, charts: false, log: () => {}, signal: ctrl.signal,
      onEpoch: (_f, rec) => {
        if (rec.epoch === 2) ctrl.abort();
      },
    });
    assert.equal(r.interrupted, true);
    assert.equal(r.folds[0]!.meta.training!.stoppedBy, 'interrupted');
    assert.equal(r.folds[0]!.meta.history!.length, 2);
    const model = await loadModel(path.join(out, 'stop.safetensors'));
    assert.equal(model.info.name, 'stop');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('drift augmentation changes what the model sees, and stays deterministic for a seed', { skip: sharedSkip }, async () => {
  const run = async (augment: number) => {
    const out = tmp();
    try {
      const r = await runTrainJob({
        arch: 'GRU', data: dirs.slice(0, 2), split: 'random', outDir: out, name: 'aug',
        archOverrides: { hidden: 8, headHidden: 16 },
        train: { epochs: 2, batchSize: 8, seed: 5, augment }, charts: false, log: () => {},
      });
      return r.folds[0]!.meta.history!.map((e) => e.trainLoss);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  };
  const a = await run(0.3);
  assert.deepEqual(await run(0.3), a);
  assert.notDeepEqual(await run(0), a);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DATASET_1001, sharedSkip } from '../shared.js';
import { runTrainJob, archFileName } from '../../src/train/pipeline.js';
import { loadModel } from '../../src/infer/index.js';
import { loadDataset } from '../../src/data/index.js';
import { DataParallel, sliceOf } from '../../src/train/data-parallel.js';
import { createModel, defaultConfig, type Model } from '../../src/models/index.js';
import { selectKernels } from '../../src/nn/select-kernels.js';

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

test('sliceOf cuts a batch into contiguous slices that cover it once', () => {
  for (const [W, B] of [[2, 32], [2, 1], [3, 32], [4, 5], [2, 17]] as const) {
    let next = 0;
    for (let r = 0; r < W; r++) {
      const [lo, hi] = sliceOf(r, W, B);
      assert.equal(lo, next, `W=${W} B=${B} rank ${r}`);
      assert.ok(hi >= lo && hi <= B);
      next = hi;
    }
    assert.equal(next, B);
  }
});

// Data-parallel training (workers: 2) on real data
async function historyOf(arch: string, workers: number, overrides: Record<string, unknown>, seed = 4) {
  const out = tmp();
  try {
    const r = await runTrainJob({
      arch, data: dirs, split: 'random', outDir: out, name: 'dp', archOverrides: overrides,
      train: { epochs: 2, batchSize: 16, seed, workers }, charts: false, log: () => {},
    });
    return { history: r.folds[0]!.meta.history!.map(({ seconds: _s, ...rest }) => rest), meta: r.folds[0]!.meta };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

test('two workers compute the batch gradient of one: without dropout or BatchNorm the runs agree', { skip: sharedSkip }, async () => {
  // GRU with its head dropout off: the only difference left is the order of float sums
  const overrides = { hidden: 16, headHidden: 32, headDropout: 0 };
  const one = await historyOf('GRU', 1, overrides);
  const two = await historyOf('GRU', 2, overrides);
  assert.equal(two.meta.training!.workers, 2);
  for (let e = 0; e < 2; e++) {
    for (const k of ['trainLoss', 'valLoss'] as const) {
      const a = one.history[e]![k], b = two.history[e]![k];
      assert.ok(Math.abs(a - b) <= 1e-4 * Math.abs(a), `epoch ${e + 1} ${k}: 1 worker ${a}, 2 workers ${b}`);
    }
    assert.equal(two.history[e]!.trainAcc, one.history[e]!.trainAcc);
  }
});

test('two workers are reproducible for a seed, with dropout and BatchNorm (MSStackedGRU)', { skip: sharedSkip }, async () => {
  const overrides = { hidden: 8, headHidden: 16, filters: 4 };
  const a = await historyOf('MSStackedGRU', 2, overrides, 9);
  const b = await historyOf('MSStackedGRU', 2, overrides, 9);
  assert.deepEqual(a.history, b.history);
  assert.ok(a.history[1]!.trainLoss < a.history[0]!.trainLoss * 1.05, 'it trains');
});

test('a worker that cannot build its replica fails DataParallel.create with its reason', async () => {
  const good = createModel(defaultConfig('GRU'), { seed: 1, kernels: selectKernels('ts') });
  const bad = { config: { ...good.config, hidden: -1 }, parameters: () => good.parameters() } as unknown as Model;
  await assert.rejects(
    DataParallel.create(bad, { workers: 2, seed: 1, backend: 'ts', T: 87, C: 8, maxBatch: 4 }),
    /training worker: .*hidden must be a positive integer/,
  );
  good.dispose();
});

/** Training that cannot produce a usable model must stop and say why, saving nothing (issue 16, item 2). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { train, TrainingDivergedError, type TensorSet } from '../../src/train/trainer.js';
import { createModel, defaultConfig } from '../../src/models/index.js';
import { runTrainJob } from '../../src/train/pipeline.js';
import { writeTinyDataset } from './tiny-dataset.js';

function set(N: number, T: number, C: number, fill: (i: number) => number): TensorSet {
  const x = Float32Array.from({ length: N * T * C }, (_, i) => fill(i));
  return { x, mask: new Uint8Array(N * T).fill(1), labels: Int32Array.from({ length: N }, (_, i) => i % 3), N, T, C };
}

const tinyGru = () => createModel({ ...defaultConfig('GRU', 8, 24), hidden: 8, headHidden: 8 }, { seed: 1 });

test('an infinite input value stops training before the first batch, naming the likely cause', async () => {
  const bad = set(6, 5, 8, (i) => (i === 17 ? Infinity : Math.sin(i)));
  await assert.rejects(train(tinyGru(), bad, set(3, 5, 8, Math.cos), { epochs: 2, batchSize: 4 }), (e: Error) => {
    assert.ok(e instanceof TrainingDivergedError);
    assert.match(e.message, /training input holds a non-finite value \(episode 0\).*float32/);
    return true;
  });
});

test('a loss that becomes NaN stops training with an error instead of a ruined "best" model', async () => {
  // a learning rate of 1e38 throws the weights to infinity after one step
  await assert.rejects(train(tinyGru(), set(6, 5, 8, Math.sin), set(3, 5, 8, Math.cos), { epochs: 3, batchSize: 2, lr: 1e38, clipNorm: 0 }), (e: Error) => {
    assert.ok(e instanceof TrainingDivergedError);
    assert.match(e.message, /training loss became (NaN|Infinity) at epoch 1, batch \d+; nothing was saved.*learning rate/);
    return true;
  });
});

test('a diverging run writes no bundle, card or metrics into --out', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'signglove-diverge-'));
  try {
    writeTinyDataset(path.join(root, 'ds'));
    const out = path.join(root, 'out');
    await assert.rejects(
      runTrainJob({ arch: 'GRU', data: path.join(root, 'ds'), split: 'random', outDir: out, name: 'm', archOverrides: { hidden: 8, headHidden: 8 }, train: { epochs: 2, batchSize: 4, lr: 1e38, clipNorm: 0 }, charts: false, log: () => {} }),
      TrainingDivergedError,
    );
    assert.deepEqual(existsSync(out) ? readdirSync(out) : [], []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

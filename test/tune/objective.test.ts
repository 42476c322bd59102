/** A trial's objective is what `signglove train` measures with the same settings: the same figure per fold. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prepareFolds, runTrial, settingsOf } from '../../src/tune/trial.js';
import { searchSpace, trialParams } from '../../src/tune/space.js';
import { runTrainJob } from '../../src/train/pipeline.js';
import { writeTinyDataset } from '../train/tiny-dataset.js';

test('trial folds give the held-out accuracy `train --split posture` gives with the same settings', { timeout: 60_000 }, async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'signglove-tune-objective-'));
  try {
    const data = path.join(root, 'ds');
    writeTinyDataset(data, { classes: ['ㄱ', 'ㄴ', 'ㅏ'], sessions: 2, perSession: 4 });
    const params = { ...trialParams(searchSpace(['GRU']), ['GRU'], 4, 11), hidden: 16 };
    const spec = { data: [data], protocol: 'posture' as const, holdout: null, splitSeed: 1337 };
    const trial = await runTrial({ id: 4, params, maxEpochs: 5, rungs: [], patience: 3, seed: 11 }, await prepareFolds(spec), { decide: () => true, worker: 'here' });
    const s = settingsOf(params, 7);
    const { arch: _a, inputSize: _i, numClasses: _n, ...archOverrides } = s.arch;
    const trained = await runTrainJob({
      arch: 'GRU', data, split: 'posture', archOverrides, train: { ...s.train, epochs: 5, patience: 3, seed: 11 },
      outDir: path.join(root, 'out'), charts: false, log: () => {},
    });
    assert.equal(trial.status, 'complete');
    assert.deepEqual(trial.folds.map((f) => [f.name, f.accuracy, f.epochs]), trained.folds.map((f) => [f.split, f.test.top1, f.epochs]));
    assert.equal(trial.objective, trained.meanAccuracy);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { runTrainJob } from '../../src/train/pipeline.js';
import { calibrateModel } from '../../src/train/calibrate.js';
import { loadModel } from '../../src/infer/index.js';
import { loadDataset } from '../../src/data/index.js';
import { fitSessionStats } from '../../src/data/session-norm.js';
import { tempDir } from '../data/helpers.js';
import { copyLetters, DATASET_0819, DATASET_1001, SUBSET_LETTERS, sharedSkip } from '../shared.js';

test('a sensor broken on every training day is read as unknown on a day where it works, until a calibration fits it', { skip: sharedSkip }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    // 2025-08-19: flex4 broken for the whole wearing, so a model of that day never saw it work
    const r = await runTrainJob({ arch: 'ExtraTrees', data: copyLetters(DATASET_0819, dir), split: 'random', outDir: path.join(dir, 'out'), charts: false, trees: { trees: 20 }, log: () => {} });
    const base = await loadModel(r.folds[0]!.bundle);
    const day = (await loadDataset(DATASET_1001, { channels: base.info.channels })).episodes.filter((e) => SUBSET_LETTERS.includes(e.jamo));
    const stats = fitSessionStats(base.meta.preprocess.pipeline!, day.map((e) => base.toFrames(e, e.file)));
    assert.ok(!stats.masked.includes('flex4'), 'flex4 works on 2025-10-01');
    assert.ok(base.readable(stats).masked.includes('flex4'));
    assert.equal(base.readable(stats), base.readable(stats), 'one readable session per session');
    // reading the working flex4 as unknown is exactly reading a session that masks it
    base.useSession(stats);
    const read = base.predictProbs(day);
    base.useSession({ ...stats, masked: [...stats.masked, 'flex4'] });
    assert.deepEqual(read, base.predictProbs(day));
    // a personal model was fitted with this wearing's flex4 working: it reads it
    const shots = day.filter((e) => e.session === '3').filter((e, i, all) => all.filter((x, j) => j < i && x.label === e.label).length < 2);
    const cal = await calibrateModel(base, shots, { seed: 1 });
    assert.ok(!cal.predictor.readable(cal.session).masked.includes('flex4'));
    await base.close();
  } finally {
    cleanup();
  }
});

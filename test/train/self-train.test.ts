import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { runTrainJob } from '../../src/train/pipeline.js';
import { selfTrainModel } from '../../src/train/self-train.js';
import { loadModel } from '../../src/infer/index.js';
import { loadDataset } from '../../src/data/index.js';
import { fitSessionStats } from '../../src/data/session-norm.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { tempDir } from '../data/helpers.js';
import { copyLetters, DATASET_0819, sharedSkip } from '../shared.js';
import { smallNewDay } from './new-day.js';

const CLI = path.join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js');

test('self-training on a new day\'s unlabelled holds lifts accuracy there, and never reads their labels', { skip: sharedSkip }, async () => {
  const { dir, cleanup } = tempDir();
  try {
    const { bundle, base, day2 } = await smallNewDay(dir);
    const acc = (probs: Float32Array) => day2.filter((e, n) => {
      const row = probs.subarray(n * 24, (n + 1) * 24);
      return row.indexOf(Math.max(...row)) === e.label;
    }).length / day2.length;
    // the fair comparison: the base read with the same statistics (all of day 2's frames)
    const self = selfTrainModel(base, day2, { rounds: 2, perClass: 4 });
    base.useSession(fitSessionStats(base.meta.preprocess.pipeline!, day2.map((e) => base.toFrames(e, e.file))));
    const before = acc(base.predictProbs(day2));
    const after = acc(self.predictor.predictProbs(day2));
    assert.ok(after > before, `before ${before.toFixed(3)}, after ${after.toFixed(3)}`);
    // the holds' letters are not read: the same holds under other letters give the same forest
    const relabelled = day2.map((e) => ({ ...e, label: (e.label + 5) % 24, jamo: 'ㅎ' }));
    const again = selfTrainModel(base, relabelled, { rounds: 2, perClass: 4 });
    assert.deepEqual(again.predictor.predictProbs(day2), self.predictor.predictProbs(day2));
    // what the bundle records: the method, the holds, flex4 (dead on day 2) fitted without
    assert.equal(self.meta.calibration!.method, 'self-train');
    assert.equal(self.meta.calibration!.shotsPerClass, 0);
    assert.equal(self.meta.calibration!.files.length, day2.length);
    assert.deepEqual(self.meta.calibration!.fittedWithout, ['flex4']);
    assert.equal(self.meta.calibration!.selfTrain!.used, Math.min(4 * 2 * 24, self.meta.calibration!.selfTrain!.used));
    await base.close();

    // the command: a folder of recordings → an adapted bundle that loads; bad input is one line, exit 2
    const out = path.join(dir, 'adapted.safetensors');
    const day2Dir = copyLetters(DATASET_0819, path.join(dir, 'new'));
    const run = spawnSync(process.execPath, [CLI, 'adapt', '--model', bundle, '--data', day2Dir, '--out', out, '--rounds', '1', '--json'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const res = JSON.parse(run.stdout) as { holds: number; before: number; after: number; method: string };
    assert.equal(res.holds, day2.length);
    assert.equal(res.method, 'self-train');
    const adapted = await loadModel(out);
    assert.equal(adapted.meta.calibration!.method, 'self-train');
    assert.equal(adapted.predictBatch(day2.slice(0, 3)).length, 3);
    await adapted.close();
    for (const args of [['--rounds', '0'], ['--model', 'gru']]) {
      const bad = spawnSync(process.execPath, [CLI, 'adapt', '--data', day2Dir, ...args], { encoding: 'utf8' });
      assert.equal(bad.status, 2, bad.stderr);
      assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr);
    }
  } finally {
    cleanup();
  }
});

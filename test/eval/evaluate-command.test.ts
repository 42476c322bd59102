import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { JAMO } from '../../src/jamo.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { DEFAULT_CHANNELS, type Episode } from '../../src/data/types.js';
import { createModel, defaultConfig } from '../../src/models/index.js';
import { saveBundle } from '../../src/bundle/file.js';
import type { BundleMeta } from '../../src/bundle/types.js';
import { loadModel } from '../../src/infer/index.js';
import { loadDataset } from '../../src/data/load.js';
import { computeMetrics } from '../../src/eval/metrics.js';
import { evaluateModel, EvaluationError, selectEpisodes } from '../../src/eval/run.js';
import type { EvaluationReportJson } from '../../src/eval/report.js';
import { DATASET_1001, sharedSkip } from '../shared.js';

const run = promisify(execFile);

function episode(file: string, jamo: string): Episode {
  return { file, label: JAMO.indexOf(jamo as (typeof JAMO)[number]), jamo, session: '1', channels: ['flex1'], data: new Float32Array(20), length: 20 };
}

test('split selection: test = exactly the held-out episodes on the training dataset, with clear errors elsewhere', () => {
  const eps = [episode('ㄱ/1/a.csv', 'ㄱ'), episode('ㄱ/1/b.csv', 'ㄱ'), episode('ㄴ/1/c.csv', 'ㄴ'), episode('ㄴ/1/d.csv', 'ㄴ')];
  // The bundle lists NFD paths (written on macOS); the loaded episodes are NFC: they must still match.
  const model = { name: 'gru', datasetName: 'day1', testFiles: ['ㄱ/1/b.csv'.normalize('NFD'), 'ㄴ/1/d.csv', 'ㄴ/1/gone.csv'] };
  const sel = selectEpisodes(eps, model, { dataRoot: '/data/day1' });
  assert.equal(sel.split, 'test', 'test is the default on the training dataset');
  assert.deepEqual(sel.episodes.map((e) => e.file), ['ㄱ/1/b.csv', 'ㄴ/1/d.csv']);
  assert.deepEqual(sel.missingTestFiles, ['ㄴ/1/gone.csv']);
  assert.match(sel.notes.join(), /1 of the model's 3 test episodes are missing/);

  const all = selectEpisodes(eps, model, { dataRoot: '/data/day1', split: 'all' });
  assert.equal(all.episodes.length, 4);
  assert.match(all.notes.join(), /2 of these 4 episodes were used in training or validation/);

  assert.equal(selectEpisodes(eps, model, { dataRoot: '/data/day2' }).split, 'all', 'another dataset defaults to all');
  assert.throws(() => selectEpisodes(eps, model, { dataRoot: '/data/day2', split: 'test' }), (e: Error) => e instanceof EvaluationError && /trained on 'day1'.*--split all/.test(e.message));
  assert.throws(() => selectEpisodes(eps, { name: 'old' }, { dataRoot: '/data/day1', split: 'test' }), /records no test split/);
  assert.throws(() => selectEpisodes(eps, { ...model, testFiles: ['x/y.csv'] }, { dataRoot: '/data/day1' }), /none of the 1 test episodes/);
});

test('evaluateModel maps jamo to the model class order and leaves out unlabelled episodes', () => {
  const classes = ['ㄴ', 'ㄱ'];
  const fake = {
    info: { name: 'fake', arch: 'GRU', classes, channels: ['flex1'] },
    // Always says ㄱ (index 1 in this model's order).
    predictProbs: (eps: Episode[]) => new Float32Array(eps.flatMap(() => [0.2, 0.8])),
  };
  const eps = [episode('ㄱ/1/a.csv', 'ㄱ'), episode('ㄴ/1/b.csv', 'ㄴ'), { ...episode('x.csv', ''), label: -1 }];
  const { result, excluded } = evaluateModel(fake, eps);
  assert.equal(result.n, 2);
  assert.equal(result.top1, 0.5);
  assert.deepEqual(result.samples.map((s) => [s.label, s.predicted]), [[1, 1], [0, 1]]);
  assert.deepEqual(excluded.map((e) => e.file), ['x.csv']);
});

test('signglove evaluate: the bundle\'s test split, JSON and report files, and a clear error on another dataset', { skip: sharedSkip }, async () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'signglove-evalcmd-'));
  try {
    // A small dataset in the unified layout: two real episodes per jamo.
    const root = path.join(tmp, 'mini-day');
    const testFiles: string[] = [];
    for (const jamo of JAMO) {
      const session = readdirSync(path.join(DATASET_1001, jamo)).sort()[0];
      const files = readdirSync(path.join(DATASET_1001, jamo, session)).filter((f) => f.endsWith('.csv')).sort().slice(0, 2);
      mkdirSync(path.join(root, jamo, session), { recursive: true });
      for (const f of files) copyFileSync(path.join(DATASET_1001, jamo, session, f), path.join(root, jamo, session, f));
      testFiles.push(`${jamo}/${session}/${files[1]}`);
    }
    // An untrained tiny GRU is enough: the test checks which episodes are scored and how, not accuracy.
    const arch = { ...defaultConfig('GRU'), hidden: 8, layers: 1, headHidden: 16 };
    const model = createModel(arch, { seed: 3 });
    const meta: BundleMeta = {
      format: 'signglove-bundle', version: 1, name: 'tiny', arch,
      preprocess: { channels: [...DEFAULT_CHANNELS], T: 30, lengthMode: 'pad', padValue: 1, scaler: { mean: new Array(8).fill(0), std: new Array(8).fill(500) } },
      classes: [...JAMO],
      history: [1, 2, 3].map((epoch) => ({ epoch, trainLoss: 3 / epoch, trainAcc: 0.1 * epoch, valLoss: 3.1 / epoch, valAcc: 0.09 * epoch, lr: 1e-3, seconds: 1 })),
      provenance: {
        dataset: 'mini-day', episodes: 48, skipped: 0, split: { kind: 'random', seed: 1, train: 24, val: 0, test: 24 }, testFiles,
        createdAt: new Date(0).toISOString(), engine: 'test',
      },
    };
    const bundle = path.join(tmp, 'tiny.safetensors');
    saveBundle(bundle, model, meta);

    const out = path.join(tmp, 'report');
    const cli = [path.join(PACKAGE_ROOT, 'src', 'cli', 'main.ts'), 'evaluate', '--model', bundle, '--data', root, '--out', out, '--json'];
    const { stdout } = await run(process.execPath, ['--import', 'tsx', ...cli], { cwd: PACKAGE_ROOT });
    const json = JSON.parse(stdout) as EvaluationReportJson;
    assert.equal(json.n, 24, 'exactly the 24 held-out episodes');
    assert.deepEqual(json.samples.map((s) => s.file).sort(), [...testFiles].sort());
    assert.equal(json.model?.split, 'test (24 episodes held out in training)');

    // Same numbers as running the model directly on those episodes.
    const loaded = await loadModel(bundle);
    const data = await loadDataset(root, { channels: loaded.info.channels });
    const held = data.episodes.filter((e) => testFiles.includes(e.file));
    const direct = computeMetrics({ labels: held.map((e) => e.label), probs: loaded.predictProbs(held), classes: [...JAMO] });
    assert.equal(json.top1, direct.top1);
    assert.equal(json.macroF1, direct.macroF1);
    assert.deepEqual(json.confusion, direct.confusion);

    for (const f of ['metrics.json', 'report.html', 'training_curves.png', 'confusion_matrix.svg']) assert.ok(existsSync(path.join(out, f)), f);

    // A dataset with another name: its test split is undefined, and the command says so and fails.
    const other = path.join(tmp, 'other-day');
    mkdirSync(other);
    copyFileSync(path.join(root, testFiles[0]), path.join(other, 'loose.csv'));
    await assert.rejects(
      run(process.execPath, ['--import', 'tsx', cli[0], 'evaluate', '--model', bundle, '--data', root.replace('mini-day', 'other-day'), '--split', 'test', '--no-report'], { cwd: PACKAGE_ROOT }),
      (err: { code?: number; stderr?: string }) => typeof err.code === 'number' && err.code !== 0 && /trained on 'mini-day'.*--split all/.test(err.stderr ?? ''),
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

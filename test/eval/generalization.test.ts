import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { DATASET_0819, DATASET_1001, sharedSkip } from '../shared.js';
import { loadWearings } from '../../src/train/pipeline.js';
import { calibrationShots, warmupSample, PROTOCOLS, STATS_SOURCE, spread, type GeneralizationResult } from '../../src/eval/generalization.js';
import { parseGeneralizationFlags } from '../../src/cli/commands/benchmark-generalization.js';
import type { Episode } from '../../src/data/types.js';
import { Predictor } from '../../src/infer/core.js';

const CLI = path.join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js');
function signglove(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// A small real subset: two letters of each day, copied to a temporary folder named like the day.
const LETTERS = ['ㄱ', 'ㅎ'];
let tmp = '';
let day1 = '';
let day2 = '';
before(() => {
  if (sharedSkip) return;
  tmp = mkdtempSync(path.join(os.tmpdir(), 'signglove-gen-'));
  day1 = path.join(tmp, path.basename(DATASET_1001));
  day2 = path.join(tmp, path.basename(DATASET_0819));
  for (const [src, dst] of [[DATASET_1001, day1], [DATASET_0819, day2]] as const) {
    for (const l of LETTERS) cpSync(path.join(src, l), path.join(dst, l), { recursive: true });
  }
});
after(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test('spread: mean, sample standard deviation, min and max', () => {
  const s = spread([0.5, 0.7, 0.9]);
  assert.ok(Math.abs(s.mean - 0.7) < 1e-12);
  assert.ok(Math.abs(s.std - 0.2) < 1e-12);
  assert.equal(s.min, 0.5);
  assert.equal(s.max, 0.9);
  assert.equal(spread([0.3]).std, 0);
});

test('flags: bad values are user errors with one line', () => {
  const ok = { data: [PACKAGE_ROOT], models: 'ExtraTrees,GRU', seeds: '3', shots: '5,1,3', warmup: '12', workers: '1' };
  assert.deepEqual(parseGeneralizationFlags(ok).shots, [1, 3, 5]);
  assert.throws(() => parseGeneralizationFlags({ ...ok, models: 'Forest' }), /unknown model 'Forest'/);
  assert.throws(() => parseGeneralizationFlags({ ...ok, shots: '1,x' }), /--shots needs a whole number ≥ 1, got 'x'/);
  assert.throws(() => parseGeneralizationFlags({ ...ok, seeds: '0' }), /--seeds/);
  assert.throws(() => parseGeneralizationFlags({ ...ok, data: [] }), /--data/);
  assert.throws(() => parseGeneralizationFlags({ ...ok, data: [path.join(PACKAGE_ROOT, 'no-such-folder')] }), /^UserError: no such dataset folder: .*no-such-folder$/);
});

test('CLI: a bad flag is one line on stderr and exit code 2', () => {
  // each spawn costs a CLI start-up: one flag we check, one commander rejects (the rest: parseGeneralizationFlags above)
  for (const args of [['--shots', '0'], ['--bogus']]) {
    const r = signglove('benchmark', 'generalization', '--data', PACKAGE_ROOT, ...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^signglove: [^\n]+\n$/, args.join(' '));
  }
});

test('strict calibration shots come only from posture folder 3 and are not tested; random shots are not tested either', { skip: sharedSkip }, async () => {
  const eps: Episode[] = (await loadWearings(day2)).episodes;
  for (const k of [1, 3]) {
    const strict = calibrationShots(eps, k, 'strict', 7);
    assert.equal(strict.shots.length, k * LETTERS.length);
    assert.ok(strict.shots.every((e) => e.session === '3'), 'strict shots only from folder 3');
    assert.ok(strict.test.every((e) => e.session !== '3'), 'folder 3 is not tested');
    assert.deepEqual([...new Set(strict.test.map((e) => e.session))].sort(), ['1', '2', '4', '5']);
    const files = new Set(strict.shots.map((e) => e.file));
    assert.ok(strict.test.every((e) => !files.has(e.file)));
    for (const l of new Set(eps.map((e) => e.label))) assert.equal(strict.shots.filter((e) => e.label === l).length, k);

    const random = calibrationShots(eps, k, 'random', 7);
    const rf = new Set(random.shots.map((e) => e.file));
    assert.equal(random.shots.length, k * LETTERS.length);
    assert.ok(random.test.every((e) => !rf.has(e.file)), 'random shots are not tested');
    assert.equal(random.test.length + random.shots.length, eps.length);
  }
  // round-robin order: the first shot of every letter before any second shot (calibrateModel's folds)
  const three = calibrationShots(eps, 3, 'strict', 1).shots;
  assert.deepEqual(new Set(three.slice(0, LETTERS.length).map((e) => e.label)).size, LETTERS.length);
});

test('warm-up: a seeded random sample, disjoint from what is tested', { skip: sharedSkip }, async () => {
  const eps = (await loadWearings(day1)).episodes;
  const a = warmupSample(eps, 12, 42);
  const b = warmupSample(eps, 12, 42);
  assert.equal(a.warmup.length, 12);
  assert.equal(a.rest.length, eps.length - 12);
  assert.deepEqual(a.warmup.map((e) => e.file), b.warmup.map((e) => e.file));
  const w = new Set(a.warmup.map((e) => e.file));
  assert.ok(a.rest.every((e) => !w.has(e.file)));
  assert.ok(new Set(a.warmup.map((e) => e.label)).size > 1, 'not one letter block');
});

test('benchmark generalization on a small real subset: every protocol, statistics from where they should be, all outputs', { skip: sharedSkip, timeout: 120_000 }, () => {
  const out = path.join(tmp, 'out');
  const r = signglove('benchmark', 'generalization', '--data', day1, day2, '--models', 'ExtraTrees', '--seeds', '1', '--shots', '1,2', '--out', out, '--json');
  assert.equal(r.code, 0, r.stderr);
  const res = JSON.parse(r.stdout) as GeneralizationResult;
  assert.equal(res.complete, true);
  for (const f of ['generalization.json', 'generalization.html', 'generalization-shots.svg', 'generalization-shots.png']) assert.ok(existsSync(path.join(out, f)), f);
  assert.deepEqual(JSON.parse(readFileSync(path.join(out, 'generalization.json'), 'utf8')), res);
  const names = [path.basename(day1), path.basename(day2)];
  const protocols = new Set(res.rows.map((x) => x.protocol));
  for (const p of PROTOCOLS) assert.ok(protocols.has(p), p);
  for (const row of res.rows) {
    assert.equal(row.stats, STATS_SOURCE[row.protocol], 'every row says where its statistics come from');
    assert.equal(row.perSeed.length, 1);
    for (const key of ['top1', 'top5', 'ece'] as const) assert.ok(row.summary[key].mean >= 0 && row.summary[key].mean <= 1, `${row.protocol} ${key}`);
  }
  const sizes = new Map(res.days.map((d) => [d.name, d.episodes]));
  for (const [a, b] of [[names[0]!, names[1]!], [names[1]!, names[0]!]]) {
    const warm = res.rows.find((x) => x.protocol === 'zero-shot-warmup' && x.train === a && x.test === b)!.perSeed[0]!;
    assert.equal(warm.statsEpisodes, 12, 'warm-up statistics from the 12 warm-up episodes only');
    assert.equal(warm.n, sizes.get(b)! - 12, 'warm-up episodes are not tested');
    const all = res.rows.find((x) => x.protocol === 'zero-shot-all' && x.train === a && x.test === b)!.perSeed[0]!;
    assert.equal(all.statsEpisodes, sizes.get(b));
    const self = res.rows.find((x) => x.protocol === 'zero-shot-self-trained' && x.train === a && x.test === b)!.perSeed[0]!;
    assert.equal(self.statsEpisodes, sizes.get(b), 'self-trained: statistics and pseudo-labels from all the new day');
    assert.equal(self.n, sizes.get(b));
    for (const k of [1, 2]) {
      const strict = res.rows.find((x) => x.protocol === 'calibrated-strict' && x.train === a && x.test === b && x.k === k)!.perSeed[0]!;
      assert.equal(strict.statsEpisodes, k * LETTERS.length, 'calibrated statistics from the shots only');
      assert.ok(strict.calibrateSeconds! > 0);
      assert.ok(strict.n < sizes.get(b)! - k * LETTERS.length, 'strict: folder 3 is not tested');
      const random = res.rows.find((x) => x.protocol === 'calibrated-random' && x.train === a && x.test === b && x.k === k)!.perSeed[0]!;
      assert.equal(random.n, sizes.get(b)! - k * LETTERS.length);
    }
  }
  // posture with training statistics is what runTrainJob measured on each held-out folder
  for (const day of names) {
    const own = res.rows.find((x) => x.protocol === 'posture-train-stats' && x.train === day)!.perSeed[0]!;
    const dir = path.join(out, 'models', 'ExtraTrees', `${day}-posture-seed42`);
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.safetensors'))) {
      const meta = Predictor.fromBytes(new Uint8Array(readFileSync(path.join(dir, f))), f).meta;
      const folder = meta.provenance!.split.heldOut!.replace('posture-', '');
      assert.ok(Math.abs(own.folds![folder]! - meta.training!.testAccuracy!) < 1e-9, `${day} folder ${folder}`);
    }
  }
  const posture = res.rows.find((x) => x.protocol === 'posture-heldout-stats' && x.train === names[0])!.perSeed[0]!;
  assert.deepEqual(Object.keys(posture.folds!).sort(), ['1', '2', '3', '4', '5']);
  assert.equal(posture.n, sizes.get(names[0]!));
  const html = readFileSync(path.join(out, 'generalization.html'), 'utf8');
  assert.match(html, /<svg/);
  for (const p of PROTOCOLS) assert.ok(html.includes(STATS_SOURCE[p].replace(/'/g, '&#39;')), `html states the statistics of ${p}`);
});

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { DATASET_0819, DATASET_1001, sharedSkip } from '../shared.js';
import { loadWearings } from '../../src/train/pipeline.js';
import { calibrationShots, mergeGeneralizationResults, warmupSample, PROTOCOLS, STATS_SOURCE, spread, type GeneralizationResult, type ProtocolRow } from '../../src/eval/generalization.js';
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

/** A run's result as the benchmark writes it, with one row per model (what the merge reads). */
function runOf(models: string[], over: Partial<GeneralizationResult> = {}): GeneralizationResult {
  const row = (model: string): ProtocolRow => ({
    protocol: 'random', model, train: 'day-a', test: 'day-a', stats: STATS_SOURCE.random,
    perSeed: [{ seed: 42, top1: 0.9, top5: 1, ece: 0.05, n: 10 }],
    summary: { top1: spread([0.9]), top5: spread([1]), ece: spread([0.05]) },
  });
  return {
    format: 'signglove-generalization', version: 1, complete: true, createdAt: '2026-12-01T10:00:00.000Z',
    days: [{ name: 'day-a', episodes: 10 }], models, seeds: [42], shots: [1, 3], warmupEpisodes: 12, quick: false, epochs: 30,
    engine: 'wasm-simd', notes: ['a note'], statsSources: { ...STATS_SOURCE }, rows: models.map(row), seconds: 100, ...over,
  };
}

test('merge: runs of different models under the same protocols become one result; other runs are refused, naming why', () => {
  const a = runOf(['ExtraTrees', 'GRU']);
  const b = runOf(['LSTM'], { createdAt: '2026-12-01T12:00:00.000Z', engine: 'wasm-relaxed-simd', complete: false, seconds: 50 });
  const m = mergeGeneralizationResults([a, b]);
  assert.deepEqual(m.models, ['ExtraTrees', 'GRU', 'LSTM']);
  assert.deepEqual(m.rows.map((r) => r.model), ['ExtraTrees', 'GRU', 'LSTM']);
  assert.equal(m.complete, false, 'incomplete if any run is');
  assert.equal(m.createdAt, b.createdAt);
  assert.equal(m.seconds, 150);
  assert.equal(m.engine, 'wasm-simd + wasm-relaxed-simd');
  assert.equal(m.notes.filter((n) => n === 'a note').length, 1);
  assert.match(m.notes.at(-1)!, /merged from 2 runs: ExtraTrees, GRU \(.*\); LSTM \(.*wasm-relaxed-simd, 50 s\)/);
  assert.equal(mergeGeneralizationResults([a]), a);
  assert.throws(() => mergeGeneralizationResults([a, runOf(['LSTM'], { seeds: [42, 43] })]), /differ in seeds \(\[42\] and \[42,43\]\)/);
  assert.throws(() => mergeGeneralizationResults([a, runOf(['LSTM'], { epochs: 100 })]), /differ in the epoch cap/);
  assert.throws(() => mergeGeneralizationResults([a, runOf(['LSTM'], { days: [{ name: 'day-b', episodes: 10 }] })]), /differ in days/);
  assert.throws(() => mergeGeneralizationResults([a, runOf(['GRU'])]), /model GRU is in more than one run/);
  assert.throws(() => mergeGeneralizationResults([]), /no generalization results/);
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

test('CLI --from-json: two runs re-rendered as one report; a file that is not a run is one line and exit 2', { skip: sharedSkip }, () => {
  const run1 = path.join(tmp, 'out', 'generalization.json');
  assert.ok(existsSync(run1), 'the small real run above wrote its result');
  // a second run of another model: the same figures under the GRU's name (this checks the plumbing, not a measurement)
  const first = JSON.parse(readFileSync(run1, 'utf8')) as GeneralizationResult;
  const run2 = path.join(tmp, 'run2.json');
  writeFileSync(run2, JSON.stringify({ ...first, models: ['GRU'], rows: first.rows.map((r) => ({ ...r, model: 'GRU' })) }));
  const out = path.join(tmp, 'merged');
  const r = signglove('benchmark', 'generalization', '--from-json', run1, run2, '--out', out);
  assert.equal(r.code, 0, r.stderr);
  const merged = JSON.parse(readFileSync(path.join(out, 'generalization.json'), 'utf8')) as GeneralizationResult;
  assert.deepEqual(merged.models, ['ExtraTrees', 'GRU']);
  assert.equal(merged.rows.length, 2 * first.rows.length);
  assert.match(r.stdout, /GRU/);
  assert.match(readFileSync(path.join(out, 'generalization.html'), 'utf8'), /GRU/);
  const bad = signglove('benchmark', 'generalization', '--from-json', run1, path.join(PACKAGE_ROOT, 'package.json'), '--out', path.join(tmp, 'bad'));
  assert.equal(bad.code, 2, bad.stderr);
  assert.match(bad.stderr, /^signglove: .*package\.json is not a generalization\.json\n$/);
  assert.ok(!existsSync(path.join(tmp, 'bad')), 'nothing written for a bad input');
  const twice = signglove('benchmark', 'generalization', '--from-json', run1, run1, '--out', path.join(tmp, 'bad'));
  assert.equal(twice.code, 2);
  assert.match(twice.stderr, /^signglove: model ExtraTrees is in more than one run[^\n]*\n$/);
});

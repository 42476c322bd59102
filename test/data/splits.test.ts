import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  directorySplit,
  formatSplitCounts,
  kFoldSplits,
  leaveOneSessionOut,
  leaveOnePostureOut,
  randomSplit,
  type Split,
} from '../../src/data/splits.js';
import { JAMO } from '../../src/jamo.js';

/** Uneven classes and sessions, like real recordings: class c has 7 + 3c episodes over 5 sessions. */
function dataset(): { label: number; session: string }[] {
  const eps: { label: number; session: string }[] = [];
  for (let c = 0; c < 6; c++) for (let i = 0; i < 7 + 3 * c; i++) eps.push({ label: c, session: String(1 + (i % 5)) });
  return eps;
}

function classCount(eps: readonly { label: number }[], idx: readonly number[], label: number): number {
  return idx.filter((i) => eps[i]!.label === label).length;
}

/** No index in two parts; every index in range. */
function assertDisjoint(split: Split, n: number): void {
  const all = [...split.train, ...split.val, ...split.test];
  assert.equal(new Set(all).size, all.length, `${split.name}: an episode is in two parts`);
  assert.ok(all.every((i) => Number.isInteger(i) && i >= 0 && i < n), `${split.name}: index out of range`);
}

/** counts must agree with the indices. */
function assertCounts(split: Split, eps: readonly { label: number }[]): void {
  for (const part of ['train', 'val', 'test'] as const) {
    for (let c = 0; c < 6; c++) assert.equal(split.counts[part][JAMO[c]!] ?? 0, classCount(eps, split[part], c));
  }
}

test('randomSplit: disjoint, covers everything, each class within one episode of its share', () => {
  const eps = dataset();
  const s = randomSplit(eps, { seed: 42 });
  assertDisjoint(s, eps.length);
  assert.equal(s.train.length + s.val.length + s.test.length, eps.length);
  assertCounts(s, eps);
  for (let c = 0; c < 6; c++) {
    const n = eps.filter((e) => e.label === c).length;
    ([['train', 0.6], ['val', 0.2], ['test', 0.2]] as const).forEach(([part, share]) => {
      assert.ok(Math.abs(classCount(eps, s[part], c) - n * share) <= 1, `class ${c} ${part}`);
    });
  }
});

test('randomSplit: same seed → same split; another seed → another split; custom ratios', () => {
  const eps = dataset();
  assert.deepEqual(randomSplit(eps, { seed: 7 }), randomSplit(eps, { seed: 7 }));
  assert.notDeepEqual(randomSplit(eps, { seed: 7 }).test, randomSplit(eps, { seed: 8 }).test);
  const s = randomSplit(eps, { seed: 1, ratios: [0.8, 0, 0.2] });
  assert.equal(s.val.length, 0);
  assert.throws(() => randomSplit(eps, { ratios: [1, -1, 1] }), /non-negative/);
});

test('kFoldSplits: every episode tested exactly once, parts disjoint, folds stratified and reproducible', () => {
  const eps = dataset();
  const k = 5;
  const folds = kFoldSplits(eps, k, 9);
  assert.equal(folds.length, k);
  const tested = new Map<number, number>();
  for (const f of folds) {
    assertDisjoint(f, eps.length);
    assertCounts(f, eps);
    assert.equal(f.train.length + f.val.length + f.test.length, eps.length);
    for (const i of f.test) tested.set(i, (tested.get(i) ?? 0) + 1);
    for (let c = 0; c < 6; c++) {
      const n = eps.filter((e) => e.label === c).length;
      assert.ok(Math.abs(classCount(eps, f.test, c) - n / k) <= 1, `${f.name} class ${c} test`);
      assert.ok(Math.abs(classCount(eps, f.val, c) - n / k) <= 1, `${f.name} class ${c} val`);
    }
  }
  assert.equal(tested.size, eps.length);
  assert.ok([...tested.values()].every((v) => v === 1));
  // fold sizes balanced overall too
  const sizes = folds.map((f) => f.test.length);
  assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `fold sizes ${sizes}`);
  assert.deepEqual(kFoldSplits(eps, k, 9), folds);
  assert.notDeepEqual(kFoldSplits(eps, k, 10)[0]!.test, folds[0]!.test);
  assert.throws(() => kFoldSplits(eps, 2, 1), /k ≥ 3/);
  assert.equal(kFoldSplits(eps, 2, 1, { val: false })[0]!.val.length, 0);
});

test('leaveOnePostureOut: one split per posture folder, testing exactly that folder, val stratified from the rest', () => {
  const eps = dataset();
  const splits = leaveOnePostureOut(eps, { seed: 5, valFraction: 0.25 });
  assert.deepEqual(splits.map((s) => s.name), ['posture-1', 'posture-2', 'posture-3', 'posture-4', 'posture-5']);
  for (const s of splits) {
    const session = s.name.slice('posture-'.length);
    assertDisjoint(s, eps.length);
    assertCounts(s, eps);
    assert.deepEqual(s.test, eps.flatMap((e, i) => (e.session === session ? [i] : [])));
    assert.ok([...s.train, ...s.val].every((i) => eps[i]!.session !== session));
    for (let c = 0; c < 6; c++) {
      const rest = eps.filter((e) => e.label === c && e.session !== session).length;
      assert.ok(Math.abs(classCount(eps, s.val, c) - rest * 0.25) <= 1, `${s.name} class ${c}`);
    }
  }
  // the former name stays an alias
  assert.deepEqual(leaveOneSessionOut(eps, { seed: 5, valFraction: 0.25 }), splits);
  assert.throws(() => leaveOnePostureOut([{ label: 0, session: 'a' }]), /at least 2 posture folders/);
});

test('directorySplit: train directories vs test directories, val carved from train only', () => {
  const train = dataset();
  const test = dataset().slice(0, 20);
  const s = directorySplit(train, test, { seed: 2, valFraction: 0.2 });
  assertDisjoint(s, train.length + test.length);
  assert.equal(s.episodes.length, train.length + test.length);
  assert.deepEqual(s.test, Array.from({ length: test.length }, (_, i) => train.length + i));
  assert.ok([...s.train, ...s.val].every((i) => i < train.length));
  assert.equal(s.train.length + s.val.length, train.length);
  for (let c = 0; c < 6; c++) {
    const n = train.filter((e) => e.label === c).length;
    assert.ok(Math.abs(classCount(s.episodes, s.val, c) - n * 0.2) <= 1);
  }
  assert.deepEqual(directorySplit(train, test, { seed: 2 }), directorySplit(train, test, { seed: 2 }));
});

test('formatSplitCounts prints one row per part with per-class counts and totals', () => {
  const eps = dataset();
  const s = randomSplit(eps, { seed: 1 });
  const text = formatSplitCounts(s);
  const lines = text.split('\n');
  assert.equal(lines[0], 'random:');
  assert.match(lines[1]!, /ㄱ\s+ㄴ\s+ㄷ\s+ㄹ\s+ㅁ\s+ㅂ\s+total/);
  assert.match(lines[4]!, new RegExp(`^test .* ${s.test.length}$`));
});

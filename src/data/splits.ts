/**
 * Train/validation/test splits: seeded (src/util/rng.ts), reproducible, stratified by class.
 * Every split holds indices into the episodes array it was made from (sorted ascending) and
 * its per-part per-class counts.
 */
import { JAMO } from '../jamo.js';
import { Rng } from '../util/rng.js';
import type { Episode } from './types.js';

export type SplitPart = 'train' | 'val' | 'test';
export const SPLIT_PARTS: readonly SplitPart[] = ['train', 'val', 'test'];

export interface Split {
  /** e.g. 'random', 'fold-3/5', 'session-2', 'directories'. */
  name: string;
  train: number[];
  val: number[];
  test: number[];
  /** Per part: jamo (or '?' for unlabelled) → episodes. */
  counts: Record<SplitPart, Record<string, number>>;
}

/** Only what a split needs from an episode. */
type Labelled = Pick<Episode, 'label' | 'session'>;

export const DEFAULT_SPLIT_SEED = 1337;
export const DEFAULT_RATIOS: readonly [number, number, number] = [0.6, 0.2, 0.2];

/**
 * Stratified random train/val/test split: within every class the parts get the ratio's share
 * (largest remainder, so each part is within one episode of its exact share).
 */
export function randomSplit(
  episodes: readonly Labelled[],
  opts: { ratios?: readonly [number, number, number]; seed?: number } = {},
): Split {
  const ratios = opts.ratios ?? DEFAULT_RATIOS;
  if (ratios.length !== 3 || ratios.some((r) => !(r >= 0)) || !(ratios[0] + ratios[1] + ratios[2] > 0)) {
    throw new Error(`ratios must be three non-negative numbers, got [${ratios.join(', ')}]`);
  }
  const total = ratios[0] + ratios[1] + ratios[2];
  const shares = ratios.map((r) => r / total);
  const rng = new Rng(opts.seed ?? DEFAULT_SPLIT_SEED);
  const parts: Record<SplitPart, number[]> = { train: [], val: [], test: [] };
  for (const members of groupByClass(episodes, allIndices(episodes.length))) {
    rng.shuffle(members);
    const sizes = apportion(members.length, shares);
    let at = 0;
    SPLIT_PARTS.forEach((part, p) => {
      parts[part].push(...members.slice(at, at + sizes[p]!));
      at += sizes[p]!;
    });
  }
  return makeSplit('random', episodes, parts.train, parts.val, parts.test);
}

/**
 * Stratified k-fold: every class is dealt round-robin over k folds after a seeded shuffle, so
 * each fold holds its share of every class (within one). Split f tests on fold f and validates
 * on fold f+1 (mod k), a stratified slice of the rest; with `val: false` there is no validation part.
 */
export function kFoldSplits(
  episodes: readonly Labelled[],
  k: number,
  seed: number = DEFAULT_SPLIT_SEED,
  opts: { val?: boolean } = {},
): Split[] {
  const withVal = opts.val ?? true;
  if (!Number.isInteger(k) || k < (withVal ? 3 : 2)) {
    throw new Error(`k-fold needs an integer k ≥ ${withVal ? 3 : 2} (one fold tests${withVal ? ', one validates' : ''}), got ${k}`);
  }
  const rng = new Rng(seed);
  const foldOf = new Int32Array(episodes.length);
  // Continue dealing where the previous class stopped, so fold totals stay balanced too.
  let dealer = 0;
  for (const members of groupByClass(episodes, allIndices(episodes.length))) {
    rng.shuffle(members);
    for (const i of members) foldOf[i] = dealer++ % k;
  }
  const splits: Split[] = [];
  for (let f = 0; f < k; f++) {
    const valFold = withVal ? (f + 1) % k : -1;
    const train: number[] = [];
    const val: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < episodes.length; i++) {
      const fold = foldOf[i]!;
      (fold === f ? test : fold === valFold ? val : train).push(i);
    }
    splits.push(makeSplit(`fold-${f + 1}/${k}`, episodes, train, val, test));
  }
  return splits;
}

/**
 * Leave one posture out: one split per posture-variant folder (sorted by name), testing on that
 * folder and carving a stratified validation part (`valFraction` of each class) from the others.
 * The folders 1–5 of the reference datasets are the recorder's five finger-posture variants of one
 * wearing (much extended … much bent), not sessions: this measures posture robustness; only
 * another day measures a new wearing.
 */
export function leaveOnePostureOut(
  episodes: readonly Labelled[],
  opts: { seed?: number; valFraction?: number } = {},
): Split[] {
  const valFraction = opts.valFraction ?? 0.2;
  const sessions = [...new Set(episodes.map((e) => e.session))].sort();
  if (sessions.length < 2) {
    throw new Error(`leave-one-posture-out needs at least 2 posture folders, found ${sessions.length} (${sessions.join(', ') || 'none'})`);
  }
  return sessions.map((s) => {
    const rng = new Rng(opts.seed ?? DEFAULT_SPLIT_SEED);
    const test: number[] = [];
    const rest: number[] = [];
    episodes.forEach((e, i) => (e.session === s ? test : rest).push(i));
    const { train, val } = carveValidation(episodes, rest, valFraction, rng);
    return makeSplit(`posture-${s === '' ? '(none)' : s}`, episodes, train, val, test);
  });
}

/** The former name of leaveOnePostureOut (the folders were never sessions). */
export const leaveOneSessionOut = leaveOnePostureOut;

/**
 * Train on one set of directories, test on another (e.g. another recording day). Indices refer
 * to `episodes` = [...trainEpisodes, ...testEpisodes], which is returned with the split; the
 * validation part is a stratified `valFraction` of the training episodes.
 */
export function directorySplit<E extends Labelled>(
  trainEpisodes: readonly E[],
  testEpisodes: readonly E[],
  opts: { seed?: number; valFraction?: number } = {},
): Split & { episodes: E[] } {
  const episodes = [...trainEpisodes, ...testEpisodes];
  const rng = new Rng(opts.seed ?? DEFAULT_SPLIT_SEED);
  const { train, val } = carveValidation(episodes, allIndices(trainEpisodes.length), opts.valFraction ?? 0.2, rng);
  const test = allIndices(testEpisodes.length).map((i) => i + trainEpisodes.length);
  return { ...makeSplit('directories', episodes, train, val, test), episodes };
}

/** A per-class table of a split's parts (or several splits'), for the terminal. */
export function formatSplitCounts(splits: Split | readonly Split[]): string {
  const list = Array.isArray(splits) ? (splits as readonly Split[]) : [splits as Split];
  const keys = orderedKeys(list.flatMap((s) => SPLIT_PARTS.flatMap((p) => Object.keys(s.counts[p]))));
  const lines: string[] = [];
  for (const s of list) {
    const header = ['', ...keys, 'total'];
    const rows = SPLIT_PARTS.map((p) => {
      const cells = keys.map((k) => String(s.counts[p][k] ?? 0));
      return [p, ...cells, String(s[p].length)];
    });
    const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
    const fmt = (r: string[]): string => r.map((v, c) => (c === 0 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join(' ');
    lines.push(`${s.name}:`, fmt(header), ...rows.map(fmt));
  }
  return lines.join('\n');
}

// ── helpers ──────────────────────────────────────────────────────────────────

function allIndices(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** Index lists per class, classes in label order (unlabelled, -1, first), members ascending. */
function groupByClass(episodes: readonly Labelled[], indices: readonly number[]): number[][] {
  const groups = new Map<number, number[]>();
  for (const i of indices) {
    const label = episodes[i]!.label;
    let g = groups.get(label);
    if (!g) groups.set(label, (g = []));
    g.push(i);
  }
  return [...groups.keys()].sort((a, b) => a - b).map((k) => groups.get(k)!);
}

/** Split n items into parts with these shares by largest remainder (ties go to the earlier part). */
function apportion(n: number, shares: readonly number[]): number[] {
  const exact = shares.map((s) => s * n);
  const sizes = exact.map(Math.floor);
  let left = n - sizes.reduce((a, b) => a + b, 0);
  const order = exact.map((e, p) => ({ p, rem: e - Math.floor(e) })).sort((a, b) => b.rem - a.rem || a.p - b.p);
  for (let j = 0; left > 0; j = (j + 1) % order.length, left--) sizes[order[j]!.p]!++;
  return sizes;
}

/** Stratified validation slice of `pool`: round(valFraction × class size) per class. */
function carveValidation(
  episodes: readonly Labelled[],
  pool: readonly number[],
  valFraction: number,
  rng: Rng,
): { train: number[]; val: number[] } {
  if (!(valFraction >= 0 && valFraction < 1)) throw new Error(`valFraction must be in [0, 1), got ${valFraction}`);
  const train: number[] = [];
  const val: number[] = [];
  for (const members of groupByClass(episodes, pool)) {
    rng.shuffle(members);
    const [nTrain] = apportion(members.length, [1 - valFraction, valFraction]);
    train.push(...members.slice(0, nTrain));
    val.push(...members.slice(nTrain));
  }
  return { train, val };
}

function makeSplit(name: string, episodes: readonly Labelled[], train: number[], val: number[], test: number[]): Split {
  const asc = (a: number, b: number): number => a - b;
  const parts = { train: train.sort(asc), val: val.sort(asc), test: test.sort(asc) };
  const counts = { train: {}, val: {}, test: {} } as Record<SplitPart, Record<string, number>>;
  for (const p of SPLIT_PARTS) {
    const c: Record<string, number> = {};
    for (const i of parts[p]) {
      const key = classKey(episodes[i]!.label);
      c[key] = (c[key] ?? 0) + 1;
    }
    counts[p] = Object.fromEntries(orderedKeys(Object.keys(c)).map((k) => [k, c[k]!]));
  }
  return { name, ...parts, counts };
}

function classKey(label: number): string {
  return label >= 0 && label < JAMO.length ? JAMO[label]! : '?';
}

/** Jamo keys in class order, then anything else. */
function orderedKeys(keys: readonly string[]): string[] {
  const set = new Set(keys);
  const known = JAMO.filter((j) => set.has(j));
  const other = [...set].filter((k) => !(JAMO as readonly string[]).includes(k)).sort();
  return [...known, ...other];
}

/**
 * `signglove benchmark generalization` as a library call (issue 12, item 5): how well a model
 * trained on one wearing (one recording day) reads postures and days it never saw, and how many
 * calibration shots a new day needs. Every protocol records where its normalisation statistics
 * come from — that, more than the model, decides whether a figure is honest.
 *
 * Protocols, per model and seed:
 *  - random: stratified 60/20/20 split within each day (statistics: the training part);
 *  - posture: leave one posture-variant folder out within each day, pooled over the five folds,
 *    (a) with the training folders' statistics, (b) with the held-out folder's own unlabelled frames;
 *  - zero-shot: train on one day, test on the other, its statistics from (a) a warm-up of
 *    `warmup` unlabelled episodes drawn at random from the new day (the warm-up episodes are not
 *    tested), (b) all its unlabelled frames, (c) tree models only: (b) and then self-trained on
 *    those unlabelled holds (selfTrainModel; transductive: the tested holds are the ones adapted on);
 *  - calibrated: the same base model calibrated (calibrateModel) with k labelled shots per letter
 *    of the new day, statistics from the shots only: 'strict' shots from posture folder 3, tested
 *    on folders 1, 2, 4, 5; 'random' shots from any folder, tested on the rest.
 * A base model is trained once per (train day, seed) and reused for zero-shot and every calibration.
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import type { Episode } from '../data/types.js';
import { fitSessionStats, type SessionStats } from '../data/session-norm.js';
import { runTrainJob, loadWearings } from '../train/pipeline.js';
import { calibrateModel } from '../train/calibrate.js';
import { selfTrainModel } from '../train/self-train.js';
import { Predictor } from '../infer/core.js';
import type { Kernels } from '../nn/kernels.js';
import { computeMetrics } from './metrics.js';
import { Rng } from '../util/rng.js';
import { JAMO } from '../jamo.js';

export type ProtocolName =
  | 'random'
  | 'posture-train-stats'
  | 'posture-heldout-stats'
  | 'zero-shot-warmup'
  | 'zero-shot-all'
  | 'zero-shot-self-trained'
  | 'calibrated-strict'
  | 'calibrated-random';

export const PROTOCOLS: readonly ProtocolName[] = [
  'random', 'posture-train-stats', 'posture-heldout-stats', 'zero-shot-warmup', 'zero-shot-all', 'zero-shot-self-trained', 'calibrated-strict', 'calibrated-random',
];

/** Where each protocol's normalisation statistics come from (also written into the JSON and the report). */
export const STATS_SOURCE: Record<ProtocolName, string> = {
  'random': "the training part's frames (60% of the day, stratified)",
  'posture-train-stats': 'the four training posture folders of the same day (what runTrainJob does)',
  'posture-heldout-stats': "the held-out posture folder's own unlabelled frames (as running statistics would have them live)",
  'zero-shot-warmup': 'a warm-up: a random sample of unlabelled episodes of the new day (not tested)',
  'zero-shot-all': "all of the new day's unlabelled frames (tested on all of them)",
  'zero-shot-self-trained': "all of the new day's unlabelled frames; the forest then refitted on its most confident holds with the letters it gave them (transductive: tested on the same holds, labels never read)",
  'calibrated-strict': 'the calibration shots only (k per letter from posture folder 3; tested on folders 1, 2, 4, 5)',
  'calibrated-random': 'the calibration shots only (k per letter from any folder; tested on the rest)',
};

export interface Figures {
  top1: number;
  top5: number;
  ece: number;
  n: number;
}

export interface SeedFigures extends Figures {
  seed: number;
  /** calibrateModel's wall time (calibrated protocols). */
  calibrateSeconds?: number;
  /** Training time of the model(s) behind the figure. */
  trainSeconds?: number;
  /** Per held-out folder top-1 (posture protocols). */
  folds?: Record<string, number>;
  /** Episodes the normalisation statistics were fitted on (warm-up, all frames, or the calibration shots), as the statistics record it. */
  statsEpisodes?: number;
}

export interface Spread {
  mean: number;
  std: number;
  min: number;
  max: number;
}

export interface ProtocolRow {
  protocol: ProtocolName;
  model: string;
  /** Day(s) trained on. */
  train: string;
  /** Day tested on. */
  test: string;
  /** Calibration shots per letter (calibrated protocols). */
  k?: number;
  stats: string;
  perSeed: SeedFigures[];
  summary: { top1: Spread; top5: Spread; ece: Spread; calibrateSeconds?: Spread };
}

export interface GeneralizationResult {
  format: 'signglove-generalization';
  version: 1;
  /** False in a checkpoint written while the run goes on (onPartial). */
  complete: boolean;
  createdAt: string;
  days: { name: string; episodes: number }[];
  models: string[];
  seeds: number[];
  shots: number[];
  warmupEpisodes: number;
  quick: boolean;
  epochs: number | null;
  engine: string;
  notes: string[];
  statsSources: Record<ProtocolName, string>;
  rows: ProtocolRow[];
  seconds: number;
}

export interface GeneralizationOptions {
  /** Dataset roots, each one wearing (day). Cross-day protocols need at least two. */
  data: string[];
  models?: string[];
  /** Number of seeds (42, 43, …). */
  seeds?: number;
  shots?: number[];
  /** Fewer epochs (30) for networks. */
  quick?: boolean;
  /** Maximum epochs for networks (default 100, quick 30). */
  epochs?: number;
  /** Unlabelled warm-up episodes for zero-shot statistics. */
  warmup?: number;
  /** Where base models are written. */
  workDir: string;
  protocols?: readonly ProtocolName[];
  kernels?: Kernels;
  workers?: number;
  log?: (line: string) => void;
  /** Called with the result so far after each model × seed (to checkpoint a long run). */
  onPartial?: (partial: GeneralizationResult) => void;
  /** Called before each unit of work (a training or a calibration) with how many there are. */
  onStep?: (done: number, total: number, label: string) => void;
}

export const DEFAULT_MODELS = ['ExtraTrees', 'GRU'];
export const DEFAULT_SHOTS = [1, 3, 5];
export const DEFAULT_WARMUP = 12;
export const QUICK_EPOCHS = 30;
export const FIRST_SEED = 42;
/** The basic posture folder: strict calibration shots come only from it. */
export const STRICT_FOLDER = '3';

export function spread(xs: readonly number[]): Spread {
  if (xs.length === 0) return { mean: NaN, std: NaN, min: NaN, max: NaN };
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean, std, min: Math.min(...xs), max: Math.max(...xs) };
}

/**
 * One result of several runs that measured different models under the same protocols (same days,
 * seeds, shots, warm-up and epoch cap): a long run split over machines or processes, or a model
 * added later. Throws, naming the difference, when the runs do not measure the same thing.
 */
export function mergeGeneralizationResults(runs: readonly GeneralizationResult[]): GeneralizationResult {
  if (runs.length === 0) throw new Error('no generalization results to merge');
  const [first, ...rest] = runs as [GeneralizationResult, ...GeneralizationResult[]];
  if (rest.length === 0) return first;
  const same = (what: string, f: (r: GeneralizationResult) => unknown) => {
    const want = JSON.stringify(f(first));
    const other = rest.find((r) => JSON.stringify(f(r)) !== want);
    if (other) throw new Error(`the runs differ in ${what} (${want} and ${JSON.stringify(f(other))}): only runs of the same protocols can be merged`);
  };
  same('days', (r) => r.days);
  same('seeds', (r) => r.seeds);
  same('calibration shots', (r) => r.shots);
  same('warm-up episodes', (r) => r.warmupEpisodes);
  same('the epoch cap', (r) => [r.quick, r.epochs]);
  const seen = new Set<string>();
  for (const r of runs) {
    for (const m of r.models) {
      if (seen.has(m)) throw new Error(`model ${m} is in more than one run: merge runs of different models`);
      seen.add(m);
    }
  }
  const engines = [...new Set(runs.map((r) => r.engine))];
  return {
    ...first,
    complete: runs.every((r) => r.complete),
    createdAt: runs.map((r) => r.createdAt).sort().at(-1)!,
    models: runs.flatMap((r) => r.models),
    engine: engines.join(' + '),
    notes: [
      ...new Set(runs.flatMap((r) => r.notes)),
      `merged from ${runs.length} runs: ${runs.map((r) => `${r.models.join(', ')} (${r.createdAt}, engine ${r.engine}, ${Math.round(r.seconds)} s)`).join('; ')}`,
    ],
    rows: runs.flatMap((r) => r.rows),
    seconds: runs.reduce((a, r) => a + r.seconds, 0),
  };
}

function figuresOf(eps: readonly Episode[], probs: Float32Array): Figures {
  const m = computeMetrics({ labels: Int32Array.from(eps.map((e) => e.label)), probs, classes: [...JAMO] });
  return { top1: m.top1, top5: m.top5, ece: m.ece, n: m.n };
}

function rawFrames(p: Predictor, eps: readonly Episode[]): { data: Float32Array; length: number }[] {
  return eps.map((e) => p.toFrames(e, e.file));
}

/** Statistics of a set of episodes through a predictor's pipeline (its raw channels). */
export function statsFor(p: Predictor, eps: readonly Episode[]): SessionStats {
  const pipe = p.meta.preprocess.pipeline;
  if (!pipe) throw new Error(`model '${p.meta.name}' has no session pipeline`);
  return fitSessionStats(pipe, rawFrames(p, eps));
}

/** `n` episodes drawn at random (seeded) — the unlabelled warm-up of a new day. */
export function warmupSample(eps: readonly Episode[], n: number, seed: number): { warmup: Episode[]; rest: Episode[] } {
  const idx = eps.map((_, i) => i);
  new Rng(seed).shuffle(idx);
  const pick = new Set(idx.slice(0, Math.min(n, eps.length)));
  return { warmup: eps.filter((_, i) => pick.has(i)), rest: eps.filter((_, i) => !pick.has(i)) };
}

/**
 * k labelled shots per letter of a day, and the episodes to test on: 'strict' draws them from posture
 * folder 3 and tests on the other folders; 'random' draws them from any folder and tests on the rest.
 */
export function calibrationShots(eps: readonly Episode[], k: number, mode: 'strict' | 'random', seed: number): { shots: Episode[]; test: Episode[] } {
  const rng = new Rng(seed);
  const pool = mode === 'strict' ? eps.filter((e) => e.session === STRICT_FOLDER) : [...eps];
  const byLabel = new Map<number, Episode[]>();
  for (const e of pool) {
    const g = byLabel.get(e.label);
    if (g) g.push(e);
    else byLabel.set(e.label, [e]);
  }
  const shots: Episode[] = [];
  for (const label of [...byLabel.keys()].sort((a, b) => a - b)) {
    const g = byLabel.get(label)!;
    rng.shuffle(g);
    shots.push(...g.slice(0, k));
  }
  const chosen = new Set(shots);
  const test = mode === 'strict' ? eps.filter((e) => e.session !== STRICT_FOLDER) : eps.filter((e) => !chosen.has(e));
  // shots in round-robin letter order (1st of each letter, then 2nd, …): calibrateModel's folds
  const rank = new Map<Episode, number>();
  const seen = new Map<number, number>();
  for (const s of shots) {
    const r = seen.get(s.label) ?? 0;
    seen.set(s.label, r + 1);
    rank.set(s, r);
  }
  shots.sort((a, b) => rank.get(a)! - rank.get(b)! || a.label - b.label);
  return { shots, test };
}

/**
 * Leave-one-posture-out figures from the fold bundles of one day, pooled over the folds (each
 * episode tested once): with the training folders' statistics (the ones runTrainJob fitted and
 * recorded as the bundle's trainingSessions) and with the held-out folder's own unlabelled frames.
 */
export function postureFigures(bundles: readonly string[], dayEpisodes: readonly Episode[], kernels?: Kernels): {
  train: Figures & { folds: Record<string, number> };
  heldOut: Figures & { folds: Record<string, number> };
} {
  const tested: Episode[] = [];
  const own: Float32Array[] = [];
  const held: Float32Array[] = [];
  const foldsOwn: Record<string, number> = {};
  const foldsHeld: Record<string, number> = {};
  for (const file of bundles) {
    const p = loadPredictor(file, kernels);
    const folder = p.meta.provenance!.split.heldOut!.replace(/^posture-/, '');
    const test = dayEpisodes.filter((e) => e.session === folder);
    const training = p.meta.preprocess.trainingSessions;
    if (training?.length === 1) p.useSession(training[0]!);
    const a = p.predictProbs(test);
    p.useSession(statsFor(p, test));
    const b = p.predictProbs(test);
    p.dispose();
    tested.push(...test);
    own.push(a);
    held.push(b);
    foldsOwn[folder] = figuresOf(test, a).top1;
    foldsHeld[folder] = figuresOf(test, b).top1;
  }
  const cat = (xs: Float32Array[]) => {
    const out = new Float32Array(xs.reduce((n, x) => n + x.length, 0));
    let at = 0;
    for (const x of xs) {
      out.set(x, at);
      at += x.length;
    }
    return out;
  };
  return { train: { ...figuresOf(tested, cat(own)), folds: foldsOwn }, heldOut: { ...figuresOf(tested, cat(held)), folds: foldsHeld } };
}

function dayName(root: string): string {
  return path.basename(path.resolve(root));
}

function loadPredictor(file: string, kernels?: Kernels): Predictor {
  return Predictor.fromBytes(new Uint8Array(readFileSync(file)), file, kernels);
}

export async function runGeneralization(opts: GeneralizationOptions): Promise<GeneralizationResult> {
  const t0 = performance.now();
  const log = opts.log ?? (() => {});
  const models = opts.models ?? DEFAULT_MODELS;
  const seeds = Array.from({ length: opts.seeds ?? 3 }, (_, i) => FIRST_SEED + i);
  const shotsK = opts.shots ?? DEFAULT_SHOTS;
  const warmupN = opts.warmup ?? DEFAULT_WARMUP;
  const protocols = new Set(opts.protocols ?? PROTOCOLS);
  const epochs = opts.epochs ?? (opts.quick ? QUICK_EPOCHS : undefined);
  if (opts.data.length === 0) throw new Error('no datasets given');
  const names = opts.data.map(dayName);
  if (new Set(names).size !== names.length) throw new Error(`the datasets need distinct folder names (each is one day): ${names.join(', ')}`);
  const days = new Map<string, Episode[]>();
  for (const [i, root] of opts.data.entries()) {
    const loaded = await loadWearings(root);
    days.set(names[i]!, loaded.episodes);
    log(`${names[i]}: ${loaded.episodes.length} episodes${loaded.problems.length ? `, ${loaded.problems.length} skipped` : ''}`);
  }
  const pairs = names.flatMap((a) => names.filter((b) => b !== a).map((b) => [a, b] as const));
  const cross = protocols.has('zero-shot-warmup') || protocols.has('zero-shot-all') || protocols.has('zero-shot-self-trained') || protocols.has('calibrated-strict') || protocols.has('calibrated-random');
  const calibrated = (['strict', 'random'] as const).filter((m) => protocols.has(`calibrated-${m}`));

  // units of work, for progress
  const total = models.length * seeds.length * (
    (protocols.has('random') ? names.length : 0) +
    (protocols.has('posture-train-stats') || protocols.has('posture-heldout-stats') ? names.length : 0) +
    (cross ? pairs.length * (1 + calibrated.length * shotsK.length) : 0));
  let done = 0;
  const step = (label: string) => {
    log(`[${done + 1}/${total}] ${label}`);
    opts.onStep?.(done, total, label);
    done++;
  };

  const rows: ProtocolRow[] = [];
  const rowFor = (protocol: ProtocolName, model: string, train: string, test: string, k?: number): ProtocolRow => {
    let r = rows.find((x) => x.protocol === protocol && x.model === model && x.train === train && x.test === test && x.k === k);
    if (!r) {
      r = { protocol, model, train, test, ...(k === undefined ? {} : { k }), stats: STATS_SOURCE[protocol], perSeed: [], summary: undefined as never };
      rows.push(r);
    }
    return r;
  };
  const quiet = () => {};
  const trainOpts = (seed: number) => ({ seed, workers: opts.workers ?? 1, ...(epochs ? { epochs } : {}) });
  const roots = new Map(names.map((n, i) => [n, opts.data[i]!]));

  /** The result so far (summaries recomputed): returned at the end, and passed to onPartial after each model × seed. */
  const assemble = (complete = false): GeneralizationResult => {
    for (const r of rows) {
      const sec = r.perSeed.map((s) => s.calibrateSeconds).filter((x): x is number => x !== undefined);
      r.summary = {
        top1: spread(r.perSeed.map((s) => s.top1)),
        top5: spread(r.perSeed.map((s) => s.top5)),
        ece: spread(r.perSeed.map((s) => s.ece)),
        ...(sec.length ? { calibrateSeconds: spread(sec) } : {}),
      };
    }
    const notes = [
      `warm-up: ${warmupN} unlabelled episodes drawn at random from the new day (about 30 s of signing); the recordings are in letter blocks, so literally the first seconds of a day would be one letter only — a random sample stands in for a warm-up in which the wearer signs several letters`,
      'the five folders under each letter are posture variants of one wearing (much extended … much bent), not sessions; only another day is a new wearing',
      'posture figures pool the five held-out folders (each episode tested once); folds holds each folder\'s top-1',
      'calibrated: k = 0 in the chart is the zero-shot figure with warm-up statistics; strict shots come only from posture folder 3 and are tested on folders 1, 2, 4, 5',
      'cross-day base models are trained on 80% of the training day and validated (early stopping) on the other 20%; one base model per (train day, seed) serves zero-shot and all calibrations',
    ];
    if (opts.quick && models.some((m) => m !== 'ExtraTrees')) notes.push('quick run: network calibration fine-tunes 10 epochs (default 20)');
    if (cross && pairs.length === 0) notes.push('cross-day protocols need at least two datasets: skipped');
    return {
      format: 'signglove-generalization',
      version: 1,
      complete,
      createdAt: new Date().toISOString(),
      days: names.map((n) => ({ name: n, episodes: days.get(n)!.length })),
      models,
      seeds,
      shots: shotsK,
      warmupEpisodes: warmupN,
      quick: !!opts.quick,
      epochs: epochs ?? null,
      engine: opts.kernels?.name ?? 'ts',
      notes,
      statsSources: { ...STATS_SOURCE },
      rows,
      seconds: (performance.now() - t0) / 1000,
    };
  };

  for (const model of models) {
    const isTrees = model === 'ExtraTrees';
    for (const seed of seeds) {
      for (const day of names) {
        const root = roots.get(day)!;
        if (protocols.has('random')) {
          step(`${model} seed ${seed}: random split of ${day}`);
          const r = await runTrainJob({
            arch: model, data: root, split: 'random', ratios: [0.6, 0.2, 0.2], splitSeed: 1337 + seed - FIRST_SEED,
            outDir: path.join(opts.workDir, model, `${day}-random-seed${seed}`), train: trainOpts(seed), kernels: opts.kernels, charts: false, log: quiet,
          });
          const f = r.folds[0]!;
          rowFor('random', model, day, day).perSeed.push({ seed, top1: f.test.top1, top5: f.test.top5, ece: f.test.ece, n: f.test.n, trainSeconds: f.trainSeconds });
        }
        if (protocols.has('posture-train-stats') || protocols.has('posture-heldout-stats')) {
          step(`${model} seed ${seed}: leave-one-posture-out within ${day}`);
          const r = await runTrainJob({
            arch: model, data: root, split: 'posture', splitSeed: 1337 + seed - FIRST_SEED,
            outDir: path.join(opts.workDir, model, `${day}-posture-seed${seed}`), train: trainOpts(seed), kernels: opts.kernels, charts: false, log: quiet,
          });
          const pf = postureFigures(r.folds.map((f) => f.bundle), days.get(day)!, opts.kernels);
          const trainSeconds = r.folds.reduce((a, f) => a + f.trainSeconds, 0);
          if (protocols.has('posture-train-stats')) rowFor('posture-train-stats', model, day, day).perSeed.push({ seed, ...pf.train, trainSeconds });
          if (protocols.has('posture-heldout-stats')) rowFor('posture-heldout-stats', model, day, day).perSeed.push({ seed, ...pf.heldOut, trainSeconds });
        }
      }
      for (const [a, b] of cross ? pairs : []) {
        step(`${model} seed ${seed}: base model ${a} → ${b}`);
        // split 'dirs': trained (80%) and validated (20%) on day a only; its own test figure is
        // zero-shot with all of b's frames, recomputed below through the same predictor path
        const r = await runTrainJob({
          arch: model, data: roots.get(a)!, split: 'dirs', testData: roots.get(b)!, splitSeed: 1337 + seed - FIRST_SEED,
          outDir: path.join(opts.workDir, model, `${a}-to-${b}-seed${seed}`), train: trainOpts(seed), kernels: opts.kernels, charts: false, log: quiet,
        });
        const fold = r.folds[0]!;
        const base = loadPredictor(fold.bundle, opts.kernels);
        const newDay = days.get(b)!;
        if (protocols.has('zero-shot-warmup')) {
          const { warmup, rest } = warmupSample(newDay, warmupN, seed);
          const st = statsFor(base, warmup);
          base.useSession(st);
          rowFor('zero-shot-warmup', model, a, b).perSeed.push({ seed, ...figuresOf(rest, base.predictProbs(rest)), trainSeconds: fold.trainSeconds, statsEpisodes: st.episodes });
        }
        if (protocols.has('zero-shot-all')) {
          const st = statsFor(base, newDay);
          base.useSession(st);
          rowFor('zero-shot-all', model, a, b).perSeed.push({ seed, ...figuresOf(newDay, base.predictProbs(newDay)), trainSeconds: fold.trainSeconds, statsEpisodes: st.episodes });
        }
        if (protocols.has('zero-shot-self-trained') && base.classifier.kind === 'trees') {
          const self = selfTrainModel(base, newDay);
          rowFor('zero-shot-self-trained', model, a, b).perSeed.push({ seed, ...figuresOf(newDay, self.predictor.predictProbs(newDay)), trainSeconds: fold.trainSeconds, statsEpisodes: self.session.episodes });
        }
        for (const mode of calibrated) {
          for (const k of shotsK) {
            step(`${model} seed ${seed}: ${a} → ${b} calibrated, ${k} ${mode} shot${k === 1 ? '' : 's'} per letter`);
            const { shots, test } = calibrationShots(newDay, k, mode, seed * 1000 + k);
            const c = await calibrateModel(base, shots, { seed, kernels: opts.kernels, ...(opts.quick && !isTrees ? { epochs: 10 } : {}) });
            const fig = figuresOf(test, c.predictor.predictProbs(test));
            c.predictor.dispose();
            rowFor(`calibrated-${mode}`, model, a, b, k).perSeed.push({ seed, ...fig, calibrateSeconds: c.seconds, trainSeconds: fold.trainSeconds, statsEpisodes: c.session.episodes });
          }
        }
        base.dispose();
      }
      opts.onPartial?.(assemble());
    }
  }
  opts.onStep?.(done, total, 'done');
  return assemble(true);
}

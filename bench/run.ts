/**
 * `npm run bench`: signglove against PyTorch, side by side in one run on this machine (issue 8),
 * plus the epoch time and latency of issue 3 and the per-frame cost of live recognition (issue 6).
 *
 * usage: node dist/bench/run.js [--json] [--runs N] [--models GRU,MSStackedGRU] [--data DIR]
 *          [--backend wasm|ts] [--pytorch-figures FILE | --no-pytorch] [--save-pytorch FILE] [--kernels]
 *          [--save-json FILE]   (also write the --json rows to FILE, so one run gives both outputs)
 *          [--only server | live-real | generalization | browser-calibrate | record] [--no-server]   (one part alone: the load benchmark of `serve`;
 *          the live recogniser on real held-out episodes (--bundle FILE, --words FILE); the protocols of `signglove
 *          benchmark generalization` on both days, quick by default (--gen-models ExtraTrees,GRU --seeds N --epochs N
 *          --gen-data DIR1,DIR2 --gen-out DIR); the Calibrate page's in-browser adaptation, k=3, CPU ×4 slower in
 *          Chromium; or the whole run without the load benchmark)
 *          [--only tune [--tune-epochs N --tune-trials N]]   (what a trial of `signglove tune` costs and the
 *          speed-up of parallel trials, 1 vs 2 threads)
 * Every figure is the median of N runs (default 5) with min–max; ratios are signglove / PyTorch.
 */
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PACKAGE_ROOT } from '../src/paths.js';
import { tsKernels } from '../src/nn/kernels-ts.js';
import { backendByName } from './backends.js';
import { benchGemm, GRU_SHAPES } from './kernels.js';
import { liveFrameCost } from './live.js';
import { readFigures, runTorch, torchAvailable, type TorchFigures } from './pytorch.js';
import { batchThroughput, batchThroughputParallel, buildModel, epochRunner, parallelEpochRunner, repeat, repeatAsync, singleLatency } from './signglove.js';
import { summarize, type Summary } from './stats.js';
import { loadWorkload } from './workload.js';
import { runServerLoad } from './server-load.js';
import { generalizationBench } from './generalization.js';
import { browserCalibration } from './browser-calibrate.js';
import { recordBench } from './record.js';
import { tuneBench } from './tune.js';
import { loadModel } from '../src/infer/index.js';
import { formatLiveFigures, liveFigures, type LiveFigures } from '../src/eval/live-benchmark.js';
import { liveBenchmarkSpec, renderChart } from '../src/eval/charts.js';
import { loadLexicon } from '../src/stream/lexicon-files.js';
import { WordDecoder } from '../src/stream/word-decoder.js';

interface Row {
  name: string;
  signglove: number;
  pytorch: number | null;
  unit: string;
  ratio: number | null;
  /** The issue's goal for the ratio, e.g. "<= 0.5"; null for figures without one. */
  target: string | null;
  met: boolean | null;
  signgloveRange: [number, number];
  pytorchRange: [number, number] | null;
  runs: number;
}

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    runs: { type: 'string', default: '5' },
    models: { type: 'string', default: 'GRU,MSStackedGRU' },
    data: { type: 'string', default: path.resolve(PACKAGE_ROOT, '..', 'shared', 'datasets', 'signglove-2025-10-01') },
    backend: { type: 'string', default: 'wasm' },
    'pytorch-figures': { type: 'string' },
    'no-pytorch': { type: 'boolean', default: false },
    'save-pytorch': { type: 'string' },
    kernels: { type: 'boolean', default: false },
    'save-json': { type: 'string' },
    only: { type: 'string' },
    'no-server': { type: 'boolean', default: false },
    bundle: { type: 'string', default: 'extra_trees' },
    words: { type: 'string', default: path.join(PACKAGE_ROOT, 'bench', 'user-words.txt') },
    'live-chart': { type: 'string' },
    'gen-models': { type: 'string', default: 'ExtraTrees,GRU' },
    'gen-data': { type: 'string' },
    'gen-out': { type: 'string' },
    seeds: { type: 'string', default: '1' },
    epochs: { type: 'string' },
    'tune-epochs': { type: 'string', default: '5' },
    'tune-trials': { type: 'string', default: '4' },
  },
});
const PARTS = ['server', 'live-real', 'generalization', 'browser-calibrate', 'record', 'tune'];
if (args.only !== undefined && !PARTS.includes(args.only)) throw new Error(`--only takes one of ${PARTS.join(', ')}, got '${args.only}'`);
if (args.only === 'record') {
  // record → calibrate → live words on simulated new wearings (issue 14)
  const rows = await recordBench({ model: args.bundle, log: (line) => process.stderr.write(`${line}\n`) });
  if (args.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  else {
    const sum = (k: 'before' | 'after' | 'usual') => rows.reduce((a, r) => a + r[k], 0);
    const total = rows.reduce((a, r) => a + r.words, 0);
    process.stdout.write(`record → calibrate (k=3) → live words, simulated new wearings (${rows.map((r) => r.wearing).join(', ')}; dead flex4), model ${args.bundle}:\n` +
      `  words exact: before ${sum('before')}/${total} (${((100 * sum('before')) / total).toFixed(0)}%) → after ${sum('after')}/${total} (${((100 * sum('after')) / total).toFixed(0)}%); usual wearing ${sum('usual')}/${total}\n`);
  }
  process.exit(0);
}
if (args.only === 'server') {
  await runServerLoadSection(args.json ?? false);
  process.exit(0);
}

/** The load benchmark of `signglove serve` (WebSocket gloves, a flooding client, /health under batches). */
async function runServerLoadSection(json: boolean, alone = true): Promise<void> {
  const r = await runServerLoad({ log: (s) => (json ? process.stderr.write(`${s}\n`) : console.log(s)) });
  // after the full run's --json rows, stdout must stay one JSON document: the figures go to stderr
  if (json && alone) console.log(JSON.stringify(r, null, 2));
  else if (json) process.stderr.write(`${JSON.stringify(r)}\n`);
  else console.log(`gloves held at p99 < 50 ms: ${r.heldClients} (goal ≥ 200); normal clients' p99 during a flood: ${r.flood.normalP99.toFixed(1)} ms (goal < 50)`);
}
const runs = Math.max(1, Number(args.runs));
// warm-up passes before timing batch throughput, the same number as bench/torch_bench.py gives
// PyTorch: the first passes of a fresh worker run WebAssembly's baseline code (V8 tiers hot
// functions up to optimised code after ~0.1 s), and PyTorch's first passes allocate its caches
const WARMUP_BATCHES = 5;
const models = args.models!.split(',').filter(Boolean);
const log = (s: string): void => {
  if (!args.json) console.log(s);
  else process.stderr.write(`${s}\n`);
};

/** The live recogniser on phrases spelled with the bundle's held-out real episodes (issue 15). */
async function liveReal(): Promise<LiveFigures> {
  const model = await loadModel(args.bundle);
  try {
    const decoder = new WordDecoder(loadLexicon({ userFile: args.words }));
    const f = await liveFigures(model, { data: args.data!, decoder, onStatus: log });
    log(formatLiveFigures(f));
    if (args['live-chart']) {
      const { svg, png } = await renderChart(liveBenchmarkSpec(f));
      writeFileSync(path.join(args['live-chart'], 'live-benchmark.svg'), svg);
      writeFileSync(path.join(args['live-chart'], 'live-benchmark.png'), png);
    }
    return f;
  } finally {
    await model.close();
  }
}
if (args.only === 'browser-calibrate') {
  // the Calibrate page in Chromium with the CPU slowed ×4: how long a phone-class browser adapts (k = 3)
  const r = await browserCalibration({ throttle: 4, shots: 3 });
  if (args.json) console.log(JSON.stringify(r, null, 2));
  else console.log(`in-browser calibration, k=${r.shots}, CPU ×${r.throttle} slower: adapting ${r.adaptSeconds.toFixed(1)} s (goal ≤ 20 s); start to saved model ${r.totalSeconds.toFixed(1)} s with the holds played 64× fast; held-out holds ${r.before} → ${r.after}`);
  process.exit(0);
}
if (args.only === 'live-real') {
  const f = await liveReal();
  if (args.json) console.log(JSON.stringify(f, null, 2));
  process.exit(0);
}

const loadStart = os.loadavg()[0]!;
if (args.only === 'tune') {
  log(`machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}, load average ${loadStart.toFixed(2)}`);
  const f = await tuneBench({ data: args.data!, epochs: Number(args['tune-epochs']), trials: Number(args['tune-trials']), log });
  if (args.json) console.log(JSON.stringify(f, null, 2));
  else {
    console.log('');
    console.log(`trial (GRU default, ${f.folds} posture folds side by side × ${f.epochs} epochs) | ${f.trialSeconds.toFixed(2)} s (${f.foldEpochSeconds.toFixed(2)} s per fold-epoch)`);
    console.log(`${f.trials} trials, 1 thread | ${f.wall['1']!.toFixed(1)} s wall, ${f.cpu['1']!.toFixed(1)} s CPU`);
    console.log(`${f.trials} trials, 2 threads | ${f.wall['2']!.toFixed(1)} s wall, ${f.cpu['2']!.toFixed(1)} s CPU`);
    console.log(`CPU time of parallel trials (2 threads / 1) | ${(f.cpu['2']! / f.cpu['1']!).toFixed(2)}× (≈ 1: no extra work, so on free cores the wall-clock speed-up approaches 2×)`);
    console.log(`speed-up of parallel trials (1 → 2 threads) | ${f.speedup.toFixed(2)}×`);
    console.log(`load average ${loadStart.toFixed(2)} at start, ${os.loadavg()[0]!.toFixed(2)} at end`);
  }
  process.exit(0);
}
if (args.only === 'generalization') {
  const shared = path.resolve(PACKAGE_ROOT, '..', 'shared', 'datasets');
  const data = args['gen-data'] ? args['gen-data'].split(',') : [path.join(shared, 'signglove-2025-10-01'), path.join(shared, 'signglove-2025-08-19')];
  log(`machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}, load average ${loadStart.toFixed(2)}`);
  const seeds = Math.max(1, Number(args.seeds));
  const workDir = path.join(os.tmpdir(), `signglove-bench-generalization-${process.pid}`);
  const { result, figures } = await generalizationBench({
    data, models: args['gen-models']!.split(',').filter(Boolean), seeds, epochs: args.epochs ? Number(args.epochs) : undefined,
    workDir, out: args['gen-out'],
    log: (l) => process.stderr.write(`${l}\n`),
  }).finally(() => rmSync(workDir, { recursive: true, force: true }));
  if (args.json) console.log(JSON.stringify({ figures, result }, null, 2));
  else {
    const f = (x: number): string => (x >= 10 ? x.toFixed(1) : x.toFixed(3));
    console.log('');
    console.log(['figure', 'signglove'].join(' | '));
    for (const r of figures) console.log([`${r.name}${r.unit ? ` [${r.unit}]` : ''}`, `${f(r.value)}${r.runs > 1 ? ` (${f(r.range[0])}–${f(r.range[1])})` : ''}`].join(' | '));
    console.log(`\nmeans (min–max) of ${seeds} seed${seeds === 1 ? '' : 's'}${result.quick ? '; quick: networks at most 30 epochs' : ''}; load average ${loadStart.toFixed(2)} at start, ${os.loadavg()[0]!.toFixed(2)} at end`);
  }
  process.exit(0);
}
log(`machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}, load average ${loadStart.toFixed(2)}`);
const kernels = backendByName(args.backend!);
log(`backend: ${kernels.name}; ${runs} runs per figure; data ${path.relative(process.cwd(), args.data!) || '.'}`);

const work = await loadWorkload(args.data!);
log(`data: ${work.train.N} training, ${work.test.N} test episodes of ${work.train.T}×${work.train.C}`);

// ---- signglove ----
const ours = new Map<string, { s: Summary; unit: string }>();
for (const arch of models) {
  const model = buildModel(arch, kernels);
  ours.set(`train epoch ${arch}`, { s: summarize(repeat(epochRunner(model, work.train, kernels), runs)), unit: 's' });
  // both cores: the trainer's data-parallel engine (`train --workers 2`), like PyTorch's 2 threads
  const p = await parallelEpochRunner(buildModel(arch, kernels), work.train, 2, args.backend === 'ts' ? 'ts' : 'wasm');
  ours.set(`train epoch ${arch} (2 workers)`, { s: summarize(await repeatAsync(p.run, runs)), unit: 's' });
  await p.stop();
  ours.set(`single-episode latency ${arch}`, { s: summarize(repeat(singleLatency(model, work.test, kernels), runs, 3)), unit: 'ms' });
  // PyTorch spreads one batch over its 2 threads; predictBatchParallel over 2 worker threads here
  const pool = await batchThroughputParallel(model, work.test, 2);
  ours.set(`batch throughput ${arch}`, { s: summarize(await repeatAsync(pool.run, runs, WARMUP_BATCHES)), unit: 'episodes/s' });
  await pool.stop();
  ours.set(`batch throughput ${arch} (1 thread)`, { s: summarize(repeat(batchThroughput(model, work.test, kernels), runs, WARMUP_BATCHES)), unit: 'episodes/s' });
  ours.set(`live recognition per frame ${arch}`, { s: summarize(repeat(liveFrameCost(model, kernels, work.scaler), runs)), unit: 'µs' });
  ours.set(`peak training memory ${arch}`, { s: summarize(memoryRuns(arch, Math.min(runs, 3))), unit: 'MB' });
  log(`signglove ${arch}: done`);
}

// ---- PyTorch ----
let torch: TorchFigures | null = null;
if (args['pytorch-figures']) torch = readFigures(args['pytorch-figures']);
else if (!args['no-pytorch']) {
  if (torchAvailable()) {
    log('PyTorch: running bench/torch_bench.py …');
    torch = runTorch(args.data!, runs, models);
    if (args['save-pytorch']) writeFileSync(args['save-pytorch'], JSON.stringify(torch) + '\n');
  } else log('PyTorch: python3 with torch, pandas and sklearn not found; pass --pytorch-figures FILE to compare');
}
if (torch) log(`PyTorch: ${JSON.stringify(torch.machine)}`);

// ---- table ----
const TARGETS: [RegExp, '<=' | '>=', number][] = [
  [/^train epoch/, '<=', 0.5],
  [/^single-episode latency/, '<=', 0.25],
  [/^batch throughput \S+$/, '>=', 2], // the multi-core figure; the 1-thread one is for information
  [/^peak training memory/, '<=', 1],
];
const rows: Row[] = [];
for (const [name, { s, unit }] of ours) {
  const t = torch?.results.find((r) => r.name === name.replace(' (2 workers)', ''));
  const ts = t ? summarize(t.values) : null;
  const ratio = ts ? s.median / ts.median : null;
  const goal = TARGETS.find(([re]) => re.test(name));
  const met = goal && ratio !== null ? (goal[1] === '<=' ? ratio <= goal[2] : ratio >= goal[2]) : null;
  rows.push({
    name, signglove: s.median, pytorch: ts?.median ?? null, unit, ratio,
    target: goal ? `${goal[1]} ${goal[2]}` : null, met,
    signgloveRange: [s.min, s.max], pytorchRange: ts ? [ts.min, ts.max] : null, runs: s.runs,
  });
}
// PyTorch at 2 threads (the anchor's setting) is often slower than at 1 thread on a small VM, so
// each headline figure is also compared with whichever PyTorch setting was faster (no target)
for (const r of [...rows]) {
  if (r.target === null || r.pytorch === null || r.name.startsWith('peak')) continue;
  const one = torch?.results.find((t) => t.name === `${r.name.replace(' (2 workers)', '')} (1 thread)`);
  if (!one) continue;
  const s1 = summarize(one.values);
  const higherIsBetter = r.unit === 'episodes/s';
  const oneIsFaster = higherIsBetter ? s1.median > r.pytorch : s1.median < r.pytorch;
  const best = oneIsFaster ? { median: s1.median, range: [s1.min, s1.max] as [number, number] } : { median: r.pytorch, range: r.pytorchRange! };
  rows.push({
    name: `${r.name} (vs PyTorch's faster thread setting: ${oneIsFaster ? '1' : '2'})`, signglove: r.signglove, pytorch: best.median,
    unit: r.unit, ratio: r.signglove / best.median, target: null, met: null,
    signgloveRange: r.signgloveRange, pytorchRange: best.range, runs: r.runs,
  });
}

const loadEnd = os.loadavg()[0]!;
if (args['save-json']) writeFileSync(args['save-json'], JSON.stringify(rows, null, 2) + '\n');
if (args.json) {
  console.log(JSON.stringify(rows, null, 2));
} else {
  const f = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(3));
  const range = (r: [number, number] | null): string => (r ? `(${f(r[0])}–${f(r[1])})` : '');
  console.log('');
  console.log(['figure', 'signglove', 'PyTorch', 'ratio', 'target'].join(' | '));
  for (const r of rows) {
    console.log([
      `${r.name} [${r.unit}]`,
      `${f(r.signglove)} ${range(r.signgloveRange)}`,
      r.pytorch === null ? '–' : `${f(r.pytorch)} ${range(r.pytorchRange)}`,
      r.ratio === null ? '–' : r.ratio.toFixed(2),
      r.target === null ? '' : `${r.target}${r.met === null ? '' : r.met ? ' met' : ' not met'}`,
    ].join(' | '));
  }
  console.log(`\nmedians (min–max) of ${runs} runs; load average ${loadStart.toFixed(2)} at start, ${loadEnd.toFixed(2)} at end`);
}

log('');
const live = await liveReal();
if (args['save-json']) writeFileSync(args['save-json'].replace(/\.json$/, '') + '-live.json', JSON.stringify(live, null, 2) + '\n');

if (args.kernels) {
  log('\ngemm GFLOPS at the GRU shapes (median, min–max):');
  for (const r of benchGemm([tsKernels, kernels], GRU_SHAPES, runs)) {
    log(`  ${r.backend.padEnd(10)} ${r.shape.label.padEnd(44)} ${r.gflops.median.toFixed(2)} (${r.gflops.min.toFixed(2)}–${r.gflops.max.toFixed(2)})`);
  }
}

if (!args['no-server']) {
  log('');
  await runServerLoadSection(args.json ?? false, false);
}

/** Peak RSS of fresh processes that train one epoch (maxRSS only grows, so one process per figure). */
function memoryRuns(arch: string, n: number): number[] {
  const here = fileURLToPath(import.meta.url);
  const ts = here.endsWith('.ts');
  const child = path.join(path.dirname(here), ts ? 'mem-child.ts' : 'mem-child.js');
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = spawnSync(process.execPath, [...(ts ? ['--import', 'tsx'] : []), child, arch, args.data!, args.backend!], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`mem-child failed: ${r.stderr.slice(-2000)}`);
    out.push((JSON.parse(r.stdout.trim().split('\n').pop()!) as { maxrss_mb: number }).maxrss_mb);
  }
  return out;
}

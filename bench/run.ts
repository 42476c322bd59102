/**
 * `npm run bench`: signglove against PyTorch, side by side in one run on this machine (issue 8),
 * plus the epoch time and latency of issue 3 and the per-frame cost of live recognition (issue 6),
 * and what users wait for (issue 19): calibrate, record → model, server capacity, in-browser calibration.
 * Every output starts with the host (CPU, its SIMD features, the engine's WebAssembly features):
 * who is ahead depends on it. Headline rows compare with PyTorch's faster thread setting (1 or 2).
 *
 * Options: USAGE below (`node dist/bench/run.js --help`).
 * Every figure is the median of N runs (default 5) with min–max; ratios are signglove / PyTorch.
 */
import '../src/nn/wasm/node-relaxed-simd.js'; // first: relaxed SIMD on Node 20, as the CLI has it
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
import { runServerLoad, type ServerLoadResult } from './server-load.js';
import { generalizationBench } from './generalization.js';
import { browserCalibration, type BrowserCalibration } from './browser-calibrate.js';
import { recordBench, type RecordBenchRow } from './record.js';
import { tuneBench } from './tune.js';
import { calibrateBench, type CalibrateBench } from './calibrate.js';
import { formatHost, hostInfo } from './host.js';
import { ARCHS, canonicalArch } from '../src/models/config.js';
import { defaultTrainWorkers } from '../src/cli/options.js';
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
  /** PyTorch's thread setting the row compares with: the faster of 1 and 2 per figure (2 for memory, as the anchor sets it). */
  pytorchThreads: 1 | 2 | null;
  /** PyTorch's other thread setting, for reference. */
  pytorchOther: { threads: 1 | 2; median: number; range: [number, number] } | null;
  /** The issue's goal for the ratio, e.g. "<= 0.5"; null for figures without one. */
  target: string | null;
  met: boolean | null;
  signgloveRange: [number, number];
  pytorchRange: [number, number] | null;
  runs: number;
}

/** What --help prints (and a bad flag points to). */
const USAGE = `usage: node dist/bench/run.js [--json] [--runs N] [--models GRU,MSStackedGRU] [--data DIR]
         [--train-models LIST]   (architectures whose training epoch is compared at the default worker count,
         min(2, cores); default all seven; --models get every figure)
         [--backend wasm|ts] [--pytorch-figures FILE | --no-pytorch] [--save-pytorch FILE] [--kernels]
         [--save-json FILE]   (also write the --json report to FILE, so one run gives both outputs)
         [--only train-epochs | server | live-real | generalization | browser-calibrate | record | calibrate] [--no-server] [--no-waits]
         (train-epochs: the training epoch of every --train-models architecture against PyTorch, nothing else;
         otherwise one part alone: the load benchmark of \`serve\` (--server-max N --server-step N --server-seconds S);
         the live recogniser on real held-out episodes (--bundle FILE, --words FILE); the protocols of \`signglove
         benchmark generalization\` on both days, quick by default (--gen-models ExtraTrees,GRU --seeds N --epochs N
         --gen-data DIR1,DIR2 --gen-out DIR); the Calibrate page's in-browser adaptation, k=3, CPU ×4 slower in
         Chromium; \`signglove calibrate\` k=3 on a real day (--calibrate-data DIR, --bundle NAME);
         or the whole run without the load benchmark / without the waits table's sections)
         [--only tune [--tune-epochs N --tune-trials N]]   (what a trial of \`signglove tune\` costs and the
         speed-up of parallel trials, 1 vs 2 threads)
Every figure is the median of N runs (default 5) with min–max; ratios are signglove / PyTorch.`;

let parsed;
try {
  parsed = parseArgs({
  options: {
    help: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    runs: { type: 'string', default: '5' },
    models: { type: 'string', default: 'GRU,MSStackedGRU' },
    'train-models': { type: 'string', default: ARCHS.join(',') },
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
    'no-waits': { type: 'boolean', default: false },
    'calibrate-data': { type: 'string', default: path.resolve(PACKAGE_ROOT, '..', 'shared', 'datasets', 'signglove-2025-08-19') },
    'server-max': { type: 'string' },
    'server-step': { type: 'string' },
    'server-seconds': { type: 'string' },
  },
});
} catch (e) {
  // a mistyped flag: one line and the usage, not a stack trace
  process.stderr.write(`bench: ${(e as Error).message.split('\n')[0]}\nrun with --help for the options\n`);
  process.exit(2);
}
const { values: args } = parsed;
if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const PARTS = ['train-epochs', 'server', 'live-real', 'generalization', 'browser-calibrate', 'record', 'tune', 'calibrate'];
if (args.only !== undefined && !PARTS.includes(args.only)) {
  process.stderr.write(`bench: --only takes one of ${PARTS.join(', ')}, got '${args.only}'\n`);
  process.exit(2);
}
const runs = Math.max(1, Number(args.runs));
const log = (s: string): void => {
  if (!args.json) console.log(s);
  else process.stderr.write(`${s}\n`);
};
// the host first, in every section: the same code is ~2× apart between CPUs
const host = hostInfo();
log(formatHost(host));

/** One figure of "what users wait for": a time, a count or a size, with its spread and goal. */
interface WaitRow {
  name: string;
  value: number;
  unit: string;
  range: [number, number] | null;
  runs: number;
  goal: string | null;
  met: boolean | null;
  note: string;
}
const waitRows: WaitRow[] = [];
const waitSummaries: Record<string, unknown> = {};

function printWaits(rows: readonly WaitRow[]): void {
  if (args.json || rows.length === 0) return;
  const f = (x: number): string => (Number.isInteger(x) || x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
  console.log('');
  console.log(['what users wait for', 'signglove', 'goal', 'note'].join(' | '));
  for (const r of rows) {
    console.log([
      `${r.name} [${r.unit}]`,
      `${f(r.value)}${r.range && r.runs > 1 ? ` (${f(r.range[0])}–${f(r.range[1])})` : ''}`,
      r.goal === null ? '' : `${r.goal}${r.met === null ? '' : r.met ? ' met' : ' not met'}`,
      r.note,
    ].join(' | '));
  }
}

/** `signglove calibrate` k=3 on a real day, the shipped default model as the base (issue 19). */
function calibrateSection(): CalibrateBench {
  const c = calibrateBench({ data: args['calibrate-data']!, model: args.bundle!, runs: Math.min(runs, 3), log });
  waitSummaries.calibrate = c;
  const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
  const base = { runs: c.wallSeconds.runs, goal: null, met: null };
  waitRows.push(
    { ...base, name: `calibrate k=3 (${c.model}, ${c.data}): command start → personal model`, value: c.wallSeconds.median, unit: 's', range: [c.wallSeconds.min, c.wallSeconds.max],
      note: `${c.shots} shots; held-out ${c.heldOut} episodes ${pct(c.before)} → ${pct(c.after)} (${c.method})` },
    { ...base, name: 'calibrate k=3: adapting alone', value: c.adaptSeconds.median, unit: 's', range: [c.adaptSeconds.min, c.adaptSeconds.max], note: 'as the command reports it' },
    { ...base, name: 'calibrate k=3: peak memory', value: c.peakMB.median, unit: 'MB', range: [c.peakMB.min, c.peakMB.max], note: 'resident, whole process' },
  );
  return c;
}

/** record → calibrate → live words on simulated new wearings (issue 14); record → model (issue 19). */
async function recordSection(): Promise<RecordBenchRow[]> {
  const rows = await recordBench({ model: args.bundle, log });
  waitSummaries.record = rows;
  const s = summarize(rows.map((r) => r.recordToModelSeconds));
  const m = summarize(rows.map((r) => r.calibratePeakMB));
  const sum = (k: 'before' | 'after' | 'usual') => rows.reduce((a, r) => a + r[k], 0);
  const total = rows.reduce((a, r) => a + r.words, 0);
  waitRows.push({
    name: `record → usable personal model (${args.bundle}, k=3, simulated new wearings)`, value: s.median, unit: 's', range: [s.min, s.max], runs: s.runs, goal: null, met: null,
    note: `${rows.length} wearings; calibrate peak ${m.median.toFixed(0)} MB; words exact ${sum('before')}/${total} → ${sum('after')}/${total} (usual wearing ${sum('usual')}/${total})`,
  });
  return rows;
}

/** The Calibrate page in Chromium with the CPU slowed ×4: how long a phone-class browser adapts (k = 3). */
async function browserSection(): Promise<BrowserCalibration> {
  const r = await browserCalibration({ throttle: 4, shots: 3 });
  waitSummaries.browserCalibrate = r;
  const goal = 20;
  waitRows.push(
    { name: `in-browser calibration k=${r.shots}, CPU ×${r.throttle} slower: adapting`, value: r.adaptSeconds, unit: 's', range: null, runs: 1,
      goal: `≤ ${goal} s`, met: r.adaptSeconds <= goal, note: `held-out holds ${r.before} → ${r.after}` },
    { name: 'in-browser calibration: Start → saved personal model', value: r.totalSeconds, unit: 's', range: null, runs: 1, goal: null, met: null, note: 'the simulated holds played 64× fast' },
  );
  return r;
}

/** The load benchmark of `signglove serve` (WebSocket gloves streaming real episodes, a flooding client, /health under batches). */
async function serverSection(): Promise<ServerLoadResult> {
  const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
  const r = await runServerLoad({
    maxClients: num(args['server-max']), step: num(args['server-step']), seconds: num(args['server-seconds']), data: args.data, log,
  });
  waitSummaries.server = r;
  const at = r.levels.find((l) => l.clients === r.heldClients);
  const goal = 200;
  waitRows.push(
    { name: 'concurrent 33 Hz gloves one server holds at frame → event p99 < 50 ms', value: r.heldClients, unit: 'gloves', range: null, runs: 1,
      goal: `≥ ${goal}`, met: r.heldClients >= goal,
      note: `${at ? `p99 ${at.p99.toFixed(1)} ms there; ` : ''}levels ${r.levels.map((l) => `${l.clients}: ${l.p99.toFixed(0)} ms`).join(', ')}; real episodes from ${r.frames.data}` },
    { name: "ten gloves' ping p99 while one client floods", value: r.flood.normalP99, unit: 'ms', range: null, runs: 1, goal: '< 50', met: r.flood.normalP99 < 50,
      note: r.flood.flooderClosed ? 'the flooder was closed by the server' : 'the flooder was not closed' },
    { name: '/health p99 while 512-episode batches run', value: r.health.p99, unit: 'ms', range: null, runs: 1, goal: null, met: null, note: `${r.health.batches} batches` },
  );
  return r;
}

/** A section alone (`--only NAME`): its figures, then the waits table (or one JSON document). */
async function only(run: () => unknown): Promise<never> {
  const result = await run();
  if (args.json) console.log(JSON.stringify({ host, result, waits: waitRows }, null, 2));
  else printWaits(waitRows);
  process.exit(0);
}
if (args.only === 'record') await only(recordSection);
if (args.only === 'server') await only(serverSection);
if (args.only === 'calibrate') await only(calibrateSection);
if (args.only === 'browser-calibrate') await only(browserSection);

// warm-up passes before timing batch throughput, the same number as bench/torch_bench.py gives
// PyTorch: the first passes of a fresh worker run WebAssembly's baseline code (V8 tiers hot
// functions up to optimised code after ~0.1 s), and PyTorch's first passes allocate its caches
const WARMUP_BATCHES = 5;
const trainEpochsOnly = args.only === 'train-epochs';
const models = trainEpochsOnly ? [] : args.models!.split(',').filter(Boolean).map(canonicalArch);
// the training epoch of every architecture at the worker count `signglove train` uses by default
const trainModels = args['train-models']!.split(',').filter(Boolean).map(canonicalArch);
const WORKERS = defaultTrainWorkers();
const epochRow = (arch: string): string => (WORKERS === 1 ? `train epoch ${arch}` : `train epoch ${arch} (${WORKERS} workers)`);

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
if (args.only === 'live-real') {
  const f = await liveReal();
  if (args.json) console.log(JSON.stringify({ host, result: f }, null, 2));
  process.exit(0);
}

const loadStart = os.loadavg()[0]!;
if (args.only === 'tune') {
  const f = await tuneBench({ data: args.data!, epochs: Number(args['tune-epochs']), trials: Number(args['tune-trials']), log });
  if (args.json) console.log(JSON.stringify({ host, result: f }, null, 2));
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
  const seeds = Math.max(1, Number(args.seeds));
  const workDir = path.join(os.tmpdir(), `signglove-bench-generalization-${process.pid}`);
  const { result, figures } = await generalizationBench({
    data, models: args['gen-models']!.split(',').filter(Boolean), seeds, epochs: args.epochs ? Number(args.epochs) : undefined,
    workDir, out: args['gen-out'],
    log: (l) => process.stderr.write(`${l}\n`),
  }).finally(() => rmSync(workDir, { recursive: true, force: true }));
  if (args.json) console.log(JSON.stringify({ host, figures, result }, null, 2));
  else {
    const f = (x: number): string => (x >= 10 ? x.toFixed(1) : x.toFixed(3));
    console.log('');
    console.log(['figure', 'signglove'].join(' | '));
    for (const r of figures) console.log([`${r.name}${r.unit ? ` [${r.unit}]` : ''}`, `${f(r.value)}${r.runs > 1 ? ` (${f(r.range[0])}–${f(r.range[1])})` : ''}`].join(' | '));
    console.log(`\nmeans (min–max) of ${seeds} seed${seeds === 1 ? '' : 's'}${result.quick ? '; quick: networks at most 30 epochs' : ''}; load average ${loadStart.toFixed(2)} at start, ${os.loadavg()[0]!.toFixed(2)} at end`);
  }
  process.exit(0);
}
const kernels = backendByName(args.backend!);
log(`backend: ${kernels.name}; ${runs} runs per figure; data ${path.relative(process.cwd(), args.data!) || '.'}`);

const work = await loadWorkload(args.data!);
log(`data: ${work.train.N} training, ${work.test.N} test episodes of ${work.train.T}×${work.train.C}`);
log(`training epochs at signglove train's default worker count here: ${WORKERS} (min(2, cores)); the target row is that one`);

// ---- signglove ----
const ours = new Map<string, { s: Summary; unit: string }>();
for (const arch of models) {
  const model = buildModel(arch, kernels);
  ours.set(`train epoch ${arch}`, { s: summarize(repeat(epochRunner(model, work.train, kernels), runs)), unit: 's' });
  // both cores: the trainer's data-parallel engine (`train`'s default --workers), like PyTorch's 2 threads
  if (WORKERS > 1) ours.set(epochRow(arch), { s: await parallelEpoch(arch), unit: 's' });
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

// the other architectures: the training epoch only, at the default worker count
const epochOnly = trainModels.filter((a) => !models.includes(a));
for (const arch of epochOnly) {
  ours.set(epochRow(arch), {
    s: WORKERS > 1 ? await parallelEpoch(arch) : summarize(repeat(epochRunner(buildModel(arch, kernels), work.train, kernels), runs)),
    unit: 's',
  });
  log(`signglove ${arch}: training epoch done`);
}

// ---- PyTorch ----
let torch: TorchFigures | null = null;
if (args['pytorch-figures']) torch = readFigures(args['pytorch-figures']);
else if (!args['no-pytorch']) {
  if (torchAvailable()) {
    log('PyTorch: running bench/torch_bench.py …');
    const full = models.length ? runTorch(args.data!, runs, models) : null;
    const epochs = epochOnly.length ? runTorch(args.data!, runs, epochOnly, true) : null;
    torch = { machine: (full ?? epochs)!.machine, results: [...(full?.results ?? []), ...(epochs?.results ?? [])] };
    if (args['save-pytorch']) writeFileSync(args['save-pytorch'], JSON.stringify(torch) + '\n');
  } else log('PyTorch: python3 with torch, pandas and sklearn not found; pass --pytorch-figures FILE to compare');
}
if (torch) log(`PyTorch: ${JSON.stringify(torch.machine)}`);

// ---- table ----
// the issue's targets for the ratio against PyTorch's faster thread setting
const TARGETS: [RegExp, '<=' | '>=', number][] = [
  // with the default worker count (the 1-thread row is for information when that is 2)
  [WORKERS === 1 ? /^train epoch \S+$/ : new RegExp(`^train epoch \\S+ \\(${WORKERS} workers\\)$`), '<=', 0.5],
  [/^single-episode latency/, '<=', 0.25],
  [/^batch throughput \S+$/, '>=', 1.5], // the multi-core figure; the 1-thread one is for information
  [/^peak training memory/, '<=', 1],
];
const rows: Row[] = [];
for (const [name, { s, unit }] of ours) {
  const base = name.replace(/ \(\d+ workers\)$/, '').replace(' (1 thread)', '');
  const two = torch?.results.find((r) => r.name === base);
  const one = torch?.results.find((r) => r.name === `${base} (1 thread)`);
  // PyTorch at the anchor's 2 threads is often slower than at 1 on a small VM: the row takes
  // whichever setting was faster for this figure, and says which (memory: as the anchor runs it)
  const higherIsBetter = unit === 'episodes/s';
  const sum = (t: typeof two): Summary | null => (t ? summarize(t.values) : null);
  const s2 = sum(two);
  const s1 = name.startsWith('peak') ? null : sum(one);
  let best: { s: Summary; threads: 1 | 2 } | null = s2 ? { s: s2, threads: 2 } : null;
  let other: { s: Summary; threads: 1 | 2 } | null = null;
  if (s1 && (!best || (higherIsBetter ? s1.median > best.s.median : s1.median < best.s.median))) {
    other = best;
    best = { s: s1, threads: 1 };
  } else if (s1) other = { s: s1, threads: 1 };
  const ratio = best ? s.median / best.s.median : null;
  const goal = TARGETS.find(([re]) => re.test(name));
  const met = goal && ratio !== null ? (goal[1] === '<=' ? ratio <= goal[2] : ratio >= goal[2]) : null;
  rows.push({
    name, signglove: s.median, pytorch: best?.s.median ?? null, unit, ratio,
    pytorchThreads: best?.threads ?? null,
    pytorchOther: other ? { threads: other.threads, median: other.s.median, range: [other.s.min, other.s.max] } : null,
    target: goal ? `${goal[1]} ${goal[2]}` : null, met,
    signgloveRange: [s.min, s.max], pytorchRange: best ? [best.s.min, best.s.max] : null, runs: s.runs,
  });
}

const loadEnd = os.loadavg()[0]!;
if (!args.json) {
  const f = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(3));
  const range = (r: [number, number] | null): string => (r ? `(${f(r[0])}–${f(r[1])})` : '');
  console.log('');
  console.log(['figure', 'signglove', "PyTorch, faster thread setting", 'ratio', 'target', 'PyTorch, other setting'].join(' | '));
  for (const r of rows) {
    console.log([
      `${r.name} [${r.unit}]`,
      `${f(r.signglove)} ${range(r.signgloveRange)}`,
      r.pytorch === null ? '–' : `${f(r.pytorch)} ${range(r.pytorchRange)} at ${r.pytorchThreads} thread${r.pytorchThreads === 1 ? '' : 's'}`,
      r.ratio === null ? '–' : r.ratio.toFixed(2),
      r.target === null ? '' : `${r.target}${r.met === null ? '' : r.met ? ' met' : ' not met'}`,
      r.pytorchOther ? `${f(r.pytorchOther.median)} ${range(r.pytorchOther.range)} at ${r.pytorchOther.threads} thread${r.pytorchOther.threads === 1 ? '' : 's'}` : '',
    ].join(' | '));
  }
  console.log(`\nmedians (min–max) of ${runs} runs; ratios are signglove / PyTorch at its faster thread setting for that figure; load average ${loadStart.toFixed(2)} at start, ${loadEnd.toFixed(2)} at end`);
}

if (trainEpochsOnly) {
  if (args.json) console.log(JSON.stringify({ host, pytorchMachine: torch?.machine ?? null, backend: kernels.name, runs, workers: WORKERS, loadAverage: { start: loadStart, end: loadEnd }, rows }, null, 2));
  process.exit(0);
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

// ---- what users wait for ----
if (!args['no-waits']) {
  log('');
  calibrateSection();
  log('');
  await recordSection();
  log('');
  await browserSection();
}
if (!args['no-server']) {
  log('');
  await serverSection();
}
printWaits(waitRows);

// one JSON document: the host, the comparison rows, and the waits with their details
const report = { host, pytorchMachine: torch?.machine ?? null, backend: kernels.name, runs, workers: WORKERS, loadAverage: { start: loadStart, end: loadEnd }, rows, waits: waitRows, waitDetails: waitSummaries };
if (args['save-json']) writeFileSync(args['save-json'], JSON.stringify(report, null, 2) + '\n');
if (args.json) console.log(JSON.stringify(report, null, 2));

/** One training epoch at the default worker count (the trainer's data-parallel engine): its summary over the runs. */
async function parallelEpoch(arch: string): Promise<Summary> {
  const p = await parallelEpochRunner(buildModel(arch, kernels), work.train, WORKERS, args.backend === 'ts' ? 'ts' : 'wasm');
  try {
    return summarize(await repeatAsync(p.run, runs));
  } finally {
    await p.stop();
  }
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

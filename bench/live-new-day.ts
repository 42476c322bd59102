/**
 * Live recognition on a day the model never saw: a tree ensemble trained on one recording day
 * streams phrases spelled with every episode of the other day, read (a) with the training day's
 * statistics, as a glove put on again without calibration is, and (b) with running statistics that
 * learn the new wearing from its recognised holds (one running session per seed, over its 48
 * phrases); then calibrated with 3 basic-posture holds per letter of the new day (streaming its
 * other holds), without and with running statistics on top. Run: `npm run build && node dist/bench/live-new-day.js [--seeds 1,2,3] [--json]`.
 */
import path from 'node:path';
import { runTrainJob } from '../src/train/pipeline.js';
import { loadModel } from '../src/infer/index.js';
import { loadDataset } from '../src/data/load.js';
import { calibrateModel } from '../src/train/calibrate.js';
import { JAMO } from '../src/jamo.js';
import { runLiveBenchmark } from '../src/eval/live-benchmark.js';
import { loadLexicon } from '../src/stream/lexicon-files.js';
import { WordDecoder } from '../src/stream/word-decoder.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';

const SHARED = process.env.SIGNGLOVE_SHARED ?? path.resolve(PACKAGE_ROOT, '..', 'shared');
const DAYS = ['signglove-2025-10-01', 'signglove-2025-08-19'].map((d) => path.join(SHARED, 'datasets', d));
const at = process.argv.indexOf('--seeds');
const seeds = at > 0 ? process.argv[at + 1]!.split(',').map(Number) : [1, 2, 3];
const pf = process.argv.indexOf('--prior-frames');
const priorFrames = pf > 0 ? Number(process.argv[pf + 1]) : undefined;
const decoder = new WordDecoder(loadLexicon({ dictionary: true }));
const dir = mkdtempSync(path.join(os.tmpdir(), 'signglove-newday-'));
const rows: Record<string, string | number>[] = [];
try {
  for (const [a, b] of [[0, 1], [1, 0]] as const) {
    const r = await runTrainJob({ arch: 'ExtraTrees', data: DAYS[a]!, split: 'random', outDir: path.join(dir, String(a)), charts: false, log: () => {} });
    const model = await loadModel(r.folds[0]!.bundle);
    const day = (await loadDataset(DAYS[b]!, { channels: model.info.channels })).episodes;
    // calibration as `signglove calibrate --shots 3` would take it: 3 holds per letter of the basic posture (folder 3)
    const shots = JAMO.flatMap((j) => day.filter((e) => e.jamo === j && e.session === '3').slice(0, 3));
    const rest = day.filter((e) => !shots.includes(e));
    const calibrated = (await calibrateModel(model, shots, { seed: 1 })).predictor;
    const setups = [
      { name: "the training day's (no calibration)", m: model, adapt: false, episodes: day },
      { name: 'running (learnt while signing)', m: model, adapt: true, episodes: day },
      { name: 'calibrated (3 basic-posture holds per letter)', m: calibrated, adapt: false, episodes: rest },
      { name: 'calibrated, then running', m: calibrated, adapt: true, episodes: rest },
    ];
    for (const s of setups) {
      const res = await runLiveBenchmark(s.m, { data: DAYS[b]!, newDay: true, episodes: s.episodes, adapt: s.adapt ? { priorFrames } : false, seeds, decoder });
      rows.push({
        'trained on → streamed': `${path.basename(DAYS[a]!).slice(-10)} → ${path.basename(DAYS[b]!).slice(-10)}`,
        statistics: s.name,
        'words exact': res.exactRate,
        'with the lexicon': res.decodedExactRate!,
        'letter error rate': res.letterErrorRate,
      });
      process.stderr.write(`${rows.at(-1)!['trained on → streamed']} ${s.name}: done\n`);
    }
    await model.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify({ seeds, rows }, null, 2)}\n`);
else {
  const keys = Object.keys(rows[0]!);
  process.stdout.write(`| ${keys.join(' | ')} |\n| ${keys.map(() => '---').join(' | ')} |\n`);
  for (const r of rows) process.stdout.write(`| ${keys.map((k) => (typeof r[k] === 'number' ? `${((r[k] as number) * 100).toFixed(1)}%` : r[k])).join(' | ')} |\n`);
  process.stdout.write(`\n${seeds.length} seeds × 48 phrases per row\n`);
}

/**
 * What each part of the input pipeline is worth, measured with the tree ensemble (it fits in
 * about a second, so every variant runs every protocol): cross-day zero-shot both ways (the new
 * day's statistics from all its unlabelled frames) and leave-one-posture-out on each day (statistics
 * from the training folders). Run: `npm run build && node dist/bench/ablation.js [--json]`.
 */
import path from 'node:path';
import { defaultPipeline, PIPELINE_RAW, type InputPipelineConfig, type SessionStats } from '../src/data/session-norm.js';
import type { Episode } from '../src/data/types.js';
import { loadWearings } from '../src/train/pipeline.js';
import { featuresOf, fitWearingStats, normalizeByWearing } from '../src/train/session-data.js';
import { fitExtraTrees, predictExtraTrees } from '../src/trees/extra-trees.js';
import { PACKAGE_ROOT } from '../src/paths.js';

const SHARED = process.env.SIGNGLOVE_SHARED ?? path.resolve(PACKAGE_ROOT, '..', 'shared');
const DAYS = ['signglove-2025-10-01', 'signglove-2025-08-19'].map((d) => path.join(SHARED, 'datasets', d));

interface Variant {
  name: string;
  cfg: InputPipelineConfig;
  /** 'session': each wearing by its own statistics; 'source': the training day's statistics for every day (one scaler). */
  stats: 'session' | 'source';
}

const base = defaultPipeline();
const VARIANTS: Variant[] = [
  { name: 'one scaler from the training day (as before)', cfg: base, stats: 'source' },
  { name: 'per-session normalisation, faults removed, no yaw (default)', cfg: base, stats: 'session' },
  { name: '… with yaw', cfg: defaultPipeline([...base.inputs, 'yaw']), stats: 'session' },
  { name: '… without pitch', cfg: defaultPipeline(base.inputs.filter((c) => c !== 'pitch')), stats: 'session' },
  { name: '… faults not removed', cfg: { ...base, faults: { ...base.faults, flexValid: [-1e9, 1e9], stuckStd: -1, sessionShare: 2 } }, stats: 'session' },
];

function accuracy(cfg: InputPipelineConfig, train: Episode[], trainStats: Map<string, SessionStats>, test: Episode[], testStats: Map<string, SessionStats>): number {
  const tr = normalizeByWearing(cfg, trainStats, train);
  const te = normalizeByWearing(cfg, testStats, test);
  const x = featuresOf(cfg, trainStats, tr);
  const F = x.length / tr.length;
  const forest = fitExtraTrees(x, Int32Array.from(tr.map((e) => e.label)), 24, F, { trees: 100, seed: 1 });
  const p = predictExtraTrees(forest, featuresOf(cfg, testStats, te), te.length);
  let ok = 0;
  te.forEach((e, n) => {
    let a = 0;
    for (let k = 1; k < 24; k++) if (p[n * 24 + k]! > p[n * 24 + a]!) a = k;
    if (a === e.label) ok++;
  });
  return ok / te.length;
}

const days = [];
for (const d of DAYS) days.push((await loadWearings(d, PIPELINE_RAW)).episodes.map((e) => ({ ...e, wearing: path.basename(d) })));
const rows: Record<string, number | string>[] = [];
for (const v of VARIANTS) {
  const row: Record<string, number | string> = { variant: v.name };
  for (const [a, b] of [[0, 1], [1, 0]] as const) {
    const sa = fitWearingStats(v.cfg, days[a]!);
    const own = fitWearingStats(v.cfg, days[b]!);
    // 'source': the test day read with the training day's statistics (keeping its own fault mask)
    const source = [...sa.values()][0]!;
    const sb = v.stats === 'session' ? own : new Map([...own].map(([w, s]) => [w, { ...source, masked: s.masked }]));
    row[`${path.basename(DAYS[a]!).slice(-5)}→${path.basename(DAYS[b]!).slice(-5)}`] = accuracy(v.cfg, days[a]!, sa, days[b]!, sb);
  }
  for (const [i, eps] of days.entries()) {
    const accs = ['1', '2', '3', '4', '5'].map((p) => {
      const tr = eps.filter((e) => e.session !== p);
      const te = eps.filter((e) => e.session === p);
      const st = fitWearingStats(v.cfg, tr);
      return accuracy(v.cfg, tr, st, te, st);
    });
    row[`posture ${path.basename(DAYS[i]!).slice(-5)}`] = accs.reduce((s, x) => s + x, 0) / accs.length;
  }
  rows.push(row);
  process.stderr.write(`${v.name}: done\n`);
}
if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
else {
  const keys = Object.keys(rows[0]!);
  process.stdout.write(`| ${keys.join(' | ')} |\n| ${keys.map(() => '---').join(' | ')} |\n`);
  for (const r of rows) process.stdout.write(`| ${keys.map((k) => (typeof r[k] === 'number' ? `${((r[k] as number) * 100).toFixed(1)}%` : r[k])).join(' | ')} |\n`);
}

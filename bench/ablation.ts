/**
 * What each part of the input pipeline is worth, measured with the tree ensemble (it fits in
 * about a second, so every variant runs every protocol): cross-day zero-shot both ways (the new
 * day's statistics from all its unlabelled frames) and leave-one-posture-out on each day (statistics
 * from the training folders). Run: `npm run build && node dist/bench/ablation.js [--json]`.
 *
 * A second table says what the posture folders allow, with the default pipeline: leave-one-posture-
 * out per held-out folder, and a forest fitted on every basic-posture (folder 3) hold of a day and
 * tested on its other folders — a ceiling for strict calibration from basic-posture shots that
 * has no other day to learn posture change from.
 */
import path from 'node:path';
import { defaultPipeline, neverWorkingInputs, orientTrainingSessions, PIPELINE_RAW, type InputPipelineConfig, type SessionStats } from '../src/data/session-norm.js';
import { isFlexChannel } from '../src/data/sensor-faults.js';
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
  /** Turn each wearing's gravity into the model's frame (pipelines with gravity inputs). */
  align?: boolean;
  /**
   * A flex channel broken on the test day only: 'mask' fits the forest without it (what a tree
   * bundle does for such a session), 'impute' reads it as the session mean everywhere (0) with the
   * forest as trained, 'dropout' trains on extra copies with each flex channel masked in turn.
   */
  broken?: 'mask' | 'impute' | 'dropout';
}

const base = defaultPipeline();
const angles = defaultPipeline(['flex1', 'flex2', 'flex3', 'flex4', 'flex5', 'pitch', 'roll']);
const VARIANTS: Variant[] = [
  { name: 'one scaler from the training day, pitch and roll', cfg: angles, stats: 'source', broken: 'impute' },
  { name: 'per-session normalisation of pitch and roll (the previous default)', cfg: angles, stats: 'session', broken: 'impute' },
  { name: '**gravity turned per wearing, broken sensor masked (default)**', cfg: base, stats: 'session', align: true, broken: 'mask' },
  { name: '… gravity not turned', cfg: base, stats: 'session', align: false, broken: 'mask' },
  { name: '… broken sensor imputed (session mean)', cfg: base, stats: 'session', align: true, broken: 'impute' },
  { name: '… broken sensor: channel dropout in training', cfg: base, stats: 'session', align: true, broken: 'dropout' },
  { name: '… with yaw', cfg: defaultPipeline([...base.inputs, 'yaw']), stats: 'session', align: true, broken: 'mask' },
  { name: '… faults not removed', cfg: { ...base, faults: { ...base.faults, flexValid: [-1e9, 1e9], stuckStd: -1, sessionShare: 2 } }, stats: 'session', align: true, broken: 'mask' },
];

const withMask = (stats: Map<string, SessionStats>, channels: readonly string[]) =>
  new Map([...stats].map(([w, st]) => [w, { ...st, masked: [...new Set([...st.masked, ...channels])] }]));

function accuracy(v: Variant, cfg: InputPipelineConfig, train: Episode[], trainStats: Map<string, SessionStats>, test: Episode[], testStats: Map<string, SessionStats>): number {
  // a sensor no training wearing had working is unknown on the test day too (as a model reads it)
  testStats = withMask(testStats, neverWorkingInputs(cfg.inputs, [...trainStats.values()].map((s) => s.masked)));
  const tr = normalizeByWearing(cfg, trainStats, train);
  const te = normalizeByWearing(cfg, testStats, test);
  const trainMasked = new Set([...trainStats.values()].flatMap((s) => s.masked));
  const fresh = [...new Set([...testStats.values()].flatMap((s) => s.masked))].filter((c) => !trainMasked.has(c));
  const parts = [featuresOf(cfg, v.broken === 'mask' ? withMask(trainStats, fresh) : trainStats, tr)];
  if (v.broken === 'dropout') for (const ch of cfg.inputs.filter(isFlexChannel)) parts.push(featuresOf(cfg, withMask(trainStats, [ch]), tr));
  const x = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (x.set(p, at), at + p.length), 0);
  const F = parts[0]!.length / tr.length;
  const y = Int32Array.from(parts.flatMap(() => tr.map((e) => e.label)));
  const forest = fitExtraTrees(x, y, 24, F, { trees: 100, seed: 1 });
  const p = predictExtraTrees(forest, featuresOf(cfg, testStats, te), te.length);
  let ok = 0;
  te.forEach((e, n) => {
    let a = 0;
    for (let k = 1; k < 24; k++) if (p[n * 24 + k]! > p[n * 24 + a]!) a = k;
    if (a === e.label) ok++;
  });
  return ok / te.length;
}

/** Training statistics and the pipeline in their orientation frame (unturned when the variant says so). */
function fitTraining(v: Variant, eps: Episode[]): { cfg: InputPipelineConfig; stats: Map<string, SessionStats> } {
  const stats = fitWearingStats(v.cfg, eps);
  return { cfg: v.align ? orientTrainingSessions(v.cfg, stats.values()) : v.cfg, stats };
}

const days = [];
for (const d of DAYS) days.push((await loadWearings(d, PIPELINE_RAW)).episodes.map((e) => ({ ...e, wearing: path.basename(d) })));
const rows: Record<string, number | string>[] = [];
for (const v of VARIANTS) {
  const row: Record<string, number | string> = { variant: v.name };
  for (const [a, b] of [[0, 1], [1, 0]] as const) {
    const { cfg, stats: sa } = fitTraining(v, days[a]!);
    const own = fitWearingStats(cfg, days[b]!);
    // 'source': the test day read with the training day's statistics (keeping its own fault mask)
    const source = [...sa.values()][0]!;
    const sb = v.stats === 'session' ? own : new Map([...own].map(([w, s]) => [w, { ...source, masked: s.masked }]));
    row[`${path.basename(DAYS[a]!).slice(-5)}→${path.basename(DAYS[b]!).slice(-5)}`] = accuracy(v, cfg, days[a]!, sa, days[b]!, sb);
  }
  for (const [i, eps] of days.entries()) {
    const accs = ['1', '2', '3', '4', '5'].map((p) => {
      const tr = eps.filter((e) => e.session !== p);
      const te = eps.filter((e) => e.session === p);
      const { cfg, stats } = fitTraining(v, tr);
      return accuracy(v, cfg, tr, stats, te, stats);
    });
    row[`posture ${path.basename(DAYS[i]!).slice(-5)}`] = accs.reduce((s, x) => s + x, 0) / accs.length;
  }
  rows.push(row);
  process.stderr.write(`${v.name}: done\n`);
}
const def = VARIANTS.find((v) => v.name.includes('(default)'))!;
const folders: Record<string, number | string>[] = days.map((eps, i) => {
  const row: Record<string, number | string> = { day: path.basename(DAYS[i]!) };
  const split = (test: (p: string) => boolean) => {
    const tr = eps.filter((e) => !test(e.session));
    const te = eps.filter((e) => test(e.session));
    const { cfg, stats } = fitTraining(def, tr);
    return accuracy(def, cfg, tr, stats, te, stats);
  };
  for (const p of ['1', '2', '3', '4', '5']) row[`folder ${p} held out`] = split((s) => s === p);
  row['only folder 3 → folders 1, 2, 4, 5'] = split((s) => s !== '3');
  return row;
});
const table = (rs: Record<string, number | string>[]) => {
  const keys = Object.keys(rs[0]!);
  process.stdout.write(`| ${keys.join(' | ')} |\n| ${keys.map(() => '---').join(' | ')} |\n`);
  for (const r of rs) process.stdout.write(`| ${keys.map((k) => (typeof r[k] === 'number' ? `${((r[k] as number) * 100).toFixed(1)}%` : r[k])).join(' | ')} |\n`);
};
if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify({ variants: rows, folders }, null, 2)}\n`);
else {
  table(rows);
  process.stdout.write('\n');
  table(folders);
}

/**
 * The generalization group of `npm run bench -- --only generalization`: the protocols of
 * `signglove benchmark generalization` (src/eval/generalization.ts) on both recording days, printed
 * as figure lines like the rest of the bench (mean with min–max over seeds), and written as the
 * benchmark's JSON/HTML/chart when --gen-out is given. Quick by default (1 seed, networks ≤ 30
 * epochs); --seeds N and --epochs N for a fuller run.
 */
import { runGeneralization, type GeneralizationResult } from '../src/eval/generalization.js';
import { writeGeneralizationOutputs } from '../src/eval/generalization-report.js';
import { selectKernels } from '../src/nn/select-kernels.js';

export interface GeneralizationBenchOptions {
  data: string[];
  models: string[];
  seeds: number;
  epochs?: number;
  workDir: string;
  out?: string;
  log: (line: string) => void;
}

export interface GeneralizationFigure {
  name: string;
  value: number;
  unit: string;
  range: [number, number];
  runs: number;
}

export async function generalizationBench(o: GeneralizationBenchOptions): Promise<{ result: GeneralizationResult; figures: GeneralizationFigure[] }> {
  const result = await runGeneralization({
    data: o.data, models: o.models, seeds: o.seeds, quick: o.epochs === undefined, epochs: o.epochs,
    workDir: o.workDir, kernels: selectKernels('auto'), log: o.log,
  });
  if (o.out) for (const f of await writeGeneralizationOutputs(result, o.out)) o.log(`wrote ${f}`);
  const short = (d: string) => d.replace(/^signglove-/, '');
  const figures: GeneralizationFigure[] = [];
  for (const r of result.rows) {
    const data = r.train === r.test ? short(r.train) : `${short(r.train)} → ${short(r.test)}`;
    const name = `generalization ${r.protocol}${r.k === undefined ? '' : ` k=${r.k}`} ${r.model} ${data}`;
    figures.push({ name: `${name} top-1`, value: r.summary.top1.mean * 100, unit: '%', range: [r.summary.top1.min * 100, r.summary.top1.max * 100], runs: r.perSeed.length });
    figures.push({ name: `${name} ECE`, value: r.summary.ece.mean, unit: '', range: [r.summary.ece.min, r.summary.ece.max], runs: r.perSeed.length });
    if (r.summary.calibrateSeconds) {
      const s = r.summary.calibrateSeconds;
      figures.push({ name: `${name} calibration time`, value: s.mean, unit: 's', range: [s.min, s.max], runs: r.perSeed.length });
    }
  }
  return { result, figures };
}

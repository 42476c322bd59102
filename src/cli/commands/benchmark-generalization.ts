import type { Command } from 'commander';
import path from 'node:path';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { writeFileAtomic } from '../../eval/atomic-write.js';
import { findModelName, MODEL_NAMES, modelArch, modelNameOf } from '../../models/index.js';
import { mergeGeneralizationResults, runGeneralization, type GeneralizationResult, DEFAULT_MODELS, DEFAULT_SHOTS, DEFAULT_WARMUP } from '../../eval/generalization.js';
import { formatGeneralizationTable, writeGeneralizationOutputs } from '../../eval/generalization-report.js';
import { selectKernels } from '../../nn/select-kernels.js';
import { createProgress } from '../progress.js';
import { UserError } from '../errors.js';
import { defaultTrainWorkers, tableStyle, WORKERS_DEFAULT_HELP } from '../options.js';

/** A positive whole number for a flag, or a one-line user error. */
function positiveInt(flag: string, v: string): number {
  const x = Number(v);
  if (v.trim() === '' || !Number.isInteger(x) || x < 1) throw new UserError(`${flag} needs a whole number ≥ 1, got '${v}'`);
  return x;
}

/** Parses and checks the generalization flags; throws UserError (exit 2) with one line. */
export function parseGeneralizationFlags(o: { data?: string[]; models: string; seeds: string; shots: string; warmup: string; epochs?: string; workers: string }): {
  data: string[]; models: string[]; seeds: number; shots: number[]; warmup: number; epochs?: number; workers: number;
} {
  const data = o.data ?? [];
  if (data.length === 0) throw new UserError('--data needs at least one dataset folder (two or more for the cross-day protocols)');
  for (const d of data) {
    if (!existsSync(d) || !statSync(d).isDirectory()) throw new UserError(`no such dataset folder: ${d}`);
  }
  const names = data.map((d) => path.basename(path.resolve(d)));
  if (new Set(names).size !== names.length) throw new UserError(`--data folders need distinct names (each is one day): ${names.join(', ')}`);
  const spelled = o.models.split(',').map((s) => s.trim()).filter(Boolean);
  if (spelled.length === 0) throw new UserError('--models needs at least one model');
  const bad = spelled.find((m) => !findModelName(m));
  if (bad) throw new UserError(`unknown model '${bad}' in --models; use ${MODEL_NAMES.join(', ')}`);
  // the benchmark works with the internal architecture names (its report and folders use them)
  const models = spelled.map((m) => modelArch(m));
  const shotParts = o.shots.split(',').map((s) => s.trim()).filter(Boolean);
  if (shotParts.length === 0) throw new UserError('--shots needs at least one number of shots per letter, e.g. 1,3,5');
  const shots = shotParts.map((s) => positiveInt('--shots', s));
  return {
    data,
    models,
    seeds: positiveInt('--seeds', o.seeds),
    shots: [...new Set(shots)].sort((a, b) => a - b),
    warmup: positiveInt('--warmup', o.warmup),
    epochs: o.epochs === undefined ? undefined : positiveInt('--epochs', o.epochs),
    workers: positiveInt('--workers', o.workers),
  };
}

/** The runs in generalization.json files, merged into one result; a bad file is a user error with one line. */
function readGeneralizationRuns(files: readonly string[]): GeneralizationResult {
  const runs = files.map((f) => {
    let r: GeneralizationResult;
    try {
      r = JSON.parse(readFileSync(f, 'utf8')) as GeneralizationResult;
    } catch (e) {
      throw new UserError(`${f}: cannot read it as JSON (${(e as Error).message.split('\n')[0]})`);
    }
    if (r?.format !== 'signglove-generalization') throw new UserError(`${f} is not a generalization.json`);
    return r;
  });
  try {
    return mergeGeneralizationResults(runs);
  } catch (e) {
    throw new UserError((e as Error).message);
  }
}

/** `signglove benchmark generalization` (a subcommand of benchmark.ts). */
export function addGeneralizationBenchmark(bench: Command): void {
  bench
    .command('generalization')
    .description('random split, leave-one-posture-out, cross-day zero-shot and calibrated, per model and seed (mean ± spread)')
    .option('-d, --data <dirs...>', 'dataset folders, each one recording day (wearing); two or more for cross-day')
    .option('--models <list>', 'models, comma-separated', DEFAULT_MODELS.map(modelNameOf).join(','))
    .option('--seeds <n>', 'seeds per protocol (42, 43, …)', '3')
    .option('--shots <list>', 'calibration shots per letter, comma-separated', DEFAULT_SHOTS.join(','))
    .option('--warmup <n>', 'unlabelled warm-up episodes of the new day for zero-shot statistics', String(DEFAULT_WARMUP))
    .option('--epochs <n>', 'maximum training epochs of networks (default 100; 30 with --quick)')
    .option('--workers <n>', `threads for data-parallel network training (default ${WORKERS_DEFAULT_HELP})`, String(defaultTrainWorkers()))
    .option('--quick', 'one seed, networks at most 30 epochs and 10 calibration epochs: for development and CI-size runs')
    .option('-o, --out <dir>', 'output folder: generalization.json, generalization.html, generalization-shots.svg/.png', path.join('runs', 'generalization'))
    .option('--json', 'print the result JSON on stdout instead of the table')
    .option('--from-json <files...>', 're-render the report, chart and table from generalization.json files, without running; runs of different models on the same days and seeds become one report')
    .action(async (o) => {
      if (o.fromJson) {
        const result = readGeneralizationRuns(o.fromJson as string[]);
        const files = await writeGeneralizationOutputs(result, o.out);
        process.stderr.write(`wrote ${files.join(', ')}\n`);
        process.stdout.write(`${formatGeneralizationTable(result, { style: tableStyle() })}\n`);
        return;
      }
      const f = parseGeneralizationFlags(o);
      const seeds = o.quick && o.seeds === '3' ? 1 : f.seeds;
      const progress = createProgress(process.stderr);
      const kernels = selectKernels('auto');
      const result = await runGeneralization({
        data: f.data, models: f.models, seeds, shots: f.shots, warmup: f.warmup, epochs: f.epochs, quick: !!o.quick, workers: f.workers,
        workDir: path.join(o.out, 'models'), kernels,
        log: (l) => progress.log(l),
        // a checkpoint after each model × seed, so a long run that is stopped keeps its figures
        onPartial: (partial) => writeFileAtomic(path.join(o.out, 'generalization.json'), `${JSON.stringify(partial, null, 2)}\n`),
        onStep: (done, total, label) => {
          progress.start(total, 'generalization');
          progress.update(done, { step: label });
        },
      });
      progress.stop();
      const files = await writeGeneralizationOutputs(result, o.out);
      process.stderr.write(`wrote ${files.join(', ')}\n`);
      if (o.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else process.stdout.write(`${formatGeneralizationTable(result, { style: tableStyle() })}\n`);
    });
}

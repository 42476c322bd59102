import { Option, type Command } from 'commander';
import Table from 'cli-table3';
import path from 'node:path';
import { readdirSync } from 'node:fs';
import type { CommandModule } from '../command-module.js';
import { loadModel, MAX_FRAMES, type LoadedModel } from '../../infer/index.js';
import { fitUnknownWearings, selectEpisodes } from '../../eval/run.js';
import type { LoadedDataset } from '../../data/index.js';
import { MODEL_NAMES } from '../../models/index.js';
import { computeMetrics } from '../../eval/metrics.js';
import { writeComparisonChart } from '../../eval/report.js';
import { writeFileAtomic } from '../../eval/atomic-write.js';
import { datasetName, loadWearings, runTrainJob } from '../../train/pipeline.js';
import { selectKernels } from '../../nn/select-kernels.js';
import { MODELS_DIR } from '../../paths.js';
import { createProgress } from '../progress.js';
import { UserError } from '../errors.js';
import { defaultTrainWorkers, int, modelNameList, tableStyle, WORKERS_DEFAULT_HELP } from '../options.js';
import { printOut } from '../output.js';

export interface ComparisonResult {
  model: string;
  arch: string;
  testAccuracy: number;
  top5: number;
  macroF1: number;
  params: number;
  epochs: number | null;
  trainSeconds: number | null;
  latencyMs: number;
  n: number;
  evaluatedOn: string;
}

/** Median wall time of one single-episode prediction (after warm-up), in ms. */
export function singleEpisodeLatencyMs(model: LoadedModel, episode: Parameters<LoadedModel['predict']>[0], runs = 50): number {
  for (let i = 0; i < 5; i++) model.predict(episode);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    model.predict(episode);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

export const compareCommand: CommandModule = (program: Command) => {
  program
    .command('compare')
    .description('compare models on the test episodes they never saw: accuracy, macro-F1, size, training time, latency')
    .argument('[bundles...]', 'model bundles to compare (default: every shipped model)')
    .requiredOption('-d, --data <dir...>', 'dataset root(s) to evaluate on, each one wearing (for a model trained on them: only its test episodes)')
    .option('--train', 'train the models first (random split), then compare the new bundles')
    .addOption(new Option('--models <list>', `with --train: models, comma-separated (${MODEL_NAMES.join(', ')})`).argParser(modelNameList).default([...MODEL_NAMES], 'all of them'))
    .option('--epochs <n>', 'with --train: maximum epochs', int, 100)
    .option('--seed <n>', 'with --train: seed', int, 42)
    .option('--workers <n>', `with --train: threads for data-parallel training (default ${WORKERS_DEFAULT_HELP}; see train --help)`, int, defaultTrainWorkers())
    .option('-o, --out <dir>', 'write comparison.json and the comparison chart here (and trained bundles with --train)')
    .option('--json', 'print one JSON array')
    .action(async (bundlesArg: string[], o) => {
      const log = createProgress(process.stderr);
      let bundles = bundlesArg;
      if (o.train) {
        if (o.workers < 1) throw new UserError(`--workers needs at least 1 (this thread), got ${o.workers}`);
        const outDir = o.out ?? path.join('runs', 'compare');
        bundles = [];
        for (const arch of o.models as string[]) {
          const r = await runTrainJob({
            arch, data: o.data, split: 'random', outDir, train: { epochs: o.epochs, seed: o.seed, workers: o.workers },
            kernels: selectKernels('auto'), log: (l) => log.log(l),
            onBatch: (i, n) => {
              if (i === 1) log.start(n, arch);
              log.update(i);
            },
          });
          bundles.push(...r.folds.map((f) => f.bundle));
        }
      } else if (bundles.length === 0) {
        bundles = readdirSync(MODELS_DIR).filter((f) => f.endsWith('.safetensors')).sort().map((f) => path.join(MODELS_DIR, f));
        if (bundles.length === 0) throw new UserError(`no shipped models in ${MODELS_DIR}; give bundle paths or use --train`);
      }
      const datasets = new Map<string, LoadedDataset>();
      const rows: ComparisonResult[] = [];
      for (const b of bundles) {
        const model = await loadModel(b).catch((e: Error) => {
          throw new UserError(e.message);
        });
        const key = model.info.channels.join(',');
        if (!datasets.has(key)) datasets.set(key, await loadWearings(o.data, model.info.channels, { maxLength: MAX_FRAMES }));
        const ds = datasets.get(key)!;
        const sel = selectEpisodes(ds.episodes, model.info, { dataName: datasetName(o.data) });
        sel.notes.push(...fitUnknownWearings(model, sel.episodes));
        log.log(`${model.info.name}: evaluating on ${sel.episodes.length} episodes (${sel.split === 'test' ? 'its held-out test split' : 'all'})`);
        for (const n of sel.notes) log.log(`  note: ${n}`);
        const probs = model.predictProbs(sel.episodes);
        const m = computeMetrics({ labels: sel.episodes.map((e) => e.label), probs, classes: model.info.classes });
        const t = model.meta.training;
        rows.push({
          model: model.info.name,
          arch: model.info.arch,
          testAccuracy: m.top1,
          top5: m.top5,
          macroF1: m.macroF1,
          params: model.info.params,
          epochs: t?.epochs ?? null,
          trainSeconds: t?.trainSeconds ?? null,
          latencyMs: singleEpisodeLatencyMs(model, sel.episodes[0]!),
          n: m.n,
          evaluatedOn: sel.split,
        });
        model.dispose();
      }
      if (o.out) {
        writeFileAtomic(path.join(o.out, 'comparison.json'), `${JSON.stringify(rows, null, 2)}\n`);
        await writeComparisonChart(rows.map((r) => ({ ...r, trainSeconds: r.trainSeconds ?? 0 })), o.out);
        log.log(`wrote ${path.join(o.out, 'comparison.json')} and the comparison chart`);
      }
      if (o.json) {
        printOut(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      const table = new Table({
        head: ['model', 'test acc', 'top-5', 'macro-F1', 'params', 'epochs', 'train s', 'latency ms', 'n'],
        style: tableStyle(),
      });
      const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
      for (const r of rows) {
        table.push([r.model, pct(r.testAccuracy), pct(r.top5), pct(r.macroF1), r.params.toLocaleString('en'), r.epochs ?? '', r.trainSeconds?.toFixed(0) ?? '', r.latencyMs.toFixed(2), `${r.n} (${r.evaluatedOn})`]);
      }
      printOut(`${table.toString()}\n`);
    });
};

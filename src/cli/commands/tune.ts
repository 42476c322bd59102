import { Option, type Command } from 'commander';
import os from 'node:os';
import path from 'node:path';
import { existsSync, statSync } from 'node:fs';
import type { CommandModule } from '../command-module.js';
import { ARCHS, canonicalArch, modelNameOf } from '../../models/index.js';
import { archList, trainFlags, type ParamSpec } from '../../tune/space.js';
import { PROTOCOLS, objectiveName, settingsOf, type Protocol, type TrialRecord } from '../../tune/trial.js';
import { runSearch, bestTrial, openSearch, type SearchSettings } from '../../tune/search.js';
import { checkWritableDir } from '../../train/run-output.js';
import { rungEpochs } from '../../tune/asha.js';
import { TrialPool, type TrialExecutor } from '../../tune/pool.js';
import { formatTuneTable, tuneCsv, writeTuneReport, type TuneSummary } from '../../tune/report.js';
import { writeFileAtomic } from '../../eval/atomic-write.js';
import { runTrainJob, archFileName } from '../../train/pipeline.js';
import { readSafetensors } from '../../nn/safetensors-fs.js';
import { BACKENDS, selectKernels, type BackendName } from '../../nn/select-kernels.js';
import { createProgress } from '../progress.js';
import { UserError } from '../errors.js';
import { int, tableStyle } from '../options.js';
import { printOut } from '../output.js';
import { checkRedisUrl } from '../../tune/redis-url.js';

/** A shell word: quoted when it holds anything a shell would read specially. */
function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

function positive(flag: string, v: number): number {
  if (!(Number.isInteger(v) && v >= 1)) throw new UserError(`${flag} needs a whole number ≥ 1, got ${v}`);
  return v;
}

function minutes(ms: number): string {
  const m = ms / 60_000;
  return m >= 1 ? `${m.toFixed(1)} min` : `${Math.round(ms / 1000)} s`;
}

export const tuneCommand: CommandModule = (program: Command) => {
  program
    .command('tune')
    .description('search hyperparameters (quasi-random trials, ASHA pruning, resumable) on the posture or cross-day objective; prints the best as a train command')
    .option('-m, --model <name>', `network to tune: ${ARCHS.map((a) => modelNameOf(a)).join(', ')}, a comma-separated list, or all`, 'gru')
    .requiredOption('-d, --data <dir...>', 'dataset root(s), each one wearing (a recording day)')
    .addOption(new Option('--protocol <p>', 'objective: posture (leave one posture folder out; default with one day), cross-day (train on one day, test on another; default with two or more), random').choices([...PROTOCOLS]))
    .option('--holdout <list>', 'posture: the held-out posture folders, one fold each (default: two of them, 2 and 4 of 1..5; "all" for every folder); cross-day: the days tested on (default: every ordered pair)')
    .option('--trials <n>', 'trials in all; trial 0 is the default configuration', int, 30)
    .option('--budget <minutes>', 'no new trial starts after this many minutes (running ones finish)', Number)
    .option('--seed <n>', 'seed of the sampling and of every trial\'s training', int, 42)
    .option('--epochs <n>', 'epochs of a trial that is never pruned (early stopping may end it sooner)', int, 30)
    .option('--min-epochs <n>', 'first rung: epochs before the first pruning decision', int, 5)
    .option('--eta <n>', 'ASHA reduction factor: a trial goes on while in the top 1/η at each rung; rungs at min-epochs·η^k', int, 3)
    .option('--patience <n>', 'early stopping within a trial: epochs without validation-loss improvement', int, 10)
    .option('--split-seed <n>', 'seed of the validation part carved from the training folds', int, 1337)
    .option('--parallel <n>', 'trials at once on worker threads (default: one per core); with --queue, trials queued at once (default 16)', int)
    .option('-o, --out <dir>', 'search folder: run the same command again to continue a stopped search', path.join('runs', 'tune'))
    .option('--json', 'print the result as JSON instead of the table')
    .option('--csv <file>', 'also write every trial as CSV')
    .option('--no-bundle', 'do not train a bundle of the best configuration')
    .option('--queue <url>', 'spread the trials over `signglove worker` processes through BullMQ on this Redis (redis://host:port)')
    .addOption(new Option('--backend <name>', 'numeric kernels of the trials').choices([...BACKENDS]).default('auto'))
    .addHelpText('after', `
Examples:
  signglove tune --model gru --data ../shared/datasets/signglove-2025-10-01 --trials 30 --budget 20
  signglove tune --model all --data DAY1 DAY2 --trials 60 --out runs/tune-all          # cross-day objective
  signglove tune --model gru --data DAY1 --queue redis://10.0.0.5:6379                   # and on each machine:
  signglove worker --queue redis://10.0.0.5:6379

Writes <out>/trials/trial-NNNN.json (each finished trial, atomically), trials.jsonl, tune-result.json,
tune.html (every trial, objective per trial, parameter importance, parallel coordinates) and
best/ (a bundle of the best configuration). Stopped (Ctrl-C, kill, budget)? Run it again: finished
trials are kept, the rest run.`)
    .action(async (o) => {
      for (const d of o.data as string[]) if (!existsSync(d) || !statSync(d).isDirectory()) throw new UserError(`no such dataset folder: ${d}`);
      let archs;
      try {
        archs = archList(o.model);
      } catch {
        throw new UserError(`unknown model '${o.model}'; use ${ARCHS.join(', ')}, a comma-separated list, or all`);
      }
      const protocol: Protocol = o.protocol ?? ((o.data as string[]).length >= 2 ? 'cross-day' : 'posture');
      if (protocol === 'cross-day' && (o.data as string[]).length < 2) throw new UserError('--protocol cross-day needs two or more --data days');
      const trials = positive('--trials', o.trials);
      const maxEpochs = positive('--epochs', o.epochs);
      const minEpochs = positive('--min-epochs', o.minEpochs);
      if (!(o.eta >= 2)) throw new UserError(`--eta needs a whole number ≥ 2, got ${o.eta}`);
      if (o.budget !== undefined && !(o.budget > 0)) throw new UserError(`--budget needs a number of minutes > 0, got '${o.budget}'`);
      const parallel = o.parallel === undefined ? os.availableParallelism() : positive('--parallel', o.parallel);
      if (o.queue) checkRedisUrl(o.queue);
      const holdout = o.holdout === undefined ? null : o.holdout === 'all' ? 'all' : String(o.holdout).split(',').map((s: string) => s.trim()).filter(Boolean);
      const settings: SearchSettings = {
        archs,
        objective: { data: (o.data as string[]).map((d) => path.resolve(d)), protocol, holdout, splitSeed: o.splitSeed },
        trials, seed: o.seed, maxEpochs, minEpochs, eta: o.eta, patience: o.patience,
      };
      const out = o.out as string;
      checkWritableDir(out);
      openSearch(out, settings); // refuses a folder of another search before any work
      const progress = createProgress(process.stderr, '{label} [{bar}] {value}/{total} | {info}');
      const log = (l: string) => progress.log(l);
      let executor: TrialExecutor;
      let queue: import('../../tune/queue.js').QueueCoordinator | undefined;
      if (o.queue) {
        // loaded only here: the single-machine path never needs Redis or BullMQ
        const { QueueCoordinator } = await import('../../tune/queue.js');
        // with a queue, --parallel is how many trials wait in it at once (the workers decide how many run)
        queue = await QueueCoordinator.connect(o.queue, settings, { log, capacity: o.parallel === undefined ? 16 : parallel });
        executor = queue;
      } else {
        executor = new TrialPool(parallel, settings.objective, o.backend as BackendName);
      }
      const controller = new AbortController();
      const onSigint = () => {
        if (controller.signal.aborted) process.exit(130);
        log('interrupted: stopping; finished trials are kept, run the same command again to continue');
        controller.abort();
        void executor.close();
      };
      process.on('SIGINT', onSigint);
      const rungs = rungEpochs(minEpochs, maxEpochs, o.eta);
      log(`tuning ${archs.join(', ')} on ${protocol}: ${trials} trials, ${executor.capacity} at a time${queue ? ' (queue)' : ''}, ≤ ${maxEpochs} epochs each, pruning at epochs ${rungs.join(', ') || '(none)'}${o.budget ? `, budget ${o.budget} min` : ''}`);
      const t0 = Date.now();
      let doneHere = 0;
      const secondsHere: number[] = [];
      let run;
      try {
        run = await runSearch(settings, {
          out, executor, budgetMinutes: o.budget, signal: controller.signal, log,
          onResume: queue ? (recs) => queue!.seedRungs(recs) : undefined,
          onTrial: (r, all) => {
            doneHere++;
            secondsHere.push(r.seconds);
            const best = bestTrial(all);
            const left = trials - all.length;
            const perTrial = secondsHere.reduce((a, b) => a + b, 0) / secondsHere.length;
            let etaMs = (left * perTrial * 1000) / executor.capacity;
            if (o.budget) etaMs = Math.min(etaMs, Math.max(0, t0 + o.budget * 60_000 - Date.now()));
            const bestText = best ? `best ${(best.objective! * 100).toFixed(2)}% (trial ${best.id})` : 'no complete trial yet';
            const what = r.status === 'complete' ? `${(r.objective! * 100).toFixed(2)}%` : r.status === 'pruned' ? `pruned at epoch ${r.prunedAt} (${(r.objective! * 100).toFixed(2)}%)` : `failed: ${r.error}`;
            if (process.stderr.isTTY) {
              progress.start(trials, 'trials');
              progress.update(all.length, { best: bestText, ETA: minutes(etaMs) });
            } else {
              log(`trial ${r.id}: ${what} in ${r.seconds.toFixed(0)} s; ${all.length}/${trials} done, ${bestText}, ETA ${minutes(etaMs)}`);
            }
          },
        });
      } finally {
        process.off('SIGINT', onSigint);
        progress.stop();
        await executor.close();
      }
      if (controller.signal.aborted) {
        process.exitCode = 130;
        return;
      }
      const { records, space } = run;
      if (run.left > 0) log(`${run.left} trial(s) not run (budget spent after ${minutes(Date.now() - t0)}); run the same command again to continue`);
      const best = bestTrial(records);
      const def = records.find((r) => r.id === 0) ?? null;
      const foldNames = records.find((r) => r.folds.length)?.folds.map((f) => f.name) ?? [];
      const objective = objectiveName(settings.objective, foldNames);
      const bestOut = path.join(out, 'best');
      const trainCommand = best ? commandFor(best, space, o.data as string[], settings, bestOut) : null;
      let bundle: string | null = null;
      if (best && o.bundle) bundle = await bestBundle(best, o.data as string[], settings, bestOut, trainCommand!, o.backend as BackendName, log);
      const summary: TuneSummary = {
        format: 'signglove-tune-result', version: 1, objective,
        notes: notesFor(settings, rungs, foldNames),
        trials, finished: records.length,
        complete: records.filter((r) => r.status === 'complete').length,
        pruned: records.filter((r) => r.status === 'pruned').length,
        failed: records.filter((r) => r.status === 'failed').length,
        best: best ?? null, default: def, trainCommand, bundle, records,
      };
      writeFileAtomic(path.join(out, 'tune-result.json'), `${JSON.stringify(summary, null, 2)}\n`);
      if (o.csv) writeFileAtomic(o.csv, tuneCsv(records, space));
      const files = await writeTuneReport(summary, space, out);
      log(`wrote ${path.join(out, 'tune-result.json')}, ${files.join(', ')}${o.csv ? `, ${o.csv}` : ''}`);
      if (o.json) {
        printOut(`${JSON.stringify(summary, null, 2)}\n`);
        return;
      }
      printOut(`${formatTuneTable(records, space, { style: tableStyle() })}\n`);
      printOut(`objective: ${objective}\n`);
      if (best) {
        printOut(`best: trial ${best.id}, ${(best.objective! * 100).toFixed(2)}%` +
          (def?.objective != null ? ` (default configuration, trial 0: ${(def.objective * 100).toFixed(2)}%${def.status === 'pruned' ? ', pruned' : ''})` : '') + '\n');
        printOut(`train it: ${trainCommand}\n`);
        if (bundle) printOut(`bundle: ${bundle}\n`);
      } else {
        printOut('no trial completed: nothing to recommend\n');
      }
    });
};

function commandFor(best: TrialRecord, space: ParamSpec[], data: string[], s: SearchSettings, out: string): string {
  const words = ['signglove', 'train', ...trainFlags(space, best.params), '--data', ...data,
    '--epochs', String(s.maxEpochs), '--patience', String(s.patience), '--seed', String(s.seed), '--out', out];
  return words.map(shellWord).join(' ');
}

/** Trains the best configuration (random split, as `train` does by default) unless OUT/best already holds it. */
async function bestBundle(best: TrialRecord, data: string[], s: SearchSettings, out: string, command: string, backend: BackendName, log: (l: string) => void): Promise<string> {
  const name = archFileName(canonicalArch(best.params.arch));
  const file = path.join(out, `${name}.safetensors`);
  if (existsSync(file)) {
    try {
      const meta = JSON.parse(readSafetensors(file).metadata['signglove'] ?? '{}') as { provenance?: { command?: string } };
      if (meta.provenance?.command === command) return file;
    } catch {
      // an unreadable bundle is simply trained again
    }
  }
  log(`training the best configuration (trial ${best.id}) → ${out}`);
  const st = settingsOf(best.params, 7);
  const { arch: _a, inputSize: _i, numClasses: _n, ...archOverrides } = st.arch;
  await runTrainJob({
    arch: best.params.arch, data, split: 'random', archOverrides,
    train: { ...st.train, epochs: s.maxEpochs, patience: s.patience, seed: s.seed },
    // the per-class split table is train's business; keep the one-line messages
    outDir: out, name, command, charts: false, kernels: selectKernels(backend), log: (l) => { if (!l.includes('\n')) log(l); },
  });
  return file;
}

function notesFor(s: SearchSettings, rungs: number[], folds: string[]): string[] {
  const notes = [
    `trial 0 is the architecture's default configuration, scored on the same folds, epochs and pruning as every other trial`,
    `every trial trains at most ${s.maxEpochs} epochs per fold (early stopping after ${s.patience} epochs without validation improvement) with seed ${s.seed}; the objective is the mean held-out top-1 over the folds of the best-validation model`,
    `ASHA (η = ${s.eta}) asks at epochs ${rungs.join(', ') || '(none)'}: a trial goes on while its mean held-out top-1 there is in the top 1/${s.eta} of all values reported at that epoch; a pruned trial's objective is its value at its last rung (not comparable with complete trials)`,
  ];
  if (s.objective.protocol === 'posture' && s.objective.holdout !== 'all') {
    notes.push(`to keep trials affordable only ${folds.length} posture folder(s) are held out (${folds.join(', ')}); the other folders are never tested on, so they give an unbiased check of the chosen configuration`);
  }
  notes.push('the best figure was chosen on these folds, so it is optimistic; the default is measured the same way');
  notes.push('sampling is reproducible for a seed; with parallel trials, pruning decisions depend on the order trials reach each rung');
  return notes;
}

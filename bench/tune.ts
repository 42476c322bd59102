/**
 * `npm run bench -- --only tune`: what a trial of `signglove tune` costs (the GRU's default
 * configuration on the posture objective: two held-out posture folders trained side by side) and
 * the speed-up from running trials in parallel on worker threads (the same trials on 1 and 2 threads).
 */
import { TrialPool } from '../src/tune/pool.js';
import { defaultParams, searchSpace, trialParams } from '../src/tune/space.js';
import type { ObjectiveSpec, TrialJob, TrialRecord } from '../src/tune/trial.js';

export interface TuneBenchOptions {
  data: string;
  /** Epochs per trial (no pruning, no early stopping: every trial does the same work). */
  epochs: number;
  /** Trials in the 1-vs-2-thread comparison. */
  trials: number;
  log: (line: string) => void;
}

export interface TuneBenchFigures {
  trialSeconds: number;
  foldEpochSeconds: number;
  folds: number;
  epochs: number;
  trials: number;
  wall: Record<string, number>;
  /** CPU seconds of all threads per run: equal on 1 and 2 threads means parallel trials add no work, so on free cores the speed-up is the thread count. */
  cpu: Record<string, number>;
  speedup: number;
}

async function runTrials(threads: number, spec: ObjectiveSpec, jobs: TrialJob[]): Promise<{ seconds: number; cpuSeconds: number; records: TrialRecord[] }> {
  const pool = new TrialPool(threads, spec, 'auto');
  try {
    // the threads load and prepare the data before the clock starts: that is paid once per search
    await Promise.all(Array.from({ length: threads }, (_, i) => pool.run({ ...jobs[0]!, id: -1 - i, maxEpochs: 1 }, () => true)));
    const t0 = performance.now();
    const c0 = process.cpuUsage(); // the whole process: every thread's CPU time
    const records = await Promise.all(jobs.map((j) => pool.run(j, () => true)));
    const c = process.cpuUsage(c0);
    return { seconds: (performance.now() - t0) / 1000, cpuSeconds: (c.user + c.system) / 1e6, records };
  } finally {
    await pool.close();
  }
}

export async function tuneBench(o: TuneBenchOptions): Promise<TuneBenchFigures> {
  const spec: ObjectiveSpec = { data: [o.data], protocol: 'posture', holdout: null, splitSeed: 1337 };
  const space = searchSpace(['GRU']);
  // the default, then sampled trials resized to the default's size, so the two runs compare like with like
  const jobs: TrialJob[] = Array.from({ length: o.trials }, (_, id) => ({
    id, params: id === 0 ? defaultParams('GRU') : { ...trialParams(space, ['GRU'], id, 42), hidden: 64, layers: 2, batchSize: 32 },
    maxEpochs: o.epochs, rungs: [], patience: o.epochs + 1, seed: 42,
  }));
  const one = await runTrials(1, spec, jobs);
  o.log(`tune: ${o.trials} trials on 1 thread: ${one.seconds.toFixed(1)} s (CPU ${one.cpuSeconds.toFixed(1)} s)`);
  const two = await runTrials(2, spec, jobs);
  o.log(`tune: ${o.trials} trials on 2 threads: ${two.seconds.toFixed(1)} s (CPU ${two.cpuSeconds.toFixed(1)} s)`);
  const folds = one.records[0]!.folds.length;
  const trialSeconds = one.records.reduce((a, r) => a + r.seconds, 0) / one.records.length;
  return {
    trialSeconds, foldEpochSeconds: trialSeconds / (folds * o.epochs), folds, epochs: o.epochs, trials: o.trials,
    wall: { '1': one.seconds, '2': two.seconds }, cpu: { '1': one.cpuSeconds, '2': two.cpuSeconds }, speedup: one.seconds / two.seconds,
  };
}

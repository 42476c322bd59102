/**
 * The search: which trials are left, who runs them, what the pruner says, and what is on disk.
 *
 *   OUT/tune.json               the search's settings (a rerun with other settings is refused)
 *   OUT/trials/trial-0007.json  one file per finished trial, written atomically
 *   OUT/trials.jsonl            every finished trial, one line each (rewritten atomically)
 *
 * A search killed at any point continues where it stopped when run again: finished trials are read
 * back (and feed the pruner), the trials that were running start again from scratch.
 */
import path from 'node:path';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { writeFileAtomic } from '../eval/atomic-write.js';
import type { ArchName } from '../models/config.js';
import { Asha, rungEpochs } from './asha.js';
import { searchSpace, trialParams, type ParamSpec } from './space.js';
import type { ObjectiveSpec, TrialJob, TrialRecord } from './trial.js';
import type { TrialExecutor } from './pool.js';
import { InputError } from '../util/input-error.js';

export interface SearchSettings {
  archs: ArchName[];
  objective: ObjectiveSpec;
  /** Trials in all (trial 0 is the default configuration). */
  trials: number;
  seed: number;
  maxEpochs: number;
  minEpochs: number;
  eta: number;
  patience: number;
}

export interface Manifest {
  format: 'signglove-tune';
  version: 1;
  /** Hash of the settings that decide every trial's result (not the trial count). */
  key: string;
  settings: SearchSettings;
  createdAt: string;
}

/** A search folder holds another search: the user's to resolve. */
export class SearchMismatchError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'SearchMismatchError';
  }
}

/** The settings that decide what a trial gives; more trials may be added to a search later. */
export function searchKey(s: SearchSettings): string {
  const { trials: _trials, ...rest } = s;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex').slice(0, 16);
}

export function trialFile(out: string, id: number): string {
  return path.join(out, 'trials', `trial-${String(id).padStart(4, '0')}.json`);
}

/** Finished trials in a search folder, by id (unreadable files, e.g. of another tool, are skipped). */
export function readTrials(out: string): Map<number, TrialRecord> {
  const dir = path.join(out, 'trials');
  const done = new Map<number, TrialRecord>();
  if (!existsSync(dir)) return done;
  for (const name of readdirSync(dir).sort()) {
    if (!/^trial-\d+\.json$/.test(name)) continue;
    try {
      const r = JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as TrialRecord;
      if (Number.isInteger(r.id)) done.set(r.id, r);
    } catch {
      // a file is either whole (atomic rename) or not ours
    }
  }
  return done;
}

/** Opens (or starts) the search folder; refuses one that holds a search with other settings. */
export function openSearch(out: string, settings: SearchSettings): Manifest {
  const file = path.join(out, 'tune.json');
  const key = searchKey(settings);
  if (existsSync(file)) {
    const old = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    if (old.format !== 'signglove-tune') throw new SearchMismatchError(`${file} is not a signglove tune manifest`);
    if (old.key !== key) {
      throw new SearchMismatchError(`${out} holds a search with other settings (model, data, protocol, seed or epochs); use another --out or the same settings`);
    }
    if (old.settings.trials !== settings.trials) writeFileAtomic(file, `${JSON.stringify({ ...old, settings }, null, 2)}\n`);
    return { ...old, settings };
  }
  const m: Manifest = { format: 'signglove-tune', version: 1, key, settings, createdAt: new Date().toISOString() };
  writeFileAtomic(file, `${JSON.stringify(m, null, 2)}\n`);
  return m;
}

export function jobOf(settings: SearchSettings, space: readonly ParamSpec[], id: number): TrialJob {
  return {
    id,
    params: trialParams(space, settings.archs, id, settings.seed),
    maxEpochs: settings.maxEpochs,
    rungs: rungEpochs(settings.minEpochs, settings.maxEpochs, settings.eta),
    patience: settings.patience,
    seed: settings.seed,
  };
}

/** Higher is better; failed trials last, then pruned, then complete. */
export function rankTrials(records: readonly TrialRecord[]): TrialRecord[] {
  const tier = (r: TrialRecord) => (r.status === 'complete' ? 0 : r.status === 'pruned' ? 1 : 2);
  return [...records].sort((a, b) => tier(a) - tier(b) || (b.objective ?? -1) - (a.objective ?? -1) || a.id - b.id);
}

/** The best complete trial (a search whose trials were all pruned has none). */
export function bestTrial(records: readonly TrialRecord[]): TrialRecord | undefined {
  const r = rankTrials(records)[0];
  return r?.status === 'complete' ? r : undefined;
}

export interface SearchRun {
  manifest: Manifest;
  space: ParamSpec[];
  records: TrialRecord[];
  /** Trials found on disk when this run started. */
  resumed: number;
  /** Trials left unrun (budget spent or interrupted). */
  left: number;
  seconds: number;
}

export interface SearchOptions {
  out: string;
  executor: TrialExecutor;
  /** Minutes after which no new trial starts (running ones finish). */
  budgetMinutes?: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
  /** After each finished trial: all finished so far. */
  onTrial?: (record: TrialRecord, all: readonly TrialRecord[]) => void;
  /** Seeds the pruner with finished trials' rung values (the queue keeps them in Redis too). */
  onResume?: (records: readonly TrialRecord[]) => Promise<void>;
}

function writeJsonl(out: string, records: Iterable<TrialRecord>): void {
  const sorted = [...records].sort((a, b) => a.id - b.id);
  writeFileAtomic(path.join(out, 'trials.jsonl'), sorted.map((r) => JSON.stringify(r)).join('\n') + (sorted.length ? '\n' : ''));
}

export async function runSearch(settings: SearchSettings, opts: SearchOptions): Promise<SearchRun> {
  const t0 = performance.now();
  const manifest = openSearch(opts.out, settings);
  const space = searchSpace(settings.archs);
  const done = readTrials(opts.out);
  for (const id of [...done.keys()]) if (id >= settings.trials) done.delete(id);
  const resumed = done.size;
  const asha = new Asha(rungEpochs(settings.minEpochs, settings.maxEpochs, settings.eta), settings.eta);
  for (const r of [...done.values()].sort((a, b) => a.id - b.id)) r.rungValues.forEach((v, k) => asha.report(r.id, k, v.value));
  await opts.onResume?.([...done.values()]);
  const pending = Array.from({ length: settings.trials }, (_, i) => i).filter((i) => !done.has(i));
  if (resumed > 0) opts.log?.(`resuming: ${resumed} of ${settings.trials} trials already done in ${opts.out}`);
  const deadline = opts.budgetMinutes ? Date.now() + opts.budgetMinutes * 60_000 : Infinity;
  const running = new Set<Promise<void>>();
  let next = 0;
  let failure: Error | null = null;
  const canStart = () => next < pending.length && Date.now() < deadline && !opts.signal?.aborted && !failure;
  while (canStart() || running.size > 0) {
    while (running.size < opts.executor.capacity && canStart()) {
      const job = jobOf(settings, space, pending[next++]!);
      const p = opts.executor
        .run(job, (rung, _epoch, value) => asha.report(job.id, rung, value))
        .then((record) => {
          done.set(record.id, record);
          writeFileAtomic(trialFile(opts.out, record.id), `${JSON.stringify(record, null, 2)}\n`);
          writeJsonl(opts.out, done.values());
          opts.onTrial?.(record, [...done.values()]);
        })
        .catch((err: unknown) => {
          // an interrupted trial is simply run again next time; anything else stops the search
          if (!opts.signal?.aborted) failure ??= err instanceof Error ? err : new Error(String(err));
        })
        .finally(() => running.delete(p));
      running.add(p);
    }
    if (running.size > 0) await Promise.race(running);
  }
  if (failure) throw failure;
  return {
    manifest, space, records: [...done.values()].sort((a, b) => a.id - b.id), resumed,
    left: settings.trials - done.size, seconds: (performance.now() - t0) / 1000,
  };
}

/**
 * Trials in parallel on worker threads, one trial per thread at a time (one thread per core by
 * default): each thread prepares the objective's folds once and keeps them for every trial it runs.
 */
import type { Worker } from 'node:worker_threads';
import type { BackendName } from '../nn/select-kernels.js';
import { startWorker } from '../util/start-worker.js';
import type { Decide, ObjectiveSpec, TrialJob, TrialRecord } from './trial.js';
import type { FromWorker, ToWorker } from './trial-worker.js';
import { InputError } from '../util/input-error.js';

/** Runs trials somewhere: worker threads here, or jobs on a queue (queue.ts). */
export interface TrialExecutor {
  /** How many trials run at once. */
  readonly capacity: number;
  run(job: TrialJob, decide: Decide): Promise<TrialRecord>;
  close(): Promise<void>;
}

interface Slot {
  worker: Worker;
  busy: boolean;
  current?: { job: TrialJob; decide: Decide; resolve: (r: TrialRecord) => void; reject: (e: Error) => void };
}

export class TrialPool implements TrialExecutor {
  private readonly slots: Slot[] = [];
  private readonly queue: { job: TrialJob; decide: Decide; resolve: (r: TrialRecord) => void; reject: (e: Error) => void }[] = [];
  private closed = false;

  constructor(readonly capacity: number, spec: ObjectiveSpec, backend: BackendName = 'auto') {
    if (!(Number.isInteger(capacity) && capacity >= 1)) throw new Error(`a trial pool needs at least one thread, got ${capacity}`);
    for (let i = 0; i < capacity; i++) {
      const worker = startWorker(import.meta.url, 'trial-worker', { spec, backend });
      const slot: Slot = { worker, busy: false };
      worker.on('message', (m: FromWorker) => this.onMessage(slot, m));
      worker.on('error', (err) => this.fail(slot, err));
      worker.on('exit', (code) => {
        if (!this.closed) this.fail(slot, new Error(`a trial worker thread exited (code ${code})`));
      });
      this.slots.push(slot);
    }
  }

  run(job: TrialJob, decide: Decide): Promise<TrialRecord> {
    return new Promise((resolve, reject) => {
      this.queue.push({ job, decide, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.busy || this.queue.length === 0) continue;
      const next = this.queue.shift()!;
      slot.busy = true;
      slot.current = next;
      slot.worker.postMessage({ type: 'run', job: next.job } satisfies ToWorker);
    }
  }

  private onMessage(slot: Slot, m: FromWorker): void {
    const cur = slot.current;
    if (!cur) return;
    if (m.type === 'rung') {
      void Promise.resolve(cur.decide(m.rung, m.epoch, m.value)).then((go) =>
        slot.worker.postMessage({ type: 'decision', id: m.id, rung: m.rung, go } satisfies ToWorker));
      return;
    }
    slot.busy = false;
    slot.current = undefined;
    if (m.type === 'done') cur.resolve(m.record);
    else {
      // the data's problems (a missing posture folder, a dataset too small) stay the user's to fix, in one line
      const message = m.name === 'DatasetError' ? m.message : `trial ${m.id}: ${m.message}`;
      const err = m.input ? new InputError(message) : new Error(message);
      err.name = m.name;
      cur.reject(err);
    }
    this.dispatch();
  }

  private fail(slot: Slot, err: Error): void {
    const cur = slot.current;
    slot.current = undefined;
    cur?.reject(err);
    // a dead thread takes no more work; the others carry on
    this.slots.splice(this.slots.indexOf(slot), 1);
    if (this.slots.length === 0) for (const q of this.queue.splice(0)) q.reject(err);
  }

  /** Stops every thread; trials still running or queued are rejected (a resumed search runs them again). */
  async close(): Promise<void> {
    this.closed = true;
    const stopped = new Error('the trial pool was closed');
    for (const s of this.slots) s.current?.reject(stopped);
    for (const q of this.queue.splice(0)) q.reject(stopped);
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

/**
 * A worker thread of the trial pool: prepares the objective's folds once, then runs the trials it
 * is sent one at a time, asking the main thread (which holds the pruner) at every rung.
 */
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { selectKernels, type BackendName } from '../nn/select-kernels.js';
import { prepareFolds, runTrial, workerName, type ObjectiveSpec, type PreparedFold, type TrialJob } from './trial.js';
import { userFacing } from '../util/input-error.js';

export type ToWorker = { type: 'run'; job: TrialJob } | { type: 'decision'; id: number; rung: number; go: boolean };
export type FromWorker =
  | { type: 'rung'; id: number; rung: number; epoch: number; value: number }
  | { type: 'done'; record: import('./trial.js').TrialRecord }
  /** `input`: the error is about the user's input (an InputError), so it stays one line for them. */
  | { type: 'error'; id: number; message: string; name: string; input: boolean };

const port = parentPort!;
const setup = workerData as { spec: ObjectiveSpec; backend: BackendName };
const kernels = selectKernels(setup.backend);
let folds: Promise<PreparedFold[]> | null = null;
const waiting = new Map<string, (go: boolean) => void>();

port.on('message', (m: ToWorker) => {
  if (m.type === 'decision') {
    waiting.get(`${m.id}:${m.rung}`)?.(m.go);
    waiting.delete(`${m.id}:${m.rung}`);
    return;
  }
  const job = m.job;
  folds ??= prepareFolds(setup.spec);
  folds
    .then((f) => runTrial(job, f, {
      kernels,
      worker: workerName(os.hostname()),
      decide: (rung, epoch, value) => new Promise<boolean>((resolve) => {
        waiting.set(`${job.id}:${rung}`, resolve);
        port.postMessage({ type: 'rung', id: job.id, rung, epoch, value } satisfies FromWorker);
      }),
    }))
    .then(
      (record) => port.postMessage({ type: 'done', record } satisfies FromWorker),
      (err: unknown) => port.postMessage({
        type: 'error', id: job.id, message: err instanceof Error ? err.message : String(err), name: err instanceof Error ? err.name : 'Error', input: userFacing(err) !== undefined,
      } satisfies FromWorker),
    );
});

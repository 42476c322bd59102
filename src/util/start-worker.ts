/**
 * Starts a worker thread on a module that sits beside the caller: its compiled `.js` in a build,
 * or its `.ts` under tsx in development (Node 20 workers do not inherit `--import` loaders, so
 * the worker registers tsx's API itself before importing the entry).
 *
 * Portable to load: worker threads are reached through process.getBuiltinModule (Node's way for
 * code that also runs elsewhere), so the training loop that offers `workers` still bundles for
 * the browser; there, asking for threads throws this one clear error.
 */
import type { Worker } from 'node:worker_threads';

export function startWorker(callerUrl: string, baseName: string, workerData: unknown): Worker {
  const threads = (globalThis as { process?: { getBuiltinModule?(id: string): unknown } }).process?.getBuiltinModule?.('node:worker_threads') as
    | typeof import('node:worker_threads')
    | undefined;
  if (!threads) throw new Error('worker threads need Node.js (20.16 or newer); use one worker here');
  const fromSource = callerUrl.endsWith('.ts');
  const url = new URL(`./${baseName}${fromSource ? '.ts' : '.js'}`, callerUrl);
  return fromSource
    ? new threads.Worker(`import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(url.href)}); })`, { eval: true, workerData })
    : new threads.Worker(url, { workerData });
}

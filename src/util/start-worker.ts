/**
 * Starts a worker thread on a module that sits beside the caller: its compiled `.js` in a build,
 * or its `.ts` under tsx in development (Node 20 workers do not inherit `--import` loaders, so
 * the worker registers tsx's API itself before importing the entry).
 */
import { Worker } from 'node:worker_threads';

export function startWorker(callerUrl: string, baseName: string, workerData: unknown): Worker {
  const fromSource = callerUrl.endsWith('.ts');
  const url = new URL(`./${baseName}${fromSource ? '.ts' : '.js'}`, callerUrl);
  return fromSource
    ? new Worker(`import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(url.href)}); })`, { eval: true, workerData })
    : new Worker(url, { workerData });
}

/**
 * Large /predict/batch requests answered entirely on a worker thread (see batch-worker.ts):
 * only reading the body stays on the event loop, so /health and the live streams keep answering
 * while 512-episode batches are parsed, validated and predicted.
 */
import type { Worker } from 'node:worker_threads';
import type { MiddlewareHandler } from 'hono';
import { startWorker } from '../util/start-worker.js';
import type { ModelCatalog } from './catalog.js';
import type { BatchJobReply } from './batch-worker.js';

/** Bodies at least this large go to the worker; small ones are quicker on the main thread. */
export const OFFLOAD_BODY_BYTES = 256 * 1024;

class BatchWorker {
  private next = 0;
  private readonly jobs = new Map<number, (r: BatchJobReply | Error) => void>();
  private readonly ready: Promise<void>;

  constructor(private readonly worker: Worker) {
    this.ready = new Promise((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    worker.on('message', (m: BatchJobReply | { ready: true }) => {
      if (!('id' in m)) return;
      const done = this.jobs.get(m.id);
      this.jobs.delete(m.id);
      done?.(m);
      if (this.jobs.size === 0) worker.unref();
    });
    worker.on('error', (e) => {
      for (const done of this.jobs.values()) done(e);
      this.jobs.clear();
    });
    worker.unref();
  }

  async run(text: string): Promise<BatchJobReply> {
    await this.ready;
    const id = this.next++;
    this.worker.ref();
    return new Promise((resolve, reject) => {
      this.jobs.set(id, (r) => (r instanceof Error ? reject(r) : resolve(r)));
      this.worker.postMessage({ id, text });
    });
  }
}

/**
 * Middleware for POST /predict/batch: bodies of OFFLOAD_BODY_BYTES or more for the default model
 * (which must offer its bundle bytes) are answered by the worker; everything else goes on to the
 * route as before.
 */
export function batchOffload(catalog: ModelCatalog): MiddlewareHandler {
  let worker: Promise<BatchWorker | undefined> | undefined;
  const start = async (): Promise<BatchWorker | undefined> => {
    const model = await catalog.get();
    if (!model.bundleBytes) return undefined;
    const bundle = await model.bundleBytes();
    return new BatchWorker(startWorker(import.meta.url, 'batch-worker', { bundle, name: model.info.name }));
  };
  return async (c, next) => {
    const size = Number(c.req.header('content-length') ?? 0);
    if (c.req.method !== 'POST' || size < OFFLOAD_BODY_BYTES || !/^application\/json/i.test(c.req.header('content-type') ?? '')) return next();
    worker ??= start().catch(() => undefined);
    const w = await worker;
    if (!w) return next();
    const text = await c.req.text(); // cached: the route can still read it on a fallback
    const r = await w.run(text);
    if ('fallback' in r) return next();
    if ('error' in r) return c.json(r.error.body, r.error.status as 400);
    return c.body(r.body, 200, { 'content-type': 'application/json' });
  };
}

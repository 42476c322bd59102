/**
 * Batch inference on several cores: each worker thread holds its own copy of the network (built
 * from the same bundle bytes) and computes the probabilities of a slice of the batch. PyTorch uses
 * both cores of a 2-core machine for one batch; this is signglove's equivalent.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { startWorker } from '../util/start-worker.js';

interface Job {
  resolve: (p: Float32Array) => void;
  reject: (e: Error) => void;
}

export class InferencePool {
  private nextId = 0;
  private readonly jobs = new Map<number, Job>();

  private constructor(private readonly workers: Worker[], readonly numClasses: number) {
    for (const w of workers) {
      w.on('message', (m: { id: number; probs?: Float32Array; error?: string }) => {
        const job = this.jobs.get(m.id);
        if (!job) return;
        this.jobs.delete(m.id);
        if (m.error !== undefined) job.reject(new Error(m.error));
        else job.resolve(m.probs!);
      });
      w.on('error', (e) => {
        for (const j of this.jobs.values()) j.reject(e);
        this.jobs.clear();
      });
    }
  }

  /** Starts `size` workers (default: one per core) on the bundle's bytes. */
  static async create(bundleBytes: Uint8Array, size = availableParallelism()): Promise<InferencePool> {
    const workerData = { bundle: bundleBytes };
    const start = (): Worker => startWorker(import.meta.url, 'inference-worker', workerData);
    const workers = Array.from({ length: Math.max(1, size) }, start);
    const classes = await Promise.all(
      workers.map(
        (w) =>
          new Promise<number>((resolve, reject) => {
            w.once('message', (m: { ready?: number; error?: string }) => (m.error ? reject(new Error(m.error)) : resolve(m.ready!)));
            w.once('error', reject);
          }),
      ),
    );
    // Idle workers must not keep a process alive (a server that closed, a script that finished).
    for (const w of workers) w.unref();
    return new InferencePool(workers, classes[0]!);
  }

  get size(): number {
    return this.workers.length;
  }

  /**
   * Probabilities of a prepared batch. x: N×T×C standardised, mask: N×T → N×K.
   * The batch is cut into a few chunks per worker, handed out as workers become free, so a worker
   * slowed down by something else on its core does not hold up the whole batch.
   */
  async probs(x: Float32Array, mask: Uint8Array, N: number, T: number): Promise<Float32Array> {
    const C = x.length / (N * T);
    const K = this.numClasses;
    const out = new Float32Array(N * K);
    // ≥ 32 episodes per chunk keep the gemms efficient; two chunks per worker balance the load
    const per = Math.max(32, Math.ceil(N / (this.workers.length * 2)));
    let next = 0;
    const runOne = (w: Worker, start: number): Promise<void> => {
      const n = Math.min(per, N - start);
      const xs = x.slice(start * T * C, (start + n) * T * C);
      const ms = mask.slice(start * T, (start + n) * T);
      const id = this.nextId++;
      const done = new Promise<Float32Array>((resolve, reject) => this.jobs.set(id, { resolve, reject }));
      w.postMessage({ id, x: xs, mask: ms, N: n, T }, [xs.buffer as ArrayBuffer, ms.buffer as ArrayBuffer]);
      return done.then((p) => out.set(p, start * K));
    };
    const drain = async (w: Worker): Promise<void> => {
      while (next < N) {
        const start = next;
        next += per;
        await runOne(w, start);
      }
    };
    for (const w of this.workers) w.ref();
    try {
      await Promise.all(this.workers.map(drain));
    } finally {
      if (this.jobs.size === 0) for (const w of this.workers) w.unref();
    }
    return out;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

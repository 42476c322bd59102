/**
 * Trials as jobs in BullMQ on Redis, for a search spread over machines: `signglove tune --queue`
 * adds the trials (the coordinator keeps the files, as on one machine) and `signglove worker
 * --queue` on each machine runs them on its own trial pool.
 *
 * A worker that dies mid-trial stops renewing its job's lock; BullMQ's stalled-job check (in any
 * other worker) moves the job back to the queue and another worker runs the trial again from the
 * start. The pruner's rung values live in Redis (one hash per rung, keyed by trial), so every
 * worker prunes against all trials, and a trial run twice replaces its own values.
 *
 * Loaded only with --queue: the single-machine path never imports BullMQ or ioredis.
 */
import os from 'node:os';
import { Queue, QueueEvents, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { promotable } from './asha.js';
import { checkRedisUrl } from './redis-url.js';
import { TrialPool, type TrialExecutor } from './pool.js';
import { searchKey, type SearchSettings } from './search.js';
import type { Decide, ObjectiveSpec, TrialJob, TrialRecord } from './trial.js';
import type { BackendName } from '../nn/select-kernels.js';
import { InputError } from '../util/input-error.js';

export const QUEUE_NAME = 'signglove-tune';

/** What a job carries: everything a worker needs, so workers need no other configuration. */
export interface QueueJobData {
  key: string;
  spec: ObjectiveSpec;
  eta: number;
  job: TrialJob;
}

function rungKey(key: string, rung: number): string {
  return `signglove-tune:${key}:rung:${rung}`;
}

/** Connects or fails with one line (BullMQ and ioredis otherwise retry forever). */
async function connectRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true, retryStrategy: () => null });
  // without a listener ioredis prints every connection error itself
  let cause: Error | null = null;
  redis.on('error', (err: Error) => (cause ??= err));
  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect();
    throw new InputError(`cannot reach Redis at ${url}: ${(cause ?? (err as Error)).message}`);
  }
  // once there, a dropped connection is retried (a long search outlives a Redis restart)
  redis.options.retryStrategy = (times: number) => Math.min(times * 200, 2000);
  return redis;
}

/** Records a trial's value at a rung in Redis and says whether it goes on. */
async function redisDecide(redis: Redis, key: string, eta: number, id: number, rung: number, value: number): Promise<boolean> {
  const k = rungKey(key, rung);
  await redis.hset(k, String(id), String(value));
  const all = (await redis.hvals(k)).map(Number);
  return promotable(value, all, eta);
}

export class QueueCoordinator implements TrialExecutor {
  private readonly waiting = new Set<(err: Error) => void>();

  private constructor(
    readonly capacity: number,
    private readonly key: string,
    private readonly settings: SearchSettings,
    private readonly redis: Redis,
    private readonly queue: Queue,
    private readonly events: QueueEvents,
  ) {}

  static async connect(url: string, settings: SearchSettings, opts: { capacity?: number; log?: (l: string) => void } = {}): Promise<QueueCoordinator> {
    checkRedisUrl(url);
    const redis = await connectRedis(url);
    const connection = { url, maxRetriesPerRequest: null };
    const queue = new Queue(QUEUE_NAME, { connection });
    const events = new QueueEvents(QUEUE_NAME, { connection });
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    opts.log?.(`queue ${QUEUE_NAME} on ${url}: start \`signglove worker --queue ${url}\` on each machine (the data folders must be at the same paths there)`);
    return new QueueCoordinator(opts.capacity ?? 16, searchKey(settings), settings, redis, queue, events);
  }

  /** Puts finished trials' rung values into Redis, so workers prune against them too. */
  async seedRungs(records: readonly TrialRecord[]): Promise<void> {
    for (const r of records) {
      for (const [k, v] of r.rungValues.entries()) await this.redis.hset(rungKey(this.key, k), String(r.id), String(v.value));
    }
  }

  async run(job: TrialJob, _decide: Decide): Promise<TrialRecord> {
    const data: QueueJobData = { key: this.key, spec: this.settings.objective, eta: this.settings.eta, job };
    // the job id names the search and trial: a coordinator started again finds the jobs it added
    const added = await this.queue.add('trial', data, { jobId: `${this.key}-trial-${job.id}`, attempts: 3, removeOnComplete: false, removeOnFail: false });
    if ((await added.getState()) === 'failed') await added.retry();
    return new Promise<TrialRecord>((resolve, reject) => {
      const onClose = (err: Error) => reject(err);
      this.waiting.add(onClose);
      added.waitUntilFinished(this.events).then(
        (r: TrialRecord) => resolve(r),
        (err: Error) => reject(new Error(`trial ${job.id} failed on a worker: ${err.message}`)),
      ).finally(() => this.waiting.delete(onClose));
    });
  }

  async close(): Promise<void> {
    const err = new Error('the queue coordinator was closed');
    for (const w of this.waiting) w(err);
    this.waiting.clear();
    await Promise.allSettled([this.events.close(), this.queue.close()]);
    this.redis.disconnect();
  }
}

export interface QueueWorkerOptions {
  /** Trials at once on this machine (worker threads). */
  concurrency: number;
  backend?: BackendName;
  /** Seconds a job stays claimed by a worker that stopped renewing it (a dead one) before others take it. */
  lockSeconds?: number;
  log?: (line: string) => void;
}

/** `signglove worker`: runs queued trials until closed. */
export async function startQueueWorker(url: string, opts: QueueWorkerOptions): Promise<{ close(): Promise<void> }> {
  checkRedisUrl(url);
  const redis = await connectRedis(url);
  const pools = new Map<string, TrialPool>();
  const lockMs = (opts.lockSeconds ?? 30) * 1000;
  const worker = new Worker<QueueJobData, TrialRecord>(
    QUEUE_NAME,
    async (j: Job<QueueJobData, TrialRecord>) => {
      const { key, spec, eta, job } = j.data;
      // one pool per search: its threads keep that search's folds prepared
      let pool = pools.get(key);
      if (!pool) {
        pool = new TrialPool(opts.concurrency, spec, opts.backend ?? 'auto');
        pools.set(key, pool);
      }
      opts.log?.(`started trial ${job.id} of search ${key} (attempt ${j.attemptsMade + 1})`);
      const record = await pool.run(job, (rung, _epoch, value) => redisDecide(redis, key, eta, job.id, rung, value));
      opts.log?.(`finished trial ${job.id}: ${record.status}${record.objective !== null ? ` ${(record.objective * 100).toFixed(2)}%` : ''}`);
      return record;
    },
    {
      connection: { url, maxRetriesPerRequest: null },
      concurrency: opts.concurrency,
      lockDuration: lockMs,
      stalledInterval: lockMs,
      maxStalledCount: 3,
      name: `${os.hostname()}:${process.pid}`,
    },
  );
  worker.on('error', (err) => opts.log?.(`queue error: ${err.message}`));
  await worker.waitUntilReady();
  opts.log?.(`worker ${os.hostname()}:${process.pid} waiting for trials on ${url} (${opts.concurrency} at a time)`);
  return {
    async close() {
      await worker.close();
      await Promise.all([...pools.values()].map((p) => p.close()));
      redis.disconnect();
    },
  };
}

import { Option, type Command } from 'commander';
import os from 'node:os';
import type { CommandModule } from '../command-module.js';
import { BACKENDS, type BackendName } from '../../nn/select-kernels.js';
import { UserError } from '../errors.js';
import { int } from '../options.js';
import { printErr } from '../output.js';
import { checkRedisUrl } from '../../tune/redis-url.js';

export const workerCommand: CommandModule = (program: Command) => {
  program
    .command('worker')
    .description('run the trials of `signglove tune --queue` searches from a Redis queue (BullMQ), on this machine\'s cores')
    .requiredOption('--queue <url>', 'the Redis the coordinator uses (redis://host:port)')
    .option('--concurrency <n>', 'trials at once on this machine (default: one per core)', int)
    .option('--lock-seconds <s>', 'how long a trial stays claimed by a worker that stopped answering (killed, cut off) before another worker runs it again', int, 30)
    .addOption(new Option('--backend <name>', 'numeric kernels').choices([...BACKENDS]).default('auto'))
    .addHelpText('after', `
The dataset folders of a search must exist at the same paths on every worker machine.
Stop with Ctrl-C: the trials it was running go back to the queue for another worker.`)
    .action(async (o) => {
      const concurrency = o.concurrency ?? os.availableParallelism();
      if (concurrency < 1) throw new UserError(`--concurrency needs at least 1, got ${concurrency}`);
      if (o.lockSeconds < 1) throw new UserError(`--lock-seconds needs at least 1, got ${o.lockSeconds}`);
      checkRedisUrl(o.queue);
      const log = (l: string) => printErr(`${l}\n`);
      // loaded only here: nothing else in signglove needs BullMQ
      const { startQueueWorker } = await import('../../tune/queue.js');
      const w = await startQueueWorker(o.queue, { concurrency, backend: o.backend as BackendName, lockSeconds: o.lockSeconds, log });
      await new Promise<void>((resolve) => {
        const stop = () => {
          log('stopping: running trials go back to the queue');
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      // a closed worker does not wait for running trials; they are retried elsewhere
      await Promise.race([w.close(), new Promise((r) => setTimeout(r, 2000))]);
      process.exit(0);
    });
};

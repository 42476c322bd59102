import type { Command } from 'commander';
import type { CommandModule } from '../command-module.js';
import { addGeneralizationBenchmark } from './benchmark-generalization.js';
import { addLiveBenchmark } from './benchmark-live.js';

/** `signglove benchmark <figure>`: figures on real data (never tests), one file per subcommand. */
export const benchmarkCommand: CommandModule = (program: Command) => {
  const bench = program
    .command('benchmark')
    .description('figures on real data: generalization across postures, days and calibration shots; live recognition on real signing');
  addGeneralizationBenchmark(bench);
  addLiveBenchmark(bench);
  // a bad flag is one line and exit code 2 like everywhere (usage-errors.ts, set up in main.ts)
};

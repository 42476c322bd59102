import type { Command } from 'commander';
import type { CommandModule } from './index.js';
import { UserError } from '../errors.js';
import { addGeneralizationBenchmark } from './benchmark-generalization.js';
import { addLiveBenchmark } from './benchmark-live.js';

/** `signglove benchmark <figure>`: figures on real data (never tests), one file per subcommand. */
export const benchmarkCommand: CommandModule = (program: Command) => {
  const bench = program
    .command('benchmark')
    .description('figures on real data: generalization across postures, days and calibration shots; live recognition on real signing');
  addGeneralizationBenchmark(bench);
  addLiveBenchmark(bench);
  // a bad flag is one line (the error handler's) and exit code 2, not the help text
  for (const c of [bench, ...bench.commands]) {
    c.showHelpAfterError(false)
      .configureOutput({ outputError: () => {} })
      .exitOverride((err) => {
        if (err.exitCode !== 0) throw new UserError(err.message.replace(/^error: /, ''));
      });
  }
};

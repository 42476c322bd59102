import type { Command } from 'commander';
import { dataCommand } from './data.js';
import { trainCommand } from './train.js';
import { predictCommand } from './predict.js';
import { compareCommand } from './compare.js';
import { evaluateCommand } from './evaluate.js';
import { serveCommand } from './serve.js';
import { demoCommand } from './demo.js';
import { liveCommand } from './live.js';
import { simulateCommand } from './simulate.js';
import { calibrateCommand } from './calibrate.js';
import { adaptCommand } from './adapt.js';
import { benchmarkCommand } from './benchmark.js';
import { recordCommand } from './record.js';
import { tuneCommand } from './tune.js';
import { workerCommand } from './worker.js';

import type { CommandModule } from '../command-module.js';
export type { CommandModule } from '../command-module.js';

// Each subcommand lives in its own file and is listed here once, in the order `--help` shows them.
export const commands: CommandModule[] = [
  demoCommand,
  dataCommand,
  recordCommand,
  trainCommand,
  tuneCommand,
  workerCommand,
  calibrateCommand,
  adaptCommand,
  predictCommand,
  evaluateCommand,
  compareCommand,
  benchmarkCommand,
  serveCommand,
  liveCommand,
  simulateCommand,
];

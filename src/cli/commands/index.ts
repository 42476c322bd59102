import type { Command } from 'commander';
import { dataCommand } from './data.js';
import { trainCommand } from './train.js';

/** A subcommand: adds itself (name, one-line description, options, action) to the program. */
export type CommandModule = (program: Command) => void;

// Each subcommand lives in its own file and is listed here once, in the order `--help` shows them.
export const commands: CommandModule[] = [
  dataCommand,
  trainCommand,
];

import type { Command } from 'commander';

/** A subcommand: adds itself (name, one-line description, options, action) to the program. */
export type CommandModule = (program: Command) => void;

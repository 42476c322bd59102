#!/usr/bin/env node
import '../nn/wasm/node-relaxed-simd.js'; // first: relaxed SIMD on Node 20 before any wasm compiles
import { Command } from 'commander';
import { commands } from './commands/index.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../paths.js';
import { userFacing } from '../util/input-error.js';
import { printErr } from './output.js';
import { CommanderError, commanderExitCode, configureUsageErrors } from './usage-errors.js';
import { exitQuietlyOnClosedPipe, isClosedPipe } from './closed-pipe.js';

exitQuietlyOnClosedPipe();

const pkg = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };

const program = new Command()
  .name('signglove')
  .description('Korean fingerspelling (지문자) recognition from a sensor glove')
  .version(pkg.version);

for (const add of commands) add(program);
configureUsageErrors(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  // commander has printed its usage error (or the help) already
  if (err instanceof CommanderError) {
    process.exitCode = commanderExitCode(err);
    return;
  }
  // `signglove simulate … | head`: the reader has gone, nothing is wrong
  if (isClosedPipe(err)) process.exit(0);
  // Input errors carry a clear message; show it alone. Anything else is a bug: keep the stack.
  const msg = err instanceof Error ? err.message : String(err);
  printErr(`signglove: ${msg}\n`);
  // errors about the user's input are marked (src/util/input-error.ts) and carry their exit code
  const input = userFacing(err);
  if (err instanceof Error && (!input || process.env.SIGNGLOVE_DEBUG)) printErr(`${err.stack ?? ''}\n`);
  process.exitCode = input ? input.exitCode : 1;
});

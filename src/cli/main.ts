#!/usr/bin/env node
import { Command } from 'commander';
import { commands } from './commands/index.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../paths.js';
import { UserError } from './errors.js';

const pkg = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };

const program = new Command()
  .name('signglove')
  .description('Korean fingerspelling (지문자) recognition from a sensor glove')
  .version(pkg.version)
  .showHelpAfterError();

for (const add of commands) add(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  // User-facing errors carry a clear message; show it without a stack trace. Anything else is a bug:
  // keep the stack (SIGNGLOVE_DEBUG=1 shows it for user errors too).
  const msg = err instanceof Error ? err.message : String(err);
  process.stderr.write(`signglove: ${msg}\n`);
  if (err instanceof Error && (!(err instanceof UserError) || process.env.SIGNGLOVE_DEBUG)) {
    if (!(err instanceof UserError)) process.stderr.write(`${err.stack ?? ''}\n`);
  }
  process.exitCode = err instanceof UserError ? err.exitCode : 1;
});

/**
 * Usage errors (an unknown flag or command, a missing or bad option value): one line naming the
 * problem, with a "did you mean" and where the help is, and exit code 2, as for any bad input,
 * instead of commander's default of printing the whole help.
 */
import { CommanderError, type Command } from 'commander';
import { escapeLine } from '../util/escape-controls.js';

/** Exit code of every usage error (as for other bad input). */
export const USAGE_EXIT_CODE = 2;

/** Configures `program` and every subcommand below it; call after all subcommands are added. */
export function configureUsageErrors(program: Command): void {
  const visit = (cmd: Command): void => {
    cmd.showSuggestionAfterError(true).showHelpAfterError(false).exitOverride();
    cmd.configureOutput({ outputError: (str, write) => write(formatUsageError(str, cmd)) });
    checkRequiredAfterUnknown(cmd);
    for (const sub of cmd.commands) visit(sub);
  };
  visit(program);
}

/**
 * commander checks required options before unknown ones, so `train --max-epochs 3` would only say
 * that --data is missing. Checked just before the action instead, an unknown flag is named first.
 */
function checkRequiredAfterUnknown(cmd: Command): void {
  const required = cmd.options.filter((o) => o.mandatory);
  if (required.length === 0) return;
  for (const o of required) o.mandatory = false;
  cmd.hook('preAction', (_self, action) => {
    if (action !== cmd) return;
    const missing = required.find((o) => cmd.getOptionValue(o.attributeName()) === undefined);
    if (missing) cmd.error(`error: required option '${missing.flags}' not specified`, { code: 'commander.missingMandatoryOptionValue' });
  });
}

/** `signglove data split`: the command as typed. */
function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** commander's "error: unknown option '--x'\n(Did you mean --y?)" as our one line. */
export function formatUsageError(commanderMessage: string, cmd: Command): string {
  const [first = '', ...rest] = commanderMessage.trim().split('\n');
  const message = first.replace(/^error: /, '').replace(/\.$/, '');
  let suggestion = /\(Did you mean (.+)\?\)/.exec(rest.join(' '))?.[1];
  const unknownFlag = /^unknown option '(--[^']+)'/.exec(message)?.[1];
  if (!suggestion && unknownFlag) suggestion = flagWithinFlag(unknownFlag, cmd);
  const where = commandPath(cmd);
  return `${escapeLine(`signglove: ${message}${suggestion ? ` (did you mean ${suggestion}?)` : ''}; see '${where} --help'`)}\n`;
}

/**
 * commander suggests flags within a few typos; this catches a known flag inside a longer
 * spelling (`--max-epochs` → `--epochs`, `--split-kind` → `--split`): every word of the known
 * flag appears in the unknown one. The longest such flag wins.
 */
function flagWithinFlag(unknown: string, cmd: Command): string | undefined {
  const words = new Set(unknown.slice(2).toLowerCase().split(/[-_]/));
  const candidates = cmd.createHelp().visibleOptions(cmd).map((o) => o.long).filter((l): l is string => !!l && l !== '--help');
  const fits = candidates.filter((c) => c.slice(2).split('-').every((w) => words.has(w)));
  fits.sort((a, b) => b.length - a.length);
  return fits[0];
}

/** The exit code for an error commander threw through exitOverride (help and --version are 0). */
export function commanderExitCode(err: CommanderError): number {
  return err.exitCode === 0 ? 0 : USAGE_EXIT_CODE;
}

export { CommanderError };

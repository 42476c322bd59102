import { InvalidArgumentError } from 'commander';

/** commander parser: a finite number. */
export function num(value: string): number {
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x)) throw new InvalidArgumentError(`'${value}' is not a number`);
  return x;
}

/** commander parser: a non-negative integer. */
export function int(value: string): number {
  const x = Number(value);
  if (!Number.isInteger(x) || x < 0) throw new InvalidArgumentError(`'${value}' is not a non-negative integer`);
  return x;
}

/** cli-table3 style: plain text everywhere. */
export function tableStyle(): { head: string[]; border: string[] } | undefined {
  // No colours: tables are printed through escapeControls, which would show their codes.
  return { head: [], border: [] };
}

/** The CLI's only way to print: every string is passed through escapeControls first. */
import { escapeControls } from '../util/escape-controls.js';

export { escapeControls };

export function printOut(text: string): boolean {
  return process.stdout.write(escapeControls(text));
}

export function printErr(text: string): boolean {
  return process.stderr.write(escapeControls(text));
}

/** A fraction as a percentage for a terminal line: 0.9123 → "91.2%". */
export const percent = (x: number, digits = 1): string => `${(x * 100).toFixed(digits)}%`;

/** The CLI's only way to print: every string is passed through escapeControls first. */
import { escapeControls } from '../util/escape-controls.js';

export { escapeControls };

export function printOut(text: string): boolean {
  return process.stdout.write(escapeControls(text));
}

export function printErr(text: string): boolean {
  return process.stderr.write(escapeControls(text));
}

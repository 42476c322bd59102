/**
 * `signglove live` on a real terminal (a pseudo-terminal from Python's pty module, sized with
 * TIOCSWINSZ, as a terminal emulator would): no line it writes is wider than the terminal.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import stringWidth from 'string-width';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { onTerminal as onPty, ptySkip } from '../pty.js';

const CLI = path.join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js');

function onTerminal(columns: number, args: string[], interruptAfter = ''): { code: number | null; output: string } {
  return onPty([process.execPath, CLI, ...args], { cols: columns, key: interruptAfter ? '\x03' : '', after: interruptAfter });
}

/**
 * The pieces of output written between line breaks and cursor moves (CSI A–H: up, down, column,
 * position), with colours stripped: each starts at a line's beginning or where the cursor was put.
 */
function writtenLines(output: string): string[] {
  // eslint-disable-next-line no-control-regex
  return output.split(/\r|\n|\x1b\[[0-9;]*[A-H]/).map((l) => stripVTControlCharacters(l));
}

// 40 columns with word suggestions: the block's fourth line (the word it suggests) fits too
for (const [columns, extra] of [[80, []], [40, ['--lexicon']]] as const) {
  test(`live${extra.length ? ` ${extra.join(' ')}` : ''} on a ${columns}-column terminal writes no line wider than the terminal, and ends with the text`, { skip: ptySkip, timeout: 90_000 }, () => {
    const r = onTerminal(columns, ['live', '--source', 'sim:한글 사랑', '--speed', '100', ...extra]);
    assert.equal(r.code, 0, r.output);
    const lines = writtenLines(r.output);
    const wide = lines.filter((l) => stringWidth(l) > columns);
    assert.deepEqual(wide, [], `lines wider than ${columns} columns`);
    // it did draw the live block (counters, current letter), then printed the text on its own
    assert.ok(lines.some((l) => l.includes('frames')), 'the status line was drawn');
    assert.ok(lines.some((l) => l.startsWith('text')), 'the text line was drawn');
    if (extra.length) assert.ok(lines.some((l) => /^(word|letters) /.test(l)), 'the suggestion line was drawn');
    assert.equal(lines.filter((l) => l.trim()).at(-1)?.trim(), '한글 사랑');
  });
}

test('Ctrl-C on the terminal stops live cleanly: the block is cleared and the text so far printed, exit 0', { skip: ptySkip, timeout: 90_000 }, () => {
  // real time: Ctrl-C comes once the first letter is in the text, long before the phrase ends
  const r = onTerminal(80, ['live', '--source', 'sim:안녕하세요 반갑습니다', '--speed', '2'], 'text  ㅇ');
  assert.equal(r.code, 0, r.output);
  const lines = writtenLines(r.output).filter((l) => l.trim() && l.trim() !== '^C');
  const shown = lines.filter((l) => l.startsWith('text  ')).at(-1)!.slice('text  '.length).trim();
  assert.ok(shown.length > 0, 'a letter was recognised before Ctrl-C');
  // the last thing written is the text as it was on the screen, on its own line
  assert.equal(lines.at(-1)!.trim(), shown);
});

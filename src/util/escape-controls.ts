/**
 * Text from files, headers, glove lines and the network may hold terminal control sequences
 * (ESC [ … that move the cursor, retitle the window, hide text). Everything printed goes through
 * escapeControls so such bytes show up as visible `\x1b` instead of acting. Node-free.
 */

// C0 controls except tab and newline, DEL, C1 controls, and the bidirectional overrides that can
// make a file name read backwards (U+202A–202E, U+2066–2069).
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** The text with every control character written as a visible escape (`\x1b`, `\r`, `\u202e`). */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, (ch) => {
    const code = ch.charCodeAt(0);
    if (code === 13) return '\\r';
    return code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}

/** escapeControls for a single-line message: newlines and tabs are escaped too. */
export function escapeLine(text: string): string {
  return escapeControls(text).replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}

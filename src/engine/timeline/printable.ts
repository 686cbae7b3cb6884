/**
 * Text a server chose (tool names, error messages, results) made safe for a terminal or a text
 * file: C0 and C1 control characters, DEL and the bidirectional overrides and isolates are shown
 * as `\u{…}` escapes instead of being sent raw, so a server cannot clear the screen, move the
 * cursor to overwrite "FAILED" with "OK", set the window title or the clipboard (OSC 0, OSC 52),
 * or reorder what a person reads (Trojan Source). Tabs stay; line breaks stay only when asked.
 * @see https://www.unicode.org/reports/tr9/#Explicit_Directional_Overrides
 * @see https://invisible-island.net/xterm/ctlseqs/ctlseqs.html
 */

// C0 except tab and line feed, DEL, C1, and the bidi embeddings, overrides, isolates and marks.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters to escape
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const escaped = (c: string) => `\\u{${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(2, '0')}}`;

/** `text` with every unsafe character escaped; `\n` kept when `keepNewlines` (one line otherwise). */
export function printable(text: string, keepNewlines = false): string {
  const safe = text.replace(UNSAFE, escaped);
  return keepNewlines ? safe : safe.replace(/\n/g, '\\n');
}

import { describe, expect, it } from 'vitest';
import { toText } from './export-text';
import { printable } from './printable';
import { sampleEvents } from './testing';

const ESC = '\u001b';
const HOSTILE = [
  `${ESC}[2J`, // clear the screen
  `${ESC}[1A${ESC}[2K`, // up one line, erase it: overwrite "FAILED"
  `${ESC}]52;c;ZXZpbA==\u0007`, // OSC 52: write the clipboard
  `${ESC}]0;pwned\u0007`, // OSC 0: window title
  '\u009b31m', // C1 CSI
  'abc\u202edcba', // right-to-left override
  'x\u2066y\u2069', // isolates
];

describe('text a server chose, shown to a person', () => {
  it('HX5: escape sequences, C1 controls and bidi overrides come out as visible escapes, never raw', () => {
    for (const s of HOSTILE) {
      const out = printable(s);
      const raw = [...out].filter((c) => {
        const n = c.codePointAt(0) ?? 0;
        return (
          (n < 0x20 && n !== 9) ||
          (n >= 0x7f && n <= 0x9f) ||
          (n >= 0x202a && n <= 0x202e) ||
          (n >= 0x2066 && n <= 0x2069)
        );
      });
      expect(raw).toEqual([]);
    }
    expect(printable(`${ESC}[2JOK`)).toBe('\\u{1B}[2JOK');
    expect(printable('tab\tkept')).toBe('tab\tkept');
    expect(printable('two\nlines')).toBe('two\\nlines');
    expect(printable('two\nlines', true)).toBe('two\nlines');
    expect(printable('café ✓ 日本')).toBe('café ✓ 日本');
  });

  it('HX5: the text export escapes a tool name or error that carries terminal escapes', () => {
    const [first] = sampleEvents();
    if (!first) throw new Error('no sample event');
    const text = toText([
      { ...first, summary: `tools/call ${ESC}[1A${ESC}[2KOK ${ESC}]52;c;ZXZpbA==\u0007` },
    ]);
    expect(text).not.toContain(ESC);
    expect(text).not.toContain('\u0007');
    expect(text).toContain('\\u{1B}[1A');
  });
});

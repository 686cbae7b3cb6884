/**
 * Knob form parsing. Test IDs (UI requirements of the knobs panel, not spec rules), continuing the
 * UI-TK series of src/ui/tokens/helpers.test.ts:
 * - UI-TK4: number fields read decimal text and refuse empty or non-numeric text with a message.
 * - UI-TK5: nullable number fields read empty text as null ("no expiry", "until cleared").
 * - UI-TK6: the toolScopes field reads "tool=scope, …" and names the entry it cannot read.
 * - UI-TK7: the tokenError editor builds { kind, grant, remaining } or null for "off".
 * - UI-TK8: what the parsers accept, the mock world's validator judges (ranges, shapes), and the
 *   catalogue's choices match what the editor offers.
 */
import { describe, expect, it } from 'vitest';
import { KNOBS, validateKnobPatch } from '../../../mocks/knobs';
import {
  buildTokenError,
  formatToolScopes,
  nullableNumberText,
  parseNullableNumberText,
  parseNumberText,
  parseToolScopesText,
  TOKEN_ERROR_KINDS,
} from './knob-parse';

describe('number knobs', () => {
  it('UI-TK4: decimal and exponent text becomes a number', () => {
    expect(parseNumberText('k', '120')).toEqual({ ok: true, value: 120 });
    expect(parseNumberText('k', ' 1.5 ')).toEqual({ ok: true, value: 1.5 });
    expect(parseNumberText('k', '1e3')).toEqual({ ok: true, value: 1000 });
    expect(parseNumberText('k', '-5')).toEqual({ ok: true, value: -5 });
  });

  it('UI-TK4: empty, hexadecimal, partial and non-numeric text is refused with the knob named', () => {
    expect(parseNumberText('tokenLatencyMs', '')).toEqual({
      ok: false,
      error: 'Failed to set knob "tokenLatencyMs": expected a number, got nothing.',
    });
    for (const bad of ['abc', '0x10', '12abc', 'Infinity', '1e999', '.', '1 2'])
      expect(parseNumberText('k', bad).ok, bad).toBe(false);
    expect(parseNumberText('k', 'abc')).toMatchObject({ error: expect.stringContaining('got "abc"') });
  });
});

describe('nullable number knobs', () => {
  it('UI-TK5: empty text is null, numbers are numbers, and null shows as empty text', () => {
    expect(parseNullableNumberText('k', '   ')).toEqual({ ok: true, value: null });
    expect(parseNullableNumberText('k', '60')).toEqual({ ok: true, value: 60 });
    expect(parseNullableNumberText('k', 'never').ok).toBe(false);
    expect(nullableNumberText(null)).toBe('');
    expect(nullableNumberText(86_400)).toBe('86400');
  });
});

describe('toolScopes', () => {
  it('UI-TK6: "tool=scope, …" becomes a map and formats back to the same text', () => {
    const text = 'add_note=notes:write, delete_note = notes:admin;\nsearch=mcp:tools,';
    const parsed = parseToolScopesText(text);
    expect(parsed).toEqual({
      ok: true,
      value: { add_note: 'notes:write', delete_note: 'notes:admin', search: 'mcp:tools' },
    });
    if (!parsed.ok) throw new Error('unreachable');
    expect(formatToolScopes(parsed.value)).toBe(
      'add_note=notes:write, delete_note=notes:admin, search=mcp:tools',
    );
    expect(parseToolScopesText(formatToolScopes(parsed.value))).toEqual(parsed);
    expect(parseToolScopesText('  ')).toEqual({ ok: true, value: {} });
  });

  it('UI-TK6: an entry without a tool, a scope or "=" is named; a tool listed twice is refused', () => {
    expect(parseToolScopesText('a=b, oops')).toEqual({
      ok: false,
      error: 'Failed to set knob "toolScopes": "oops" is not tool=scope.',
    });
    expect(parseToolScopesText('=scope').ok).toBe(false);
    expect(parseToolScopesText('tool=').ok).toBe(false);
    expect(parseToolScopesText('a=x, a=y')).toMatchObject({
      ok: false,
      error: expect.stringContaining('twice'),
    });
  });
});

describe('tokenError', () => {
  it('UI-TK7: "off" is null; a kind builds the fault, with empty remaining meaning until cleared', () => {
    expect(buildTokenError('off', 'whatever', 'x')).toEqual({ ok: true, value: null });
    expect(buildTokenError('invalid_grant', 'refresh_token', '')).toEqual({
      ok: true,
      value: { kind: 'invalid_grant', grant: 'refresh_token', remaining: null },
    });
    expect(buildTokenError('network', 'any', '2')).toEqual({
      ok: true,
      value: { kind: 'network', grant: 'any', remaining: 2 },
    });
  });

  it('UI-TK7: unknown kinds or grants and unreadable remaining counts are refused', () => {
    expect(buildTokenError('teapot', 'any', '')).toMatchObject({
      ok: false,
      error: expect.stringContaining('"teapot"'),
    });
    expect(buildTokenError('network', 'implicit', '').ok).toBe(false);
    expect(buildTokenError('network', 'any', 'twice').ok).toBe(false);
  });
});

describe('parsers and the world validator', () => {
  it('UI-TK8: parsed values in range pass validateKnobPatch; out-of-range ones get its TypeError', () => {
    const ok = parseToolScopesText('add_note=notes:write');
    const err = buildTokenError('server_error', 'authorization_code', '3');
    if (!ok.ok || !err.ok) throw new Error('parsing failed');
    expect(() => validateKnobPatch({ toolScopes: ok.value, tokenError: err.value })).not.toThrow();
    const negative = parseNumberText('accessTokenTtlSec', '-5');
    if (!negative.ok) throw new Error('parsing failed');
    expect(() => validateKnobPatch({ accessTokenTtlSec: negative.value })).toThrow(TypeError);
    const spaced = parseToolScopesText('add_note=notes:write extra');
    if (!spaced.ok) throw new Error('parsing failed');
    expect(() => validateKnobPatch({ toolScopes: spaced.value })).toThrow(/one scope token per tool/);
    const zero = buildTokenError('network', 'any', '0');
    if (!zero.ok) throw new Error('parsing failed');
    expect(() => validateKnobPatch({ tokenError: zero.value })).toThrow(
      /remaining must be null or a number ≥ 1/,
    );
  });

  it("UI-TK8: the tokenError editor offers exactly the catalogue's kinds", () => {
    expect(KNOBS.find((k) => k.key === 'tokenError')?.choices).toEqual(TOKEN_ERROR_KINDS);
  });
});

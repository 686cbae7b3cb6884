import type { TokenEndpointError, TokenEndpointFault } from '../../../mocks/knobs';

/**
 * Knob values from form text. These only turn text into values and say what they could not read;
 * ranges and shapes are `MockWorld.setKnobs`'s to judge (one validator, `validateKnobPatch`), and
 * its TypeError is shown the same way. Messages follow its form: `Failed to set knob "k": why.`
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const fail = (key: string, why: string): { ok: false; error: string } => ({
  ok: false,
  error: `Failed to set knob "${key}": ${why}.`,
});

/** A number from text: decimal, or exponent form; empty and non-numeric text are refused. */
export function parseNumberText(key: string, text: string): Parsed<number> {
  const t = text.trim();
  if (!t) return fail(key, 'expected a number, got nothing');
  const n = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t) ? Number(t) : Number.NaN;
  return Number.isFinite(n) ? { ok: true, value: n } : fail(key, `expected a number, got "${t}"`);
}

/** Like parseNumberText, but empty text means `null` (no expiry, until cleared). */
export function parseNullableNumberText(key: string, text: string): Parsed<number | null> {
  return text.trim() ? parseNumberText(key, text) : { ok: true, value: null };
}

/** `tool=scope` entries separated by commas, semicolons or new lines; empty text is no entries. */
export function parseToolScopesText(text: string, key = 'toolScopes'): Parsed<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/[,;\n]/)) {
    const entry = raw.trim();
    if (!entry) continue;
    const eq = entry.indexOf('=');
    const tool = eq < 0 ? '' : entry.slice(0, eq).trim();
    const scope = eq < 0 ? '' : entry.slice(eq + 1).trim();
    if (!tool || !scope) return fail(key, `"${entry}" is not tool=scope`);
    if (Object.hasOwn(out, tool)) return fail(key, `tool "${tool}" is listed twice`);
    out[tool] = scope;
  }
  return { ok: true, value: out };
}

/** The text parseToolScopesText reads back to the same map. */
export function formatToolScopes(scopes: Readonly<Record<string, string>>): string {
  return Object.entries(scopes)
    .map(([tool, scope]) => `${tool}=${scope}`)
    .join(', ');
}

/** A nullable number as a field shows it: `null` is empty. */
export function nullableNumberText(value: number | null): string {
  return value === null ? '' : String(value);
}

export const TOKEN_ERROR_OFF = 'off';
export const TOKEN_ERROR_KINDS: readonly TokenEndpointFault[] = [
  'invalid_grant',
  'invalid_client',
  'unauthorized_client',
  'server_error',
  'network',
];
export const TOKEN_ERROR_GRANTS: readonly TokenEndpointError['grant'][] = [
  'refresh_token',
  'authorization_code',
  'any',
];

const isKind = (v: string): v is TokenEndpointFault => (TOKEN_ERROR_KINDS as readonly string[]).includes(v);
const isGrant = (v: string): v is TokenEndpointError['grant'] =>
  (TOKEN_ERROR_GRANTS as readonly string[]).includes(v);

/**
 * The tokenError knob from its editor: kind "off" is `null`; an empty "remaining" is `null`
 * (fail until the knob is cleared).
 */
export function buildTokenError(
  kind: string,
  grant: string,
  remainingText: string,
  key = 'tokenError',
): Parsed<TokenEndpointError | null> {
  if (kind === TOKEN_ERROR_OFF) return { ok: true, value: null };
  if (!isKind(kind))
    return fail(key, `unknown kind "${kind}"; expected off or ${TOKEN_ERROR_KINDS.join(', ')}`);
  if (!isGrant(grant))
    return fail(key, `unknown grant "${grant}"; expected ${TOKEN_ERROR_GRANTS.join(', ')}`);
  const remaining = parseNullableNumberText(key, remainingText);
  if (!remaining.ok) return remaining;
  return { ok: true, value: { kind, grant, remaining: remaining.value } };
}

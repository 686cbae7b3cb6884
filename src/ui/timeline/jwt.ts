import type { TimelineEvent } from '../../engine/timeline/events';

/**
 * Finds and decodes JSON Web Tokens that are present in full in an event (a software statement, an
 * ID token a mock chose not to hide, a client assertion in a test). Secrets were redacted at the
 * source (T7) to `eyJhbG…#3fa91c`, which is no JWT and is left alone: nothing here un-redacts.
 * The signature is not verified; this is for reading claims.
 * @see https://www.rfc-editor.org/rfc/rfc7519#section-7.2
 */

export interface DecodedJwt {
  /** Where it was found: "request header authorization", "response body", "data". */
  where: string;
  token: string;
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** Whether a signature part is present (an unsecured JWT has an empty third part). */
  signed: boolean;
}

/** A compact JWS: base64url header starting `{"` (eyJ), payload, signature (may be empty). */
const JWT_IN_TEXT = /(?<![\w.-])(eyJ[\w-]*\.[\w-]+\.[\w-]*)(?![\w.…#-])/g;

/** Bytes of base64url text; undefined when it is not base64url. */
export function base64UrlToBytes(text: string): Uint8Array | undefined {
  if (!/^[\w-]*$/.test(text) || text.length % 4 === 1) return undefined;
  const b64 = text
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(text.length / 4) * 4, '=');
  try {
    const bin = atob(b64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return bytes;
  } catch {
    return undefined;
  }
}

/** base64url text (no padding) of bytes. */
export function bytesToBase64Url(bytes: Uint8Array): string {
  let bin = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) bin += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function jsonPart(part: string | undefined): Record<string, unknown> | undefined {
  if (part === undefined) return undefined;
  const bytes = base64UrlToBytes(part);
  if (!bytes) return undefined;
  try {
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Decodes a compact JWT's header and payload; undefined when it is not one (wrong shape, not
 * base64url, not JSON objects, or a header with no `alg`).
 */
export function decodeJwt(token: string, where = ''): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const header = jsonPart(parts[0]);
  const payload = jsonPart(parts[1]);
  if (!header || !payload || typeof header.alg !== 'string') return undefined;
  return { where, token, header, payload, signed: (parts[2] ?? '') !== '' };
}

/** Every whole JWT inside a piece of text (a header value, a body, a URL). */
export function findJwtsInText(text: string, where: string): DecodedJwt[] {
  const out: DecodedJwt[] = [];
  for (const m of text.matchAll(JWT_IN_TEXT)) {
    const decoded = m[1] ? decodeJwt(m[1], where) : undefined;
    if (decoded) out.push(decoded);
  }
  return out;
}

/** The JWTs of an event: summary, URL, request and response headers and bodies, failure and `data`. */
export function findJwts(event: TimelineEvent): DecodedJwt[] {
  const sources: Array<[string, string]> = [['summary', event.summary]];
  const h = event.http;
  if (h) {
    sources.push(['request URL', h.request.url]);
    for (const [k, v] of Object.entries(h.request.headers)) sources.push([`request header ${k}`, v]);
    if (h.request.body) sources.push(['request body', h.request.body]);
    if (h.response) {
      for (const [k, v] of Object.entries(h.response.headers)) sources.push([`response header ${k}`, v]);
      if (h.response.body) sources.push(['response body', h.response.body]);
    }
    if (h.failure) sources.push(['failure', h.failure]);
  }
  if (event.data) sources.push(['data', JSON.stringify(event.data)]);
  const seen = new Set<string>();
  const out: DecodedJwt[] = [];
  for (const [where, text] of sources)
    for (const jwt of findJwtsInText(text, where))
      if (!seen.has(jwt.token)) {
        seen.add(jwt.token);
        out.push(jwt);
      }
  return out;
}

const TIME_CLAIMS = new Set(['exp', 'iat', 'nbf', 'auth_time']);

/** A claim's value for display; NumericDate claims also get their UTC date. */
export function formatClaim(name: string, value: unknown): string {
  if (TIME_CLAIMS.has(name) && typeof value === 'number' && Number.isFinite(value)) {
    const date = new Date(value * 1000);
    return Number.isNaN(date.getTime()) ? String(value) : `${value} (${date.toISOString()})`;
  }
  if (typeof value === 'string') return value;
  // `aud` and similar lists read best as words.
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(' ');
  return JSON.stringify(value) ?? String(value);
}

/**
 * Small HTTP helpers shared by the mock servers. Every mock response goes through these so that
 * CORS, caching and error shapes are the same everywhere.
 */

/** Headers a browser page needs to read from a cross-origin MCP/OAuth response (DESIGN.md: real servers need them too). */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
  'access-control-allow-headers':
    'authorization, content-type, accept, mcp-session-id, mcp-protocol-version, mcp-method, mcp-name, last-event-id, dpop',
  'access-control-expose-headers': 'www-authenticate, mcp-session-id, mcp-protocol-version, retry-after',
  'access-control-max-age': '600',
};

export function withCors(headers: HeadersInit = {}): Headers {
  const h = new Headers(headers);
  for (const [k, v] of Object.entries(CORS_HEADERS)) if (!h.has(k)) h.set(k, v);
  return h;
}

export function json(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  const h = withCors(headers);
  h.set('content-type', 'application/json');
  h.set('cache-control', 'no-store');
  return new Response(JSON.stringify(body), { status, headers: h });
}

export function text(body: string, status = 200, headers: HeadersInit = {}): Response {
  const h = withCors(headers);
  if (!h.has('content-type')) h.set('content-type', 'text/plain; charset=utf-8');
  return new Response(body, { status, headers: h });
}

export function empty(status: number, headers: HeadersInit = {}): Response {
  return new Response(null, { status, headers: withCors(headers) });
}

/** An OAuth 2.0 error response (RFC 6749 §5.2). */
export function oauthError(
  error: string,
  description: string,
  status = 400,
  headers: HeadersInit = {},
): Response {
  return json({ error, error_description: description }, status, headers);
}

/** A simulated network failure: the MSW adapters turn this into a transport-level error. */
export function networkError(): Response {
  return Response.error();
}

export function isNetworkError(response: Response): boolean {
  return response.type === 'error';
}

export function base64url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function base64urlText(value: string): string {
  return base64url(new TextEncoder().encode(value));
}

/** An unguessable identifier with the given prefix (for codes, tokens, client ids). */
export function randomId(prefix: string, bytes = 24): string {
  const b = new Uint8Array(bytes);
  crypto.getRandomValues(b);
  return `${prefix}${base64url(b)}`;
}

export async function sha256base64url(value: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value));
  return base64url(new Uint8Array(digest));
}

/** Reads an `application/x-www-form-urlencoded` body; any other type yields null. */
export async function readForm(request: Request): Promise<URLSearchParams | null> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) return null;
  return new URLSearchParams(await request.text());
}

/** Splits an OAuth scope string into its distinct tokens. */
export function scopeList(scope: string | null | undefined): string[] {
  return [...new Set((scope ?? '').split(' ').filter(Boolean))];
}

/** Quotes a value for an auth-param in `WWW-Authenticate` (RFC 9110 §11.2 quoted-string). */
export function quoteParam(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

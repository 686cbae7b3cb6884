/**
 * What the instrumented fetch writes about a request: its label (JSON-RPC method, OAuth step),
 * the one-line summary, the step gate's explanation, and bodies read without disturbing the caller.
 */

/** Default cap on a captured body (64 KiB): enough for any OAuth or JSON-RPC message worth reading. */
export const BODY_CAPTURE_LIMIT = 64 * 1024;

/**
 * Headers as a plain record (lower-case names), the shape timeline events keep.
 * @see https://fetch.spec.whatwg.org/#headers-class
 */
export function headersRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => {
    out[key] = value;
  });
  return out;
}

function jsonRpcLabel(value: unknown): string | undefined {
  const one = (m: unknown): string | undefined => {
    if (!m || typeof m !== 'object') return undefined;
    const r = m as {
      method?: unknown;
      params?: { name?: unknown; uri?: unknown };
      result?: unknown;
      error?: unknown;
    };
    if (typeof r.method === 'string') {
      const target = r.params?.name ?? r.params?.uri;
      return typeof target === 'string' && /^(tools\/call|prompts\/get|resources\/read)$/.test(r.method)
        ? `${r.method} ${target}`
        : r.method;
    }
    return 'result' in r || 'error' in r ? 'response' : undefined;
  };
  if (Array.isArray(value)) {
    const parts = value.map(one).filter((x): x is string => x !== undefined);
    return parts.length ? `batch: ${parts.join(', ')}` : undefined;
  }
  return one(value);
}

/**
 * The default label of a request: JSON-RPC method(s) from a JSON body, `token: <grant_type>` from
 * an OAuth token request, or the discovery/registration step its URL names.
 * @see https://www.jsonrpc.org/specification#request_object
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 */
export function deriveLabel(method: string, url: string, body: string | undefined): string | undefined {
  let path = '';
  try {
    path = new URL(url).pathname;
  } catch {
    /* leave the path empty */
  }
  if (body !== undefined) {
    const trimmed = body.trimStart();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      try {
        const parsed: unknown = JSON.parse(body);
        const rpc = jsonRpcLabel(parsed);
        if (rpc) return rpc;
        if (parsed && typeof parsed === 'object' && 'redirect_uris' in parsed) return 'registration';
      } catch {
        /* not JSON */
      }
    } else if (/^[\w.%-]+=/.test(trimmed)) {
      const form = new URLSearchParams(body);
      const grant = form.get('grant_type');
      if (grant) return `token: ${grant}`;
      if (form.has('token')) return 'revocation';
    }
  }
  if (path.includes('/.well-known/oauth-protected-resource')) return 'PRM discovery';
  if (
    path.includes('/.well-known/oauth-authorization-server') ||
    path.includes('/.well-known/openid-configuration')
  )
    return 'AS metadata';
  if (method === 'DELETE') return 'end session';
  return undefined;
}

/**
 * Whether a label names an OAuth step whose answer the engine parses itself: protected resource
 * metadata, authorization server metadata, registration, a token grant or a revocation.
 */
export function isOAuthLabel(label: string | undefined): boolean {
  return (
    label !== undefined &&
    /^(PRM( discovery)?|AS metadata|register|registration|revocation|token: .+)$/.test(label)
  );
}

const EXPLANATIONS: Array<[RegExp, string]> = [
  [
    /^token: authorization_code$/,
    'The person said yes, and the authorization server sent back a one-time code. Now the client trades that code for tokens, and proves it is the same client that started (it sends the PKCE code_verifier whose hash went out with the request). The code works once and only for this client (RFC 6749 §4.1.3, RFC 7636 §4.5; rule O8).',
  ],
  [
    /^token: refresh_token$/,
    'The access token was refused or is about to expire. Instead of asking the person again, the client quietly sends its refresh token to the token endpoint it used before and gets a new access token; if the server rotates refresh tokens, the old one stops working now (RFC 6749 §6; rules O9, F10, T4).',
  ],
  [/^token: /, 'Ask the token endpoint for a token (RFC 6749 §3.2).'],
  [
    /^PRM( discovery)?$/,
    'The MCP server said "401: sign in first". To find out where to sign in, the client reads the server\'s protected resource metadata: which authorization server protects it and which scopes exist. The resource it names must be this server (RFC 9728 §3; rules O1, O2).',
  ],
  [
    /^AS metadata$/,
    'Next the client asks the authorization server to describe itself: where its login page, token endpoint and registration endpoint are, and which security features (PKCE with S256) it supports. Its issuer must match the address it was found at (RFC 8414 §3; rules O3, O4).',
  ],
  [
    /^(registration|register)$/,
    'The authorization server does not know this client yet, so the client registers itself: its name and the address the person should be sent back to. It gets a client_id to use from now on (RFC 7591 §3; rule O5).',
  ],
  [/^revocation$/, 'Tell the authorization server that a token must no longer be accepted (RFC 7009 §2).'],
  [
    /^initialize$/,
    'Open an MCP session with the server: both sides agree on the protocol version and say what they can do. If the request carries an access token, the server checks it first (MCP lifecycle; rule D1).',
  ],
  [
    /^notifications\/initialized$/,
    'Tell the server the session is ready; it answers 202 with no body (MCP lifecycle).',
  ],
  [/^tools\/list/, 'Ask the server which tools it offers; long lists come in pages (MCP tools; rule D7).'],
  [
    /^tools\/call/,
    'Run a tool on the server with the access token. A 401 here means the token is no longer good (silent refresh follows); a 403 insufficient_scope means the person must grant more (step-up) (MCP tools; rules F10, O6).',
  ],
  [
    /^server\/discover$/,
    'Ask a 2026-07-28 server what it supports, instead of opening a session (MCP 2026-07-28).',
  ],
  [/^end session$/, 'End the MCP session (MCP transports: session management).'],
];

/**
 * A sentence for the step gate: what this request is about to do, citing the RFC step.
 * @see step-gate.ts
 */
export function explain(method: string, url: string, label: string | undefined): string {
  for (const [re, text] of EXPLANATIONS) if (label && re.test(label)) return text;
  if (label) return `Send ${label} to ${safeLocation(url)}.`;
  return `Send ${method} ${safeLocation(url)}.`;
}

/**
 * Origin and path, without the query (it may carry codes or tokens).
 * @see spec/behaviour.md T7
 */
export function safeLocation(url: string): string {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? `${u.origin}${u.pathname}` : `${u.protocol}…`;
  } catch {
    return url.slice(0, 80);
  }
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

/**
 * The one-line summary of an exchange: `POST /token → 200 (token: refresh_token)`,
 * `POST /mcp → network error (initialize)`.
 * @see DESIGN.md principle 4 (everything observable)
 */
export function summarize(method: string, url: string, outcome: string, label?: string): string {
  return `${method} ${pathOf(url)} → ${outcome}${label ? ` (${label})` : ''}`;
}

/**
 * Reads up to `limit` bytes of a stream as text, then cancels the rest (the stream is a clone).
 * The cancel is not awaited: a clone is one branch of a tee, and cancelling one branch settles
 * only once the other branch (the caller's, which gets its response only after this returns) is
 * drained or cancelled too. Awaiting it would wait for the caller forever.
 * @see https://streams.spec.whatwg.org/#readable-stream-tee
 */
async function readCapped(stream: ReadableStream<Uint8Array>, limit: number): Promise<string> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return text + decoder.decode();
      bytes += value.byteLength;
      if (bytes > limit) {
        text += decoder.decode(value.subarray(0, value.byteLength - (bytes - limit)), { stream: true });
        reader.cancel().catch(() => undefined);
        return `${text}${decoder.decode()}… (truncated at ${limit} bytes)`;
      }
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    reader.releaseLock();
  }
}

const TEXTUAL = /json|x-www-form-urlencoded|^text\/|xml|javascript/i;

/**
 * The body a request sends, as text where that can be done without consuming the caller's body.
 * @see https://fetch.spec.whatwg.org/#bodyinit-unions
 */
export async function requestBodyText(
  input: string | URL | Request,
  init: RequestInit | undefined,
  limit: number,
): Promise<string | undefined> {
  const body = init?.body;
  if (body === undefined || body === null) {
    const copy = input instanceof Request && input.body && !input.bodyUsed ? input.clone().body : null;
    return copy ? readCapped(copy, limit) : undefined;
  }
  if (typeof body === 'string') return body.length > limit ? `${body.slice(0, limit)}… (truncated)` : body;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) {
    const bytes =
      body instanceof ArrayBuffer
        ? new Uint8Array(body)
        : new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
    return bytes.byteLength > limit ? `(${bytes.byteLength} bytes)` : new TextDecoder().decode(bytes);
  }
  if (typeof Blob !== 'undefined' && body instanceof Blob)
    return `(${body.size} bytes of ${body.type || 'binary data'})`;
  if (typeof FormData !== 'undefined' && body instanceof FormData) return '(multipart form data)';
  return '(stream)';
}

/**
 * The Content-Type fetch adds on its own for string and form bodies.
 * @see https://fetch.spec.whatwg.org/#concept-bodyinit-extract
 */
export function implicitContentType(init: RequestInit | undefined): string | undefined {
  if (typeof init?.body === 'string') return 'text/plain;charset=UTF-8';
  if (init?.body instanceof URLSearchParams) return 'application/x-www-form-urlencoded;charset=UTF-8';
  return undefined;
}

/**
 * The body of a response for the timeline, read from a clone so the caller still gets all of it.
 * An event stream is never read or delayed: it is recorded as "(event stream)".
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html
 */
export async function responseBodyText(response: Response, limit: number): Promise<string | undefined> {
  if (!response.body) return undefined;
  const type = response.headers.get('content-type') ?? '';
  if (/text\/event-stream/i.test(type)) return '(event stream)';
  if (type && !TEXTUAL.test(type)) {
    const size = response.headers.get('content-length');
    return `(${size ? `${size} bytes` : 'body'} of ${type})`;
  }
  const clone = response.clone().body;
  return clone ? readCapped(clone, limit) : undefined;
}

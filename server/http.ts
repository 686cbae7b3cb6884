import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** Which browser origins may call a server: every origin (`'*'`, reflected) or a list. */
export type OriginPolicy = '*' | readonly string[];

export function originAllowed(policy: OriginPolicy, origin: string): boolean {
  return origin !== 'null' && (policy === '*' || policy.includes(origin));
}

/**
 * CORS for a browser-facing API: reflects an allowed `Origin` (never `*`, so `Vary: Origin` keeps
 * caches honest) and answers preflights itself. Returns true when the request was a preflight and
 * has been answered.
 */
export function applyCors(
  req: IncomingMessage,
  res: ServerResponse,
  policy: OriginPolicy,
  options: { methods: string; exposeHeaders?: string },
): boolean {
  const origin = req.headers.origin;
  res.setHeader('Vary', 'Origin');
  if (!origin || !originAllowed(policy, origin)) return false;
  res.setHeader('Access-Control-Allow-Origin', origin);
  if (options.exposeHeaders) res.setHeader('Access-Control-Expose-Headers', options.exposeHeaders);
  if (req.method !== 'OPTIONS' || !req.headers['access-control-request-method']) return false;
  res.setHeader('Access-Control-Allow-Methods', options.methods);
  const asked = req.headers['access-control-request-headers'];
  if (asked) res.setHeader('Access-Control-Allow-Headers', asked);
  res.setHeader('Access-Control-Max-Age', '600');
  res.writeHead(204).end();
  return true;
}

const BODY_LIMIT = 1024 * 1024;

/** Reads a request body (at most 1 MiB). */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > BODY_LIMIT) throw new Error('Request body larger than 1 MiB.');
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    // No form-action: Chromium applies it to the redirect back to the client after consent.
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    'x-frame-options': 'DENY',
  });
  res.end(html);
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

/** The port a server must listen on was taken by another process. */
export class PortTakenError extends Error {
  constructor(
    readonly port: number,
    envName: string,
  ) {
    super(`Port ${port} is taken: set ${envName} or stop the other process.`);
    this.name = 'PortTakenError';
  }
}

/**
 * Listens on `localhost:port` (0 = a free port) and returns the port it got. A taken port is a
 * `PortTakenError` naming the variable that moves it.
 */
export function listen(server: Server, port: number, envName: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(e.code === 'EADDRINUSE' ? new PortTakenError(port, envName) : e);
    };
    const onListening = () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, 'localhost');
  });
}

/** Stops a server, ending open (keep-alive, SSE) connections instead of waiting for them. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Quotes an auth-param value for `WWW-Authenticate` (RFC 9110 §11.2). */
export function quoteParam(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

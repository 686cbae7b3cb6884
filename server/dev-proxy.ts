/**
 * The playground's opt-in dev proxy (issue 6): `npm start` serves `/__lab_proxy`, which forwards
 * a request to the URL in `x-lab-proxy-target` and answers with CORS headers, for servers that do
 * not send them. Off unless the playground's "Dev proxy" switch is on; refuses private, loopback
 * and link-local targets unless `LAB_PROXY_ALLOW_PRIVATE=1` (D8), so it cannot reach into the
 * network it runs in.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { UrlPolicy } from '../src/engine/net/url-policy';

export const PROXY_PATH = '/__lab_proxy';
export const TARGET_HEADER = 'x-lab-proxy-target';

const DROP_REQUEST = new Set([
  'host',
  'origin',
  'referer',
  'connection',
  'content-length',
  TARGET_HEADER,
  'accept-encoding',
]);
const DROP_RESPONSE = new Set([
  'content-encoding',
  'content-length',
  'transfer-encoding',
  'connection',
  'access-control-allow-origin',
]);

const cors = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
  'access-control-allow-headers': '*',
  'access-control-expose-headers': 'www-authenticate, mcp-session-id, mcp-protocol-version, location',
};

async function body(req: IncomingMessage): Promise<Buffer | undefined> {
  if (req.method === 'GET' || req.method === 'HEAD') return undefined;
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function fail(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json', ...cors });
  res.end(JSON.stringify({ error: 'proxy_refused', error_description: message }));
}

/** A Connect-style middleware (Vite's dev server). */
export function devProxy(options: { allowPrivate?: boolean; fetch?: typeof fetch } = {}) {
  const policy = new UrlPolicy({
    ssrfProtection: !(options.allowPrivate ?? process.env.LAB_PROXY_ALLOW_PRIVATE === '1'),
  });
  const send = options.fetch ?? fetch;
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors);
      res.end();
      return;
    }
    const target = req.headers[TARGET_HEADER];
    if (typeof target !== 'string')
      return fail(res, 400, `Send the target URL in the ${TARGET_HEADER} header.`);
    let url: URL;
    try {
      url = policy.check(target, 'dev proxy target');
    } catch (e) {
      return fail(
        res,
        403,
        `${(e as Error).message} For the dev proxy, start the playground with LAB_PROXY_ALLOW_PRIVATE=1 to allow private addresses.`,
      );
    }
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers))
      if (!DROP_REQUEST.has(k) && typeof v === 'string') headers.set(k, v);
    let upstream: Response;
    try {
      const b = await body(req);
      upstream = await send(url, {
        method: req.method ?? 'GET',
        headers,
        redirect: 'manual',
        ...(b ? { body: new Uint8Array(b) } : {}),
      });
    } catch (e) {
      return fail(res, 502, `The dev proxy could not reach ${url.origin}: ${(e as Error).message}`);
    }
    const out: Record<string, string> = { ...cors };
    upstream.headers.forEach((v, k) => {
      if (!DROP_RESPONSE.has(k)) out[k] = v;
    });
    res.writeHead(upstream.status, out);
    if (!upstream.body) return void res.end();
    Readable.fromWeb(upstream.body as import('node:stream/web').ReadableStream).pipe(res);
  };
}

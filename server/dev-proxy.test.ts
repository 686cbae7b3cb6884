// PROXY1: the dev proxy forwards to servers without CORS and adds CORS headers, streams SSE.
// PROXY2: it refuses private and loopback targets unless allowed (D8), and bad requests.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devProxy, TARGET_HEADER } from './dev-proxy';

let upstream: Server;
let upstreamUrl: string;
const proxies: Server[] = [];

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function proxy(allowPrivate: boolean): Promise<string> {
  const handler = devProxy({ allowPrivate });
  const server = createServer((req, res) => void handler(req, res));
  proxies.push(server);
  return listen(server);
}

beforeAll(async () => {
  // A server that sends no CORS headers at all.
  upstream = createServer((req, res) => {
    if (req.url === '/sse') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: message\ndata: 1\n\n');
      setTimeout(() => res.end('event: message\ndata: 2\n\n'), 20);
      return;
    }
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      res.writeHead(401, {
        'www-authenticate': 'Bearer resource_metadata="x"',
        'content-type': 'application/json',
      });
      res.end(JSON.stringify({ method: req.method, body, auth: req.headers.authorization ?? null }));
    });
  });
  upstreamUrl = await listen(upstream);
});
afterAll(() => {
  upstream.close();
  for (const p of proxies) p.close();
});

describe('dev proxy', () => {
  it('PROXY1: forwards method, body and Authorization, and answers with CORS and exposed WWW-Authenticate', async () => {
    const base = await proxy(true);
    const res = await fetch(`${base}/`, {
      method: 'POST',
      headers: { [TARGET_HEADER]: `${upstreamUrl}/mcp`, authorization: 'Bearer abc' },
      body: '{"x":1}',
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-expose-headers')).toContain('www-authenticate');
    expect(res.headers.get('www-authenticate')).toBe('Bearer resource_metadata="x"');
    expect(await res.json()).toEqual({ method: 'POST', body: '{"x":1}', auth: 'Bearer abc' });
  });

  it('PROXY1: event streams pass through', async () => {
    const base = await proxy(true);
    const res = await fetch(`${base}/`, { headers: { [TARGET_HEADER]: `${upstreamUrl}/sse` } });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(await res.text()).toBe('event: message\ndata: 1\n\nevent: message\ndata: 2\n\n');
  });

  it('PROXY2: private and loopback targets are refused unless allowed; a missing target is a 400', async () => {
    const base = await proxy(false);
    const refused = await fetch(`${base}/`, { headers: { [TARGET_HEADER]: `${upstreamUrl}/mcp` } });
    expect(refused.status).toBe(403);
    expect((await refused.json()).error_description).toMatch(/loopback/);
    expect((await fetch(`${base}/`, { headers: { [TARGET_HEADER]: 'file:///etc/passwd' } })).status).toBe(
      403,
    );
    expect((await fetch(`${base}/`)).status).toBe(400);
    expect((await fetch(`${base}/`, { method: 'OPTIONS' })).status).toBe(204);
  });
});

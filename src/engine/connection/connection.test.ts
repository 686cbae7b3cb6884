import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startMockServer } from '../../../mocks/node';
import { ManualClock, RealClock } from '../clock';
import { LabError } from '../errors';
import { OAuthHandler } from '../oauth/handler';
import { capturingFetchFor } from '../oauth/testing';
import { TimelineRecorder } from '../timeline/recorder';
import { CircuitBreaker } from './circuit-breaker';
import { APPS_EXTENSION, Connection } from './connection';
import type { ConnectionConfig } from './types';

const mocks = startMockServer();
const world = mocks.world;
afterAll(() => mocks.close());
beforeEach(() => world.reset());
const open: Connection[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
  await world.idle();
});

const DCR = 'https://dcr.mock.test/mcp';
const OPEN = 'https://noauth.mock.test/mcp';

function connection(config: Partial<ConnectionConfig> & { url: string }, clock = new RealClock()) {
  const { sent, fetchFor } = capturingFetchFor();
  const conn = new Connection({
    config: { serverName: new URL(config.url).hostname, ...config },
    userId: 'alice',
    clock,
    fetchFor,
  });
  open.push(conn);
  return { conn, sent };
}

/** Gets tokens for the DCR mock the way a factory would, through the OAuth handler. */
async function tokensFor(serverUrl = DCR): Promise<string> {
  const { fetchFor } = capturingFetchFor();
  const h = new OAuthHandler(
    { serverUrl, revision: '2025-11-25', redirectUri: 'http://localhost:1/cb', client: {} },
    fetchFor,
  );
  const d = await h.discover();
  const c = await h.resolveClient(d);
  const p = await h.begin(d, c);
  const { redirectTo } = await world.authorize(p.authorizationUrl, { decision: 'approve' });
  return (await h.complete(d, c, p, Object.fromEntries(new URL(redirectTo).searchParams))).access_token;
}

describe('connection', () => {
  it('D1 D2: connects over Streamable HTTP, lists and calls tools, and reports its state changes', async () => {
    const { conn } = connection({ url: OPEN });
    const states: string[] = [];
    conn.on('connectionChange', (s) => states.push(s));
    await conn.connect();
    const { tools } = await conn.listTools();
    expect(tools.map((t) => t.name)).toContain('echo');
    expect(await conn.callTool('add', { a: 1, b: 2 })).toMatchObject({ structuredContent: { sum: 3 } });
    await conn.close();
    expect(states).toEqual(['connecting', 'connected', 'disconnected']);
  });

  it('D1 TOK-1: configured headers and the bearer token go on every request (never in the URL); a new token takes effect at once', async () => {
    const { conn, sent } = connection({
      url: DCR,
      headers: { 'x-lab': 'yes', authorization: 'Bearer must-not-win' },
    });
    conn.setAccessToken(await tokensFor());
    await conn.connect();
    const first = conn.accessToken;
    conn.setAccessToken(await tokensFor());
    await conn.callTool('echo', { message: 'x' });
    const mcp = sent.filter((r) => r.lane === 'mcp');
    expect(mcp.every((r) => r.headers['x-lab'] === 'yes')).toBe(true);
    expect(
      mcp.every(
        (r) => !new URL(r.url).search.includes(conn.accessToken ?? '-') && !r.url.includes('access_token'),
      ),
    ).toBe(true);
    expect(mcp.at(0)?.headers.authorization).toBe(`Bearer ${first}`);
    expect(mcp.at(-1)?.headers.authorization).toBe(`Bearer ${conn.accessToken}`);
    expect(first).not.toBe(conn.accessToken);
  });

  it('D3: an auth error during connect emits oauthRequired with the challenge; once handled, the next attempt uses the new token', async () => {
    const { conn } = connection({ url: DCR });
    const events: unknown[] = [];
    conn.on('oauthRequired', async (event) => {
      events.push(event);
      conn.setAccessToken(await tokensFor());
      conn.emit('oauthHandled');
    });
    await conn.connect();
    expect(conn.state).toBe('connected');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      serverUrl: DCR,
      userId: 'alice',
      status: 401,
      challenge: {
        resourceMetadataUrl: 'https://dcr.mock.test/.well-known/oauth-protected-resource/mcp',
        scope: 'mcp:tools mcp:resources',
      },
    });
  });

  it('D3: when OAuth fails the original error is rethrown; with no listener the connect fails at once', async () => {
    const { conn } = connection({ url: DCR });
    conn.on('oauthRequired', () => conn.emit('oauthFailed', new Error('user closed the popup')));
    const e = await conn.connect().catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'http', status: 401 });
    expect(conn.state).toBe('error');
    const lonely = connection({ url: DCR }).conn;
    expect(await lonely.connect().catch((x: LabError) => x.code)).toBe('oauth_required');
  });

  it('D3: oauthRequired times out after OAUTH_HANDLING_TIMEOUT on the injected clock', async () => {
    const clock = new ManualClock();
    const { conn } = connection({ url: DCR }, clock);
    let asked = false;
    conn.on('oauthRequired', () => {
      asked = true;
    });
    const pending = conn.connect().catch((x: LabError) => x);
    while (!asked) await new Promise((r) => setTimeout(r, 1));
    await clock.advance(10 * 60_000);
    const e = await pending;
    expect(e).toMatchObject({ code: 'timeout' });
  });

  it('D4: concurrent connects share one attempt; connecting a connected connection is a no-op', async () => {
    const { conn } = connection({ url: OPEN });
    await Promise.all([conn.connect(), conn.connect(), conn.connect()]);
    await conn.connect();
    expect(world.log.filter((l) => l.detail === 'initialize')).toHaveLength(1);
  });

  it('D6: a 429 is a rate_limited error and stops automatic reconnects', async () => {
    const { conn } = connection({ url: OPEN });
    world.setKnobs('noauth', { mcpRateLimitNext: 1 });
    const e = await conn.connect().catch((x: LabError) => x);
    expect(e).toMatchObject({ code: 'rate_limited', status: 429 });
    expect(conn.reconnectDisabled).toBe(true);
  });

  it('D1: the legacy HTTP+SSE transport works too, with the bearer token on the stream and on every POST', async () => {
    const { conn, sent } = connection({ url: 'https://dcr.mock.test/sse', transport: 'sse' });
    conn.setAccessToken(await tokensFor());
    await conn.connect();
    expect(await conn.callTool('add', { a: 20, b: 22 })).toMatchObject({ structuredContent: { sum: 42 } });
    const mcp = sent.filter((r) => r.lane === 'mcp');
    expect(mcp[0]).toMatchObject({ method: 'GET', url: 'https://dcr.mock.test/sse' });
    expect(mcp.every((r) => r.headers.authorization === `Bearer ${conn.accessToken}`)).toBe(true);
  });

  it('D1: the optional standalone GET stream is not opened unless asked for', async () => {
    const quiet = connection({ url: OPEN }).conn;
    await quiet.connect();
    expect(world.log.some((l) => l.method === 'GET')).toBe(false);
    const streaming = connection({ url: OPEN, standaloneStream: true }).conn;
    await streaming.connect();
    await world.idle();
    await new Promise((r) => setTimeout(r, 20));
    expect(world.log.filter((l) => l.method === 'GET').map((l) => l.status)).toEqual([405]);
  });

  it('D7: tools/list paging stops at the page cap and returns what it has', async () => {
    world.setKnobs('noauth', { toolsPageSize: 1 });
    const { conn } = connection({ url: OPEN });
    const list = await conn.listTools({ maxPages: 3 });
    expect(list).toMatchObject({ pages: 3, truncated: 'pages' });
    expect(list.tools.map((t) => t.name)).toEqual(['echo', 'add', 'slow']);
    expect((await conn.listTools()).tools).toHaveLength(10);
  });

  it('A1: the MCP Apps extension is advertised only while apps are on', async () => {
    const on = connection({ url: OPEN }).conn;
    await on.connect();
    const off = connection({ url: OPEN, appsEnabled: false }).conn;
    await off.connect();
    const caps = [...world.mcpServer('noauth').sessions.values()].map((s) => s.clientCapabilities);
    expect(caps[0]).toEqual({
      extensions: { [APPS_EXTENSION]: { mimeTypes: ['text/html;profile=mcp-app'] } },
    });
    expect(caps[1]?.extensions).toBeUndefined();
  });

  it('D1: protocol 2026-07-28 negotiates the stateless era through server/discover', async () => {
    const { conn } = connection({ url: OPEN, protocolVersion: '2026-07-28' });
    await conn.connect();
    expect(conn.client?.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    expect(await conn.callTool('echo', { message: 'modern' })).toMatchObject({
      content: [{ text: 'modern' }],
    });
  });

  it('D3: a 401 on a connected connection asks for OAuth and retries the call once', async () => {
    const { conn } = connection({ url: DCR });
    let asked = 0;
    conn.on('oauthRequired', async () => {
      asked++;
      conn.setAccessToken(await tokensFor());
      conn.emit('oauthHandled');
    });
    await conn.connect();
    world.setKnobs('dcr', { mcpUnauthorizedNext: 1 });
    expect(await conn.callTool('echo', { message: 'again' })).toMatchObject({ content: [{ text: 'again' }] });
    expect(asked).toBe(2);
  });
});

describe('diagnoses', () => {
  it('DISC-1: a 401 whose WWW-Authenticate the page cannot read (CORS hides it) is explained on the timeline', async () => {
    vi.stubGlobal('location', { origin: 'http://localhost:5173' });
    try {
      const recorder = new TimelineRecorder(new RealClock());
      // What a browser shows a page when the server does not expose the header: the 401 without it.
      const hidden = () => async (input: string | URL | Request, init?: RequestInit) => {
        const res = await fetch(input, init);
        const headers = new Headers(res.headers);
        headers.delete('www-authenticate');
        return new Response(res.body, { status: res.status, headers });
      };
      const conn = new Connection({
        config: { serverName: 'dcr', url: DCR },
        userId: 'a',
        clock: new RealClock(),
        fetchFor: hidden,
        recorder,
      });
      await conn.connect().catch(() => {});
      const warn = recorder.events.find((e) => e.ruleIds.includes('DISC-1') && e.level === 'warn');
      expect(warn?.summary).toMatch(/Access-Control-Expose-Headers: WWW-Authenticate/);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('circuit breaker', () => {
  it('D5: 8 cycles within 45 s open a 15 s cooldown; repeated rounds double it up to 5 minutes; success resets', async () => {
    const clock = new ManualClock();
    const b = new CircuitBreaker(clock);
    for (let i = 0; i < 7; i++) b.begin('s');
    expect(() => b.begin('s')).toThrow(/cooling down for 15 s/);
    expect(() => b.begin('s')).toThrow(LabError);
    await clock.advance(15_000);
    for (let i = 0; i < 7; i++) b.begin('s');
    expect(() => b.begin('s')).toThrow(/cooling down for 30 s/);
    for (let round = 3; round <= 8; round++) {
      await clock.advance(300_000);
      for (let i = 0; i < 7; i++) b.begin('s');
      expect(() => b.begin('s')).toThrow(round >= 6 ? /cooling down for 300 s/ : /cooling down/);
    }
    await clock.advance(300_000);
    b.succeeded('s');
    for (let i = 0; i < 7; i++) b.begin('s');
    expect(() => b.begin('s')).toThrow(/cooling down for 15 s/);
  });

  it('D5: cycles older than the window do not count; F22: a failed discovery gives its cycle back', async () => {
    const clock = new ManualClock();
    const b = new CircuitBreaker(clock);
    for (let i = 0; i < 7; i++) b.begin('s');
    await clock.advance(45_000);
    expect(() => b.begin('s')).not.toThrow();
    for (let i = 0; i < 6; i++) b.begin('s');
    b.giveBack('s');
    expect(() => b.begin('s')).not.toThrow();
    expect(b.cycles('s')).toBe(7);
  });
});

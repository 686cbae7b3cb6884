import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMockServer } from '../../../mocks/node';
import type { AdjustableClock } from '../../../mocks/world';
import type { LabError } from '../errors';
import type { Connection } from './connection';
import { connectDeadlineMs } from './factory-constants';
import { harness } from './factory-testing';
import { type McpServerConfig, OboError } from './factory-types';
import { OAUTH_FLOW, oauthFlowId, TOKEN_LOAD_FLOW, tokenLoadFlowId } from './ids';
import { ConnectionManager } from './manager';
import { discoverTools } from './tool-discovery';

const mocks = startMockServer();
const world = mocks.world;
const clock = world.clock as AdjustableClock;
afterAll(() => mocks.close());
const open: Connection[] = [];
beforeEach(() => world.reset());
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

const alice = { tenant: 't1', user: { id: 'alice' } };
const DCR: McpServerConfig = { name: 'dcr', url: 'https://dcr.mock.test/mcp' };
const track = (c: Connection) => {
  open.push(c);
  return c;
};
const tokenRequests = () =>
  world.log.filter((l) => l.endpoint === 'token').map((l) => `${l.detail}:${l.status}`);

describe('re-authentication', () => {
  it('F13: a failed silent refresh on a ready connection deletes the COMPLETED flow and hands re-authentication to the request', async () => {
    const h = harness();
    const conn = track(await h.engine.connect(DCR, alice, h.oauth()));
    const flowId = oauthFlowId({ tenant: 't1', userId: 'alice' }, 'dcr');
    expect((await h.engine.flowStore.getFlow(flowId, OAUTH_FLOW))?.status).toBe('COMPLETED');
    clock.advance(2 * 3600_000);
    world.setKnobs('dcr', { tokenError: { kind: 'invalid_grant', grant: 'refresh_token', remaining: 1 } });
    const asked: unknown[] = [];
    conn.on('oauthReauthenticationRequired', (event) => {
      asked.push(event);
      conn.emit('oauthFailed', new Error('the user is away'));
    });
    await expect(conn.callTool('echo', { message: 'x' })).rejects.toBeInstanceOf(Error);
    expect(asked).toEqual([expect.objectContaining({ skipSilentRefresh: true, status: 401 })]);
    expect(await h.engine.flowStore.getFlow(flowId, OAUTH_FLOW)).toBeUndefined();
  });

  it('F13: with nobody listening for re-authentication the request fails with "OAuth reauthentication required"', async () => {
    const h = harness();
    const conn = track(await h.engine.connect(DCR, alice, h.oauth()));
    clock.advance(2 * 3600_000);
    world.setKnobs('dcr', { tokenError: { kind: 'invalid_grant', grant: 'refresh_token', remaining: 1 } });
    await expect(conn.callTool('echo', { message: 'x' })).rejects.toBeInstanceOf(Error);
    expect(
      h.engine.recorder.events.some((e) => e.ruleIds.includes('F13') && /nobody listens/.test(e.summary)),
    ).toBe(true);
  });

  it('F13: a refreshed token refused once its own lifetime ran out has just expired: the engine refreshes again instead of asking the person', async () => {
    const h = harness();
    const conn = track(await h.engine.connect(DCR, alice, h.oauth()));
    clock.advance(2 * 3600_000);
    // Refreshed tokens expire at once, and the retry after the refresh is refused: as on a machine
    // so slow that the fresh token ran out before the retry went out.
    world.setKnobs('dcr', { accessTokenTtlSec: 0, mcpUnauthorizedNext: 2 });
    const asked: unknown[] = [];
    conn.on('oauthReauthenticationRequired', (event) => {
      asked.push(event);
      conn.emit('oauthFailed', new Error('the user is away'));
    });
    await conn.callTool('echo', { message: 'x' }).catch(() => undefined);
    expect(tokenRequests().filter((t) => t === 'refresh_token:200')).toHaveLength(2);
    expect(asked).toEqual([]);
    expect(h.engine.recorder.events.some((e) => /refused as well/.test(e.summary))).toBe(false);
  });

  it('F13: a refreshed token refused while still within its lifetime means refreshing cannot help: the person is asked', async () => {
    const h = harness();
    const conn = track(await h.engine.connect(DCR, alice, h.oauth()));
    clock.advance(2 * 3600_000);
    world.setKnobs('dcr', { mcpUnauthorizedNext: 2 });
    const asked: unknown[] = [];
    conn.on('oauthReauthenticationRequired', (event) => {
      asked.push(event);
      conn.emit('oauthFailed', new Error('the user is away'));
    });
    await conn.callTool('echo', { message: 'x' }).catch(() => undefined);
    expect(tokenRequests().filter((t) => t === 'refresh_token:200')).toHaveLength(1);
    expect(asked).toHaveLength(1);
    expect(h.engine.recorder.events.some((e) => /refused as well/.test(e.summary))).toBe(true);
  });

  it('T5: a 503 on refresh fails this call but keeps the grant: the next call refreshes with the same refresh token', async () => {
    const h = harness();
    const conn = track(await h.engine.connect(DCR, alice, h.oauth()));
    const key = { tenant: 't1', user: 'alice', server: 'dcr' };
    const before = (await h.engine.tokenStore.list()).find((c) => c.key.server === 'dcr')?.refresh?.token;
    clock.advance(2 * 3600_000);
    world.setKnobs('dcr', { tokenError: { kind: 'server_error', grant: 'refresh_token', remaining: 1 } });
    await expect(conn.callTool('echo', { message: 'x' })).rejects.toBeInstanceOf(Error);
    expect((await h.engine.tokenStore.list()).find((c) => c.key.server === 'dcr')?.refresh).toMatchObject({
      token: before,
      rejected: false,
    });
    expect(await h.engine.tokenStore.getClient(key)).toBeDefined();
    expect(await conn.callTool('echo', { message: 'y' })).toMatchObject({ content: [{ text: 'y' }] });
    expect(tokenRequests()).toEqual(['authorization_code:200', 'refresh_token:500', 'refresh_token:200']);
    expect(h.hostStarted).toHaveLength(0);
  });

  it('F12: after a silent refresh the token-load flow no longer serves the rejected tokens', async () => {
    const h = harness();
    track(await h.engine.connect(DCR, alice, h.oauth()));
    const conn = track(await h.engine.connect(DCR, alice, h.oauth()));
    const loadId = tokenLoadFlowId({ tenant: 't1', userId: 'alice' }, 'dcr');
    expect((await h.engine.flowStore.getFlow(loadId, TOKEN_LOAD_FLOW))?.status).toBe('COMPLETED');
    world.setKnobs('dcr', { mcpUnauthorizedNext: 1 });
    await conn.callTool('echo', { message: 'x' });
    expect(await h.engine.flowStore.getFlow(loadId, TOKEN_LOAD_FLOW)).toBeUndefined();
    expect(tokenRequests()).toEqual(['authorization_code:200', 'refresh_token:200']);
  });

  it('F15: a second connect while a flow is PENDING joins it: same URL re-issued with its expiry, one exchange', async () => {
    const h = harness();
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const firstUrls: string[] = [];
    const first = h.engine.connect(DCR, alice, {
      oauthStart: async (url) => {
        firstUrls.push(url);
        await held;
      },
    });
    while (!firstUrls.length) await new Promise((r) => setTimeout(r, 5));
    const joined: Array<{ url: string; expiresAt?: number }> = [];
    const second = h.engine.connect(DCR, alice, {
      oauthStart: (url, info) =>
        void joined.push({ url, ...(info.expiresAt ? { expiresAt: info.expiresAt } : {}) }),
    });
    while (!joined.length) await new Promise((r) => setTimeout(r, 5));
    expect(joined[0]?.url).toBe(firstUrls[0]);
    expect(joined[0]?.expiresAt).toBeGreaterThan(Date.now());
    const { redirectTo } = await world.authorize(firstUrls[0] ?? '', { decision: 'approve' });
    await h.engine.completeAuthorization(Object.fromEntries(new URL(redirectTo).searchParams));
    release();
    const [a, b] = await Promise.all([first, second]);
    track(a);
    track(b);
    expect(tokenRequests()).toEqual(['authorization_code:200']);
    expect(await b.callTool('echo', { message: 'both' })).toMatchObject({ content: [{ text: 'both' }] });
  });

  it('F17: a stored registration the AS refuses with invalid_client is deleted, and the next attempt registers again', async () => {
    const h = harness();
    track(await h.engine.connect(DCR, alice, h.oauth()));
    const key = { tenant: 't1', user: 'alice', server: 'dcr' };
    const firstClient = (await h.engine.tokenStore.getClient(key))?.clientInformation.client_id;
    world.revokeAllTokens('dcr');
    world.setKnobs('dcr', {
      tokenError: { kind: 'invalid_client', grant: 'authorization_code', remaining: 1 },
    });
    await expect(h.engine.connect(DCR, alice, h.oauth())).rejects.toBeInstanceOf(Error);
    expect(await h.engine.tokenStore.getClient(key)).toBeUndefined();
    expect(h.engine.recorder.events.some((e) => e.ruleIds.includes('F17'))).toBe(true);
    track(await h.engine.connect(DCR, alice, h.oauth()));
    const second = (await h.engine.tokenStore.getClient(key))?.clientInformation.client_id;
    expect(second).toBeDefined();
    expect(second).not.toBe(firstClient);
    expect(world.log.filter((l) => l.endpoint === 'register')).toHaveLength(2);
  });
});

describe('connect lifecycle', () => {
  it('F6: the connect deadline cancels a pending retry backoff', async () => {
    const h = harness({ timings: { connectBackoffMs: 400 } });
    world.setKnobs('noauth', { mcpServerErrorNext: 5 });
    const started = Date.now();
    const e = await h.engine
      .connect({ name: 'open', url: 'https://noauth.mock.test/mcp', connectionTimeout: 150 }, alice)
      .catch((x: LabError) => x);
    expect(e).toMatchObject({ code: 'timeout', ruleIds: ['F6'] });
    expect(Date.now() - started).toBeLessThan(400);
  });

  it('F6: an OAuth connection gets at least the OAuth handling window plus 60 s', () => {
    expect(connectDeadlineMs({ connectionTimeout: 5_000 }, false)).toBe(5_000);
    expect(connectDeadlineMs({ connectionTimeout: 5_000 }, true)).toBe(11 * 60_000);
    expect(connectDeadlineMs({ initTimeout: 20 * 60_000 }, true)).toBe(20 * 60_000);
    expect(connectDeadlineMs({}, false)).toBe(30_000);
  });

  it('F9: a successful connect keeps the oauthRequired listener; a failed one removes what it added', async () => {
    const h = harness();
    const conn = track(await h.engine.connect(DCR, alice, h.oauth()));
    expect(conn.listenerCount('oauthRequired')).toBe(1);
    const f = h.engine.factory({ name: 'open', url: 'https://noauth.mock.test/mcp' }, alice);
    world.setKnobs('noauth', { mcpRateLimitNext: 1 });
    await expect(f.connect()).rejects.toMatchObject({ code: 'rate_limited' });
    expect(f.connection.listenerCount('oauthRequired')).toBe(0);
    expect(f.ready).toBe(false);
  });

  it('F21: flow ids keep tenant, user and server apart even when names contain ":"', () => {
    const a = oauthFlowId({ tenant: 'a', userId: 'b:c' }, 'd');
    const b = oauthFlowId({ tenant: 'a', userId: 'b' }, 'c:d');
    expect(a).not.toBe(b);
    expect(tokenLoadFlowId({ tenant: 'a', userId: 'b' }, 'c')).not.toBe(
      oauthFlowId({ tenant: 'a', userId: 'b' }, 'c'),
    );
  });

  it('F19 F22: tool discovery never waits for a person and never trips the circuit breaker', async () => {
    const h = harness();
    const open = await discoverTools(
      h.engine.deps,
      { name: 'open', url: 'https://noauth.mock.test/mcp' },
      alice,
    );
    expect(open.tools.length).toBe(10);
    track(open.connection as Connection);
    const started = Date.now();
    const urls: string[] = [];
    for (let i = 0; i < 10; i++) {
      const d = await discoverTools(h.engine.deps, DCR, alice, { oauthStart: (u) => void urls.push(u) });
      expect(d).toMatchObject({ oauthRequired: true, tools: [] });
      expect(d.oauthUrl).toBeDefined();
    }
    expect(Date.now() - started).toBeLessThan(5000);
    // The first call starts a flow; later ones re-issue the same PENDING URL (F14).
    expect(new Set(urls).size).toBe(1);
    expect(h.engine.deps.breaker?.cycles(DCR.url)).toBeLessThan(7);
    const apikey = await discoverTools(
      h.engine.deps,
      { name: 'k', url: 'https://apikey.mock.test/mcp' },
      alice,
    );
    expect(apikey).toMatchObject({ tools: [], oauthRequired: false });
  });

  it('D4: the connection manager keeps one connection per (tenant, user, server); concurrent gets share one connect', async () => {
    const h = harness();
    const m = new ConnectionManager(h.engine.deps);
    const server = { name: 'open', url: 'https://noauth.mock.test/mcp' };
    const [a, b] = await Promise.all([m.get(server, alice), m.get(server, alice)]);
    expect(a).toBe(b);
    const other = await m.get(server, { tenant: 't2', user: { id: 'alice' } });
    expect(other).not.toBe(a);
    expect(world.log.filter((l) => l.detail === 'initialize')).toHaveLength(2);
    await m.closeAll();
  });
});

describe('on-behalf-of', () => {
  const obo: McpServerConfig = { ...DCR, obo: { scopes: ['mcp:tools'] }, author: 'admin' };

  it('F2 F3: with an OBO config and a resolver, the token comes from the exchange', async () => {
    const seed = harness();
    const token = await (async () => {
      const c = await seed.engine.connect(DCR, { tenant: 'x', user: { id: 'bob' } }, seed.oauth());
      await c.close();
      return (await seed.engine.tokenStore.getTokens({ tenant: 'x', user: 'bob', server: 'dcr' }))
        ?.access_token;
    })();
    const seen: unknown[] = [];
    const h = harness({
      obo: {
        resolve: async (req) => {
          seen.push(req.scopes);
          return token;
        },
      },
    });
    world.log.length = 0;
    const conn = track(await h.engine.connect(obo, alice));
    expect(await conn.callTool('whoami', {})).toMatchObject({ structuredContent: { subject: 'alice' } });
    expect(seen).toEqual([['mcp:tools']]);
    expect(world.log.some((l) => l.endpoint === 'token')).toBe(false);
  });

  it.each([
    ['retryable', 'Please retry.'],
    ['exchange_failed', 'Re-authenticate the user or verify the configured OBO scopes and retry.'],
    ['other', 'Re-authenticate the user and retry.'],
  ] as const)('F3: a %s resolution error names the server and ends with its hint', async (kind, hint) => {
    const h = harness({
      obo: { resolve: async () => Promise.reject(new OboError('upstream said no', kind)) },
    });
    const e = (await h.engine.connect(obo, alice).catch((x: unknown) => x)) as LabError;
    expect(e).toMatchObject({ code: 'obo_failed' });
    expect(e.message).toBe(`OBO token resolution failed for "dcr": upstream said no. ${hint}`);
  });

  it('F3: no token at all, and a trust veto', async () => {
    const none = harness({ obo: { resolve: async () => undefined } });
    expect(((await none.engine.connect(obo, alice).catch((x: unknown) => x)) as LabError).message).toBe(
      'OBO token exchange failed for "dcr".',
    );
    const veto = harness({
      obo: { resolve: async () => 'never-used' },
      isTrustedAuthor: (c) => c.author === 'root',
    });
    const e = await veto.engine.connect(obo, alice).catch((x: unknown) => x);
    expect(e).toMatchObject({ status: 401 });
    expect(
      veto.engine.recorder.events.some((ev) => ev.ruleIds.includes('F3') && /vetoed/.test(ev.summary)),
    ).toBe(true);
  });
});

import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMockServer } from '../../../mocks/node';
import type { AdjustableClock } from '../../../mocks/world';
import type { LabError } from '../errors';
import { headlessAuthorizer } from './authorizers';
import type { Connection } from './connection';
import { harness } from './factory-testing';
import type { McpServerConfig } from './factory-types';
import { ConnectionManager } from './manager';

const mocks = startMockServer();
const world = mocks.world;
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
const mcpLog = () =>
  world.log
    .filter((l) => l.endpoint !== 'decision')
    .map((l) => `${l.endpoint}:${l.detail ?? l.method}:${l.status}`);

describe('first connect and reconnect', () => {
  it('F1 F16: a first OAuth connect makes only the requests the protocol needs', async () => {
    world.setKnobs('dcr', { toolsPageSize: 50 });
    const h = harness();
    const conn = track(await h.engine.connect(DCR, alice, h.oauth()));
    await conn.listTools();
    expect(mcpLog()).toEqual([
      'mcp:initialize:401',
      'prm:GET:200',
      'as-metadata:GET:200',
      'register:POST:201',
      'token:authorization_code:200',
      'mcp:initialize:200',
      'mcp:notifications/initialized:202',
      'mcp:tools/list:200',
    ]);
    expect(h.started).toHaveLength(1);
  });

  it('F18 T3: a reconnect with valid stored tokens makes no OAuth request', async () => {
    const h = harness();
    track(await h.engine.connect(DCR, alice, h.oauth()));
    world.log.length = 0;
    const again = track(await h.engine.connect(DCR, alice, h.oauth()));
    await again.callTool('echo', { message: 'x' });
    expect(mcpLog()).toEqual([
      'mcp:initialize:200',
      'mcp:notifications/initialized:202',
      'mcp:tools/call:200',
    ]);
  });

  it('F5: a server known to need OAuth gets its token before the first request (no 401)', async () => {
    const h = harness();
    track(await h.engine.connect({ ...DCR, requiresOAuth: true }, alice, h.oauth()));
    expect(mcpLog()[0]).toBe('prm:GET:200');
    expect(mcpLog()).not.toContain('mcp:initialize:401');
    expect(h.engine.recorder.events.some((e) => e.ruleIds.includes('F5'))).toBe(true);
  });

  it('F1: placeholders in URL and headers are resolved for the user; unknown ones are a clear error', async () => {
    const h = harness();
    const server: McpServerConfig = {
      name: 'open',
      url: 'https://noauth.mock.test/mcp',
      headers: { 'x-user': '{{user.id}}', 'x-team': '{{user.vars.team}}' },
    };
    track(await h.engine.connect(server, { tenant: 't', user: { id: 'bob', vars: { team: 'qa' } } }));
    const mcp = h.sent.filter((r) => r.lane === 'mcp');
    expect(mcp[0]?.headers['x-user']).toBe('bob');
    expect(mcp[0]?.headers['x-team']).toBe('qa');
    const e = await h.engine
      .connect({ ...server, headers: { 'x-a': '{{user.nope}}' } }, alice)
      .catch((x: LabError) => x);
    expect(e).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('{{user.nope}}') });
    track(await h.engine.connect({ ...server, skipPlaceholders: true }, alice));
    expect(h.sent.filter((r) => r.lane === 'mcp').at(-1)?.headers['x-user']).toBe('{{user.id}}');
  });

  it('F4: a connection without OAuth options that meets a 401 fails at once, not after the OAuth timeout', async () => {
    const h = harness({ timings: { connectBackoffMs: 1 } });
    const started = Date.now();
    const e = await h.engine.connect(DCR, alice).catch((x: LabError) => x);
    expect(e).toMatchObject({ status: 401 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(h.engine.recorder.events.some((ev) => ev.ruleIds.includes('F4'))).toBe(true);
  });
});

describe('silent refresh', () => {
  it('F10 F12: an expired access token is refreshed silently on the 401; the call succeeds without a person', async () => {
    const h = harness();
    const conn = track(await h.engine.connect(DCR, alice, h.oauth()));
    (world.clock as AdjustableClock).advance(2 * 3600_000);
    world.log.length = 0;
    expect(await conn.callTool('echo', { message: 'after' })).toMatchObject({ content: [{ text: 'after' }] });
    expect(mcpLog()).toEqual(['mcp:tools/call:401', 'token:refresh_token:200', 'mcp:tools/call:200']);
    expect(h.started).toHaveLength(1);
  });

  it('F11: 100 concurrent calls that all meet a 401 cause exactly one token request', async () => {
    const h = harness();
    const conn = track(await h.engine.connect(DCR, alice, h.oauth()));
    (world.clock as AdjustableClock).advance(2 * 3600_000);
    world.log.length = 0;
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => conn.callTool('echo', { message: `m${i}` })),
    );
    expect(results.map((r) => (r as { content: Array<{ text: string }> }).content[0]?.text)).toEqual(
      Array.from({ length: 100 }, (_, i) => `m${i}`),
    );
    expect(world.log.filter((l) => l.endpoint === 'token')).toHaveLength(1);
    expect(h.started).toHaveLength(1);
  });

  it('F10 SCP-3 SCP-4: a 403 insufficient_scope skips silent refresh and steps up with the union of scopes', async () => {
    const h = harness();
    const conn = track(await h.engine.connect(DCR, alice, h.oauth()));
    expect(await conn.callTool('write_note', { id: 'a', text: 'b' })).toMatchObject({
      content: [{ text: expect.stringContaining('Saved note a') }],
    });
    expect(world.log.filter((l) => l.endpoint === 'token').map((l) => l.detail)).toEqual([
      'authorization_code',
      'authorization_code',
    ]);
    expect(
      h.engine.recorder.events.some(
        (ev) => ev.ruleIds.includes('F10') && /skipping silent refresh/.test(ev.summary),
      ),
    ).toBe(true);
    // F9 dropped the request's oauthStart after connect: the step-up went to the host's.
    expect(h.hostStarted).toHaveLength(1);
    expect(new URL(h.hostStarted[0] ?? '').searchParams.get('scope')?.split(' ').sort()).toEqual([
      'mcp:resources',
      'mcp:tools',
      'notes:write',
    ]);
  });

  it('SCP-5: a tool that keeps answering 403 is stepped up at most 3 times, then fails with a clear error', async () => {
    // The person approves only the basic scopes, never notes:write.
    const h = harness({}, { decision: 'approve', scopes: ['mcp:tools', 'mcp:resources'] });
    const conn = track(await h.engine.connect(DCR, alice, h.oauth()));
    const errors: unknown[] = [];
    for (let i = 0; i < 5; i++)
      errors.push(await conn.callTool('write_note', { id: 'a', text: 'b' }).catch((e: unknown) => e));
    expect(h.hostStarted).toHaveLength(3);
    expect(errors.map((e) => (e instanceof Error ? 'error' : JSON.stringify(e)))).toEqual([
      'error',
      'error',
      'error',
      'error',
      'error',
    ]);
    expect(h.engine.recorder.events.some((ev) => ev.ruleIds.includes('SCP-5'))).toBe(true);
  });
});

describe('tokens per server', () => {
  it('TOK-2 F20: a token is only ever sent to the server whose AS issued it', async () => {
    const h = harness();
    track(await h.engine.connect(DCR, alice, h.oauth()));
    const dcrToken = (await h.engine.tokenStore.getTokens({ tenant: 't1', user: 'alice', server: 'dcr' }))
      ?.access_token;
    h.sent.length = 0;
    track(
      await h.engine.connect(
        { name: 'prereg', url: 'https://prereg.mock.test/mcp', oauth: { clientId: 'mcp-lab-public' } },
        alice,
        h.oauth(),
      ),
    );
    const toPrereg = h.sent.filter((r) => r.url.startsWith('https://prereg.mock.test'));
    expect(toPrereg.length).toBeGreaterThan(0);
    expect(toPrereg.some((r) => r.headers.authorization === `Bearer ${dcrToken}`)).toBe(false);
    expect(
      h.sent
        .filter((r) => r.url.startsWith('https://idp.mock.test'))
        .every((r) => !JSON.stringify(r).includes(dcrToken ?? 'x')),
    ).toBe(true);
  });

  it('SCP-6: registration asks for refresh tokens, yet a grant without one works and expiry leads to consent, not a refresh', async () => {
    world.setKnobs('dcr', { issueRefreshTokens: false });
    const h = harness();
    // The manager answers F13's hand-over with the host's consent robot.
    const manager = new ConnectionManager(h.engine.deps);
    const conn = track(await manager.get(DCR, alice, h.oauth()));
    const client = [...(world.authServer('dcr')?.state.clients.values() ?? [])][0];
    expect(client?.grant_types).toContain('refresh_token');
    (world.clock as AdjustableClock).advance(2 * 3600_000);
    world.log.length = 0;
    expect(await conn.callTool('echo', { message: 'again' })).toMatchObject({ content: [{ text: 'again' }] });
    expect(world.log.filter((l) => l.endpoint === 'token').map((l) => l.detail)).toEqual([
      'authorization_code',
    ]);
    expect(h.hostStarted).toHaveLength(1);
  });
});

describe('errors', () => {
  it('F7: a transient 503 is retried with backoff and the connect succeeds', async () => {
    const h = harness({ timings: { connectBackoffMs: 10 } });
    world.setKnobs('noauth', { mcpServerErrorNext: 2 });
    track(await h.engine.connect({ name: 'open', url: 'https://noauth.mock.test/mcp' }, alice));
    expect(
      world.log
        .filter((l) => l.endpoint === 'mcp')
        .map((l) => l.status)
        .slice(0, 3),
    ).toEqual([503, 503, 200]);
    expect(h.engine.recorder.events.filter((e) => e.ruleIds.includes('F7'))).toHaveLength(2);
  });

  it('O2: an OAuth error during connect is a typed error (PRM names another resource)', async () => {
    world.setKnobs('dcr', { prm: 'wrong-resource' });
    const h = harness();
    const e = await h.engine.connect(DCR, alice, h.oauth()).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(Error);
    expect(h.engine.recorder.events.some((ev) => /another resource|elsewhere/.test(ev.summary))).toBe(true);
  });

  it('F14: return-early mode starts the flow, hands out the URL and fails fast; completing it later stores the tokens', async () => {
    const h = harness();
    const urls: string[] = [];
    const e = await h.engine
      .connect({ ...DCR, requiresOAuth: true }, alice, {
        returnOnOAuth: true,
        oauthStart: (u) => void urls.push(u),
      })
      .catch((x: Error) => x);
    expect(e).toBeInstanceOf(Error);
    expect(urls).toHaveLength(1);
    const flows = await h.engine.flowStore.list();
    expect(flows.find((f) => f.type === 'mcp_oauth')?.status).toBe('PENDING');
    const cb = await headlessAuthorizer(fetch)(urls[0] ?? '').catch(() => null);
    expect(cb).toBeNull(); // the mock shows consent without autoApprove
    world.setKnobs('dcr', { autoApprove: true });
    await h.engine.completeAuthorization(await headlessAuthorizer(fetch)(urls[0] ?? ''));
    const conn = track(await h.engine.connect(DCR, alice, h.oauth()));
    expect(await conn.callTool('echo', { message: 'later' })).toMatchObject({ content: [{ text: 'later' }] });
    expect(h.started).toHaveLength(0);
  });

  it('F20: two tenants with the same user id never share flows or tokens', async () => {
    const h = harness();
    track(await h.engine.connect(DCR, { tenant: 'a', user: { id: 'sam' } }, h.oauth()));
    track(await h.engine.connect(DCR, { tenant: 'b', user: { id: 'sam' } }, h.oauth()));
    expect(h.started).toHaveLength(2);
    const creds = await h.engine.tokenStore.list();
    expect(creds.map((c) => c.key.tenant).sort()).toEqual(['a', 'b']);
    expect(new Set(creds.map((c) => c.access?.token)).size).toBe(2);
  });

  it('O8: a second callback for a COMPLETED flow reports success without a second exchange', async () => {
    world.setKnobs('dcr', { autoApprove: true });
    const h = harness();
    const urls: string[] = [];
    await h.engine
      .connect({ ...DCR, requiresOAuth: true }, alice, {
        returnOnOAuth: true,
        oauthStart: (u) => void urls.push(u),
      })
      .catch(() => {});
    const cb = await headlessAuthorizer(fetch)(urls[0] ?? '');
    expect((await h.engine.completeAuthorization(cb)).status).toBe('completed');
    expect((await h.engine.completeAuthorization(cb)).status).toBe('already-completed');
    expect(world.log.filter((l) => l.endpoint === 'token')).toHaveLength(1);
    await expect(h.engine.completeAuthorization({ ...cb, state: 'forged' })).rejects.toMatchObject({
      code: 'state_mismatch',
    });
  });
});

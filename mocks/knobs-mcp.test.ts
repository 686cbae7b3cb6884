import { discoverOAuthProtectedResourceMetadata } from '@modelcontextprotocol/client';
import { afterAll, beforeEach, expect, it } from 'vitest';
import { startMockServer } from './node';
import { MemoryProvider } from './testing/memory-provider';
import { grant, mcpInitialize } from './testing/oauth-steps';
import { connectWithOAuth, SDKS, type SdkClient, until, SDK_V1 as v1, SDK_V2 as v2 } from './testing/sdks';

const mocks = startMockServer();
const world = mocks.world;
afterAll(() => mocks.close());
beforeEach(() => world.reset());

const DCR = 'https://dcr.mock.test/mcp';
const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: Error) => e,
  );
const mcpStatuses = () =>
  world.log.filter((l) => l.endpoint === 'mcp' && l.method === 'POST').map((l) => l.status);

async function connectedV2(provider = new MemoryProvider()): Promise<SdkClient> {
  const client = await connectWithOAuth(v2, DCR, provider);
  await until(() => world.log.some((l) => l.method === 'GET' && l.url === DCR));
  return client;
}

it('K-mcpUnauthorizedNext: the next request is refused 401 and SDK v2 recovers with one silent refresh', async () => {
  const client = await connectedV2();
  world.setKnobs('dcr', { mcpUnauthorizedNext: 1 });
  expect(await client.callTool({ name: 'echo', arguments: { message: 'hi' } })).toMatchObject({
    content: [{ text: 'hi' }],
  });
  expect(mcpStatuses().slice(-2)).toEqual([401, 200]);
  expect(world.log.filter((l) => l.endpoint === 'token' && l.detail === 'refresh_token')).toHaveLength(1);
  expect(world.knobs('dcr').mcpUnauthorizedNext).toBe(0);
});

it('K-mcpServerErrorNext: the next N requests get 503, then the server answers again', async () => {
  const client = await connectedV2();
  world.setKnobs('dcr', { mcpServerErrorNext: 2 });
  expect((await failure(client.callTool({ name: 'echo', arguments: { message: 'a' } }))).message).toMatch(
    /503|unavailable/i,
  );
  await failure(client.callTool({ name: 'echo', arguments: { message: 'b' } }));
  expect(await client.callTool({ name: 'echo', arguments: { message: 'c' } })).toMatchObject({
    content: [{ text: 'c' }],
  });
  expect(mcpStatuses().slice(-3)).toEqual([503, 503, 200]);
});

it('K-mcpRateLimitNext: the next request gets 429 with Retry-After', async () => {
  const g = await grant(DCR);
  world.setKnobs('dcr', { mcpRateLimitNext: 1 });
  const res = await fetch(DCR, {
    method: 'POST',
    headers: { authorization: `Bearer ${g.tokens.access_token}` },
    body: '{}',
  });
  expect(res.status).toBe(429);
  expect(res.headers.get('retry-after')).toBe('30');
  const client = await connectedV2();
  world.setKnobs('dcr', { mcpRateLimitNext: 1 });
  expect((await failure(client.callTool({ name: 'echo', arguments: { message: 'x' } }))).message).toMatch(
    /429|too many/i,
  );
});

it('K-toolScopes: a tool made to need a scope answers 403 insufficient_scope naming it, and SDK v2 asks for it', async () => {
  world.setKnobs('dcr', { toolScopes: { echo: 'notes:write' } });
  const provider = new MemoryProvider();
  const client = await connectedV2(provider);
  await failure(client.callTool({ name: 'echo', arguments: { message: 'x' } }));
  const forbidden = world.log.find((l) => l.status === 403);
  expect(forbidden?.detail).toBe('tools/call');
  expect(provider.lastAuthorizationUrl.searchParams.get('scope')).toContain('notes:write');
  // Other tools are untouched.
  expect(await client.callTool({ name: 'add', arguments: { a: 1, b: 1 } })).toMatchObject({
    structuredContent: { sum: 2 },
  });
});

it('K-toolScopes: the 403 challenge carries error, scope and resource_metadata', async () => {
  const g = await grant(DCR);
  const init = await mcpInitialize(DCR, g.tokens.access_token);
  const res = await fetch(DCR, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${g.tokens.access_token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-session-id': init.sessionId ?? '',
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'write_note', arguments: { id: 'x', text: 'y' } },
    }),
  });
  expect(res.status).toBe(403);
  expect(res.headers.get('www-authenticate')).toBe(
    'Bearer error="insufficient_scope", scope="notes:write", error_description="Tool write_note needs scope notes:write.", ' +
      'resource_metadata="https://dcr.mock.test/.well-known/oauth-protected-resource/mcp"',
  );
});

it('K-migrateAsAfterFirstCall: after one call the PRM names a second AS; old tokens die and a new registration is needed', async () => {
  world.setKnobs('dcr', { migrateAsAfterFirstCall: true });
  const first = await grant(DCR);
  expect((await mcpInitialize(DCR, first.tokens.access_token)).status).toBe(200);
  expect((await discoverOAuthProtectedResourceMetadata(DCR)).authorization_servers).toEqual([
    'https://auth2.dcr.mock.test',
  ]);
  expect((await mcpInitialize(DCR, first.tokens.access_token)).status).toBe(401);
  // The old registration means nothing at the new AS (DISC-6, REG-6).
  const second = await grant(DCR);
  expect(second.asUrl).toBe('https://auth2.dcr.mock.test');
  expect(second.clientInformation.client_id).not.toBe(first.clientInformation.client_id);
  expect(world.authServers('dcr')[1]?.state.clients.has(first.clientInformation.client_id)).toBe(false);
  expect((await mcpInitialize(DCR, second.tokens.access_token)).status).toBe(200);
});

it('K-toolsPageSize: tools/list pages by the knob and SDK v1 follows nextCursor', async () => {
  world.setKnobs('noauth', { toolsPageSize: 3 });
  const { client } = await v1.connect('https://noauth.mock.test/mcp');
  const sizes: number[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor ? { cursor } : undefined);
    sizes.push(page.tools.length);
    cursor = page.nextCursor;
  } while (cursor);
  expect(sizes).toEqual([3, 3, 3, 1]);
  await client.close();
});

it('K-responseMode: json answers POSTs with one JSON body, sse with an event stream; both SDKs work with either', async () => {
  for (const mode of ['json', 'sse'] as const) {
    world.setKnobs('noauth', { responseMode: mode });
    const init = await fetch('https://noauth.mock.test/mcp', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
      }),
    });
    expect(init.headers.get('content-type')).toBe(mode === 'json' ? 'application/json' : 'text/event-stream');
    await init.body?.cancel();
    for (const sdk of SDKS) {
      const { client } = await sdk.connect('https://noauth.mock.test/mcp');
      expect(await client.callTool({ name: 'add', arguments: { a: 1, b: 2 } })).toMatchObject({
        structuredContent: { sum: 3 },
      });
      await client.close();
    }
  }
});

it('K-expireToken: one access token expires now at its AS; the next request with it is 401 expired', async () => {
  const g = await grant(DCR);
  expect(world.expireToken(g.tokens.access_token)).toBe(true);
  const after = await mcpInitialize(DCR, g.tokens.access_token);
  expect(after.challenge).toContain('expired');
  expect(world.expireToken('not-a-token')).toBe(false);
});

it('K-revokeAllTokens: revoking at the AS makes the next call 401 and the refresh invalid_grant', async () => {
  const g = await grant(DCR);
  world.revokeAllTokens('dcr');
  const after = await mcpInitialize(DCR, g.tokens.access_token);
  expect(after.status).toBe(401);
  expect(after.challenge).toContain('revoked');
  expect((await failure(g.refresh(g.tokens.refresh_token ?? ''))).message).toMatch(/revoked/);
});

it('K-*: a bad knob value is refused with a message that names the knob and what it expects', () => {
  expect(() => world.setKnobs('dcr', { accessTokenTtlSec: -1 })).toThrow(
    'Failed to set knob "accessTokenTtlSec": expected a number ≥ 0.',
  );
  expect(() => world.setKnobs('dcr', { dcr: 'maybe' as never })).toThrow(
    /expected one of enabled, disabled, reject/,
  );
  expect(() => world.setKnobs('dcr', { nope: 1 } as never)).toThrow(/no such knob/);
  expect(() => world.setKnobs('nosuch', {})).toThrow(/Unknown mock server "nosuch"/);
  expect(world.knobs('dcr').accessTokenTtlSec).toBe(3600);
});

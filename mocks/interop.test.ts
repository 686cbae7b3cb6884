import { auth as authV1 } from '@modelcontextprotocol/sdk/client/auth.js';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockServer } from './node';
import { decideViaApi, MemoryProvider } from './testing/memory-provider';
import { connectWithOAuth, listAllTools, SDKS, type SdkClient, until } from './testing/sdks';
import type { AdjustableClock } from './world';

const mocks = startMockServer();
const clock = mocks.world.clock as AdjustableClock;
afterAll(() => mocks.close());
beforeEach(() => mocks.world.reset());

const DCR = 'https://dcr.mock.test/mcp';
const endpoints = (serverId: string) =>
  mocks.world.log.filter((l) => l.serverId === serverId).map((l) => `${l.endpoint}:${l.status}`);
const tokenRequests = (grant: string) =>
  mocks.world.log.filter((l) => l.endpoint === 'token' && l.detail === grant);

/** Both SDKs open a standalone GET stream after initialize; wait for it so later 401s have one cause. */
async function connected(client: SdkClient, url = DCR): Promise<SdkClient> {
  await until(() => mocks.world.log.some((l) => l.method === 'GET' && l.url === url && l.status !== 401));
  return client;
}

describe.each(SDKS)('$name against the mocks', (sdk) => {
  it('DISC-1 DISC-2 REG-4 PKCE-2 RES-1: first connect with DCR + PKCE, list tools, call a tool', async () => {
    const provider = new MemoryProvider();
    const client = await connected(await connectWithOAuth(sdk, DCR, provider));
    expect(await listAllTools(client)).toEqual([
      'echo',
      'add',
      'slow',
      'whoami',
      'write_note',
      'show_dashboard',
      'show_card',
      'hostile_app',
      'dashboard_refresh',
      'summarize_notes',
    ]);
    expect(await client.callTool({ name: 'add', arguments: { a: 2, b: 40 } })).toMatchObject({
      structuredContent: { sum: 42 },
    });

    const authz = provider.lastAuthorizationUrl.searchParams;
    expect(authz.get('code_challenge_method')).toBe('S256');
    expect(authz.get('resource')).toBe(DCR);
    expect(provider.clientInfo?.client_id).toMatch(/^dcr_/);
    const log = endpoints('dcr');
    expect(log[0]).toBe('mcp:401');
    expect(log).toEqual(
      expect.arrayContaining(['prm:200', 'as-metadata:200', 'register:201', 'decision:200', 'token:200']),
    );
    const [grant] = mocks.world.authServer('dcr')?.state.grants.values() ?? [];
    expect(grant).toMatchObject({ resource: DCR, subject: 'alice', revoked: false });
    await client.close();
  });

  it('TOK-5: an expired access token is refreshed with rotation and the call succeeds', async () => {
    const provider = new MemoryProvider();
    const client = await connected(await connectWithOAuth(sdk, DCR, provider));
    const first = provider.storedTokens;
    clock.advance(2 * 3600_000); // past the 1 h access token lifetime
    expect(await client.callTool({ name: 'echo', arguments: { message: 'after expiry' } })).toMatchObject({
      content: [{ type: 'text', text: 'after expiry' }],
    });
    expect(tokenRequests('refresh_token')).toHaveLength(1);
    expect(provider.storedTokens?.access_token).not.toBe(first?.access_token);
    expect(provider.storedTokens?.refresh_token).not.toBe(first?.refresh_token);
    expect(mocks.world.authServer('dcr')?.state.tokens.get(first?.refresh_token ?? '')?.rotated).toBe(true);
    await client.close();
  });

  it('SCP-3: a 403 insufficient_scope leads to re-consent, after which the tool call succeeds', async () => {
    const provider = new MemoryProvider();
    const client = await connected(await connectWithOAuth(sdk, DCR, provider));
    const call = () => client.callTool({ name: 'write_note', arguments: { id: 'a', text: 'x' } });
    const failure = await call().then(
      () => null,
      (e: Error) => e,
    );
    expect(failure).not.toBeNull();
    expect(endpoints('dcr')).toContain('mcp:403');

    if (sdk.name === 'sdk-v2') {
      // SDK v2 steps up by itself with the union of granted and challenged scopes (SCP-4).
      expect(provider.lastAuthorizationUrl.searchParams.get('scope')?.split(' ').sort()).toEqual([
        'mcp:resources',
        'mcp:tools',
        'notes:write',
      ]);
      const { finishAuth } = failure as unknown as { finishAuth?: unknown };
      expect(finishAuth).toBeUndefined(); // the call failed, not connect: finish through a fresh transport
      const again = await sdk.connect(DCR, provider);
      await again.finishAuth(await decideViaApi(provider.lastAuthorizationUrl));
      await again.client.close();
    } else {
      // SDK v1 only tries a refresh, which cannot widen the grant; the host re-authorizes with the union itself.
      expect(failure?.message).toMatch(/403 after trying upscoping/);
      provider.invalidateCredentials('tokens');
      const scope = 'mcp:tools mcp:resources notes:write';
      expect(await authV1(provider as never, { serverUrl: DCR, scope })).toBe('REDIRECT');
      const callback = await decideViaApi(provider.lastAuthorizationUrl);
      expect(
        await authV1(provider as never, {
          serverUrl: DCR,
          scope,
          authorizationCode: callback.searchParams.get('code') ?? '',
        }),
      ).toBe('AUTHORIZED');
    }
    expect(provider.storedTokens?.scope?.split(' ')).toContain('notes:write');
    expect(await call()).toMatchObject({
      content: [{ type: 'text', text: expect.stringContaining('Saved note a') }],
    });
    await client.close();
  });
});

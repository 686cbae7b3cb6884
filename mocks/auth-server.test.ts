import { afterAll, beforeEach, expect, it } from 'vitest';
import { startMockServer } from './node';
import { decideViaApi } from './testing/memory-provider';
import { authorizeSteps, grant, mcpInitialize, REDIRECT_URL } from './testing/oauth-steps';

const mocks = startMockServer();
const world = mocks.world;
afterAll(() => mocks.close());
beforeEach(() => world.reset());

const DCR = 'https://dcr.mock.test/mcp';
const AS = 'https://auth.dcr.mock.test';

async function register(metadata: Record<string, unknown>) {
  const res = await fetch(`${AS}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(metadata),
  });
  return { status: res.status, body: await res.json() };
}

it('REG-5: DCR records application_type and refuses an unknown one with invalid_client_metadata', async () => {
  const ok = await register({
    redirect_uris: [REDIRECT_URL],
    application_type: 'native',
    token_endpoint_auth_method: 'none',
  });
  expect(ok.status).toBe(201);
  expect(ok.body).toMatchObject({ application_type: 'native', token_endpoint_auth_method: 'none' });
  expect(ok.body.client_secret).toBeUndefined();
  expect(world.authServer('dcr')?.state.clients.get(ok.body.client_id)?.application_type).toBe('native');
  const bad = await register({ redirect_uris: [REDIRECT_URL], application_type: 'desktop' });
  expect(bad).toMatchObject({ status: 400, body: { error: 'invalid_client_metadata' } });
});

it('AR-3 REG-4: DCR refuses non-loopback http redirect URIs and defaults to client_secret_basic with a secret', async () => {
  expect(await register({ redirect_uris: ['http://evil.example/cb'] })).toMatchObject({
    status: 400,
    body: { error: 'invalid_redirect_uri' },
  });
  const basic = await register({ redirect_uris: ['https://app.example/cb'] });
  expect(basic.body).toMatchObject({
    token_endpoint_auth_method: 'client_secret_basic',
    client_secret_expires_at: 0,
  });
  expect(basic.body.client_secret).toMatch(/^secret_/);
});

it('SCP-1: approving fewer scopes than asked yields a token with only the approved ones', async () => {
  const g = await grant(DCR, { scope: 'mcp:tools mcp:resources notes:write', scopes: ['mcp:tools'] });
  expect(g.tokens.scope).toBe('mcp:tools');
  const [grantRecord] = world.authServer('dcr')?.state.grants.values() ?? [];
  expect(grantRecord?.scope).toEqual(['mcp:tools']);
});

it('AR-1 AR-2: denying consent redirects with access_denied, the state and the issuer', async () => {
  const steps = await authorizeSteps(DCR);
  const denied = await decideViaApi(steps.authorizationUrl, 'deny');
  expect(Object.fromEntries(denied.searchParams)).toMatchObject({
    error: 'access_denied',
    state: 'state-123',
    iss: AS,
  });
  expect(denied.searchParams.has('code')).toBe(false);
});

it('O7: the authorization request is validated: unknown client, unregistered redirect, plain PKCE, unknown scope or resource', async () => {
  const steps = await authorizeSteps(DCR);
  const variant = (patch: Record<string, string>) => {
    const u = new URL(steps.authorizationUrl);
    for (const [k, v] of Object.entries(patch)) u.searchParams.set(k, v);
    return u;
  };
  const refuse = async (u: URL) => {
    const res = await fetch(`${AS}/mock/decision`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ authorizationUrl: u.href, decision: 'approve' }),
    });
    return { status: res.status, ...(await res.json()) };
  };
  expect(await refuse(variant({ client_id: 'nobody' }))).toMatchObject({
    status: 400,
    error: 'invalid_client',
    redirectTo: null,
  });
  expect(await refuse(variant({ redirect_uri: 'https://evil.example/cb' }))).toMatchObject({
    error: 'invalid_request',
    redirectTo: null,
  });
  const plain = await refuse(variant({ code_challenge_method: 'plain' }));
  expect(plain).toMatchObject({ error: 'invalid_request' });
  expect(new URL(plain.redirectTo).searchParams.get('error')).toBe('invalid_request');
  expect(await refuse(variant({ scope: 'admin' }))).toMatchObject({ error: 'invalid_scope' });
  expect(await refuse(variant({ resource: 'https://dcr.mock.test/mcp/' }))).toMatchObject({
    error: 'invalid_target',
  });
});

it('RFC 7009: revoking a refresh token revokes its grant; revoking an access token kills only that token', async () => {
  const revoke = (token: string, clientId: string) =>
    fetch(`${AS}/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, client_id: clientId }),
    });
  const a = await grant(DCR);
  expect((await revoke(a.tokens.access_token, a.clientInformation.client_id)).status).toBe(200);
  expect((await mcpInitialize(DCR, a.tokens.access_token)).status).toBe(401);
  const refreshed = await a.refresh(a.tokens.refresh_token ?? '');
  expect((await mcpInitialize(DCR, refreshed.access_token)).status).toBe(200);

  const b = await grant(DCR);
  expect((await revoke(b.tokens.refresh_token ?? '', b.clientInformation.client_id)).status).toBe(200);
  expect((await mcpInitialize(DCR, b.tokens.access_token)).status).toBe(401);
  await expect(b.refresh(b.tokens.refresh_token ?? '')).rejects.toThrow(/revoked/);
  // Unknown tokens are not an error (RFC 7009 §2.2).
  expect((await revoke('nonsense', b.clientInformation.client_id)).status).toBe(200);
});

it('TOK-1: a token in the query string is not accepted', async () => {
  const g = await grant(DCR);
  const res = await fetch(`${DCR}?access_token=${g.tokens.access_token}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
  });
  expect(res.status).toBe(401);
});

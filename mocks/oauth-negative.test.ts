import { OAuthError } from '@modelcontextprotocol/client';
import { afterAll, beforeEach, expect, it } from 'vitest';
import { startMockServer } from './node';
import { authorizeSteps, grant, mcpInitialize } from './testing/oauth-steps';

const mocks = startMockServer();
afterAll(() => mocks.close());
beforeEach(() => mocks.world.reset());

const DCR = 'https://dcr.mock.test/mcp';
const PREREG = 'https://prereg.mock.test/mcp';

async function oauthErrorOf(p: Promise<unknown>): Promise<OAuthError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(OAuthError);
  return e as OAuthError;
}

it('PKCE-1 PKCE-2: a wrong code_verifier is refused with invalid_grant and no tokens are issued', async () => {
  const steps = await authorizeSteps(DCR);
  const e = await oauthErrorOf(steps.exchange('x'.repeat(43)));
  expect(e.code).toBe('invalid_grant');
  expect(e.message).toMatch(/PKCE/);
  expect([...(mocks.world.authServer('dcr')?.state.tokens.values() ?? [])]).toHaveLength(0);
  // The right verifier still works: a failed verification does not burn the code.
  expect((await steps.exchange()).access_token).toBeTruthy();
});

it('O8: a reused authorization code is refused and the tokens issued for it are revoked', async () => {
  const steps = await authorizeSteps(DCR);
  const tokens = await steps.exchange();
  expect((await mcpInitialize(DCR, tokens.access_token)).status).toBe(200);
  const e = await oauthErrorOf(steps.exchange());
  expect(e.code).toBe('invalid_grant');
  expect(e.message).toMatch(/already used/);
  const after = await mcpInitialize(DCR, tokens.access_token);
  expect(after.status).toBe(401);
  expect(after.challenge).toContain('error="invalid_token"');
  expect((await oauthErrorOf(steps.refresh(tokens.refresh_token ?? ''))).code).toBe('invalid_grant');
});

it('TOK-5: presenting a rotated-out refresh token revokes the whole grant', async () => {
  const g = await grant(DCR);
  const rotated = await g.refresh(g.tokens.refresh_token ?? '');
  expect(rotated.refresh_token).toBeTruthy();
  expect(rotated.refresh_token).not.toBe(g.tokens.refresh_token);
  const reuse = await oauthErrorOf(g.refresh(g.tokens.refresh_token ?? ''));
  expect(reuse.code).toBe('invalid_grant');
  expect(reuse.message).toMatch(/reuse detected/);
  // The legitimate holder's newer tokens die with the grant.
  expect((await oauthErrorOf(g.refresh(rotated.refresh_token ?? ''))).code).toBe('invalid_grant');
  expect((await mcpInitialize(DCR, rotated.access_token)).status).toBe(401);
});

it('REG-7: a wrong client secret is refused with invalid_client (client_secret_basic from DCR)', async () => {
  const steps = await authorizeSteps(DCR, { tokenEndpointAuthMethod: 'client_secret_basic' });
  expect(steps.clientInformation.client_secret).toBeTruthy();
  const e = await oauthErrorOf(
    steps.exchange(undefined, { ...steps.clientInformation, client_secret: 'wrong' }),
  );
  expect(e.code).toBe('invalid_client');
  expect((await steps.exchange()).access_token).toBeTruthy();
});

it('REG-3 REG-7: pre-registered clients authenticate with basic and post; a wrong secret is invalid_client', async () => {
  const clients = [
    ['mcp-lab-basic', 'lab-basic-secret', 'client_secret_basic'],
    ['mcp-lab-post', 'lab-post-secret', 'client_secret_post'],
  ] as const;
  for (const [client_id, client_secret, token_endpoint_auth_method] of clients) {
    const info = { client_id, client_secret, token_endpoint_auth_method };
    const good = await grant(PREREG, { clientInformation: info });
    expect((await mcpInitialize(PREREG, good.tokens.access_token)).status).toBe(200);
    const steps = await authorizeSteps(PREREG, { clientInformation: info });
    expect((await oauthErrorOf(steps.exchange(undefined, { ...info, client_secret: 'nope' }))).code).toBe(
      'invalid_client',
    );
  }
  const request = mocks.world.log.filter((l) => l.endpoint === 'token').map((l) => l.status);
  expect(request).toEqual([200, 401, 200, 401]);
});

import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockServer } from '../../../mocks/node';
import { MOCK_CLIENT_METADATA_URL } from '../../../mocks/presets';
import { LabError } from '../errors';
import { OAuthHandler } from './handler';
import { capturingFetchFor } from './testing';
import type { AuthRevision, OAuthConfig } from './types';

const mocks = startMockServer();
const world = mocks.world;
afterAll(() => mocks.close());
beforeEach(() => world.reset());

const REDIRECT = 'http://localhost:5173/oauth/callback';
const DCR = 'https://dcr.mock.test/mcp';

function handler(serverUrl: string, extra: Partial<OAuthConfig> = {}) {
  const { sent, fetchFor } = capturingFetchFor();
  const config: OAuthConfig = {
    serverUrl,
    revision: '2025-11-25',
    redirectUri: REDIRECT,
    client: {},
    ...extra,
  };
  return { h: new OAuthHandler(config, fetchFor), sent };
}

async function errorOf(p: Promise<unknown>): Promise<LabError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(LabError);
  return e as LabError;
}

/** Discovery → client → authorization → consent at the mock → callback → tokens. */
async function fullFlow(serverUrl: string, extra: Partial<OAuthConfig> = {}, scope?: string) {
  const { h, sent } = handler(serverUrl, extra);
  const discovery = await h.discover();
  const client = await h.resolveClient(discovery);
  const pending = await h.begin(discovery, client, scope);
  const { redirectTo } = await world.authorize(pending.authorizationUrl, { decision: 'approve' });
  const callback = Object.fromEntries(new URL(redirectTo).searchParams);
  const tokens = await h.complete(discovery, client, pending, callback);
  return { h, sent, discovery, client, pending, tokens, callback };
}

describe('discovery', () => {
  it('DISC-2 DISC-4 O1 REG-4: PRM path-inserted first, then AS metadata; the flow completes', async () => {
    const { sent, tokens, discovery } = await fullFlow(DCR);
    expect(sent.map((r) => `${r.lane} ${r.method} ${new URL(r.url).pathname}`).slice(0, 4)).toEqual([
      'mcp GET /.well-known/oauth-protected-resource/mcp',
      'as GET /.well-known/oauth-authorization-server',
      'as POST /register',
      'as POST /token',
    ]);
    expect(discovery).toMatchObject({ issuer: 'https://auth.dcr.mock.test', resource: DCR });
    expect(tokens.access_token).toBeTruthy();
  });

  it('DISC-3 O1: resource_metadata from the challenge is used before path-based discovery', async () => {
    const { h, sent } = handler(DCR);
    await h.discover({
      scheme: 'Bearer',
      resourceMetadataUrl: 'https://dcr.mock.test/.well-known/oauth-protected-resource',
    });
    expect(sent[0]?.url).toBe('https://dcr.mock.test/.well-known/oauth-protected-resource');
  });

  it('DISC-4: with no PRM at either URL, discovery fails after trying path-inserted then root', async () => {
    world.setKnobs('dcr', { prm: 'missing' });
    const { h, sent } = handler(DCR);
    const e = await errorOf(h.discover());
    expect(e.code).toBe('discovery_failed');
    expect(sent.map((r) => new URL(r.url).pathname)).toEqual([
      '/.well-known/oauth-protected-resource/mcp',
      '/.well-known/oauth-protected-resource',
    ]);
  });

  it('O2 DISC-5: a PRM naming another resource stops the flow before any authorization request', async () => {
    world.setKnobs('dcr', { prm: 'wrong-resource' });
    const { h, sent } = handler(DCR);
    const e = await errorOf(h.discover());
    expect(e.code).toBe('resource_mismatch');
    expect(e.message).toContain('https://elsewhere.mock.test/mcp');
    expect(sent.filter((r) => r.lane === 'as')).toHaveLength(0);
  });

  it('ASM-3: an OIDC-only AS with a path issuer is found at the third URL, in the spec order', async () => {
    const { h, sent } = handler('https://prereg.mock.test/mcp');
    const d = await h.discover();
    expect(d.issuer).toBe('https://idp.mock.test/tenants/prereg');
    expect(sent.filter((r) => r.lane === 'as').map((r) => r.url)).toEqual([
      'https://idp.mock.test/.well-known/oauth-authorization-server/tenants/prereg',
      'https://idp.mock.test/.well-known/openid-configuration/tenants/prereg',
      'https://idp.mock.test/tenants/prereg/.well-known/openid-configuration',
    ]);
  });

  it('ASM-2: revision 2025-06-18 reads RFC 8414 only, so an OIDC-only AS is not found', async () => {
    const { h } = handler('https://prereg.mock.test/mcp', { revision: '2025-06-18' });
    expect((await errorOf(h.discover())).code).toBe('discovery_failed');
  });

  it('ASM-4 O3: AS metadata with another issuer is refused', async () => {
    world.setKnobs('dcr', { metadataIssuerMismatch: true });
    const { h } = handler(DCR);
    const e = await errorOf(h.discover());
    expect(e.code).toBe('issuer_mismatch');
    expect(e.ruleIds).toContain('O3');
  });

  it('ASM-1: revision 2025-03-26 reads AS metadata at the MCP origin (path dropped) without PRM', async () => {
    const { h, sent } = handler('https://legacy.mock.test/mcp', { revision: '2025-03-26' });
    const d = await h.discover();
    expect(sent.map((r) => r.url)).toEqual([
      'https://legacy.mock.test/.well-known/oauth-authorization-server',
    ]);
    expect(sent[0]?.headers['mcp-protocol-version']).toBe('2025-03-26');
    expect(d.issuer).toBe('https://legacy.mock.test');
    expect(d.prm).toBeUndefined();
  });

  it('AR-3: an AS whose endpoints are not https is refused; so is a redirect URI that is neither https nor loopback', async () => {
    const { h } = handler(DCR);
    const d = await h.discover();
    const { checkEndpoints } = await import('./discovery');
    expect(() =>
      checkEndpoints({ ...d.metadata, token_endpoint: 'http://auth.dcr.mock.test/token' }),
    ).toThrow(/token_endpoint .* is not https/);
    expect(() =>
      checkEndpoints({ ...d.metadata, token_endpoint: 'http://127.0.0.1:9000/token' }),
    ).not.toThrow();
    expect(() => handler(DCR, { redirectUri: 'http://app.example/callback' })).toThrow(
      /redirect URI .* must be https/,
    );
    expect(() => handler(DCR, { redirectUri: 'https://app.example/callback' })).not.toThrow();
  });

  it('ASM-1: without metadata at the origin, 2025-03-26 falls back to /authorize, /token, /register', async () => {
    const { h } = handler('https://noauth.mock.test/mcp', { revision: '2025-03-26' });
    const d = await h.discover();
    expect(d.metadata).toMatchObject({
      authorization_endpoint: 'https://noauth.mock.test/authorize',
      token_endpoint: 'https://noauth.mock.test/token',
      registration_endpoint: 'https://noauth.mock.test/register',
    });
  });
});

describe('client identity', () => {
  it('REG-1 REG-3 O5: a pre-registered client is used first, without registration', async () => {
    const { sent, client } = await fullFlow('https://prereg.mock.test/mcp', {
      client: {
        preRegistered: {
          clientId: 'mcp-lab-basic',
          clientSecret: 'lab-basic-secret',
          tokenEndpointAuthMethod: 'client_secret_basic',
        },
      },
    });
    expect(client.source).toBe('preregistered');
    expect(sent.some((r) => r.url.endsWith('/register'))).toBe(false);
  });

  it('REG-2 O5: with CIMD supported and a document URL configured, the URL is the client_id', async () => {
    const { client, pending } = await fullFlow('https://cimd.mock.test/mcp', {
      client: { clientMetadataUrl: MOCK_CLIENT_METADATA_URL },
    });
    expect(client).toMatchObject({
      source: 'cimd',
      clientInformation: { client_id: MOCK_CLIENT_METADATA_URL },
    });
    expect(new URL(pending.authorizationUrl).searchParams.get('client_id')).toBe(MOCK_CLIENT_METADATA_URL);
  });

  it('REG-1 O5: no pre-registered client, no CIMD URL and no DCR is a clear no_client_identity error', async () => {
    const { h } = handler('https://prereg.mock.test/mcp');
    const e = await errorOf(h.resolveClient(await h.discover()));
    expect(e.code).toBe('no_client_identity');
    expect(e.message).toMatch(/Enter a client id/);
  });

  it('REG-6 DISC-6: a registration stored for another issuer is never reused', async () => {
    const first = await fullFlow(DCR);
    world.setKnobs('dcr', { migrateAsAfterFirstCall: true });
    world.mcpServer('dcr').migrated = true;
    const { h } = handler(DCR);
    const d = await h.discover();
    expect(d.issuer).toBe('https://auth2.dcr.mock.test');
    const client = await h.resolveClient(d, first.client);
    expect(client.clientInformation.client_id).not.toBe(first.client.clientInformation.client_id);
    expect(client.issuer).toBe('https://auth2.dcr.mock.test');
  });

  it.each<[AuthRevision, string | undefined]>([
    ['2026-07-28', 'native'],
    ['2025-11-25', undefined],
  ])('REG-5: revision %s registers with application_type %s', async (revision, expected) => {
    const { client } = await fullFlow(DCR, { revision, client: { applicationType: 'native' } });
    expect(
      world.authServer('dcr')?.state.clients.get(client.clientInformation.client_id)?.application_type,
    ).toBe(expected);
  });
});

describe('authorization request and response', () => {
  it('PKCE-1 PKCE-2 RES-1 O7: S256 challenge of the verifier, a fresh state, and resource in the request', async () => {
    const { h } = handler(DCR);
    const d = await h.discover();
    const c = await h.resolveClient(d);
    const a = await h.begin(d, c);
    const b = await h.begin(d, c);
    const q = new URL(a.authorizationUrl).searchParams;
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(a.codeVerifier));
    const expected = btoa(String.fromCharCode(...new Uint8Array(digest)))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toBe(expected);
    expect(q.get('state')).toBe(a.state);
    expect(a.state).not.toBe(b.state);
    expect(a.state.length).toBeGreaterThanOrEqual(43);
    expect(q.get('resource')).toBe(DCR);
  });

  it('PKCE-3 O4: an AS without code_challenge_methods_supported is refused from 2025-11-25 on', async () => {
    world.setKnobs('dcr', { omitCodeChallengeMethods: true });
    const { h } = handler(DCR);
    const d = await h.discover();
    const e = await errorOf(h.begin(d, await h.resolveClient(d)));
    expect(e.code).toBe('pkce_unsupported');
    const old = handler(DCR, { revision: '2025-06-18' });
    const d6 = await old.h.discover();
    expect((await old.h.begin(d6, await old.h.resolveClient(d6))).authorizationUrl).toContain(
      'code_challenge_method=S256',
    );
  });

  it('RES-2: a bare-origin PRM resource is sent byte-for-byte, without a trailing slash', async () => {
    const { h } = handler('https://bare.mock.test');
    const d = await h.discover().catch(() => null);
    expect(d).toBeNull(); // no such mock: build the discovery by hand
    const real = await handler(DCR).h.discover();
    const pending = await h.begin(
      { ...real, serverUrl: 'https://bare.mock.test', resource: 'https://bare.mock.test' },
      await handler(DCR).h.resolveClient(real),
    );
    expect(pending.authorizationUrl).toMatch(/[?&]resource=https%3A%2F%2Fbare\.mock\.test(&|$)/);
    expect(pending.resource).toBe('https://bare.mock.test');
  });

  it('O7 AR-1: a callback with another state is refused and the code is not exchanged', async () => {
    const { h, sent } = handler(DCR);
    const d = await h.discover();
    const c = await h.resolveClient(d);
    const p = await h.begin(d, c);
    const { redirectTo } = await world.authorize(p.authorizationUrl, { decision: 'approve' });
    const cb = Object.fromEntries(new URL(redirectTo).searchParams);
    const e = await errorOf(h.complete(d, c, p, { ...cb, state: 'forged' }));
    expect(e.code).toBe('state_mismatch');
    expect(sent.some((r) => r.url.endsWith('/token'))).toBe(false);
  });

  it.each(['wrong', 'missing'] as const)(
    'AR-2 O3: an iss that is %s is refused before the exchange',
    async (mode) => {
      world.setKnobs('dcr', { callbackIss: mode });
      const { h, sent } = handler(DCR);
      const d = await h.discover();
      const c = await h.resolveClient(d);
      const p = await h.begin(d, c);
      const { redirectTo } = await world.authorize(p.authorizationUrl, { decision: 'deny' });
      const e = await errorOf(h.complete(d, c, p, Object.fromEntries(new URL(redirectTo).searchParams)));
      expect(e.code).toBe('issuer_mismatch');
      // On a mismatch the AS's error fields are not shown (RFC 9207 §2.4).
      expect(e.message).not.toContain('denied');
      expect(sent.some((r) => r.url.endsWith('/token'))).toBe(false);
    },
  );

  it('AR-2: when the AS does not advertise iss, a response without it proceeds', async () => {
    const { h } = handler(DCR);
    const d = await h.discover();
    const c = await h.resolveClient(d);
    const p = await h.begin(
      { ...d, metadata: { ...d.metadata, authorization_response_iss_parameter_supported: false } },
      c,
    );
    const { redirectTo } = await world.authorize(p.authorizationUrl, { decision: 'approve' });
    const { iss: _dropped, ...cb } = Object.fromEntries(new URL(redirectTo).searchParams);
    const tokens = await h.complete(
      { ...d, metadata: { ...d.metadata, authorization_response_iss_parameter_supported: false } },
      c,
      p,
      cb,
    );
    expect(tokens.access_token).toBeTruthy();
  });

  it('O7: an error response (access_denied) becomes a typed oauth_failed error', async () => {
    const { h } = handler(DCR);
    const d = await h.discover();
    const c = await h.resolveClient(d);
    const p = await h.begin(d, c);
    const { redirectTo } = await world.authorize(p.authorizationUrl, { decision: 'deny' });
    const e = await errorOf(h.complete(d, c, p, Object.fromEntries(new URL(redirectTo).searchParams)));
    expect(e).toMatchObject({ code: 'oauth_failed', details: { oauthError: 'access_denied' } });
  });
});

describe('tokens and refresh', () => {
  it('RES-1 O8: the code is exchanged with the verifier, redirect URI and resource', async () => {
    const { sent, pending } = await fullFlow(DCR);
    const body = new URLSearchParams(sent.find((r) => r.url.endsWith('/token'))?.body);
    expect(Object.fromEntries(body)).toMatchObject({
      grant_type: 'authorization_code',
      code_verifier: pending.codeVerifier,
      redirect_uri: REDIRECT,
      resource: DCR,
    });
  });

  it('O9 RES-1 TOK-5: refresh goes to the bound token endpoint with resource, and the new refresh token is returned', async () => {
    const { h, sent, discovery, client, tokens } = await fullFlow(DCR);
    // The PRM now names another AS: refresh must still go where the grant was made.
    world.mcpServer('dcr').migrated = true;
    const refreshed = await h.refresh({
      client,
      metadata: discovery.metadata,
      refreshToken: tokens.refresh_token ?? '',
      resource: DCR,
    });
    const req = sent.at(-1);
    expect(req?.url).toBe('https://auth.dcr.mock.test/token');
    expect(new URLSearchParams(req?.body).get('resource')).toBe(DCR);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
  });

  it('O9: when the AS blames the scope, refresh is retried once without it', async () => {
    const { h, sent, discovery, client, tokens } = await fullFlow(DCR);
    const refreshed = await h.refresh({
      client,
      metadata: discovery.metadata,
      refreshToken: tokens.refresh_token ?? '',
      resource: DCR,
      scope: 'notes:write',
    });
    expect(refreshed.access_token).toBeTruthy();
    const refreshes = sent.filter((r) => r.url.endsWith('/token') && r.body?.includes('refresh_token'));
    expect(refreshes.map((r) => new URLSearchParams(r.body).get('scope'))).toEqual(['notes:write', null]);
  });

  it('TOK-5: when the AS returns no refresh token, the old one is kept', async () => {
    world.setKnobs('dcr', { refreshRotation: false });
    const { h, discovery, client, tokens } = await fullFlow(DCR);
    const refreshed = await h.refresh({
      client,
      metadata: discovery.metadata,
      refreshToken: tokens.refresh_token ?? '',
      resource: DCR,
    });
    expect(refreshed.refresh_token).toBe(tokens.refresh_token);
  });

  it.each([
    ['mcp-lab-basic', 'lab-basic-secret', 'client_secret_basic'],
    ['mcp-lab-post', 'lab-post-secret', 'client_secret_post'],
  ] as const)(
    'O10 REG-7: client %s (secret %s) authenticates with %s',
    async (clientId, clientSecret, method) => {
      const { h, sent, discovery, client, tokens } = await fullFlow('https://prereg.mock.test/mcp', {
        client: { preRegistered: { clientId, clientSecret, tokenEndpointAuthMethod: method } },
      });
      await h.refresh({
        client,
        metadata: discovery.metadata,
        refreshToken: tokens.refresh_token ?? '',
        resource: 'https://prereg.mock.test/mcp',
      });
      for (const r of sent.filter((x) => x.url.endsWith('/token'))) {
        if (method === 'client_secret_basic') expect(r.headers.authorization).toMatch(/^Basic /);
        else expect(new URLSearchParams(r.body).get('client_secret')).toBe(clientSecret);
      }
    },
  );

  it('O9: a refresh failure is a typed error that keeps the OAuth error code', async () => {
    const { h, discovery, client, tokens } = await fullFlow(DCR);
    world.setKnobs('dcr', { tokenError: { kind: 'invalid_grant', grant: 'refresh_token', remaining: 1 } });
    const e = await errorOf(
      h.refresh({
        client,
        metadata: discovery.metadata,
        refreshToken: tokens.refresh_token ?? '',
        resource: DCR,
      }),
    );
    expect(e).toMatchObject({ code: 'oauth_failed', details: { oauthError: 'invalid_grant' } });
    world.setKnobs('dcr', { tokenError: { kind: 'network', grant: 'refresh_token', remaining: 1 } });
    expect(
      (
        await errorOf(
          h.refresh({
            client,
            metadata: discovery.metadata,
            refreshToken: tokens.refresh_token ?? '',
            resource: DCR,
          }),
        )
      ).code,
    ).toBe('network');
  });
});

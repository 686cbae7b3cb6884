import {
  discoverAuthorizationServerMetadata,
  discoverOAuthProtectedResourceMetadata,
  OAuthError,
  registerClient,
} from '@modelcontextprotocol/client';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { TokenEndpointFault } from './knobs';
import { startMockServer } from './node';
import { MemoryProvider } from './testing/memory-provider';
import { authorizeSteps, grant, mcpInitialize, REDIRECT_URL } from './testing/oauth-steps';
import { connectWithOAuth, SDK_V2 as v2 } from './testing/sdks';
import type { AdjustableClock } from './world';

const mocks = startMockServer();
const world = mocks.world;
const clock = world.clock as AdjustableClock;
afterAll(() => mocks.close());
beforeEach(() => world.reset());

const DCR = 'https://dcr.mock.test/mcp';
const AS = 'https://auth.dcr.mock.test';
const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: Error) => e,
  );

describe('token lifetimes and rotation', () => {
  it('K-accessTokenTtlSec: tokens live as long as the knob says, then the MCP server answers 401', async () => {
    world.setKnobs('dcr', { accessTokenTtlSec: 60 });
    const g = await grant(DCR);
    expect(g.tokens.expires_in).toBe(60);
    expect((await mcpInitialize(DCR, g.tokens.access_token)).status).toBe(200);
    clock.advance(61_000);
    const after = await mcpInitialize(DCR, g.tokens.access_token);
    expect(after.status).toBe(401);
    expect(after.challenge).toMatch(/error="invalid_token", error_description="The access token expired\."/);
  });

  it('K-refreshTokenTtlSec: a refresh token past its lifetime is refused with invalid_grant', async () => {
    world.setKnobs('dcr', { refreshTokenTtlSec: 30 });
    const g = await grant(DCR);
    const tokens = world.authServer('dcr')?.state.tokens;
    const issuedAt = tokens?.get(g.tokens.access_token)?.issuedAt ?? Number.NaN;
    expect(tokens?.get(g.tokens.refresh_token ?? '')?.expiresAt).toBe(issuedAt + 30_000);
    clock.advance(31_000);
    const e = await failure(g.refresh(g.tokens.refresh_token ?? ''));
    expect(e).toBeInstanceOf(OAuthError);
    expect((e as OAuthError).code).toBe('invalid_grant');
    expect(e.message).toMatch(/expired/);
  });

  it('K-issueRefreshTokens: off, a grant carries no refresh token at all', async () => {
    world.setKnobs('dcr', { issueRefreshTokens: false });
    const g = await grant(DCR);
    expect(g.tokens.refresh_token).toBeUndefined();
    expect([...(world.authServer('dcr')?.state.tokens.values() ?? [])].map((t) => t.kind)).toEqual([
      'access',
    ]);
  });

  it('K-refreshRotation: with rotation off a refresh returns no new refresh token and the old one stays valid', async () => {
    world.setKnobs('dcr', { refreshRotation: false });
    const g = await grant(DCR);
    const first = await g.refresh(g.tokens.refresh_token ?? '');
    // SDK v2 keeps the old refresh token when the AS returns none (TOK-5).
    expect(first.refresh_token).toBe(g.tokens.refresh_token);
    expect(world.log.filter((l) => l.endpoint === 'token')).toHaveLength(2);
    const second = await g.refresh(g.tokens.refresh_token ?? '');
    expect(second.access_token).not.toBe(first.access_token);
  });

  it('K-reuseDetection: with detection off a rotated-out token is refused but the grant survives', async () => {
    world.setKnobs('dcr', { reuseDetection: false });
    const g = await grant(DCR);
    const rotated = await g.refresh(g.tokens.refresh_token ?? '');
    const e = await failure(g.refresh(g.tokens.refresh_token ?? ''));
    expect((e as OAuthError).code).toBe('invalid_grant');
    expect(e.message).toMatch(/rotated out/);
    expect((await g.refresh(rotated.refresh_token ?? '')).access_token).toBeTruthy();
    expect((await mcpInitialize(DCR, rotated.access_token)).status).toBe(200);
  });
});

describe('token endpoint faults', () => {
  it('K-tokenLatencyMs: every token request waits for the configured latency', async () => {
    const steps = await authorizeSteps(DCR);
    world.setKnobs('dcr', { tokenLatencyMs: 250 });
    const started = Date.now();
    await steps.exchange();
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
  });

  const faults: Array<[TokenEndpointFault, RegExp]> = [
    ['invalid_grant', /invalid_grant/],
    ['invalid_client', /invalid_client/],
    ['unauthorized_client', /unauthorized_client/],
    ['server_error', /server_error/],
    ['network', /fetch failed|network/i],
  ];
  it.each(faults)(
    'K-tokenError=%s: the refresh fails that way once, then the endpoint recovers',
    async (kind, pattern) => {
      const g = await grant(DCR);
      world.setKnobs('dcr', { tokenError: { kind, grant: 'refresh_token', remaining: 1 } });
      const e = await failure(g.refresh(g.tokens.refresh_token ?? ''));
      expect(kind === 'network' ? `${e.message} ${String(e.cause)}` : `${(e as OAuthError).code}`).toMatch(
        pattern,
      );
      expect(world.knobs('dcr').tokenError).toBeNull();
      const last = world.log.filter((l) => l.endpoint === 'token').at(-1);
      expect(last?.status).toBe(
        kind === 'network' ? 0 : kind === 'server_error' ? 500 : kind === 'invalid_client' ? 401 : 400,
      );
      expect((await g.refresh(g.tokens.refresh_token ?? '')).access_token).toBeTruthy();
    },
  );

  it('K-tokenError: a fault scoped to refresh_token leaves the code exchange alone', async () => {
    world.setKnobs('dcr', { tokenError: { kind: 'server_error', grant: 'refresh_token', remaining: null } });
    const g = await grant(DCR);
    expect(g.tokens.access_token).toBeTruthy();
    await failure(g.refresh(g.tokens.refresh_token ?? ''));
    await failure(g.refresh(g.tokens.refresh_token ?? ''));
    expect(world.knobs('dcr').tokenError).not.toBeNull();
  });
});

describe('discovery and registration faults', () => {
  it('K-dcr=disabled: the metadata offers no registration endpoint and the SDK cannot register', async () => {
    world.setKnobs('dcr', { dcr: 'disabled' });
    const metadata = await discoverAuthorizationServerMetadata(AS);
    expect(metadata?.registration_endpoint).toBeUndefined();
    const e = await failure(connectWithOAuth(v2, DCR, new MemoryProvider()));
    expect(e.message).toMatch(/dynamic client registration/i);
    expect((await fetch(`${AS}/register`, { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('K-dcr=reject: registration answers invalid_client_metadata', async () => {
    world.setKnobs('dcr', { dcr: 'reject' });
    const metadata = await discoverAuthorizationServerMetadata(AS);
    const e = await failure(
      registerClient(AS, { metadata, clientMetadata: { redirect_uris: [REDIRECT_URL] } }),
    );
    // SDK v2 surfaces a rejected registration as RegistrationRejectedError with the AS's body (REG-5).
    expect(e.name).toBe('RegistrationRejectedError');
    expect(e.message).toMatch(/HTTP 400.*invalid_client_metadata/);
  });

  it('K-prm=missing: no PRM at either well-known URL and no resource_metadata in the challenge', async () => {
    world.setKnobs('dcr', { prm: 'missing' });
    const challenge = await mcpInitialize(DCR);
    expect(challenge.status).toBe(401);
    expect(challenge.challenge).not.toContain('resource_metadata');
    await failure(discoverOAuthProtectedResourceMetadata(DCR));
    expect(world.log.filter((l) => l.endpoint === 'unknown').map((l) => new URL(l.url).pathname)).toEqual([
      '/.well-known/oauth-protected-resource/mcp',
      '/.well-known/oauth-protected-resource',
    ]);
  });

  it('K-prm=wrong-resource: the PRM names another resource and the SDK refuses to authorize', async () => {
    world.setKnobs('dcr', { prm: 'wrong-resource' });
    expect((await discoverOAuthProtectedResourceMetadata(DCR)).resource).toBe(
      'https://elsewhere.mock.test/mcp',
    );
    const provider = new MemoryProvider();
    const e = await failure(connectWithOAuth(v2, DCR, provider));
    expect(e.message).toMatch(/resource/i);
    expect(provider.authorizationUrls).toHaveLength(0);
  });

  it('K-metadataIssuerMismatch: the AS metadata names another issuer and the SDK refuses it', async () => {
    world.setKnobs('dcr', { metadataIssuerMismatch: true });
    const raw = await (await fetch(`${AS}/.well-known/oauth-authorization-server`)).json();
    expect(raw.issuer).toBe('https://impostor.mock.test');
    const e = await failure(discoverAuthorizationServerMetadata(AS));
    expect(e.message).toMatch(/issuer/i);
  });

  it('K-omitCodeChallengeMethods: the metadata lists no PKCE method (SDK v2 still proceeds; the engine must refuse, O4)', async () => {
    world.setKnobs('dcr', { omitCodeChallengeMethods: true });
    const metadata = await discoverAuthorizationServerMetadata(AS);
    expect(metadata).toBeDefined();
    expect(metadata && 'code_challenge_methods_supported' in metadata).toBe(false);
    const steps = await authorizeSteps(DCR);
    expect(steps.authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');
  });
});

describe('authorization response faults', () => {
  it('K-callbackIss=correct: the callback carries the issuer (RFC 9207)', async () => {
    const steps = await authorizeSteps(DCR);
    expect(steps.callback.searchParams.get('iss')).toBe(AS);
    expect(steps.callback.searchParams.get('state')).toBe('state-123');
  });

  it.each(['wrong', 'missing'] as const)(
    'K-callbackIss=%s: SDK v2 refuses to exchange the code (AR-2)',
    async (mode) => {
      world.setKnobs('dcr', { callbackIss: mode });
      const steps = await authorizeSteps(DCR);
      expect(steps.callback.searchParams.get('iss')).toBe(
        mode === 'wrong' ? 'https://impostor.mock.test' : null,
      );
      const e = await failure(steps.exchange());
      expect(e.message).toMatch(/issuer/i);
      expect(world.log.filter((l) => l.endpoint === 'token')).toHaveLength(0);
    },
  );

  it('K-autoApprove: GET /authorize redirects straight back with a code', async () => {
    world.setKnobs('dcr', { autoApprove: true });
    const steps = await authorizeSteps(DCR);
    const res = await fetch(steps.authorizationUrl, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URL);
    expect(location.searchParams.get('code')).toMatch(/^code_/);
  });

  it('K-autoApprove off: GET /authorize shows a consent page that points at the decision API', async () => {
    const steps = await authorizeSteps(DCR);
    const res = await fetch(steps.authorizationUrl, { redirect: 'manual' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('/mock/decision');
  });
});

import { describe, expect, it } from 'vitest';
import { isLabError } from '../errors';
import { mask } from '../timeline/redact';
import { storageKey } from './keys';
import { client, harness, KEY } from './test-fixtures';
import type { CredentialKey } from './types';

const grant = { access_token: 'access-grant-0001', refresh_token: 'refresh-grant-0001', expires_in: 3600 };

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('T1: three records per key, one credential set', () => {
  it('T1: a grant writes access, refresh and client records that share one credential-set id', async () => {
    const h = harness();
    await h.tokens.saveGrant(KEY, grant, client());
    const recs = await Promise.all(
      (['access', 'refresh', 'client'] as const).map((k) => h.store.get(storageKey(KEY, k))),
    );
    const setIds = recs.map((r) => (r as { setId?: string } | undefined)?.setId);
    expect(setIds[0]).toMatch(/^set-/);
    expect(new Set(setIds).size).toBe(1);
    expect(await h.store.keys()).toHaveLength(3);
  });

  it('T1: the client record keeps AS metadata, server URL, resource, how it was obtained and the redirect URI', async () => {
    const h = harness();
    const c = client({ obtainedVia: 'cimd' });
    await h.tokens.saveGrant(KEY, grant, c);
    expect(await h.tokens.getClient(KEY)).toEqual(c);
  });

  it('T1: an access record of another credential set is ignored (treated as absent)', async () => {
    const h = harness();
    await h.tokens.saveGrant(KEY, grant, client());
    const slot = storageKey(KEY, 'access');
    const rec = (await h.store.get(slot)) as Record<string, unknown>;
    await h.store.set(slot, { ...rec, setId: 'set-someone-else' });
    // Not returned as stored: the store refreshes instead, as if there were no access token.
    const t = await h.tokens.getTokens(KEY);
    expect(t?.source).toBe('refreshed');
    expect(h.refresher.calls).toHaveLength(1);
    expect(
      h.recorder.events.some((e) => e.ruleIds.includes('T1') && /another credential set/.test(e.summary)),
    ).toBe(true);
  });

  it('T1: a new client id starts a new set, so tokens of the old client are ignored', async () => {
    const h = harness();
    await h.tokens.saveGrant(KEY, grant, client());
    const before = (await h.tokens.list())[0]?.setId;
    await h.tokens.saveClient(KEY, client({}, 'client-NEW'));
    const [entry] = await h.tokens.list();
    expect(entry?.setId).not.toBe(before);
    expect(entry?.ignored.sort()).toEqual(['access', 'refresh']);
    expect(isLabError(await rejection(h.tokens.getTokens(KEY)), 'reauth_required')).toBe(true);
  });

  it('T1: a new AS issuer for the same client id also starts a new set (REG-6)', async () => {
    const h = harness();
    await h.tokens.saveGrant(KEY, grant, client());
    await h.tokens.saveClient(KEY, client({ issuer: 'https://other-as.example.com' }));
    expect((await h.tokens.list())[0]?.ignored.sort()).toEqual(['access', 'refresh']);
  });

  it('T1: saving the same client again keeps the set and the tokens', async () => {
    const h = harness();
    await h.tokens.saveGrant(KEY, grant, client());
    const before = (await h.tokens.list())[0]?.setId;
    await h.tokens.saveClient(KEY, client({ redirectUri: 'http://localhost:9999/cb' }));
    expect((await h.tokens.list())[0]?.setId).toBe(before);
    expect((await h.tokens.getTokens(KEY))?.access_token).toBe(grant.access_token);
  });

  it('T1: a grant without any client registration is refused', async () => {
    const h = harness();
    const e = await rejection(h.tokens.saveGrant(KEY, grant));
    expect(isLabError(e, 'invalid_input')).toBe(true);
    expect(await h.store.keys()).toHaveLength(0);
  });

  it('T1/F20: tenants with the same user id and servers with ":" never share credentials', async () => {
    const h = harness();
    const other: CredentialKey = { ...KEY, tenant: 'tenant-b' };
    const colon: CredentialKey = { tenant: 'tenant-a:user-1', user: 'files', server: 'prod' };
    await h.tokens.saveGrant(KEY, grant, client());
    await expect(h.tokens.getTokens(other)).rejects.toMatchObject({ code: 'reauth_required' });
    await expect(h.tokens.getTokens(colon)).rejects.toMatchObject({ code: 'reauth_required' });
    expect(await h.tokens.getClient(other)).toBeUndefined();
  });

  it('T1: getClient, deleteClient (F17: client and its refresh token) and delete()', async () => {
    const h = harness();
    await h.tokens.saveGrant(KEY, grant, client());
    expect((await h.tokens.getClient(KEY))?.clientInformation.client_secret).toBe(
      'client-secret-CANARY-0001',
    );
    await h.tokens.deleteClient(KEY);
    expect(await h.store.get(storageKey(KEY, 'client'))).toBeUndefined();
    expect(await h.store.get(storageKey(KEY, 'refresh'))).toBeUndefined();
    expect(await h.tokens.getClient(KEY)).toBeUndefined();

    await h.tokens.saveGrant(KEY, grant, client());
    await h.tokens.delete(KEY, 'access');
    expect(await h.store.keys()).toHaveLength(2);
    await h.tokens.delete(KEY, 'all');
    expect(await h.store.keys()).toHaveLength(0);
  });

  it('T1/T7: list() shows masked secrets and decoded expiry', async () => {
    const h = harness();
    await h.tokens.saveGrant(KEY, { ...grant, scope: 'files:read' }, client());
    const list = await h.tokens.list();
    expect(list).toHaveLength(1);
    const [e] = list;
    expect(e?.key).toEqual(KEY);
    expect(e?.access).toMatchObject({
      token: mask(grant.access_token),
      tokenType: 'Bearer',
      scope: 'files:read',
      expiresAt: h.clock.now() + 3_600_000,
      expirySource: 'expires_in',
      expired: false,
    });
    expect(e?.refresh).toMatchObject({ token: mask(grant.refresh_token), rejected: false, expired: false });
    expect(e?.client).toMatchObject({
      clientId: 'client-123',
      clientSecret: mask('client-secret-CANARY-0001'),
    });
    expect(JSON.stringify(list)).not.toContain(grant.access_token);
    expect(JSON.stringify(list)).not.toContain('client-secret-CANARY-0001');
  });
});

describe('T3: getTokens', () => {
  it('T3: a valid access token is returned without a refresh', async () => {
    const h = harness();
    await h.tokens.saveGrant(KEY, { ...grant, scope: 'a b' }, client());
    await h.clock.advance(1_000);
    const t = await h.tokens.getTokens(KEY);
    expect(t).toEqual({
      access_token: grant.access_token,
      token_type: 'Bearer',
      expires_at: h.clock.now() + 3_599_000,
      expires_in: 3599,
      scope: 'a b',
      hasRefreshToken: true,
      source: 'stored',
    });
    expect(h.refresher.calls).toHaveLength(0);
    expect(JSON.stringify(t)).not.toContain(grant.refresh_token);
  });

  it('T3: no access token and no refresh token → reauth_required', async () => {
    const h = harness();
    await h.tokens.saveClient(KEY, client());
    await expect(h.tokens.getTokens(KEY)).rejects.toMatchObject({ code: 'reauth_required' });
  });

  it('T3: an expired access token without a refresh token → reauth_required, no refresh attempted', async () => {
    const h = harness();
    await h.tokens.saveGrant(KEY, { access_token: 'access-no-refresh-1', expires_in: 60 }, client());
    await h.clock.advance(60_000);
    await expect(h.tokens.getTokens(KEY)).rejects.toMatchObject({ code: 'reauth_required', ruleIds: ['T3'] });
    expect(h.refresher.calls).toHaveLength(0);
  });

  it('T3: an expired access token with a refresh token is refreshed with the stored client', async () => {
    const h = harness();
    await h.tokens.saveGrant(KEY, { ...grant, expires_in: 60 }, client());
    await h.clock.advance(60_000);
    const t = await h.tokens.getTokens(KEY, { scope: 'files:read' });
    expect(t).toMatchObject({
      access_token: 'access-refreshed-1-CANARY',
      source: 'refreshed',
      hasRefreshToken: true,
    });
    expect(h.refresher.calls[0]).toMatchObject({ refreshToken: grant.refresh_token, scope: 'files:read' });
    expect(h.refresher.calls[0]?.client).toEqual(client());
    // And the refreshed token is now the stored one.
    expect((await h.tokens.getTokens(KEY))?.source).toBe('stored');
  });

  it('T3: forceRefresh bypasses the expiry check', async () => {
    const h = harness();
    await h.tokens.saveGrant(KEY, grant, client());
    const t = await h.tokens.getTokens(KEY, { forceRefresh: true });
    expect(t?.access_token).toBe('access-refreshed-1-CANARY');
    expect(h.refresher.calls).toHaveLength(1);
  });

  it('T3: an expired refresh token is not redeemed: reauth_required', async () => {
    const h = harness();
    await h.tokens.saveGrant(KEY, { ...grant, expires_in: 60, refresh_token_expires_in: 120 }, client());
    await h.clock.advance(120_000);
    await expect(h.tokens.getTokens(KEY)).rejects.toMatchObject({ code: 'reauth_required' });
    expect(h.refresher.calls).toHaveLength(0);
  });
});

describe('T6: interactive grants', () => {
  it('T6: a grant without a refresh token deletes the old refresh record', async () => {
    const h = harness();
    await h.tokens.saveGrant(KEY, grant, client());
    expect(await h.store.get(storageKey(KEY, 'refresh'))).toBeDefined();
    await h.tokens.saveGrant(KEY, { access_token: 'access-second-grant', expires_in: 60 });
    expect(await h.store.get(storageKey(KEY, 'refresh'))).toBeUndefined();
    expect((await h.tokens.getTokens(KEY))?.hasRefreshToken).toBe(false);
    await h.clock.advance(60_000);
    await expect(h.tokens.getTokens(KEY)).rejects.toMatchObject({ code: 'reauth_required' });
    expect(h.refresher.calls).toHaveLength(0);
  });

  it('T6: each write bumps the record generation', async () => {
    const h = harness();
    await h.tokens.saveGrant(KEY, grant, client());
    await h.tokens.saveGrant(KEY, { ...grant, access_token: 'access-grant-0002' });
    const [e] = await h.tokens.list();
    expect(e?.access?.gen).toBe(2);
    expect(e?.refresh?.gen).toBe(2);
    expect(e?.client?.gen).toBe(1);
  });
});

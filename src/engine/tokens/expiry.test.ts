import { describe, expect, it } from 'vitest';
import { accessExpiry, jwtExp, refreshExpiry } from './expiry';
import { client, harness, jwt, KEY } from './test-fixtures';
import { TOKEN_DEFAULT_LIFETIME_MS } from './types';

const NOW = Date.UTC(2026, 0, 1);
const DAY = 24 * 60 * 60 * 1000;

describe('T2: access and refresh expiry', () => {
  it('T2: expires_at in seconds wins over expires_in and a JWT exp', () => {
    const token = jwt({ exp: NOW / 1000 + 600 });
    const r = accessExpiry({ access_token: token, expires_at: NOW / 1000 + 60, expires_in: 3600 }, NOW, DAY);
    expect(r).toEqual({ expiresAt: NOW + 60_000, source: 'expires_at' });
  });

  it('T2: expires_at in milliseconds is taken as is', () => {
    expect(accessExpiry({ access_token: 'opaque', expires_at: NOW + 5_000 }, NOW, DAY)).toEqual({
      expiresAt: NOW + 5_000,
      source: 'expires_at',
    });
  });

  it('T2: expires_in counts from now and wins over a JWT exp', () => {
    const token = jwt({ exp: NOW / 1000 + 600 });
    expect(accessExpiry({ access_token: token, expires_in: 120 }, NOW, DAY)).toEqual({
      expiresAt: NOW + 120_000,
      source: 'expires_in',
    });
  });

  it('T2: a numeric-string expires_in (sloppy AS) is understood', () => {
    const tokens = { access_token: 'opaque', expires_in: '90' as unknown as number };
    expect(accessExpiry(tokens, NOW, DAY).expiresAt).toBe(NOW + 90_000);
  });

  it('T2: a future JWT exp is used when no expiry field is given', () => {
    const token = jwt({ sub: 'u', exp: NOW / 1000 + 600 });
    expect(jwtExp(token)).toBe(NOW / 1000 + 600);
    expect(accessExpiry({ access_token: token }, NOW, DAY)).toEqual({
      expiresAt: NOW + 600_000,
      source: 'jwt_exp',
    });
  });

  it('T2: a past JWT exp is not trusted: the default lifetime applies', () => {
    const token = jwt({ exp: NOW / 1000 - 10 });
    expect(accessExpiry({ access_token: token }, NOW, DAY)).toEqual({
      expiresAt: NOW + DAY,
      source: 'default',
    });
  });

  it('T2: an opaque or malformed token gets the default lifetime', () => {
    expect(accessExpiry({ access_token: 'opaque-token' }, NOW, DAY)).toEqual({
      expiresAt: NOW + DAY,
      source: 'default',
    });
    expect(jwtExp('a.!!!.c')).toBeUndefined();
    expect(jwtExp(jwt({ exp: 'soon' }))).toBeUndefined();
    expect(jwtExp('only.two')).toBeUndefined();
  });

  it('T2: refresh expiry from refresh_token_expires_in, else the default', () => {
    expect(refreshExpiry({ refresh_token_expires_in: 86_400 }, NOW, DAY * 365)).toEqual({
      expiresAt: NOW + DAY,
      source: 'refresh_token_expires_in',
    });
    expect(refreshExpiry({}, NOW, DAY * 365)).toEqual({ expiresAt: NOW + DAY * 365, source: 'default' });
  });

  it('T2: the store uses TOKEN_DEFAULT_LIFETIME (365 days) when nothing is known, and list() shows it', async () => {
    const h = harness();
    await h.tokens.saveGrant(
      KEY,
      { access_token: 'opaque-access-0001', refresh_token: 'opaque-refresh-0001' },
      client(),
    );
    expect(TOKEN_DEFAULT_LIFETIME_MS).toBe(365 * DAY);
    const [entry] = await h.tokens.list();
    expect(entry?.access).toMatchObject({ expiresAt: h.clock.now() + 365 * DAY, expirySource: 'default' });
    expect(entry?.refresh).toMatchObject({ expiresAt: h.clock.now() + 365 * DAY, expirySource: 'default' });
    // Valid until the last millisecond of the default lifetime; then both are expired.
    await h.clock.advance(365 * DAY - 1);
    expect((await h.tokens.getTokens(KEY))?.source).toBe('stored');
    await h.clock.advance(1);
    await expect(h.tokens.getTokens(KEY)).rejects.toMatchObject({ code: 'reauth_required' });
    expect(h.refresher.calls).toHaveLength(0);
  });

  it('T2: a JWT exp decides when the store refreshes', async () => {
    const h = harness();
    const token = jwt({ exp: h.clock.now() / 1000 + 30 });
    await h.tokens.saveGrant(KEY, { access_token: token, refresh_token: 'refresh-jwt-case-1' }, client());
    await h.clock.advance(29_999);
    expect((await h.tokens.getTokens(KEY))?.access_token).toBe(token);
    expect(h.refresher.calls).toHaveLength(0);
    await h.clock.advance(1);
    expect((await h.tokens.getTokens(KEY))?.access_token).toBe('access-refreshed-1-CANARY');
    expect(h.refresher.calls).toHaveLength(1);
  });
});

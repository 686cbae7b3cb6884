import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../clock';
import { MemoryStore } from '../store/memory';
import { InProcessLockManager, type LockManagerLike } from './locks';
import { client, harness, KEY, settle } from './test-fixtures';
import type { RefreshRequest } from './types';

const grant = { access_token: 'access-grant-0001', refresh_token: 'refresh-grant-0001', expires_in: 60 };

/** Two "tabs": TokenStore instances over one shared store and clock, redeeming at one shared AS. */
async function twoTabs(locks: LockManagerLike | null) {
  const store = new MemoryStore();
  const clock = new ManualClock();
  const tabA = harness({ store, clock, locks });
  const tabB = harness({ store, clock, locks });
  await tabA.tokens.saveGrant(KEY, grant, client());
  await clock.advance(60_000);
  // One authorization server: each redemption takes 1 s and rotates the refresh token.
  const redemptions: RefreshRequest[] = [];
  const as = async (req: RefreshRequest) => {
    redemptions.push(req);
    await clock.sleep(1_000);
    return {
      access_token: `access-rotated-${redemptions.length}`,
      refresh_token: `refresh-rotated-${redemptions.length}`,
      expires_in: 3600,
    };
  };
  tabA.refresher.impl = as;
  tabB.refresher.impl = as;
  return { clock, tabA, tabB, redemptions };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('T8: refresh single-flight across tabs', () => {
  it('T8: a forced refresh that names the refused token does not redeem when another tab already replaced it', async () => {
    const locks = new InProcessLockManager();
    const { tabA, tabB, redemptions, clock } = await twoTabs(locks);
    // Both tabs were refused access-grant-0001; tab A refreshes first and finishes.
    const a = tabA.tokens.getTokens(KEY, { forceRefresh: true, rejectedAccessToken: grant.access_token });
    await settle(20);
    await clock.advance(1_000);
    expect((await a)?.access_token).toBe('access-rotated-1');
    // Tab B only now gets to it: its own view is already the new token, but it names the old one.
    const b = await tabB.tokens.getTokens(KEY, {
      forceRefresh: true,
      rejectedAccessToken: grant.access_token,
    });
    expect(b?.access_token).toBe('access-rotated-1');
    expect(redemptions).toHaveLength(1);
    // Refusing the new token too does redeem (with the rotated refresh token).
    const c = tabB.tokens.getTokens(KEY, { forceRefresh: true, rejectedAccessToken: 'access-rotated-1' });
    await settle(20);
    await clock.advance(1_000);
    expect((await c)?.access_token).toBe('access-rotated-2');
    expect(redemptions.map((r) => r.refreshToken)).toEqual(['refresh-grant-0001', 'refresh-rotated-1']);
  });

  it('T8: two instances with a shared lock manager redeem the refresh token once', async () => {
    const locks = new InProcessLockManager();
    const { clock, tabA, tabB, redemptions } = await twoTabs(locks);
    const a = tabA.tokens.getTokens(KEY);
    const b = tabB.tokens.getTokens(KEY);
    await settle();
    await clock.advance(1_000);
    await settle();
    await clock.advance(1_000); // time enough for a second redemption, if one (wrongly) started
    const [ta, tb] = await Promise.all([a, b]);
    expect(redemptions).toHaveLength(1);
    expect(ta?.access_token).toBe('access-rotated-1');
    expect(tb?.access_token).toBe('access-rotated-1');
    expect(
      tabB.recorder.events.some((e) => e.ruleIds.includes('T8') && /not redeeming/.test(e.summary)),
    ).toBe(true);
    expect(locks.held).toBe(0);
  });

  it('T8: control: without a lock manager the same two instances redeem twice (rotation reuse)', async () => {
    const { clock, tabA, tabB, redemptions } = await twoTabs(null);
    const both = Promise.allSettled([tabA.tokens.getTokens(KEY), tabB.tokens.getTokens(KEY)]);
    await settle();
    await clock.advance(1_000);
    await both;
    expect(redemptions).toHaveLength(2);
    expect(redemptions.map((r) => r.refreshToken)).toEqual(['refresh-grant-0001', 'refresh-grant-0001']);
  });

  it('T8: a forced refresh in the second tab uses the token the first tab just refreshed', async () => {
    const locks = new InProcessLockManager();
    const { clock, tabA, tabB, redemptions } = await twoTabs(locks);
    await tabA.tokens.saveGrant(KEY, { ...grant, expires_in: 3600 });
    // Both tabs got a 401 for the same token and force a refresh.
    const a = tabA.tokens.getTokens(KEY, { forceRefresh: true });
    const b = tabB.tokens.getTokens(KEY, { forceRefresh: true });
    await settle();
    await clock.advance(1_000);
    await settle();
    await clock.advance(1_000);
    expect((await a)?.access_token).toBe('access-rotated-1');
    expect((await b)?.access_token).toBe('access-rotated-1');
    expect(redemptions).toHaveLength(1);
  });

  it('T8: the lock is per tenant: another tenant with the same user id refreshes without waiting', async () => {
    const locks = new InProcessLockManager();
    const { clock, tabA, tabB, redemptions } = await twoTabs(locks);
    const otherKey = { ...KEY, tenant: 'tenant-b' };
    await tabB.tokens.saveGrant(otherKey, grant, client());
    await clock.advance(60_000);
    const a = tabA.tokens.getTokens(KEY);
    const b = tabB.tokens.getTokens(otherKey);
    await settle();
    // Both redemptions are running at once: neither waited for the other's lock.
    expect(redemptions).toHaveLength(2);
    await clock.advance(1_000);
    await Promise.all([a, b]);
  });

  it('T8: navigator.locks is used by default when the environment has Web Locks', async () => {
    const locks = new InProcessLockManager();
    const request = vi.spyOn(locks, 'request');
    vi.stubGlobal('navigator', { locks });
    const { TokenStore } = await import('./token-store');
    const { PlainSecretBox } = await import('./secret-box');
    const clock = new ManualClock();
    const tokens = new TokenStore({
      store: new MemoryStore(),
      box: new PlainSecretBox(),
      clock,
      refresher: async () => ({ access_token: 'access-weblocks-1', expires_in: 60 }),
    });
    await tokens.saveGrant(KEY, grant, client());
    await tokens.getTokens(KEY, { forceRefresh: true });
    expect(request).toHaveBeenCalledTimes(1);
    expect(request.mock.calls[0]?.[0]).toBe('mcp-lab/tokens/refresh/tenant-a/user-1/files%3Aprod/-');
  });
});

import { describe, expect, it } from 'vitest';
import { abortError } from '../clock';
import { isLabError, LabError } from '../errors';
import { lockName, storageKey } from './keys';
import { InProcessLockManager } from './locks';
import { client, deferred, dump, harness, KEY, oauthError, settle } from './test-fixtures';
import type { TokenResponse } from './types';

const grant = { access_token: 'access-grant-0001', refresh_token: 'refresh-grant-0001', expires_in: 60 };

/** A harness with a stored grant whose access token has just expired. */
async function expired(options: Parameters<typeof harness>[0] = {}) {
  const h = harness(options);
  await h.tokens.saveGrant(KEY, grant, client());
  await h.clock.advance(60_000);
  return h;
}

describe('T4: one refresh at a time', () => {
  it('T4: 100 concurrent getTokens on an expired token → exactly one Refresher call', async () => {
    const h = await expired();
    const gate = deferred<TokenResponse>();
    h.refresher.impl = () => gate.promise;
    const all = Promise.all(Array.from({ length: 100 }, () => h.tokens.getTokens(KEY)));
    await settle();
    gate.resolve({ access_token: 'access-shared-0001', expires_in: 3600 });
    const results = await all;
    expect(h.refresher.calls).toHaveLength(1);
    expect(new Set(results.map((t) => t?.access_token))).toEqual(new Set(['access-shared-0001']));
  });

  it('T4: different scopes refresh separately (the slower write then fails closed, T6); the same scope shares', async () => {
    const h = await expired();
    const gate = deferred<void>();
    h.refresher.impl = async (req) => {
      await gate.promise;
      return { access_token: `access-scope-${req.scope}`, expires_in: 3600 };
    };
    const p = Promise.allSettled([
      h.tokens.getTokens(KEY, { scope: 'a' }),
      h.tokens.getTokens(KEY, { scope: 'a' }),
      h.tokens.getTokens(KEY, { scope: 'b' }),
    ]);
    await settle();
    expect(h.refresher.calls.map((c) => c.scope)).toEqual(['a', 'b']);
    gate.resolve();
    const [a1, a2, b] = await p;
    expect(a1).toEqual(a2);
    expect(a1).toMatchObject({ status: 'fulfilled', value: { access_token: 'access-scope-a', scope: 'a' } });
    // Both refreshes read the same access record; the one that writes second lost the race.
    expect(b).toMatchObject({ status: 'rejected', reason: { code: 'store_conflict' } });
    expect((await h.tokens.getTokens(KEY))?.access_token).toBe('access-scope-a');
  });

  it('T4: a waiter that aborts rejects alone; the shared refresh continues for the others', async () => {
    const h = await expired();
    const gate = deferred<TokenResponse>();
    h.refresher.impl = () => gate.promise;
    const quitter = new AbortController();
    const first = h.tokens.getTokens(KEY);
    const second = h.tokens.getTokens(KEY, { signal: quitter.signal });
    const third = h.tokens.getTokens(KEY);
    let secondOutcome: unknown = 'pending';
    second.catch((x: unknown) => {
      secondOutcome = x;
    });
    await settle();
    quitter.abort();
    await settle();
    expect(isLabError(secondOutcome, 'aborted')).toBe(true);
    expect(h.refresher.calls[0]?.signal.aborted).toBe(false);
    gate.resolve({ access_token: 'access-after-abort', expires_in: 3600 });
    expect((await first)?.access_token).toBe('access-after-abort');
    expect((await third)?.access_token).toBe('access-after-abort');
    expect(h.refresher.calls).toHaveLength(1);
  });

  it('T4: the shared refresh is aborted after SHARED_REFRESH_ABORT (60 s) on the clock, credentials kept', async () => {
    const h = await expired();
    h.refresher.impl = (req) =>
      new Promise((_, reject) => req.signal.addEventListener('abort', () => reject(abortError(req.signal))));
    const before = await dump(h.store);
    let settled = false;
    const p = h.tokens.getTokens(KEY).finally(() => {
      settled = true;
    });
    await settle();
    await h.clock.advance(59_999);
    expect(settled).toBe(false);
    expect(h.refresher.calls[0]?.signal.aborted).toBe(false);
    await h.clock.advance(1);
    await settle();
    expect(settled).toBe(true);
    expect(await p).toBeUndefined();
    expect(h.refresher.calls[0]?.signal.aborted).toBe(true);
    expect(await dump(h.store)).toBe(before);
    expect(h.recorder.events.some((e) => /shared refresh aborted after 60000 ms/.test(e.summary))).toBe(true);
  });

  it('T4: SHARED_REFRESH_ABORT is configurable', async () => {
    const h = harness();
    const { TokenStore } = await import('./token-store');
    const { PlainSecretBox } = await import('./secret-box');
    const tokens = new TokenStore({
      store: h.store,
      box: new PlainSecretBox(),
      clock: h.clock,
      refresher: () => new Promise<TokenResponse>(() => {}),
      locks: null,
      sharedRefreshAbortMs: 5_000,
    });
    await tokens.saveGrant(KEY, grant, client());
    await h.clock.advance(60_000);
    let result: unknown = 'pending';
    const p = tokens.getTokens(KEY).then((t) => {
      result = t;
    });
    await settle();
    await h.clock.advance(4_999);
    expect(result).toBe('pending');
    await h.clock.advance(1);
    await settle();
    expect(result).toBeUndefined();
    await p;
  });

  it('T4: a refresher that ignores the abort has its late tokens stored, and no second redemption starts meanwhile', async () => {
    const h = await expired();
    const late = deferred<TokenResponse>();
    h.refresher.impl = () => late.promise;
    let firstResult: unknown = 'pending';
    const first = h.tokens.getTokens(KEY).then((t) => {
      firstResult = t;
    });
    await settle();
    await h.clock.advance(60_000);
    await settle();
    expect(firstResult).toBeUndefined();
    await first;
    // Within the grace the slot is still taken: a new caller does not redeem the same token again.
    expect(await h.tokens.getTokens(KEY)).toBeUndefined();
    expect(h.refresher.calls).toHaveLength(1);
    late.resolve({ access_token: 'access-late-0001', refresh_token: 'refresh-late-0001', expires_in: 3600 });
    await settle();
    const t = await h.tokens.getTokens(KEY);
    expect(t).toMatchObject({ access_token: 'access-late-0001', source: 'stored' });
    expect(h.refresher.calls).toHaveLength(1);
  });

  it('T4: the refresh token is read when the refresh runs, not when the caller queued', async () => {
    const locks = new InProcessLockManager();
    const h = await expired({ locks });
    // Another tab holds the refresh lock; our refresh queues behind it.
    const release = deferred<void>();
    const held = locks.request(lockName(KEY, undefined), { mode: 'exclusive' }, () => release.promise);
    const p = h.tokens.getTokens(KEY);
    await settle();
    expect(h.refresher.calls).toHaveLength(0);
    // Meanwhile a new grant replaces the refresh token (its access token is already expired).
    await h.tokens.saveGrant(KEY, {
      access_token: 'access-regrant-1',
      refresh_token: 'refresh-NEW-0002',
      expires_in: 0,
    });
    release.resolve();
    await held;
    expect((await p)?.access_token).toBe('access-refreshed-1-CANARY');
    expect(h.refresher.calls.map((c) => c.refreshToken)).toEqual(['refresh-NEW-0002']);
  });
});

describe('T5: refresh outcomes', () => {
  it.each([
    ['invalid_client', oauthError('invalid_client', 'Client authentication failed', 401)],
    ['unauthorized_client', oauthError('unauthorized_client', 'not allowed', 400)],
    ['client_id mismatch (message)', oauthError(undefined, 'Refresh failed: Client_ID mismatch')],
    ['client not found (message)', oauthError('server_error', 'Client not found')],
    ['unknown client (message)', new Error('Unknown client "abc"')],
    ['invalid_client via errorCode (SDK v1)', Object.assign(new Error('x'), { errorCode: 'invalid_client' })],
  ])('T5: %s deletes the client and refresh records and requires re-authentication', async (_name, error) => {
    const h = await expired();
    h.refresher.impl = async () => {
      throw error;
    };
    await expect(h.tokens.getTokens(KEY)).rejects.toMatchObject({ code: 'reauth_required' });
    expect(await h.store.get(storageKey(KEY, 'client'))).toBeUndefined();
    expect(await h.store.get(storageKey(KEY, 'refresh'))).toBeUndefined();
    expect(await h.tokens.getClient(KEY)).toBeUndefined();
  });

  it('T5: invalid_grant marks the refresh token rejected; it is never redeemed again', async () => {
    const h = await expired();
    h.refresher.impl = async () => {
      throw oauthError('invalid_grant', 'Refresh token revoked', 400);
    };
    await expect(h.tokens.getTokens(KEY)).rejects.toMatchObject({ code: 'reauth_required' });
    const [entry] = await h.tokens.list();
    expect(entry?.refresh?.rejected).toBe(true);
    expect(entry?.client).toBeDefined(); // the registration itself is fine
    await expect(h.tokens.getTokens(KEY, { forceRefresh: true })).rejects.toMatchObject({
      code: 'reauth_required',
    });
    expect(h.refresher.calls).toHaveLength(1);
  });

  it.each([
    ['a 503', oauthError(undefined, 'Service Unavailable', 503)],
    ['a 500 with server_error', oauthError('server_error', 'boom', 500)],
    ['a network error', new TypeError('Failed to fetch')],
    ['a timeout', Object.assign(new Error('The operation timed out.'), { name: 'TimeoutError' })],
    ['a bare 401 without an OAuth code', oauthError(undefined, 'Unauthorized', 401)],
    ["the engine's own timeout error", new LabError('timeout', 'Token endpoint did not answer in 5 s.')],
  ])('T5: %s on refresh returns no tokens and keeps every stored record', async (_name, error) => {
    const h = await expired();
    h.refresher.impl = async () => {
      throw error;
    };
    const before = await dump(h.store);
    expect(await h.tokens.getTokens(KEY)).toBeUndefined();
    expect(await dump(h.store)).toBe(before);
    // The grant still works once the AS is back.
    h.refresher.impl = async () => ({ access_token: 'access-recovered-1', expires_in: 3600 });
    expect((await h.tokens.getTokens(KEY))?.access_token).toBe('access-recovered-1');
  });

  it('T5: a malformed token response returns no tokens and keeps every stored record', async () => {
    const h = await expired();
    h.refresher.impl = async () => ({ token_type: 'Bearer' }) as unknown as TokenResponse;
    const before = await dump(h.store);
    expect(await h.tokens.getTokens(KEY)).toBeUndefined();
    expect(await dump(h.store)).toBe(before);
  });

  it('TOK-5: a rotated refresh token is stored and the old one is never sent again', async () => {
    const h = await expired();
    h.refresher.impl = async (_req, n) => ({
      access_token: `access-rot-${n}`,
      refresh_token: `refresh-rot-${n}`,
      expires_in: 60,
    });
    expect((await h.tokens.getTokens(KEY))?.access_token).toBe('access-rot-1');
    await h.clock.advance(60_000);
    expect((await h.tokens.getTokens(KEY))?.access_token).toBe('access-rot-2');
    expect(h.refresher.calls.map((c) => c.refreshToken)).toEqual(['refresh-grant-0001', 'refresh-rot-1']);
  });

  it('TOK-5: a response without refresh_token keeps the old one', async () => {
    const h = await expired();
    h.refresher.impl = async (_req, n) => ({ access_token: `access-keep-${n}`, expires_in: 60 });
    await h.tokens.getTokens(KEY);
    await h.clock.advance(60_000);
    await h.tokens.getTokens(KEY);
    expect(h.refresher.calls.map((c) => c.refreshToken)).toEqual([
      'refresh-grant-0001',
      'refresh-grant-0001',
    ]);
    expect((await h.tokens.list())[0]?.refresh?.gen).toBe(1);
  });
});

import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { isLabError } from '../errors';
import { IndexedDbStore } from '../store/indexeddb';
import { MemoryStore } from '../store/memory';
import type { KeyValueStore } from '../store/types';
import { storageKey } from './keys';
import { CredentialRecords } from './records';
import { PlainSecretBox } from './secret-box';
import { client, deferred, harness, KEY, RacingStore, until } from './test-fixtures';
import type { TokenResponse } from './types';

let dbCount = 0;
const backends: Array<[string, () => KeyValueStore]> = [
  ['MemoryStore', () => new MemoryStore()],
  ['IndexedDbStore (fake-indexeddb)', () => new IndexedDbStore(`tokens-conflict-${++dbCount}`)],
];

const grant = { access_token: 'access-grant-0001', refresh_token: 'refresh-grant-0001', expires_in: 60 };
const draft = (setId: string) => ({
  kind: 'access' as const,
  setId,
  savedAt: 0,
  tokenType: 'Bearer',
  expiresAt: 1,
  expirySource: 'expires_in' as const,
});

describe.each(backends)('T6: conditional writes on %s', (_name, makeStore) => {
  it('T6: a write based on a stale generation fails closed and leaves the winner intact', async () => {
    const records = new CredentialRecords(makeStore(), new PlainSecretBox());
    const first = await records.writeIf(KEY, 'access', undefined, draft('s1'), {
      access_token: 'access-first-0001',
    });
    expect(first?.gen).toBe(1);
    // The winner writes on top of what both read.
    const winner = await records.writeIf(KEY, 'access', first?.rev, draft('s1'), {
      access_token: 'access-winner-01',
    });
    expect(winner?.gen).toBe(2);
    // The loser still holds the first revision.
    const e = await records
      .writeIf(KEY, 'access', first?.rev, draft('s1'), { access_token: 'access-loser-0001' })
      .catch((x: unknown) => x);
    expect(isLabError(e, 'store_conflict')).toBe(true);
    const stored = (await records.read(KEY)).access;
    if (!stored) throw new Error('the winner was lost');
    expect(stored.rev).toBe(winner?.rev);
    expect((await records.open(KEY, stored)).access_token).toBe('access-winner-01');
  });

  it('T6: a record deleted and written again does not look unchanged to a writer that read the old one', async () => {
    const records = new CredentialRecords(makeStore(), new PlainSecretBox());
    const old = await records.writeIf(KEY, 'access', undefined, draft('s1'), {
      access_token: 'access-old-00001',
    });
    await records.writeIf(KEY, 'access', old?.rev, undefined);
    const again = await records.writeIf(KEY, 'access', undefined, draft('s1'), {
      access_token: 'access-again-001',
    });
    expect(again?.gen).toBe(old?.gen); // same counter value: only the revision tells them apart
    await expect(
      records.writeIf(KEY, 'access', old?.rev, draft('s1'), { access_token: 'access-stale-001' }),
    ).rejects.toMatchObject({ code: 'store_conflict' });
  });

  it('T6: two interactive grants racing: the one that read first and wrote second fails closed', async () => {
    const inner = makeStore();
    const racing = new RacingStore(inner);
    const loser = harness({ store: racing });
    const winner = harness({ store: inner, clock: loser.clock });
    await winner.tokens.saveGrant(KEY, grant, client());
    // Just before the loser writes its access record, the winner stores a newer grant.
    racing.beforeUpdate(
      (k) => k === storageKey(KEY, 'access'),
      () =>
        winner.tokens.saveGrant(KEY, {
          access_token: 'access-WINNER-01',
          refresh_token: 'refresh-WINNER-01',
        }),
    );
    const e = await loser.tokens
      .saveGrant(KEY, { access_token: 'access-LOSER-001', refresh_token: 'refresh-LOSER-01' })
      .catch((x: unknown) => x);
    expect(isLabError(e, 'store_conflict')).toBe(true);
    const t = await winner.tokens.getTokens(KEY);
    expect(t?.access_token).toBe('access-WINNER-01');
    await winner.tokens.getTokens(KEY, { forceRefresh: true });
    expect(winner.refresher.calls[0]?.refreshToken).toBe('refresh-WINNER-01');
    expect(
      loser.recorder.events.some((ev) => ev.ruleIds.includes('T6') && /lost a race/.test(ev.summary)),
    ).toBe(true);
  });

  it('T6: a refresh that finishes after an interactive grant fails closed; the grant is kept', async () => {
    const h = harness({ store: makeStore() });
    await h.tokens.saveGrant(KEY, grant, client());
    await h.clock.advance(60_000);
    const gate = deferred<TokenResponse>();
    h.refresher.impl = () => gate.promise;
    const refreshing = h.tokens.getTokens(KEY).catch((x: unknown) => x);
    await until(() => h.refresher.calls.length === 1);
    await h.tokens.saveGrant(KEY, {
      access_token: 'access-INTERACTIVE',
      refresh_token: 'refresh-INTERACTIVE',
    });
    gate.resolve({
      access_token: 'access-from-slow-refresh',
      refresh_token: 'refresh-from-slow',
      expires_in: 3600,
    });
    expect(isLabError(await refreshing, 'store_conflict')).toBe(true);
    expect((await h.tokens.getTokens(KEY))?.access_token).toBe('access-INTERACTIVE');
    await h.tokens.getTokens(KEY, { forceRefresh: true });
    expect(h.refresher.calls[1]?.refreshToken).toBe('refresh-INTERACTIVE');
  });
});

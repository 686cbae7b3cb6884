import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { isLabError } from '../errors';
import { IndexedDbStore } from '../store/indexeddb';
import { MemoryStore } from '../store/memory';
import type { KeyValueStore } from '../store/types';
import { mask } from '../timeline/redact';
import { storageKey } from './keys';
import { AesGcmSecretBox, PlainSecretBox, SECRET_KEY_NAME, type SecretBox } from './secret-box';
import { client, dump, harness, KEY, oauthError } from './test-fixtures';

const CANARIES = {
  access: 'CANARY-ACCESS-7f3a9c1e',
  refresh: 'CANARY-REFRESH-2b8d4e6f',
  rotated: 'CANARY-ROTATED-9e1c5a3b',
  refreshedAccess: 'CANARY-NEWACCESS-4d2f8a',
  idToken: 'CANARY-IDTOKEN-1a2b3c4d',
  secret: 'CANARY-CLIENTSECRET-5e6f',
  rat: 'CANARY-REGTOKEN-8c7d6e5f',
};

const canaryClient = () =>
  client({
    clientInformation: {
      client_id: 'client-123',
      client_secret: CANARIES.secret,
      registration_access_token: CANARIES.rat,
    },
  });

/** A grant, a refresh with rotation, a failing refresh whose message echoes the token, a list(). */
async function fullFlow(store: KeyValueStore, box: SecretBox) {
  const h = harness({ store, box });
  await h.tokens.saveGrant(
    KEY,
    {
      access_token: CANARIES.access,
      refresh_token: CANARIES.refresh,
      id_token: CANARIES.idToken,
      expires_in: 60,
    },
    canaryClient(),
  );
  await h.tokens.getTokens(KEY);
  await h.clock.advance(60_000);
  h.refresher.impl = async () => ({
    access_token: CANARIES.refreshedAccess,
    refresh_token: CANARIES.rotated,
    expires_in: 60,
  });
  await h.tokens.getTokens(KEY);
  await h.clock.advance(60_000);
  h.refresher.impl = async (req) => {
    throw oauthError(undefined, `upstream 502 while redeeming ${req.refreshToken}`, 502);
  };
  expect(await h.tokens.getTokens(KEY)).toBeUndefined();
  await h.tokens.list();
  return h;
}

describe('T7: the AES-GCM secret box', () => {
  it('T7: round-trips, uses a fresh IV each time, and the ciphertext does not contain the text', async () => {
    const box = new AesGcmSecretBox({ settings: new MemoryStore() });
    const a = await box.encrypt(CANARIES.access, 'slot');
    const b = await box.encrypt(CANARIES.access, 'slot');
    expect(a).not.toBe(b);
    expect(a).not.toContain(CANARIES.access);
    expect(await box.decrypt(a, 'slot')).toBe(CANARIES.access);
  });

  it('T7/F20: a sealed value does not open in another slot', async () => {
    const box = new AesGcmSecretBox({ settings: new MemoryStore() });
    const sealed = await box.encrypt(CANARIES.access, storageKey(KEY, 'access'));
    const other = storageKey({ ...KEY, tenant: 'tenant-b' }, 'access');
    await expect(box.decrypt(sealed, other)).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('T7: the key is non-extractable, kept in the settings store and shared by instances over it', async () => {
    const settings = new MemoryStore();
    const box = new AesGcmSecretBox({ settings });
    const sealed = await box.encrypt('hello secret', 'x');
    const key = await settings.get(SECRET_KEY_NAME);
    expect(key).toBeInstanceOf(CryptoKey);
    expect((key as CryptoKey).extractable).toBe(false);
    await expect(crypto.subtle.exportKey('raw', key as CryptoKey)).rejects.toBeDefined();
    expect(box.memoryOnly).toBe(false);
    expect(await new AesGcmSecretBox({ settings }).decrypt(sealed, 'x')).toBe('hello secret');
  });

  it('T7: the key survives in IndexedDB (fake-indexeddb), as in the browser', async () => {
    const settings = new IndexedDbStore('tokens-secrets-settings');
    const sealed = await new AesGcmSecretBox({ settings }).encrypt('idb secret', 'y');
    expect(await new AesGcmSecretBox({ settings }).decrypt(sealed, 'y')).toBe('idb secret');
  });

  it('T7: when the settings store cannot hold a CryptoKey, the key stays in memory for that instance', async () => {
    const settings = new MemoryStore();
    settings.update = async () => {
      throw new DOMException('CryptoKey could not be cloned.', 'DataCloneError');
    };
    const box = new AesGcmSecretBox({ settings });
    const sealed = await box.encrypt('memory only', 'z');
    expect(await box.decrypt(sealed, 'z')).toBe('memory only');
    expect(box.memoryOnly).toBe(true);
    expect(await settings.get(SECRET_KEY_NAME)).toBeUndefined();
    // Another instance has another key: the secret does not open there.
    await expect(new AesGcmSecretBox({ settings }).decrypt(sealed, 'z')).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });
});

describe.each([
  ['MemoryStore', () => new MemoryStore()],
  ['IndexedDbStore (fake-indexeddb)', () => new IndexedDbStore(`tokens-at-rest-${Math.random()}`)],
])('T7: secrets at rest on %s', (_name, makeStore) => {
  it('T7: no token or client secret appears in the raw store (AES-GCM)', async () => {
    const store = makeStore();
    await fullFlow(store, new AesGcmSecretBox({ settings: new MemoryStore() }));
    const raw = await dump(store);
    for (const canary of Object.values(CANARIES)) expect(raw).not.toContain(canary);
    expect(raw).toContain('aesgcm1.');
  });

  it('T7: control: the same check finds the tokens when the box does not encrypt', async () => {
    const store = makeStore();
    await fullFlow(store, new PlainSecretBox());
    const raw = await dump(store);
    expect(raw).toContain(CANARIES.rotated);
    expect(raw).toContain(CANARIES.secret);
  });
});

describe('T7: secrets never reach the timeline', () => {
  it('T7: timeline events hold no raw token, only masked values', async () => {
    const h = await fullFlow(new MemoryStore(), new AesGcmSecretBox({ settings: new MemoryStore() }));
    const events = JSON.stringify(h.recorder.events);
    for (const canary of Object.values(CANARIES)) expect(events).not.toContain(canary);
    expect(events).toContain(mask(CANARIES.access));
    expect(events).toContain(mask(CANARIES.rotated));
    // The refresher's error message echoed the refresh token: the timeline shows it masked.
    expect(events).toContain(`while redeeming ${mask(CANARIES.rotated)}`);
    expect(h.recorder.events.every((e) => e.lane === 'tokens')).toBe(true);
  });

  it('T7: a record that no longer decrypts reads as absent and is not deleted', async () => {
    const store = new MemoryStore();
    const first = harness({ store, box: new AesGcmSecretBox({ settings: new MemoryStore() }) });
    await first.tokens.saveGrant(
      KEY,
      { access_token: CANARIES.access, refresh_token: CANARIES.refresh },
      client(),
    );
    const before = await dump(store);
    // A new key (e.g. the browser profile's key store was cleared).
    const second = harness({ store, box: new AesGcmSecretBox({ settings: new MemoryStore() }) });
    const e = await second.tokens.getTokens(KEY).catch((x: unknown) => x);
    expect(isLabError(e, 'reauth_required')).toBe(true);
    expect(await dump(store)).toBe(before);
    expect(second.recorder.events.some((ev) => ev.ruleIds.includes('T7') && ev.level === 'warn')).toBe(true);
    expect((await second.tokens.list())[0]?.ignored.sort()).toEqual(['access', 'client', 'refresh']);
  });
});

/**
 * Shared helpers for the token store's tests (not used by the app). No vitest import here, so the
 * file type-checks with the rest of the engine.
 */
import { ManualClock } from '../clock';
import { MemoryStore } from '../store/memory';
import type { KeyValueStore } from '../store/types';
import { TimelineRecorder } from '../timeline/recorder';
import type { LockManagerLike } from './locks';
import { PlainSecretBox, type SecretBox } from './secret-box';
import { TokenStore } from './token-store';
import type { CredentialKey, RefreshRequest, StoredClient, TokenResponse } from './types';

export const KEY: CredentialKey = { tenant: 'tenant-a', user: 'user-1', server: 'files:prod' };

export function client(overrides: Partial<StoredClient> = {}, clientId = 'client-123'): StoredClient {
  return {
    clientInformation: { client_id: clientId, client_secret: 'client-secret-CANARY-0001' },
    issuer: 'https://as.example.com',
    authorizationServerMetadata: {
      issuer: 'https://as.example.com',
      token_endpoint: 'https://as.example.com/token',
    },
    serverUrl: 'https://mcp.example.com/mcp',
    resource: 'https://mcp.example.com/mcp',
    obtainedVia: 'dcr',
    redirectUri: 'http://localhost:5173/oauth/callback',
    ...overrides,
  };
}

/** An unsigned JWT with the given payload (the store never verifies, T2). */
export function jwt(payload: Record<string, unknown>): string {
  const b64 = (o: unknown) =>
    btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.sig`;
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(v: T): void;
  reject(e: unknown): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every queued promise callback run (one macrotask turn, repeated). No clock time passes. */
export async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((r) => setImmediate(r));
}

/** Waits (in macrotask turns, never clock time) until `cond` holds; fails after `turns`. */
export async function until(cond: () => boolean, turns = 200): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (cond()) return;
    await new Promise<void>((r) => setImmediate(r));
  }
  throw new Error('until: the condition never held');
}

/** An error as the SDK's auth functions throw them: an OAuth `code` and/or an HTTP `status`. */
export function oauthError(code: string | undefined, message: string, status?: number): Error {
  return Object.assign(new Error(message), code !== undefined ? { code } : {}, status ? { status } : {});
}

/** A Refresher whose behaviour each test scripts; it records every call. */
export class ScriptedRefresher {
  readonly calls: RefreshRequest[] = [];
  #n = 0;
  impl: (req: RefreshRequest, n: number) => Promise<TokenResponse> = async (_req, n) => ({
    access_token: `access-refreshed-${n}-CANARY`,
    token_type: 'Bearer',
    expires_in: 3600,
  });
  readonly fn = (req: RefreshRequest): Promise<TokenResponse> => {
    this.calls.push(req);
    return this.impl(req, ++this.#n);
  };
}

/** A store that can run a competing write just before a chosen update, to stage T6 races. */
export class RacingStore implements KeyValueStore {
  #hook: { match: (key: string) => boolean; run: () => Promise<void> } | undefined;
  constructor(readonly inner: KeyValueStore) {}
  /** Runs `run` (once) before the next update of a key that matches. */
  beforeUpdate(match: (key: string) => boolean, run: () => Promise<void>): void {
    this.#hook = { match, run };
  }
  get(key: string) {
    return this.inner.get(key);
  }
  set(key: string, value: unknown) {
    return this.inner.set(key, value);
  }
  delete(key: string) {
    return this.inner.delete(key);
  }
  async update(key: string, updater: (old: unknown) => unknown) {
    const hook = this.#hook;
    if (hook?.match(key)) {
      this.#hook = undefined;
      await hook.run();
    }
    return this.inner.update(key, updater);
  }
  keys() {
    return this.inner.keys();
  }
  entries() {
    return this.inner.entries();
  }
  clear() {
    return this.inner.clear();
  }
}

export interface Harness {
  clock: ManualClock;
  store: KeyValueStore;
  recorder: TimelineRecorder;
  refresher: ScriptedRefresher;
  tokens: TokenStore;
}

export function harness(
  options: {
    store?: KeyValueStore;
    box?: SecretBox;
    locks?: LockManagerLike | null;
    clock?: ManualClock;
  } = {},
): Harness {
  const clock = options.clock ?? new ManualClock();
  const store = options.store ?? new MemoryStore();
  const recorder = new TimelineRecorder(clock);
  const refresher = new ScriptedRefresher();
  const tokens = new TokenStore({
    store,
    box: options.box ?? new PlainSecretBox(),
    clock,
    refresher: refresher.fn,
    recorder,
    locks: options.locks === undefined ? null : options.locks,
  });
  return { clock, store, recorder, refresher, tokens };
}

/** Everything in a store, as JSON: for "nothing changed" and "no secret at rest" assertions. */
export async function dump(store: KeyValueStore): Promise<string> {
  const entries = await store.entries();
  return JSON.stringify(entries.sort(([a], [b]) => a.localeCompare(b)));
}

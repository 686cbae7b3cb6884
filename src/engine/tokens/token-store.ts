import type { Clock } from '../clock';
import { isLabError, LabError } from '../errors';
import type { KeyValueStore } from '../store/types';
import type { TimelineRecorder } from '../timeline/recorder';
import { mask } from '../timeline/redact';
import { accessValid, readView, refreshUsable, toTokens } from './credential-view';
import { accessExpiry, refreshExpiry } from './expiry';
import { assertCredentialKey, flightKey, storageKey } from './keys';
import { defaultLockManager, type LockManagerLike } from './locks';
import { accessDraft, accessSecrets, CredentialRecords, refreshDraft } from './records';
import { type RefreshContext, reauthRequired, runRefresh } from './refresh';
import type { SecretBox } from './secret-box';
import { SingleFlight } from './single-flight';
import { summarize } from './summary';
import { TokenLog } from './token-log';
import {
  type CredentialKey,
  type CredentialSummary,
  type GetTokensOptions,
  type GrantTokens,
  type RecordKind,
  type Refresher,
  SHARED_REFRESH_ABORT_GRACE_MS,
  SHARED_REFRESH_ABORT_MS,
  type StoredClient,
  TOKEN_DEFAULT_LIFETIME_MS,
  type Tokens,
} from './types';

export interface TokenStoreOptions {
  /** Where the records live (EngineStores.tokens). */
  store: KeyValueStore;
  /** Seals secrets at rest (T7): AesGcmSecretBox in the app. */
  box: SecretBox;
  clock: Clock;
  /** Redeems refresh tokens (the OAuth handler's, O9). */
  refresher: Refresher;
  recorder?: TimelineRecorder;
  /** Cross-tab refresh lock (T8). Default: `navigator.locks` when present; `null` turns it off. */
  locks?: LockManagerLike | null;
  /** SHARED_REFRESH_ABORT (T4). */
  sharedRefreshAbortMs?: number;
  sharedRefreshAbortGraceMs?: number;
  /** TOKEN_DEFAULT_LIFETIME (T2). */
  defaultLifetimeMs?: number;
}

const newSetId = () => `set-${globalThis.crypto.randomUUID()}`;

/**
 * The credential store (spec T1–T8): per (tenant, user, server) an access token, a refresh token and
 * a client registration, sealed at rest, refreshed single-flight, written only if unchanged since
 * read. Every read, write and decision is a timeline event on the `tokens` lane.
 */
export class TokenStore {
  readonly #records: CredentialRecords;
  readonly #log: TokenLog;
  readonly #clock: Clock;
  readonly #refresh: RefreshContext;
  readonly #flights: SingleFlight<Tokens | undefined>;

  constructor(options: TokenStoreOptions) {
    this.#records = new CredentialRecords(options.store, options.box);
    this.#log = new TokenLog(options.recorder);
    this.#clock = options.clock;
    const abortAfterMs = options.sharedRefreshAbortMs ?? SHARED_REFRESH_ABORT_MS;
    this.#refresh = {
      records: this.#records,
      log: this.#log,
      clock: options.clock,
      refresher: options.refresher,
      locks: options.locks === null ? undefined : (options.locks ?? defaultLockManager()),
      defaultLifetimeMs: options.defaultLifetimeMs ?? TOKEN_DEFAULT_LIFETIME_MS,
    };
    this.#flights = new SingleFlight({
      clock: options.clock,
      abortAfterMs,
      graceMs: options.sharedRefreshAbortGraceMs ?? SHARED_REFRESH_ABORT_GRACE_MS,
      abortReason: () =>
        new LabError('timeout', `Failed to refresh tokens: no answer within ${abortAfterMs} ms.`, {
          hint: 'The token endpoint is slow or unreachable; stored credentials are kept.',
          ruleIds: ['T4'],
        }),
    });
  }

  /**
   * A usable access token: the stored one while valid, else a refresh (shared with concurrent
   * callers for the same key and scope). Resolves `undefined` when a refresh failed transiently
   * (network, 5xx, timeout, malformed response, SHARED_REFRESH_ABORT): stored credentials are then
   * untouched and a later call may succeed; the reason is on the timeline. Throws
   * LabError('reauth_required') when only a new authorization can help, LabError('aborted') when
   * this caller's signal aborts, LabError('store_conflict') when the refresh result lost a race.
   *
   * Rules T3, T4, T5, T8.
   */
  async getTokens(key: CredentialKey, options: GetTokensOptions = {}): Promise<Tokens | undefined> {
    assertCredentialKey(key);
    const { forceRefresh = false, signal, scope, rejectedAccessToken } = options;
    if (signal?.aborted)
      throw new LabError('aborted', 'Failed to get tokens: the caller cancelled.', { ruleIds: ['T4'] });
    const view = await readView(this.#records, this.#log, key);
    const now = this.#clock.now();
    const stored = accessValid(view, now) ? toTokens(view, now, 'stored') : undefined;
    if (!forceRefresh && stored) {
      this.#log.event(key, {
        summary: `T3: stored access token ${mask(stored.access_token)} is valid`,
        ruleIds: ['T3'],
        data: { accessToken: mask(stored.access_token), expiresAt: stored.expires_at },
      });
      return stored;
    }
    if (
      forceRefresh &&
      stored &&
      rejectedAccessToken !== undefined &&
      stored.access_token !== rejectedAccessToken
    ) {
      this.#log.decision(
        key,
        `T8: the refused token was already replaced by ${mask(stored.access_token)}; not redeeming`,
        ['T8', 'T4'],
      );
      return stored;
    }
    const why = forceRefresh ? 'refresh forced' : view.access ? 'access token expired' : 'no access token';
    if (!refreshUsable(view, now)) {
      const r = view.refresh?.record;
      const detail = !r
        ? 'no refresh token'
        : r.rejectedAt !== undefined
          ? 'refresh token rejected'
          : 'expired';
      this.#log.decision(key, `T3: ${why} and ${detail}; re-authentication required`, ['T3']);
      throw reauthRequired(key, `${why} and ${detail === 'expired' ? 'the refresh token expired' : detail}`, [
        'T3',
      ]);
    }
    const plan = {
      key,
      scope,
      force: forceRefresh,
      observedAccessRev: view.access?.record.rev,
      ...(rejectedAccessToken !== undefined ? { rejectedAccessToken } : {}),
    };
    const { promise, joined } = this.#flights.run(
      flightKey(key, scope),
      (s) => runRefresh(this.#refresh, plan, s),
      signal,
    );
    this.#log.decision(key, joined ? `T4: ${why}; joined the refresh in flight` : `T3: ${why}; refreshing`, [
      joined ? 'T4' : 'T3',
    ]);
    try {
      return await promise;
    } catch (e) {
      // SHARED_REFRESH_ABORT is a transient failure like any other timeout (T5).
      if (isLabError(e, 'timeout') && e.ruleIds.includes('T4')) {
        this.#log.warn(key, `T4: shared refresh aborted after ${this.#flights.options.abortAfterMs} ms`, [
          'T4',
          'T5',
        ]);
        return undefined;
      }
      throw e;
    }
  }

  /**
   * Stores the result of an interactive authorization (with its client registration when it is
   * new). A grant without a refresh token deletes the old refresh record: it belonged to a grant
   * the user has just replaced. Throws LabError('store_conflict') if another writer got in first.
   *
   * Rules T1, T2, T6, T7.
   */
  async saveGrant(key: CredentialKey, tokens: GrantTokens, client?: StoredClient): Promise<void> {
    assertCredentialKey(key);
    if (typeof tokens?.access_token !== 'string' || !tokens.access_token)
      throw new LabError('invalid_input', 'Failed to store the grant: it has no access_token.', {
        ruleIds: ['T1'],
      });
    this.#log.secret(tokens.access_token, tokens.refresh_token, tokens.id_token);
    if (client) await this.saveClient(key, client);
    const snap = await this.#records.read(key);
    if (!snap.client)
      throw new LabError(
        'invalid_input',
        `Failed to store the grant for "${key.server}": no client registration.`,
        {
          hint: 'Pass the client the tokens were issued to.',
          ruleIds: ['T1'],
        },
      );
    const { setId } = snap.client;
    const now = this.#clock.now();
    const lifetime = this.#refresh.defaultLifetimeMs;
    const exp = accessExpiry(tokens, now, lifetime);
    const scope = tokens.scope;
    await this.#write(key, 'access', () =>
      this.#records.writeIf(
        key,
        'access',
        snap.access?.rev,
        accessDraft(setId, now, exp, tokens.token_type ?? 'Bearer', scope),
        accessSecrets(tokens),
      ),
    );
    const refreshToken = tokens.refresh_token;
    if (refreshToken) {
      const draft = refreshDraft(setId, now, refreshExpiry(tokens, now, lifetime));
      await this.#write(key, 'refresh', () =>
        this.#records.writeIf(key, 'refresh', snap.refresh?.rev, draft, { refresh_token: refreshToken }),
      );
    } else if (snap.refresh) {
      await this.#write(key, 'refresh', () =>
        this.#records.writeIf(key, 'refresh', snap.refresh?.rev, undefined),
      );
    }
    this.#log.event(key, {
      summary: `T6: stored an interactive grant: access ${mask(tokens.access_token)} (${exp.source}), ${
        tokens.refresh_token ? `refresh ${mask(tokens.refresh_token)}` : 'no refresh token (old one deleted)'
      }`,
      ruleIds: ['T1', 'T2', 'T6'],
      data: { expiresAt: exp.expiresAt, expirySource: exp.source, setId },
    });
  }

  /**
   * Stores a client registration. A different client id or AS issuer starts a new credential set,
   * so tokens issued to the old client are ignored from now on (T1, REG-6); otherwise the set stays.
   * Returns the credential-set id.
   *
   * Rules T1, T6, T7.
   */
  async saveClient(key: CredentialKey, client: StoredClient): Promise<string> {
    assertCredentialKey(key);
    const { client_secret, registration_access_token, ...publicInfo } = client.clientInformation;
    this.#log.secret(client_secret, registration_access_token);
    const old = (await this.#records.read(key)).client;
    const same =
      old?.client.clientInformation.client_id === client.clientInformation.client_id &&
      old?.client.issuer === client.issuer;
    const setId = old && same ? old.setId : newSetId();
    const rec = await this.#write(key, 'client', () =>
      this.#records.writeIf(
        key,
        'client',
        old?.rev,
        {
          kind: 'client',
          setId,
          savedAt: this.#clock.now(),
          client: { ...client, clientInformation: publicInfo },
        },
        {
          ...(client_secret !== undefined ? { client_secret } : {}),
          ...(registration_access_token !== undefined ? { registration_access_token } : {}),
        },
      ),
    );
    this.#log.event(key, {
      summary: `T1: stored client ${client.clientInformation.client_id} (${client.obtainedVia}, issuer ${client.issuer})${
        same ? '' : '; new credential set'
      }`,
      ruleIds: ['T1', 'T6', 'T7'],
      data: { setId, gen: rec?.gen, clientSecret: client_secret ? mask(client_secret) : null },
    });
    return setId;
  }

  /** The stored client registration with its secrets, or `undefined`. Rules T1, T7. */
  async getClient(key: CredentialKey): Promise<StoredClient | undefined> {
    assertCredentialKey(key);
    const view = await readView(this.#records, this.#log, key);
    this.#log.event(key, {
      summary: `T1: read client registration: ${view.client ? 'found' : 'none'}`,
      ruleIds: ['T1'],
    });
    return view.client?.client;
  }

  /** Deletes the client registration and its refresh token, so the next attempt registers again. Rule F17/T5. */
  async deleteClient(key: CredentialKey): Promise<void> {
    await this.delete(key, 'client');
    await this.delete(key, 'refresh');
  }

  /** Deletes records unconditionally: a person or a rule asked for it explicitly. Rule T1. */
  async delete(key: CredentialKey, what: RecordKind | 'all'): Promise<void> {
    assertCredentialKey(key);
    const kinds: RecordKind[] = what === 'all' ? ['access', 'refresh', 'client'] : [what];
    for (const kind of kinds) await this.#records.store.delete(storageKey(key, kind));
    this.#log.event(key, { summary: `T1: deleted ${kinds.join(', ')} record(s)`, ruleIds: ['T1'] });
  }

  /**
   * A person's fault injection (the playground's Tokens panel): the stored access token expires
   * now, so the next load refreshes (T2, T3). Conditional like every write (T6).
   */
  async expireAccess(key: CredentialKey): Promise<void> {
    const view = await readView(this.#records, this.#log, key);
    if (!view.access) return;
    const { v: _v, gen: _g, rev, sealed: _s, ...draft } = view.access.record;
    const now = this.#clock.now();
    await this.#write(key, 'access', () =>
      this.#records.writeIf(
        key,
        'access',
        rev,
        { ...draft, expiresAt: now, expirySource: 'expires_at', savedAt: now },
        view.access?.secrets,
      ),
    );
    this.#log.event(key, { summary: 'T2: access token marked expired (by a person)', ruleIds: ['T2'] });
  }

  /**
   * A person's fault injection: the stored access token is replaced by one no server accepts, so
   * the next request meets a 401. Returns the corrupted value.
   */
  async corruptAccess(key: CredentialKey): Promise<string | undefined> {
    const view = await readView(this.#records, this.#log, key);
    if (!view.access) return undefined;
    const { v: _v, gen: _g, rev, sealed: _s, ...draft } = view.access.record;
    const corrupted = `corrupted-${globalThis.crypto.randomUUID()}`;
    this.#log.secret(corrupted);
    await this.#write(key, 'access', () =>
      this.#records.writeIf(key, 'access', rev, draft, { ...view.access?.secrets, access_token: corrupted }),
    );
    this.#log.event(key, { summary: 'T6: access token corrupted (by a person)', ruleIds: ['T6'] });
    return corrupted;
  }

  /**
   * Hands the stored tokens of one identity to `revoke` (RFC 7009 at the AS), without removing
   * them here: the playground shows what the client meets next (a 401, a refused refresh). The
   * secrets leave the store only for this call and were registered with the redactor long ago.
   */
  async revokeAtServer(
    key: CredentialKey,
    revoke: (tokens: { accessToken?: string; refreshToken?: string }, client: StoredClient) => Promise<void>,
  ): Promise<boolean> {
    const view = await readView(this.#records, this.#log, key);
    if (!view.client) return false;
    await revoke(
      {
        ...(view.access ? { accessToken: view.access.secrets.access_token } : {}),
        ...(view.refresh ? { refreshToken: view.refresh.secrets.refresh_token } : {}),
      },
      view.client.client,
    );
    this.#log.event(key, {
      summary: 'Tokens revoked at the authorization server (by a person); kept here',
      ruleIds: ['T1'],
    });
    return true;
  }

  /** Every stored credential with masked secrets and decoded expiry, for a UI. Rules T1, T2, T7. */
  async list(): Promise<CredentialSummary[]> {
    const out: CredentialSummary[] = [];
    for (const entry of await this.#records.all()) {
      const view = await readView(this.#records, this.#log, entry.key);
      out.push(summarize(entry.key, view, entry.unreadable, this.#clock.now()));
    }
    return out;
  }

  async #write<T>(key: CredentialKey, kind: RecordKind, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (e) {
      if (isLabError(e, 'store_conflict'))
        this.#log.warn(key, `T6: the ${kind} write lost a race; the other write is kept`, ['T6']);
      throw e;
    }
  }
}

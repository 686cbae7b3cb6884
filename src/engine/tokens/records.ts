import { LabError } from '../errors';
import type { KeyValueStore } from '../store/types';
import { parseStorageKey, storageKey } from './keys';
import type { SecretBox } from './secret-box';
import type {
  AccessExpirySource,
  CredentialKey,
  PublicClientInformation,
  RecordKind,
  RefreshExpirySource,
  StoredClient,
} from './types';

/** Fields every record has at rest (T1, T6). */
interface RecordBase {
  v: 1;
  /** The credential set the record belongs to; the client record's set is the current one (T1). */
  setId: string;
  /** Write counter, for people reading the timeline. */
  gen: number;
  /**
   * Unique per write: conditional writes compare it (T6). A counter alone would let a record that
   * was deleted and written again look unchanged to a writer that read the old one.
   */
  rev: string;
  savedAt: number;
  /** The secret fields as JSON, sealed by the SecretBox for this record's slot (T7). */
  sealed: string;
}

export interface AccessRecord extends RecordBase {
  kind: 'access';
  tokenType: string;
  scope?: string;
  expiresAt: number;
  expirySource: AccessExpirySource;
}

export interface RefreshRecord extends RecordBase {
  kind: 'refresh';
  expiresAt: number;
  expirySource: RefreshExpirySource;
  /** Set when the AS answered `invalid_grant`: never redeem it again (T5). */
  rejectedAt?: number;
}

/** The client registration without its secrets (they are in `sealed`). */
export type PublicClient = Omit<StoredClient, 'clientInformation'> & {
  clientInformation: PublicClientInformation;
};

export interface ClientRecord extends RecordBase {
  kind: 'client';
  client: PublicClient;
}

export type CredentialRecord = AccessRecord | RefreshRecord | ClientRecord;
export type RecordOf<K extends RecordKind> = Extract<CredentialRecord, { kind: K }>;

/** The secret part of each record. */
export interface SecretsOf {
  access: { access_token: string; id_token?: string };
  refresh: { refresh_token: string };
  client: { client_secret?: string; registration_access_token?: string };
}

/** What is stored for one key, as read. Records that are not well-formed read as absent. */
export interface Snapshot {
  access?: AccessRecord;
  refresh?: RefreshRecord;
  client?: ClientRecord;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);

const revOf = (v: unknown): string | undefined =>
  isObject(v) && typeof v.rev === 'string' ? v.rev : undefined;

function asRecord<K extends RecordKind>(kind: K, v: unknown): RecordOf<K> | undefined {
  if (!isObject(v) || v.v !== 1 || v.kind !== kind) return undefined;
  if (typeof v.setId !== 'string' || typeof v.rev !== 'string' || typeof v.sealed !== 'string')
    return undefined;
  if (typeof v.gen !== 'number' || typeof v.savedAt !== 'number') return undefined;
  if (kind !== 'client' && typeof v.expiresAt !== 'number') return undefined;
  if (kind === 'client' && !isObject(v.client)) return undefined;
  return v as unknown as RecordOf<K>;
}

function validSecrets<K extends RecordKind>(kind: K, v: unknown): v is SecretsOf[K] {
  if (!isObject(v)) return false;
  if (kind === 'access') return typeof v.access_token === 'string';
  if (kind === 'refresh') return typeof v.refresh_token === 'string';
  return true;
}

/** A record as written, before the store assigns its generation. */
export type RecordDraft<K extends RecordKind> = Omit<RecordOf<K>, 'v' | 'gen' | 'rev' | 'sealed'>;

/** The access record for a token response, its expiry decided by `accessExpiry`. Rules T1, T2. */
export function accessDraft(
  setId: string,
  now: number,
  exp: { expiresAt: number; source: AccessExpirySource },
  tokenType: string,
  scope: string | undefined,
): RecordDraft<'access'> {
  return {
    kind: 'access',
    setId,
    savedAt: now,
    tokenType,
    ...(scope !== undefined ? { scope } : {}),
    expiresAt: exp.expiresAt,
    expirySource: exp.source,
  };
}

/** The refresh record for a token response, its expiry decided by `refreshExpiry`. Rules T1, T2. */
export function refreshDraft(
  setId: string,
  now: number,
  exp: { expiresAt: number; source: RefreshExpirySource },
): RecordDraft<'refresh'> {
  return { kind: 'refresh', setId, savedAt: now, expiresAt: exp.expiresAt, expirySource: exp.source };
}

/** The sealed part of an access record. */
export function accessSecrets(tokens: { access_token: string; id_token?: string }): SecretsOf['access'] {
  return { access_token: tokens.access_token, ...(tokens.id_token ? { id_token: tokens.id_token } : {}) };
}

/**
 * The three records of each key in a KeyValueStore, with sealed secrets and generation-checked
 * writes. It knows nothing of refresh or expiry policy (that is the TokenStore's).
 */
export class CredentialRecords {
  constructor(
    readonly store: KeyValueStore,
    readonly box: SecretBox,
  ) {}

  /** Reads the three records of a key. Rule T1. */
  async read(key: CredentialKey): Promise<Snapshot> {
    const [access, refresh, client] = await Promise.all([
      this.store.get(storageKey(key, 'access')),
      this.store.get(storageKey(key, 'refresh')),
      this.store.get(storageKey(key, 'client')),
    ]);
    const out: Snapshot = {};
    const a = asRecord('access', access);
    const r = asRecord('refresh', refresh);
    const c = asRecord('client', client);
    if (a) out.access = a;
    if (r) out.refresh = r;
    if (c) out.client = c;
    return out;
  }

  /** Decrypts a record's secrets; throws LabError('invalid_input') when they do not open. Rule T7. */
  async open<K extends RecordKind>(key: CredentialKey, record: RecordOf<K>): Promise<SecretsOf[K]> {
    const kind = record.kind as K;
    const json = await this.box.decrypt(record.sealed, storageKey(key, kind));
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (cause) {
      throw new LabError('invalid_input', `Failed to open the stored ${kind} record: it is not JSON.`, {
        cause,
        ruleIds: ['T7'],
      });
    }
    if (!validSecrets(kind, parsed))
      throw new LabError(
        'invalid_input',
        `Failed to open the stored ${kind} record: its secrets are malformed.`,
        {
          ruleIds: ['T7'],
        },
      );
    return parsed;
  }

  /**
   * Writes a record if the slot still holds the revision `expectedRev` (`undefined`: empty), in one
   * atomic store update. A lost race throws LabError('store_conflict') and leaves the winner as it
   * is. `draft` undefined deletes.
   *
   * Rule T6.
   */
  async writeIf<K extends RecordKind>(
    key: CredentialKey,
    kind: K,
    expectedRev: string | undefined,
    draft: RecordDraft<K> | undefined,
    secrets?: SecretsOf[K],
  ): Promise<RecordOf<K> | undefined> {
    const slot = storageKey(key, kind);
    // Seal before the update: the updater must stay synchronous to keep IndexedDB's transaction open.
    const sealed = draft ? await this.box.encrypt(JSON.stringify(secrets ?? {}), slot) : '';
    const rev = globalThis.crypto.randomUUID();
    let lost = false;
    let written: RecordOf<K> | undefined;
    await this.store.update(slot, (old) => {
      if (revOf(old) !== expectedRev) {
        lost = true;
        return old;
      }
      if (!draft) return undefined;
      const gen = (isObject(old) && typeof old.gen === 'number' ? old.gen : 0) + 1;
      written = { ...draft, v: 1, gen, rev, sealed } as unknown as RecordOf<K>;
      return written;
    });
    if (lost)
      throw new LabError(
        'store_conflict',
        `Failed to write the ${kind} record: another writer changed it first.`,
        {
          hint: 'The other write was kept; read the credentials again.',
          ruleIds: ['T6'],
          details: { kind },
        },
      );
    return written;
  }

  /** Every key that has at least one record, with its raw snapshot (for `list`). */
  async all(): Promise<Array<{ key: CredentialKey; snapshot: Snapshot; unreadable: RecordKind[] }>> {
    const byKey = new Map<string, { key: CredentialKey; snapshot: Snapshot; unreadable: RecordKind[] }>();
    for (const [raw, value] of await this.store.entries()) {
      const parsed = parseStorageKey(raw);
      if (!parsed) continue;
      const id = storageKey(parsed.key, 'client');
      const entry = byKey.get(id) ?? { key: parsed.key, snapshot: {}, unreadable: [] };
      byKey.set(id, entry);
      const rec = asRecord(parsed.kind, value);
      if (!rec) entry.unreadable.push(parsed.kind);
      else if (rec.kind === 'access') entry.snapshot.access = rec;
      else if (rec.kind === 'refresh') entry.snapshot.refresh = rec;
      else entry.snapshot.client = rec;
    }
    return [...byKey.values()];
  }
}

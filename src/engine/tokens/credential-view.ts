import { messageOf } from '../errors';
import type {
  AccessRecord,
  ClientRecord,
  CredentialRecords,
  RecordOf,
  RefreshRecord,
  SecretsOf,
  Snapshot,
} from './records';
import type { TokenLog } from './token-log';
import type { CredentialKey, RecordKind, StoredClient, Tokens } from './types';

/** One key's usable credentials: the current set's records, opened. */
export interface CredentialView {
  /** What the store holds, usable or not: conditional writes are based on its revisions (T6). */
  snapshot: Snapshot;
  client?: { record: ClientRecord; client: StoredClient };
  access?: { record: AccessRecord; secrets: SecretsOf['access'] };
  refresh?: { record: RefreshRecord; secrets: SecretsOf['refresh'] };
  /** Present but unusable: of another credential set (T1) or not decryptable (T7). */
  ignored: RecordKind[];
}

/** The full client registration: the public record plus its opened secrets. Rules T1, T7. */
export function fullClient(record: ClientRecord, secrets: SecretsOf['client']): StoredClient {
  return {
    ...record.client,
    clientInformation: {
      ...record.client.clientInformation,
      ...(secrets.client_secret !== undefined ? { client_secret: secrets.client_secret } : {}),
      ...(secrets.registration_access_token !== undefined
        ? { registration_access_token: secrets.registration_access_token }
        : {}),
    },
  };
}

/**
 * Reads a key's records and keeps those of the current credential set, which the client
 * registration defines: without a client nothing can be refreshed or attributed to an AS (REG-6),
 * so tokens without one are ignored too. Records that do not decrypt are ignored, not deleted.
 *
 * Rules T1, T7.
 */
export async function readView(
  records: CredentialRecords,
  log: TokenLog,
  key: CredentialKey,
): Promise<CredentialView> {
  const snapshot = await records.read(key);
  const view: CredentialView = { snapshot, ignored: [] };
  const tryOpen = async <K extends RecordKind>(rec: RecordOf<K>): Promise<SecretsOf[K] | undefined> => {
    try {
      return await records.open<K>(key, rec);
    } catch (e) {
      view.ignored.push(rec.kind);
      log.warn(key, `T7: the stored ${rec.kind} record does not decrypt; ignored (${messageOf(e)})`, ['T7']);
      return undefined;
    }
  };

  const setId = snapshot.client?.setId;
  if (snapshot.client) {
    const secrets = await tryOpen<'client'>(snapshot.client);
    if (secrets) view.client = { record: snapshot.client, client: fullClient(snapshot.client, secrets) };
  }
  for (const rec of [snapshot.access, snapshot.refresh]) {
    if (!rec) continue;
    if (rec.setId !== setId || !view.client) {
      view.ignored.push(rec.kind);
      log.event(key, {
        summary: `T1: ignored the ${rec.kind} record of another credential set`,
        ruleIds: ['T1'],
        data: { recordSet: rec.setId, currentSet: setId ?? null },
      });
      continue;
    }
    if (rec.kind === 'access') {
      const secrets = await tryOpen<'access'>(rec);
      if (secrets) view.access = { record: rec, secrets };
    } else {
      const secrets = await tryOpen<'refresh'>(rec);
      if (secrets) view.refresh = { record: rec, secrets };
    }
  }
  log.secret(
    view.access?.secrets.access_token,
    view.access?.secrets.id_token,
    view.refresh?.secrets.refresh_token,
    view.client?.client.clientInformation.client_secret,
    view.client?.client.clientInformation.registration_access_token,
  );
  return view;
}

/** True when the view holds an access token that has not expired. Rule T3. */
export function accessValid(view: CredentialView, now: number): boolean {
  return !!view.access && view.access.record.expiresAt > now;
}

/** True when the refresh token may be redeemed: present, not expired, not rejected (T2, T5). */
export function refreshUsable(view: CredentialView, now: number): boolean {
  const r = view.refresh?.record;
  return !!r && r.rejectedAt === undefined && r.expiresAt > now && !!view.client;
}

/** What `getTokens` returns for a view with an access token (never the refresh token). Rule T3. */
export function toTokens(view: CredentialView, now: number, source: Tokens['source']): Tokens | undefined {
  if (!view.access) return undefined;
  const { record, secrets } = view.access;
  return {
    access_token: secrets.access_token,
    token_type: record.tokenType,
    expires_at: record.expiresAt,
    expires_in: Math.max(0, Math.floor((record.expiresAt - now) / 1000)),
    ...(record.scope !== undefined ? { scope: record.scope } : {}),
    ...(secrets.id_token !== undefined ? { id_token: secrets.id_token } : {}),
    hasRefreshToken: refreshUsable(view, now),
    source,
  };
}

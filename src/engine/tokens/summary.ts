import { mask } from '../timeline/redact';
import type { CredentialView } from './credential-view';
import type { CredentialKey, CredentialSummary, RecordKind } from './types';

/**
 * A key's credentials as a UI shows them: secrets masked (first 6 characters and a fingerprint),
 * expiry decoded, unusable records named instead of shown.
 *
 * Rules T1, T2, T7.
 */
export function summarize(
  key: CredentialKey,
  view: CredentialView,
  unreadable: RecordKind[],
  now: number,
): CredentialSummary {
  const out: CredentialSummary = { key, ignored: [...new Set([...view.ignored, ...unreadable])] };
  if (view.client) {
    const { record, client } = view.client;
    const secret = client.clientInformation.client_secret;
    out.setId = record.setId;
    out.client = {
      clientId: client.clientInformation.client_id,
      ...(secret ? { clientSecret: mask(secret) } : {}),
      issuer: client.issuer,
      obtainedVia: client.obtainedVia,
      serverUrl: client.serverUrl,
      ...(client.resource !== undefined ? { resource: client.resource } : {}),
      redirectUri: client.redirectUri,
      gen: record.gen,
      savedAt: record.savedAt,
    };
  }
  if (view.access) {
    const { record, secrets } = view.access;
    out.access = {
      token: mask(secrets.access_token),
      tokenType: record.tokenType,
      ...(record.scope !== undefined ? { scope: record.scope } : {}),
      expiresAt: record.expiresAt,
      expirySource: record.expirySource,
      expired: record.expiresAt <= now,
      gen: record.gen,
      savedAt: record.savedAt,
    };
  }
  if (view.refresh) {
    const { record, secrets } = view.refresh;
    out.refresh = {
      token: mask(secrets.refresh_token),
      expiresAt: record.expiresAt,
      expirySource: record.expirySource,
      expired: record.expiresAt <= now,
      rejected: record.rejectedAt !== undefined,
      gen: record.gen,
      savedAt: record.savedAt,
    };
  }
  return out;
}

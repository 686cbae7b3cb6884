import type { CredentialKey } from '../../engine/tokens';

/**
 * What a person can do to one credential set from the tokens panel. The app implements these
 * (on the token store and the mock authorization server); the panel only calls them and shows
 * the outcome, so it never needs write access to the stores itself.
 */
export interface TokenActions {
  /** Marks the stored access token as expired, so the next call refreshes (T2, T3). */
  expireAccess(key: CredentialKey): Promise<void>;
  /** Replaces the stored access token with one no server accepts, so the next call gets a 401. */
  corruptAccess(key: CredentialKey): Promise<void>;
  /** Deletes the stored refresh token, so the next expiry needs a new authorization. */
  deleteRefresh(key: CredentialKey): Promise<void>;
  /** Revokes the grant at the authorization server; the stored tokens stay but stop working. */
  revoke(key: CredentialKey): Promise<void>;
  /** Deletes every stored credential and flow of this browser profile. */
  clearAll(): Promise<void>;
}

/** One line per action for its tooltip: what it simulates. */
export const ACTION_TITLES = {
  expire: 'Simulates time passing: the stored access token counts as expired, so the next call refreshes it.',
  corrupt: 'Simulates a token the server no longer accepts: the next call is answered 401 and must recover.',
  deleteRefresh:
    'Simulates a lost refresh token: when the access token expires, a new authorization is needed.',
  revoke: 'Simulates revocation at the authorization server: stored tokens stay but the server refuses them.',
  clearAll: 'Simulates clearing site data: deletes every stored token, client registration and flow.',
} as const;

/** The authorization server's inspectable state: clients, codes, grants and tokens. */

export type ClientSource = 'preregistered' | 'dcr' | 'cimd';
export type TokenAuthMethod = 'none' | 'client_secret_basic' | 'client_secret_post';

export interface ClientRecord {
  client_id: string;
  client_secret?: string;
  token_endpoint_auth_method: TokenAuthMethod;
  redirect_uris: string[];
  grant_types: string[];
  client_name?: string;
  application_type?: 'web' | 'native';
  scope?: string;
  source: ClientSource;
  issuedAt: number;
}

export interface CodeRecord {
  code: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  scope: string[];
  resource?: string;
  state?: string;
  subject: string;
  expiresAt: number;
  used: boolean;
  /** The grant the code's tokens belong to (set on first exchange, so a reuse can revoke them). */
  grantId?: string;
}

export interface GrantRecord {
  id: string;
  clientId: string;
  subject: string;
  scope: string[];
  resource?: string;
  createdAt: number;
  revoked: boolean;
  revokedReason?: string;
}

export interface TokenRecord {
  token: string;
  kind: 'access' | 'refresh';
  grantId: string;
  clientId: string;
  subject: string;
  scope: string[];
  resource?: string;
  issuer: string;
  issuedAt: number;
  expiresAt: number | null;
  revoked: boolean;
  /** A refresh token that was rotated out: presenting it again is reuse. */
  rotated: boolean;
}

export interface AuthServerState {
  clients: Map<string, ClientRecord>;
  codes: Map<string, CodeRecord>;
  grants: Map<string, GrantRecord>;
  tokens: Map<string, TokenRecord>;
}

export function emptyAuthState(): AuthServerState {
  return { clients: new Map(), codes: new Map(), grants: new Map(), tokens: new Map() };
}

/** Revokes a grant and every token issued under it. */
export function revokeGrant(state: AuthServerState, grantId: string, reason: string): void {
  const grant = state.grants.get(grantId);
  if (grant) {
    grant.revoked = true;
    grant.revokedReason = reason;
  }
  for (const t of state.tokens.values()) if (t.grantId === grantId) t.revoked = true;
}

/**
 * Types of the token store (spec/behaviour.md T1–T8). Shapes follow the OAuth wire names
 * (`access_token`, `expires_in`, …) where they carry protocol data, so a token response from the
 * SDK's auth functions can be handed over as is.
 */

/** SHARED_REFRESH_ABORT: a shared refresh still running after this long is aborted (T4). */
export const SHARED_REFRESH_ABORT_MS = 60_000;
/**
 * After a shared refresh was aborted, its single-flight slot stays taken until the request settles
 * or this grace has passed (same idea as SILENT_REFRESH_ABORT_GRACE, F11): a refresher that ignores
 * the abort must not let a second redemption of the same refresh token start at once.
 */
export const SHARED_REFRESH_ABORT_GRACE_MS = 1_000;
/** TOKEN_DEFAULT_LIFETIME: used when neither expires_at, expires_in nor a JWT exp is known (T2). */
export const TOKEN_DEFAULT_LIFETIME_MS = 365 * 24 * 60 * 60 * 1000;

/**
 * Whose credentials. Tenants with the same user id never share anything (F20), and server names
 * may contain `:` (F21), so every part is encoded separately wherever a key is built.
 */
export interface CredentialKey {
  tenant: string;
  user: string;
  server: string;
}

/** How the client identity was obtained (REG-1, O5). */
export type ClientObtainedVia = 'preregistered' | 'cimd' | 'dcr';

/** RFC 7591 client information without its secrets: what is stored in the clear. */
export interface PublicClientInformation {
  client_id: string;
  client_id_issued_at?: number;
  client_secret_expires_at?: number;
  [field: string]: unknown;
}

/** RFC 7591 client information; `client_secret` and `registration_access_token` are sealed at rest (T7). */
export interface ClientInformation extends PublicClientInformation {
  client_secret?: string;
  registration_access_token?: string;
}

/** RFC 8414 / OIDC authorization server metadata, as discovered. */
export interface AuthorizationServerMetadataLike {
  issuer: string;
  token_endpoint?: string;
  [field: string]: unknown;
}

/** The client registration record (T1): everything a refresh needs besides the refresh token. */
export interface StoredClient {
  clientInformation: ClientInformation;
  /** The AS issuer the registration belongs to (REG-6: credentials are keyed by issuer). */
  issuer: string;
  authorizationServerMetadata?: AuthorizationServerMetadataLike;
  serverUrl: string;
  /** The RFC 8707 resource, byte-for-byte as the PRM gave it (RES-2). */
  resource?: string;
  obtainedVia: ClientObtainedVia;
  redirectUri: string;
}

/** An RFC 6749 §5.1 token response. */
export interface TokenResponse {
  access_token: string;
  token_type?: string;
  expires_in?: number;
  refresh_token?: string;
  refresh_token_expires_in?: number;
  scope?: string;
  id_token?: string;
}

/** Tokens of an interactive grant; `expires_at` (seconds or ms since the epoch) wins over `expires_in` (T2). */
export interface GrantTokens extends TokenResponse {
  expires_at?: number;
}

export interface RefreshRequest {
  refreshToken: string;
  client: StoredClient;
  scope?: string;
  /** Aborted when the shared refresh is abandoned (T4, SHARED_REFRESH_ABORT). */
  signal: AbortSignal;
}

/**
 * Redeems a refresh token at the token endpoint bound at authorization time (O9). It throws errors
 * carrying an OAuth `code` (`invalid_grant`, `invalid_client`, …) and/or an HTTP `status`, or
 * network and timeout errors; the token store classifies them (T5).
 */
export type Refresher = (req: RefreshRequest) => Promise<TokenResponse>;

export interface GetTokensOptions {
  /** Refresh even when the stored access token is not expired (a 401 said it is dead). */
  forceRefresh?: boolean;
  /** Aborts this caller's wait only; a shared refresh carries on for the others (T4). */
  signal?: AbortSignal;
  /** The scope to ask for on refresh; refreshes are single-flight per scope. */
  scope?: string;
  /**
   * With `forceRefresh`: the access token the server refused. When the store already holds a
   * different valid one (another tab or flight refreshed in the meantime), that one is returned
   * and nothing is redeemed (T8). Without it, "in the meantime" means since this call started.
   */
  rejectedAccessToken?: string;
}

/**
 * What `getTokens` hands out. The refresh token is deliberately absent: only the token store may
 * redeem it (T4/T8), so a caller such as the SDK's auth() cannot start a second redemption.
 */
export interface Tokens {
  access_token: string;
  token_type: string;
  /** Milliseconds since the epoch, on the store's clock. */
  expires_at: number;
  /** Whole seconds left, for APIs that want RFC 6749's relative form. */
  expires_in: number;
  scope?: string;
  id_token?: string;
  hasRefreshToken: boolean;
  /** `stored`: read from the store; `refreshed`: redeemed now (or by another tab moments ago). */
  source: 'stored' | 'refreshed';
}

export type RecordKind = 'access' | 'refresh' | 'client';

export type AccessExpirySource = 'expires_at' | 'expires_in' | 'jwt_exp' | 'default';
export type RefreshExpirySource = 'refresh_token_expires_in' | 'default';

/** One key's credentials as a UI may show them: secrets masked, expiry decoded (T7). */
export interface CredentialSummary {
  key: CredentialKey;
  setId?: string;
  client?: {
    clientId: string;
    clientSecret?: string;
    issuer: string;
    obtainedVia: ClientObtainedVia;
    serverUrl: string;
    resource?: string;
    redirectUri: string;
    gen: number;
    savedAt: number;
  };
  access?: {
    token: string;
    tokenType: string;
    scope?: string;
    expiresAt: number;
    expirySource: AccessExpirySource;
    expired: boolean;
    gen: number;
    savedAt: number;
  };
  refresh?: {
    token: string;
    expiresAt: number;
    expirySource: RefreshExpirySource;
    expired: boolean;
    rejected: boolean;
    gen: number;
    savedAt: number;
  };
  /** Records present in the store but not usable: of another credential set, or unreadable (T1, T7). */
  ignored: RecordKind[];
}

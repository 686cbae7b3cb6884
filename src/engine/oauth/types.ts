import type {
  AuthorizationServerMetadata,
  OAuthClientInformationMixed,
  OAuthProtectedResourceMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/client';

/** fetch's shape; the engine passes its instrumented fetch so every OAuth request is on the timeline. */
export type { FetchLike } from '../net/instrumented-fetch';
export type {
  AuthorizationServerMetadata,
  OAuthClientInformationMixed,
  OAuthProtectedResourceMetadata,
  OAuthTokens,
};

/** Authorization spec revisions the engine speaks (mcp-auth-requirements.md). */
export type AuthRevision = '2025-03-26' | '2025-06-18' | '2025-11-25' | '2026-07-28';

/** How the client identifies itself (O5, REG-1). */
export interface ClientIdentityConfig {
  /** A pre-registered client (REG-3): used first when set. */
  preRegistered?: {
    clientId: string;
    clientSecret?: string;
    tokenEndpointAuthMethod?: 'none' | 'client_secret_basic' | 'client_secret_post';
  };
  /** A Client ID Metadata Document URL (REG-2): used when the AS supports CIMD. */
  clientMetadataUrl?: string;
  /** Dynamic registration (REG-4) is the last resort; false forbids it. */
  allowDynamicRegistration?: boolean;
  clientName?: string;
  /** REG-5: `native` for loopback/desktop, `web` for remote browser apps. */
  applicationType?: 'web' | 'native';
  tokenEndpointAuthMethod?: 'none' | 'client_secret_basic' | 'client_secret_post';
}

export interface OAuthConfig {
  /** The MCP server URL (the protected resource). */
  serverUrl: string;
  revision: AuthRevision;
  redirectUri: string;
  client: ClientIdentityConfig;
  /** Scope from configuration, used when neither the challenge nor the PRM names one (O6). */
  scope?: string;
}

/** What a 401/403 `WWW-Authenticate: Bearer …` challenge says (RFC 6750 §3, RFC 9728 §5.1). */
export interface BearerChallenge {
  scheme: string;
  error?: string;
  errorDescription?: string;
  scope?: string;
  resourceMetadataUrl?: string;
  realm?: string;
}

/** The result of discovery: who protects the server and how to reach them (O1–O3). */
export interface Discovery {
  serverUrl: string;
  /** The PRM, absent for 2025-03-26 servers (ASM-1). */
  prm?: OAuthProtectedResourceMetadata;
  /** Where the PRM was found. */
  prmUrl?: string;
  /** The `resource` to send, byte-for-byte as the PRM gives it (RES-2), or the server URL. */
  resource?: string;
  issuer: string;
  metadata: AuthorizationServerMetadata;
}

/** A client registration bound to one authorization server (REG-6). */
export interface ClientBinding {
  issuer: string;
  clientInformation: OAuthClientInformationMixed;
  source: 'preregistered' | 'cimd' | 'dcr';
  redirectUri: string;
}

/** What must survive the redirect: the PKCE verifier with the AS issuer it was made for (AR-2). */
export interface PendingAuthorization {
  authorizationUrl: string;
  state: string;
  codeVerifier: string;
  issuer: string;
  /** Whether the AS advertised `authorization_response_iss_parameter_supported`. */
  issParameterSupported: boolean;
  resource?: string;
  scope?: string;
  redirectUri: string;
  tokenEndpoint: string;
}

/** What the redirect brought back. */
export interface AuthorizationCallback {
  code?: string;
  state?: string;
  iss?: string;
  error?: string;
  error_description?: string;
}

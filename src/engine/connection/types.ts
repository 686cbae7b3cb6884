import type { BearerChallenge, FetchLike } from '../oauth/types';

export type ConnectionState = 'disconnected' | 'connecting' | 'connected' | 'error';

/** How to reach one MCP server (D1). */
export interface ConnectionConfig {
  serverName: string;
  url: string;
  /** `streamable-http` (alias `http`) or the legacy `sse` transport. */
  transport?: 'streamable-http' | 'http' | 'sse';
  /** Sent on every request (D1); never an Authorization header: tokens come from the token source. */
  headers?: Record<string, string>;
  /** `2026-07-28` negotiates the stateless era (server/discover), falling back to initialize. */
  protocolVersion?: string;
  /** A1: MCP Apps are on unless explicitly turned off. */
  appsEnabled?: boolean;
  /**
   * Open the optional server-to-client SSE stream (GET) after initialize. Off by default: it costs
   * a request per connection and the engine needs nothing the server would push on it.
   */
  standaloneStream?: boolean;
  /** Per-request timeout for MCP requests, ms. */
  requestTimeoutMs?: number;
}

/** D2: what `oauthRequired` carries. */
export interface OAuthRequiredEvent {
  serverName: string;
  serverUrl: string;
  userId: string;
  error: unknown;
  status?: number;
  skipSilentRefresh?: boolean;
  /** The parsed `WWW-Authenticate` of the response that caused it (DISC-1). */
  challenge?: BearerChallenge;
}

/** D2: the connection's events. */
export type ConnectionEvents = {
  connectionChange: [ConnectionState];
  oauthRequired: [OAuthRequiredEvent];
  oauthHandled: [];
  oauthFailed: [Error];
  oauthReauthenticationRequired: [OAuthRequiredEvent];
  resourcesChanged: [];
  toolsChanged: [];
};

/** D7: caps on tools/list paging. */
export interface ToolListCaps {
  maxPages?: number;
  maxTools?: number;
  maxBytes?: number;
  maxMs?: number;
}

export type { FetchLike };

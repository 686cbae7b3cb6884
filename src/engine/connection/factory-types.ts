import type { Clock } from '../clock';
import type { FlowStore } from '../flows';
import type { AuthRevision, FetchLike } from '../oauth/types';
import type { Lane } from '../timeline/events';
import type { TimelineRecorder } from '../timeline/recorder';
import type { SecretBox, TokenStore } from '../tokens';
import type { CircuitBreaker } from './circuit-breaker';
import type { FactoryTimings, ServerTimeouts } from './factory-constants';
import type { PlaceholderUser } from './placeholders';

/** A server as a host configures it (the playground's server editor, the CLI's flags). */
export interface McpServerConfig extends ServerTimeouts {
  /** Unique per user; may contain `:` (F21). */
  name: string;
  url: string;
  transport?: 'streamable-http' | 'http' | 'sse';
  headers?: Record<string, string>;
  /** F5: the server is known to need OAuth. */
  requiresOAuth?: boolean;
  /** OAuth settings; their presence also says the server needs OAuth (F5). */
  oauth?: {
    revision?: AuthRevision;
    clientId?: string;
    clientSecret?: string;
    tokenEndpointAuthMethod?: 'none' | 'client_secret_basic' | 'client_secret_post';
    clientMetadataUrl?: string;
    allowDynamicRegistration?: boolean;
    applicationType?: 'web' | 'native';
    scope?: string;
  };
  /** F2: tokens come from an on-behalf-of exchange of the user's own token. */
  obo?: { scopes?: string[] };
  /** Who wrote this config (F3's trust check). */
  author?: string;
  /** F1: leave `{{…}}` untouched. */
  skipPlaceholders?: boolean;
  protocolVersion?: string;
  /** A1 */
  appsEnabled?: boolean;
}

/** F3: exchanges the user's identity for a token for this server (RFC 8693 in real hosts). */
export interface OboResolver {
  resolve(req: {
    tenant: string;
    user: PlaceholderUser;
    server: McpServerConfig;
    scopes: string[];
  }): Promise<string | undefined>;
}

/** Raised by an OBO resolver; `kind` picks the recovery hint (F3). */
export class OboError extends Error {
  constructor(
    message: string,
    readonly kind: 'retryable' | 'exchange_failed' | 'other',
  ) {
    super(message);
  }
}

/** What every factory of one engine shares. */
export interface FactoryDeps {
  clock: Clock;
  recorder: TimelineRecorder;
  fetchFor: (to: Lane, label?: string) => FetchLike;
  flowStore?: FlowStore;
  tokenStore?: TokenStore;
  breaker?: CircuitBreaker;
  timings: FactoryTimings;
  /** Where the authorization server sends the user back. */
  redirectUri: string;
  /** Protects secrets kept in flow metadata (the PKCE verifier) at rest. */
  secretBox?: SecretBox;
  obo?: OboResolver;
  /**
   * The host's way to get a person's consent when no request-scoped `oauthStart` exists (a
   * connection that is already ready meets a 403 and must step up): the playground opens a popup,
   * the CLI prints the URL or authorizes headlessly.
   */
  oauthStart?: FactoryOAuthOptions['oauthStart'];
  /** F3: whether OBO may be used for a config by this author. */
  isTrustedAuthor?: (config: McpServerConfig) => boolean;
}

/** Request-scoped OAuth options (F9 drops them after a successful connect). */
export interface FactoryOAuthOptions {
  /** Called with the authorization URL a person must open (a popup, a printed link, a headless fetch). */
  oauthStart?: (url: string, info: { flowId: string; expiresAt?: number }) => void | Promise<void>;
  oauthEnd?: () => void;
  /** F14: never block on a person (discovery, reinitialize, background reconnects). */
  returnOnOAuth?: boolean;
  signal?: AbortSignal;
}

export interface FactoryIdentity {
  tenant: string;
  user: PlaceholderUser;
}

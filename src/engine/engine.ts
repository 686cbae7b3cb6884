import { type Clock, RealClock } from './clock';
import { completeAuthorization } from './connection/authorization-step';
import { CircuitBreaker } from './connection/circuit-breaker';
import type { Connection } from './connection/connection';
import { ConnectionFactory } from './connection/factory';
import { DEFAULT_TIMINGS, type FactoryTimings } from './connection/factory-constants';
import type {
  FactoryDeps,
  FactoryIdentity,
  FactoryOAuthOptions,
  McpServerConfig,
  OboResolver,
} from './connection/factory-types';
import { bindingOf } from './connection/flow-metadata';
import { FlowStore } from './flows';
import type { ResponseLimits } from './net/body-limit';
import { createInstrumentedFetch } from './net/instrumented-fetch';
import type { StepGate } from './net/step-gate';
import type { UrlPolicy } from './net/url-policy';
import { refreshTokens } from './oauth/refresh';
import { revokeToken } from './oauth/revoke';
import type { AuthorizationCallback, AuthorizationServerMetadata, FetchLike } from './oauth/types';
import { memoryStores } from './store/memory';
import type { EngineStores } from './store/types';
import type { Lane } from './timeline/events';
import { TimelineRecorder } from './timeline/recorder';
import { AesGcmSecretBox, type CredentialKey, type Refresher, type SecretBox, TokenStore } from './tokens';

export interface EngineOptions {
  clock?: Clock;
  stores?: EngineStores;
  recorder?: TimelineRecorder;
  /**
   * How requests leave the engine. Default: the instrumented fetch over `fetch` (global fetch by
   * default), recording every exchange and applying `policy` and `gate`.
   */
  fetchFor?: (to: Lane, label?: string) => FetchLike;
  fetch?: FetchLike;
  /** D8: SSRF protection and allow-lists, checked before any request. */
  policy?: Pick<UrlPolicy, 'check'>;
  /** Step-through: every outgoing request waits for a person. */
  gate?: StepGate;
  /**
   * Largest OAuth and JSON-RPC answers the engine parses, in bytes (defaults 1 MiB and 32 MiB;
   * rules HX2, HX3). Applies to the default `fetchFor`; a host that brings its own sets them there.
   */
  responseLimits?: ResponseLimits;
  redirectUri: string;
  timings?: Partial<FactoryTimings>;
  secretBox?: SecretBox;
  /** BroadcastChannel name for cross-tab flow wake-ups (S7); off when undefined. */
  flowChannel?: string;
  obo?: OboResolver;
  isTrustedAuthor?: (config: McpServerConfig) => boolean;
  pollIntervalMs?: number;
  /** Where authorization URLs go when a request brought no `oauthStart` of its own (step-up on a ready connection). */
  oauthStart?: FactoryOAuthOptions['oauthStart'];
}

/** The assembled engine: stores, recorder and the factory entry points, for one host. */
export interface Engine {
  deps: FactoryDeps;
  clock: Clock;
  recorder: TimelineRecorder;
  flowStore: FlowStore;
  tokenStore: TokenStore;
  /** F1: a connected connection for this user and server, or a typed error. */
  connect(
    server: McpServerConfig,
    identity: FactoryIdentity,
    oauth?: FactoryOAuthOptions,
  ): Promise<Connection>;
  /** The factory behind a connection, for hosts that keep it (the connection manager). */
  factory(server: McpServerConfig, identity: FactoryIdentity, oauth?: FactoryOAuthOptions): ConnectionFactory;
  /** RFC 7009 at the AS for every token stored for this identity (they stay stored here). */
  revoke(key: CredentialKey): Promise<boolean>;
  /** O7, O8, AR-2: the redirect came back; finish the flow it belongs to. */
  completeAuthorization(callback: AuthorizationCallback): ReturnType<typeof completeAuthorization>;
}

/** The token store's refresher: O9 at the token endpoint bound at authorization time. */
export function engineRefresher(
  fetchFor: (to: Lane, label?: string) => FetchLike,
  recorder: TimelineRecorder,
): Refresher {
  return (req) =>
    refreshTokens(
      {
        client: bindingOf(req.client),
        metadata: (req.client.authorizationServerMetadata ?? {
          issuer: req.client.issuer,
        }) as AuthorizationServerMetadata,
        refreshToken: req.refreshToken,
        signal: req.signal,
        ...(req.client.resource ? { resource: req.client.resource } : {}),
        ...(req.scope ? { scope: req.scope } : {}),
      },
      fetchFor,
      recorder,
    );
}

export function createEngine(options: EngineOptions): Engine {
  const clock = options.clock ?? new RealClock();
  const stores = options.stores ?? memoryStores();
  const recorder = options.recorder ?? new TimelineRecorder(clock);
  const fetchFor =
    options.fetchFor ??
    createInstrumentedFetch({
      recorder,
      // The SDK tells CORS failures from others by TypeError; keep that working in the browser.
      fetchCompatibleErrors: true,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.policy ? { policy: options.policy } : {}),
      ...(options.gate ? { gate: options.gate } : {}),
      ...(options.responseLimits ? { responseLimits: options.responseLimits } : {}),
    });
  const timings = { ...DEFAULT_TIMINGS, ...options.timings };
  const secretBox = options.secretBox ?? new AesGcmSecretBox({ settings: stores.settings });
  const flowStore = new FlowStore({
    store: stores.flows,
    clock,
    recorder,
    handlingTimeoutMs: timings.oauthHandlingTimeoutMs,
    ...(options.pollIntervalMs ? { pollIntervalMs: options.pollIntervalMs } : {}),
    ...(options.flowChannel ? { channel: options.flowChannel } : {}),
  });
  const tokenStore = new TokenStore({
    store: stores.tokens,
    box: secretBox,
    clock,
    recorder,
    refresher: engineRefresher(fetchFor, recorder),
  });
  const deps: FactoryDeps = {
    clock,
    recorder,
    fetchFor,
    flowStore,
    tokenStore,
    breaker: new CircuitBreaker(clock),
    timings,
    redirectUri: options.redirectUri,
    secretBox,
    ...(options.obo ? { obo: options.obo } : {}),
    ...(options.isTrustedAuthor ? { isTrustedAuthor: options.isTrustedAuthor } : {}),
    ...(options.oauthStart ? { oauthStart: options.oauthStart } : {}),
  };
  return {
    deps,
    clock,
    recorder,
    flowStore,
    tokenStore,
    connect: (server, identity, oauth) => ConnectionFactory.create(deps, { server, identity }, oauth),
    factory: (server, identity, oauth) => new ConnectionFactory(deps, server, identity, oauth),
    completeAuthorization: (callback) => completeAuthorization(deps, callback),
    revoke: (key) =>
      tokenStore.revokeAtServer(key, async (tokens, client) => {
        const metadata = (client.authorizationServerMetadata ?? {
          issuer: client.issuer,
        }) as AuthorizationServerMetadata;
        const binding = bindingOf(client);
        if (tokens.refreshToken)
          await revokeToken(
            { client: binding, metadata, token: tokens.refreshToken, hint: 'refresh_token' },
            fetchFor,
          );
        if (tokens.accessToken)
          await revokeToken(
            { client: binding, metadata, token: tokens.accessToken, hint: 'access_token' },
            fetchFor,
          );
      }),
  };
}

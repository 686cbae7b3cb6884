import {
  Client,
  InsufficientScopeError,
  SSEClientTransport,
  StreamableHTTPClientTransport,
} from '@modelcontextprotocol/client';
import type { Clock } from '../clock';
import { LabError, messageOf } from '../errors';
import { bearerChallenge } from '../oauth/challenge';
import type { BearerChallenge } from '../oauth/types';
import type { Lane } from '../timeline/events';
import type { TimelineRecorder } from '../timeline/recorder';
import { isAuthError } from './auth-error';
import type { CircuitBreaker } from './circuit-breaker';
import { Emitter } from './emitter';
import { listAllTools, type ToolList } from './tool-paging';
import type {
  ConnectionConfig,
  ConnectionEvents,
  ConnectionState,
  FetchLike,
  OAuthRequiredEvent,
  ToolListCaps,
} from './types';

export const APPS_EXTENSION = 'io.modelcontextprotocol/ui';

/** Whether this runs in a page whose origin differs from `url`'s (where CORS hides response headers). */
function crossOriginPage(url: string): boolean {
  const here = (globalThis as { location?: { origin?: string } }).location?.origin;
  return typeof here === 'string' && here !== 'null' && new URL(url).origin !== here;
}
export const APP_MIME_TYPE = 'text/html;profile=mcp-app';

export interface ConnectionOptions {
  config: ConnectionConfig;
  userId: string;
  clock: Clock;
  fetchFor: (to: Lane, label?: string) => FetchLike;
  recorder?: TimelineRecorder;
  breaker?: CircuitBreaker;
  /** OAUTH_HANDLING_TIMEOUT: how long `oauthRequired` waits for `oauthHandled` / `oauthFailed`. */
  handlingTimeoutMs?: number;
}

interface AuthFailure {
  status: number;
  challenge?: BearerChallenge;
}

/**
 * One MCP client session (rules D1–D7) on the SDK v2 `Client`. Tokens and configured headers go on
 * every request through the connection's own fetch, so new tokens take effect at once (D1). Auth
 * errors become `oauthRequired` events that a factory (or any listener) answers (D3).
 */
export class Connection extends Emitter<ConnectionEvents> {
  #state: ConnectionState = 'disconnected';
  #client?: Client;
  #connecting?: Promise<void>;
  #accessToken?: string;
  #lastAuthFailure?: AuthFailure;
  #lastAcceptedToken?: string;
  /** D6: after a 429 no automatic reconnect happens for this connection. */
  reconnectDisabled = false;
  readonly handlingTimeoutMs: number;

  constructor(readonly options: ConnectionOptions) {
    super();
    this.handlingTimeoutMs = options.handlingTimeoutMs ?? 10 * 60_000;
  }

  get config(): ConnectionConfig {
    return this.options.config;
  }
  get state(): ConnectionState {
    return this.#state;
  }
  get client(): Client | undefined {
    return this.#client;
  }
  get accessToken(): string | undefined {
    return this.#accessToken;
  }
  /** The last access token a server answered with success (2xx). */
  get lastAcceptedToken(): string | undefined {
    return this.#lastAcceptedToken;
  }
  /** The last 401/403 this connection saw, with its parsed challenge. */
  get lastAuthFailure(): AuthFailure | undefined {
    return this.#lastAuthFailure;
  }

  /** D1: new tokens take effect on the next request, without a new connection or factory. */
  setAccessToken(token: string | undefined): void {
    this.#accessToken = token;
    this.options.recorder?.redactor.addSecret(token);
  }

  #setState(state: ConnectionState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.options.recorder?.record({
      lane: 'host',
      kind: 'event',
      summary: `${this.config.serverName}: ${state}`,
      ruleIds: ['D2'],
      data: { event: 'connectionChange', state },
    });
    this.emit('connectionChange', state);
  }

  /** Every MCP request: configured headers, the bearer token, and a note of 401/403/429 answers. */
  readonly #fetch: FetchLike = async (input, init) => {
    if (
      (init?.method ?? 'GET').toUpperCase() === 'GET' &&
      this.config.transport !== 'sse' &&
      !this.config.standaloneStream
    ) {
      // The SDK always tries the optional GET stream after initialize; answering 405 here is what a
      // server without one says, so the SDK carries on without it, and no request is spent.
      return new Response(null, { status: 405, statusText: 'Standalone stream not opened (engine option)' });
    }
    const headers = new Headers(init?.headers);
    for (const [k, v] of Object.entries(this.config.headers ?? {}))
      if (k.toLowerCase() !== 'authorization') headers.set(k, v);
    if (this.#accessToken) headers.set('authorization', `Bearer ${this.#accessToken}`);
    const res = await this.options.fetchFor('mcp')(input, { ...init, headers });
    if (res.status === 401 || res.status === 403) {
      let challenge: BearerChallenge | undefined;
      try {
        challenge = bearerChallenge(res.headers.get('www-authenticate'));
      } catch {
        challenge = undefined;
      }
      this.#lastAuthFailure = { status: res.status, ...(challenge ? { challenge } : {}) };
      if (!res.headers.has('www-authenticate') && crossOriginPage(this.config.url))
        this.options.recorder?.record({
          lane: 'host',
          kind: 'decision',
          level: 'warn',
          summary: `HTTP ${res.status} without a readable WWW-Authenticate: if ${new URL(this.config.url).origin} sends one, it must also send Access-Control-Expose-Headers: WWW-Authenticate, or this page cannot see where to authorize`,
          ruleIds: ['DISC-1'],
        });
    }
    if (res.status === 429) this.reconnectDisabled = true;
    if (res.ok && this.#accessToken) this.#lastAcceptedToken = this.#accessToken;
    return res;
  };

  #newClient(): { client: Client; transport: StreamableHTTPClientTransport | SSEClientTransport } {
    const apps = this.config.appsEnabled !== false;
    const client = new Client(
      { name: 'mcp-lab', title: 'MCP Lab', version: '0.1.0' },
      {
        // A1: the MCP Apps extension is advertised only while apps are on.
        capabilities: apps ? { extensions: { [APPS_EXTENSION]: { mimeTypes: [APP_MIME_TYPE] } } } : {},
        ...(this.config.protocolVersion === '2026-07-28'
          ? { versionNegotiation: { mode: 'auto' as const } }
          : {}),
      },
    );
    client.setNotificationHandler?.('notifications/tools/list_changed', () => {
      this.emit('toolsChanged');
    });
    client.setNotificationHandler?.('notifications/resources/list_changed', () => {
      this.emit('resourcesChanged');
    });
    const url = new URL(this.config.url);
    const transport =
      this.config.transport === 'sse'
        ? new SSEClientTransport(url, { fetch: this.#fetch })
        : new StreamableHTTPClientTransport(url, { fetch: this.#fetch });
    return { client, transport };
  }

  /** D4: concurrent connects share one promise; connecting a connected connection is a no-op. */
  connect(signal?: AbortSignal): Promise<void> {
    if (this.#state === 'connected' && this.#client) return Promise.resolve();
    this.#connecting ??= this.#connectWithAuth(signal).finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  async #connectOnce(signal?: AbortSignal): Promise<void> {
    const { client, transport } = this.#newClient();
    this.#lastAuthFailure = undefined;
    try {
      await client.connect(transport, {
        ...(signal ? { signal } : {}),
        ...(this.config.requestTimeoutMs ? { timeout: this.config.requestTimeoutMs } : {}),
      });
    } catch (e) {
      await client.close().catch(() => {});
      throw this.#describe(e);
    }
    this.#client = client;
  }

  /** D3: an auth error during connect asks for OAuth once, then retries with the new token. */
  async #connectWithAuth(signal?: AbortSignal): Promise<void> {
    this.#setState('connecting');
    try {
      this.options.breaker?.begin(this.config.url);
      try {
        await this.#connectOnce(signal);
      } catch (e) {
        if (!isAuthError(e)) throw e;
        await this.requestOAuth(e);
        await this.#connectOnce(signal);
      }
      this.options.breaker?.succeeded(this.config.url);
      this.#setState('connected');
    } catch (e) {
      this.#setState('error');
      throw e;
    }
  }

  /**
   * D3: emits `oauthRequired` and waits up to OAUTH_HANDLING_TIMEOUT for `oauthHandled`
   * (resolves) or `oauthFailed` / the timeout (rejects with the original error).
   */
  requestOAuth(error: unknown, extra: Partial<OAuthRequiredEvent> = {}): Promise<void> {
    const failure = this.#lastAuthFailure;
    const event: OAuthRequiredEvent = {
      serverName: this.config.serverName,
      serverUrl: this.config.url,
      userId: this.options.userId,
      error,
      ...(failure ? { status: failure.status } : {}),
      ...(failure?.challenge ? { challenge: failure.challenge } : {}),
      ...extra,
    };
    if (this.listenerCount('oauthRequired') === 0)
      return Promise.reject(
        new LabError(
          'oauth_required',
          `Failed to connect to ${this.config.serverName}: it needs OAuth but no handler is registered.`,
          { cause: error, ruleIds: ['D3', 'F5'] },
        ),
      );
    return new Promise<void>((resolve, reject) => {
      const cleanup = () => {
        offHandled();
        offFailed();
        cancel();
      };
      const offHandled = this.once('oauthHandled', () => {
        cleanup();
        resolve();
      });
      const offFailed = this.once('oauthFailed', (why) => {
        cleanup();
        this.options.recorder?.record({
          lane: 'host',
          kind: 'event',
          level: 'warn',
          summary: `OAuth failed: ${why.message}`,
          ruleIds: ['D3'],
        });
        reject(error instanceof Error ? error : new Error(String(error)));
      });
      const cancel = this.options.clock.schedule(() => {
        cleanup();
        reject(
          new LabError(
            'timeout',
            `Failed to connect to ${this.config.serverName}: OAuth was not completed within ${Math.round(this.handlingTimeoutMs / 1000)} s.`,
            { cause: error, ruleIds: ['D3'] },
          ),
        );
      }, this.handlingTimeoutMs);
      this.options.recorder?.record({
        lane: 'host',
        kind: 'event',
        summary: `oauthRequired (${event.status ?? 'auth error'}${event.skipSilentRefresh ? ', skip silent refresh' : ''})`,
        ruleIds: ['D2', 'D3'],
        data: {
          event: 'oauthRequired',
          status: event.status,
          skipSilentRefresh: event.skipSilentRefresh ?? false,
          challenge: event.challenge,
        },
      });
      this.emit('oauthRequired', event);
    });
  }

  /** Turns an SDK failure into a typed error with the HTTP status and the server's challenge. */
  #describe(e: unknown): Error {
    if (e instanceof LabError) return e;
    // SDK v2 turns a 403 insufficient_scope into InsufficientScopeError when it has no auth provider.
    const status =
      (e as { status?: unknown }).status ??
      // (By brand, not by name: class names do not survive minification.)
      (InsufficientScopeError.isInstance(e) ? (this.#lastAuthFailure?.status ?? 403) : undefined);
    if (status === 429)
      return new LabError(
        'rate_limited',
        `${this.config.serverName} asked to slow down (HTTP 429); automatic reconnects stop for this connection.`,
        { cause: e, status: 429, ruleIds: ['D6'] },
      );
    if (typeof status === 'number')
      return new LabError('http', `${this.config.serverName} answered HTTP ${status}: ${messageOf(e)}`, {
        cause: e,
        status,
        ...(this.#lastAuthFailure?.challenge
          ? { details: { challenge: this.#lastAuthFailure.challenge } }
          : {}),
      });
    return e instanceof Error ? e : new Error(String(e));
  }

  /**
   * Runs one request on the connected client. A 401/403 emits `oauthRequired` (the factory refreshes
   * or re-authenticates) and the request is retried once with the new token.
   */
  async run<T>(what: string, op: (client: Client) => Promise<T>): Promise<T> {
    await this.connect();
    const client = this.#client;
    if (!client) throw new LabError('protocol', `Failed to ${what}: not connected.`);
    // Up to two recoveries: a silent refresh, then (if the refreshed token is refused too) a
    // re-authentication that the factory decides on (F13).
    for (let recoveries = 0; ; recoveries++) {
      try {
        return await op(client);
      } catch (raw) {
        const e = this.#describe(raw);
        // A 403 asks for consent once per call; a 401 may need a refresh and then a re-authentication.
        const limit = (e as { status?: unknown }).status === 403 ? 1 : 2;
        if (!isAuthError(e) || recoveries >= limit) throw e;
        await this.requestOAuth(e);
      }
    }
  }

  /** D7: every tool, paging with caps. */
  listTools(caps?: ToolListCaps): Promise<ToolList> {
    return this.run('list tools', (client) =>
      listAllTools(
        async (cursor) => {
          // One page per request: the SDK's listTools() without a cursor would page on its own, uncapped.
          const page = await client.request({ method: 'tools/list', params: cursor ? { cursor } : {} });
          return page as { tools: Array<{ name: string }>; nextCursor?: string };
        },
        this.options.clock,
        caps,
      ),
    );
  }

  callTool(name: string, args: Record<string, unknown> = {}, signal?: AbortSignal) {
    return this.run(`call ${name}`, (client) =>
      client.callTool({ name, arguments: args }, signal ? { signal } : undefined),
    );
  }

  async close(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    await client?.close().catch(() => {});
    this.#setState('disconnected');
  }
}

import { isLabError, LabError, labCause, messageOf } from '../errors';
import { OAuthHandler } from '../oauth/handler';
import { REVISIONS } from '../oauth/revisions';
import { initialScope, scopeUnion } from '../oauth/scope';
import type { BearerChallenge } from '../oauth/types';
import type { CredentialKey } from '../tokens';
import { isAuthError, needsConsent } from './auth-error';
import { coalesce, raceAbort } from './coalesce';
import { Connection } from './connection';
import { connectDeadlineMs, silentRefreshTimeoutMs } from './factory-constants';
import type { FactoryDeps, FactoryIdentity, FactoryOAuthOptions, McpServerConfig } from './factory-types';
import { bindingOf, type OAuthFlowMetadata, sealFlow, storedClientOf } from './flow-metadata';
import { OAUTH_FLOW, oauthFlowId, refreshKey, tokenLoadFlowId } from './ids';
import { resolveConfig } from './placeholders';
import { fixTokenLoadFlow, loadStoredTokens, oboToken } from './token-source';
import type { OAuthRequiredEvent } from './types';

const MAX_STEP_UPS = 3;

/**
 * Marks the factory's decisions that open and close a silent refresh (`data.authPhase`), so a host
 * can show "refreshing" on the action that is waiting for it.
 */
export type AuthPhase = 'refreshing' | 'refreshed';

/**
 * Builds one connection for one user to one server, with OAuth, silent refresh and
 * re-authentication (spec/behaviour.md, rules F1–F18, F20, F21). `ConnectionFactory.create` is the
 * entry; the instance stays attached to the connection so a later 401 can still recover (F9).
 */
export class ConnectionFactory {
  readonly server: McpServerConfig;
  readonly connection: Connection;
  readonly handler: OAuthHandler;
  /** F20: captured when the factory is built; every later callback uses this, never ambient state. */
  readonly identity: FactoryIdentity;
  ready = false;
  #oauth: FactoryOAuthOptions | undefined;
  readonly #usesOAuth: boolean;
  readonly #discovery: boolean;
  readonly #stepUps = new Map<string, number>();
  #grantedScope: string | undefined;
  #offListeners: Array<() => void> = [];
  /** The access token the last silent refresh produced (a 401 for it means refreshing cannot help). */
  #refreshedToken: string | undefined;
  /** When that token expires by its own lifetime: refused after that, it simply expired (a slow client). */
  #refreshedExpiresAt = 0;
  /** Why the last OAuth attempt failed, so a failed connect can say so (the connection rethrows the 401, D3). */
  #oauthFailure: Error | undefined;

  /** F1: resolves placeholders, builds the factory and returns a connected connection, or throws. */
  static async create(
    deps: FactoryDeps,
    basic: { server: McpServerConfig; identity: FactoryIdentity },
    oauth?: FactoryOAuthOptions,
  ): Promise<Connection> {
    const factory = new ConnectionFactory(deps, basic.server, basic.identity, oauth);
    return factory.connect();
  }

  constructor(
    readonly deps: FactoryDeps,
    server: McpServerConfig,
    identity: FactoryIdentity,
    oauth?: FactoryOAuthOptions,
    options: { discovery?: boolean } = {},
  ) {
    this.server = resolveConfig(server, identity.user, server.skipPlaceholders);
    this.identity = { tenant: identity.tenant, user: { ...identity.user } };
    this.#oauth = oauth;
    this.#usesOAuth = oauth !== undefined;
    this.#discovery = options.discovery ?? false;
    const o = this.server.oauth ?? {};
    this.handler = new OAuthHandler(
      {
        serverUrl: this.server.url,
        revision: o.revision ?? '2025-11-25',
        redirectUri: deps.redirectUri,
        ...(o.scope ? { scope: o.scope } : {}),
        client: {
          ...(o.clientId
            ? {
                preRegistered: {
                  clientId: o.clientId,
                  ...(o.clientSecret ? { clientSecret: o.clientSecret } : {}),
                  ...(o.tokenEndpointAuthMethod
                    ? { tokenEndpointAuthMethod: o.tokenEndpointAuthMethod }
                    : {}),
                },
              }
            : {}),
          ...(o.clientMetadataUrl ? { clientMetadataUrl: o.clientMetadataUrl } : {}),
          ...(o.allowDynamicRegistration !== undefined
            ? { allowDynamicRegistration: o.allowDynamicRegistration }
            : {}),
          ...(o.applicationType ? { applicationType: o.applicationType } : {}),
        },
      },
      deps.fetchFor,
      deps.recorder,
    );
    this.connection = new Connection({
      config: {
        serverName: this.server.name,
        url: this.server.url,
        ...(this.server.transport ? { transport: this.server.transport } : {}),
        ...(this.server.headers ? { headers: this.server.headers } : {}),
        ...(this.server.protocolVersion ? { protocolVersion: this.server.protocolVersion } : {}),
        ...(this.server.appsEnabled !== undefined ? { appsEnabled: this.server.appsEnabled } : {}),
      },
      userId: this.identity.user.id,
      clock: deps.clock,
      fetchFor: deps.fetchFor,
      recorder: deps.recorder,
      handlingTimeoutMs: deps.timings.oauthHandlingTimeoutMs,
      ...(deps.breaker ? { breaker: deps.breaker } : {}),
    });
  }

  get key(): CredentialKey {
    return { tenant: this.identity.tenant, user: this.identity.user.id, server: this.server.name };
  }
  get flowId(): string {
    return oauthFlowId({ tenant: this.identity.tenant, userId: this.identity.user.id }, this.server.name);
  }
  get tokenFlowId(): string {
    return tokenLoadFlowId({ tenant: this.identity.tenant, userId: this.identity.user.id }, this.server.name);
  }
  /** The OAuth binding: flows and refreshes are shared only within it (F11, F14). */
  get binding(): string {
    const o = this.server.oauth ?? {};
    return [this.server.url, o.revision ?? '', o.clientId ?? o.clientMetadataUrl ?? 'auto'].join('|');
  }
  /** Whether the server is known to need OAuth before anything is sent (F5). */
  get knownOAuth(): boolean {
    return this.server.requiresOAuth === true || this.server.oauth !== undefined;
  }

  #decide(summary: string, ruleIds: string[], level?: 'warn', authPhase?: AuthPhase): void {
    this.deps.recorder.record({
      lane: 'factory',
      kind: 'decision',
      summary,
      ruleIds,
      who: { tenant: this.identity.tenant, user: this.identity.user.id, server: this.server.name },
      ...(level ? { level } : {}),
      ...(authPhase ? { data: { authPhase } } : {}),
    });
  }

  /** F2: where the connection's token comes from: OBO, the token store (F18), or nowhere. */
  async #initialToken(): Promise<boolean> {
    const obo = await oboToken(this.deps, this.server, this.identity);
    if (obo) {
      this.connection.setAccessToken(obo);
      return true;
    }
    if (!this.#usesOAuth) return false;
    const tokens = await loadStoredTokens(this.deps, this.key, this.tokenFlowId);
    if (!tokens) return false;
    this.connection.setAccessToken(tokens.access_token);
    this.#grantedScope = tokens.scope;
    this.#decide(`Using stored tokens (${tokens.source}, expire in ${Math.round(tokens.expires_in)} s)`, [
      'F2',
      'F18',
      'T3',
    ]);
    return true;
  }

  /** F5–F9: token source, proactive OAuth, connect under a deadline with retries. */
  async connect(): Promise<Connection> {
    const conn = this.connection;
    this.#offListeners.push(conn.on('oauthRequired', (event) => void this.#onOAuthRequired(event)));
    this.#offListeners.push(
      conn.on('oauthFailed', (why) => {
        this.#oauthFailure = why;
      }),
    );
    try {
      const haveToken = await this.#initialToken();
      if (this.#usesOAuth && !haveToken && this.knownOAuth && !this.#discovery) {
        if (!this.server.url)
          throw new LabError('invalid_input', `Failed to connect "${this.server.name}": it has no URL.`, {
            ruleIds: ['F5'],
          });
        this.#decide(
          'No stored tokens for a server known to need OAuth: starting OAuth before the first request',
          ['F5'],
        );
        await conn.requestOAuth(new LabError('oauth_required', `"${this.server.name}" needs OAuth.`), {
          skipSilentRefresh: true,
        });
      }
      await this.#connectWithRetries();
      // F9: ready; request-scoped state goes, the oauthRequired listener stays.
      this.ready = true;
      this.#oauth = undefined;
      return conn;
    } catch (e) {
      for (const off of this.#offListeners.splice(0)) off();
      const why = this.#oauthFailure;
      if (why && why !== e && (isAuthError(e) || isLabError(e, 'oauth_required')))
        throw new LabError('oauth_failed', `Failed to connect to "${this.server.name}": ${why.message}`, {
          cause: e,
          ruleIds: ['F16'],
          ...(typeof (e as { status?: unknown }).status === 'number'
            ? { status: (e as { status: number }).status }
            : {}),
        });
      throw e;
    }
  }

  /** F6, F7: CONNECT_TIMEOUT (at least the OAuth window + 60 s for OAuth), 3 attempts, 2 s × attempt backoff. */
  async #connectWithRetries(): Promise<void> {
    const { clock, timings } = this.deps;
    const deadlineMs = connectDeadlineMs(this.server, this.#usesOAuth, timings);
    const deadline = new AbortController();
    const cancel = clock.schedule(
      () =>
        deadline.abort(
          new LabError(
            'timeout',
            `Failed to connect to "${this.server.name}" within ${Math.round(deadlineMs / 1000)} s.`,
            { ruleIds: ['F6'] },
          ),
        ),
      deadlineMs,
    );
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await raceAbort(this.connection.connect(this.#oauth?.signal), deadline.signal);
          return;
        } catch (e) {
          if (deadline.signal.aborted) throw deadline.signal.reason;
          const stop =
            // F7 for OAuth connections; discovery's bare listing must fail fast too (F19).
            ((this.#usesOAuth || this.#discovery) && isAuthError(e)) ||
            isLabError(e, 'circuit_open') ||
            isLabError(e, 'rate_limited') ||
            isLabError(e, 'oauth_required') ||
            // Refusals that no retry can change.
            labCause(e, 'url_refused') !== undefined ||
            labCause(e, 'invalid_input') !== undefined ||
            // An answer past its size limit (HX2, HX3) would only be downloaded again.
            labCause(e, 'too_large') !== undefined ||
            attempt >= timings.connectAttempts;
          if (stop) throw e;
          const wait = timings.connectBackoffMs * attempt;
          this.#decide(`Connect attempt ${attempt} failed (${messageOf(e)}); retrying in ${wait / 1000} s`, [
            'F7',
          ]);
          await clock.sleep(wait, deadline.signal).catch(() => {
            throw deadline.signal.reason;
          });
        }
      }
    } finally {
      cancel();
    }
  }

  async #onOAuthRequired(event: OAuthRequiredEvent): Promise<void> {
    const conn = this.connection;
    try {
      // F4: a server without OAuth options fails fast, so nothing waits.
      if (!this.#usesOAuth) {
        this.#decide('401/403 from a connection without OAuth options: failing at once', ['F4']);
        conn.emit('oauthFailed', new Error('Server does not use OAuth'));
        return;
      }
      // F10: silent refresh first, unless the event or a 403 / insufficient_scope says consent is needed.
      const consent = needsConsent(event);
      // The token a silent refresh just produced was refused before it ever worked: another refresh cannot help
      // (the server may now trust another authorization server). Treat it as a failed refresh (F13).
      const refusedAgain =
        this.#refreshedToken !== undefined &&
        conn.accessToken === this.#refreshedToken &&
        conn.lastAcceptedToken !== this.#refreshedToken &&
        this.deps.clock.now() < this.#refreshedExpiresAt;
      if (refusedAgain) {
        this.#refreshedToken = undefined;
        this.#decide(
          'The freshly refreshed token was refused as well: refresh cannot help, re-authentication follows',
          ['F13'],
        );
        await this.#afterRefreshFailure(event);
        if (this.ready) return;
      } else if (!event.skipSilentRefresh && !consent) {
        if (await this.#silentRefresh()) return;
        await this.#afterRefreshFailure(event);
        if (this.ready) return;
      } else if (consent)
        this.#decide('403 / insufficient_scope needs new consent, not a new token: skipping silent refresh', [
          'F10',
          'SCP-3',
        ]);
      await this.#interactive(event);
    } catch (e) {
      this.#decide(`OAuth handling failed: ${messageOf(e)}`, ['F16'], 'warn');
      conn.emit('oauthFailed', e instanceof Error ? e : new Error(String(e)));
    }
  }

  /** F11, F12: one coalesced refresh; success sets the token and fixes the token-load flow. */
  async #silentRefresh(): Promise<boolean> {
    const { tokenStore, clock, timings } = this.deps;
    if (!tokenStore) return false;
    const key = refreshKey(
      { tenant: this.identity.tenant, userId: this.identity.user.id },
      this.server.name,
      this.binding,
    );
    const { promise, joined } = coalesce(
      this.deps,
      key,
      clock,
      silentRefreshTimeoutMs(this.server),
      timings.silentRefreshAbortGraceMs,
      // T8: name the token the server refused, so a token another tab (or flight) stored meanwhile
      // is used instead of redeeming the refresh token a second time.
      (signal) => {
        const rejected = this.connection.accessToken;
        return tokenStore.getTokens(this.key, {
          forceRefresh: true,
          signal,
          ...(rejected !== undefined ? { rejectedAccessToken: rejected } : {}),
        });
      },
    );
    this.#decide(
      joined
        ? 'Joining the silent refresh already in flight'
        : 'Trying a silent refresh with the stored refresh token',
      ['F10', 'F11'],
      undefined,
      'refreshing',
    );
    let tokens: Awaited<typeof promise>;
    try {
      tokens = await promise;
    } catch (e) {
      if (isLabError(e, 'reauth_required'))
        this.#decide(
          'No usable refresh token: a person must authorize',
          ['F10', 'F13'],
          undefined,
          'refreshed',
        );
      else this.#decide(`Silent refresh failed: ${messageOf(e)}`, ['F11', 'F13'], 'warn', 'refreshed');
      return false;
    }
    if (!tokens) return false;
    this.connection.setAccessToken(tokens.access_token);
    this.#refreshedToken = tokens.access_token;
    this.#refreshedExpiresAt = tokens.expires_at;
    this.#grantedScope = tokens.scope ?? this.#grantedScope;
    await fixTokenLoadFlow(this.deps, this.tokenFlowId, tokens.expires_at);
    this.#decide(
      'Silent refresh succeeded: new token set on the connection',
      ['F12'],
      undefined,
      'refreshed',
    );
    this.connection.emit('oauthHandled');
    return true;
  }

  /** F13: the recent-completion shortcut must not re-serve rejected tokens; a ready connection hands over to its current request. */
  async #afterRefreshFailure(event: OAuthRequiredEvent): Promise<void> {
    const { flowStore } = this.deps;
    const flow = await flowStore?.getFlow(this.flowId, OAUTH_FLOW);
    if (flow?.status === 'COMPLETED' && flow.tenant === this.identity.tenant) {
      await flowStore?.deleteFlow(this.flowId, OAUTH_FLOW);
      const state = (flow.metadata as Partial<OAuthFlowMetadata> | undefined)?.state;
      if (state) await flowStore?.deleteStateMapping(state);
      this.#decide('Deleted the COMPLETED OAuth flow so its tokens are not served again', ['F13']);
    }
    if (!this.ready) return;
    const handed = this.connection.emit('oauthReauthenticationRequired', {
      ...event,
      skipSilentRefresh: true,
    });
    this.#decide(
      handed
        ? 'Re-authentication required: handed to the current request'
        : 'Re-authentication required and nobody listens: failing',
      ['F13'],
    );
    if (!handed) this.connection.emit('oauthFailed', new Error('OAuth reauthentication required'));
  }

  /**
   * F13's hand-over: a host (the connection manager) answers `oauthReauthenticationRequired` by
   * calling this, which runs the interactive flow through the host's `oauthStart`.
   */
  async reauthenticate(event: OAuthRequiredEvent): Promise<void> {
    try {
      await this.#interactive({ ...event, skipSilentRefresh: true });
    } catch (e) {
      this.connection.emit('oauthFailed', e instanceof Error ? e : new Error(String(e)));
    }
  }

  /** O6: the scope of a new authorization, and the step-up limit (SCP-4, SCP-5). */
  #scopeFor(challenge: BearerChallenge | undefined, consent: boolean): string | undefined {
    if (consent && challenge?.scope) {
      const op = challenge.scope;
      const n = (this.#stepUps.get(op) ?? 0) + 1;
      if (n > MAX_STEP_UPS) {
        this.#decide(
          `Step-up limit reached for "${op}": not asking the person again`,
          ['O6', 'SCP-5'],
          'warn',
        );
        throw new LabError(
          'oauth_failed',
          `Failed to get scope "${op}" for "${this.server.name}": ${MAX_STEP_UPS} step-up attempts already made.`,
          { ruleIds: ['O6', 'SCP-5'] },
        );
      }
      this.#stepUps.set(op, n);
      const union = REVISIONS[this.handler.config.revision].scopeUnion;
      const scope = union ? scopeUnion(this.#grantedScope, challenge.scope) : challenge.scope;
      this.#decide(`Step-up ${n}/${MAX_STEP_UPS}: asking for ${scope}`, [
        'O6',
        'SCP-3',
        ...(union ? ['SCP-4'] : []),
      ]);
      return scope;
    }
    return challenge?.scope ?? this.handler.config.scope;
  }

  /** F14 (return early) or F15 (blocking). */
  async #interactive(event: OAuthRequiredEvent): Promise<void> {
    const { flowStore } = this.deps;
    if (!flowStore || !this.server.url) {
      this.#decide('Interactive OAuth needs a flow store and a server URL: giving up', ['F15'], 'warn');
      this.connection.emit('oauthFailed', new Error('OAuth authentication failed'));
      return;
    }
    const now = this.deps.clock.now();
    const stale = this.deps.timings.pendingStaleMs;
    const existing = await flowStore.getFlow(this.flowId, OAUTH_FLOW);
    const meta = existing?.metadata as Partial<OAuthFlowMetadata> | undefined;
    const freshPending =
      existing?.status === 'PENDING' && meta?.binding === this.binding && now - existing.createdAt < stale;
    const returnEarly = this.#oauth?.returnOnOAuth === true;

    if (freshPending && existing && meta?.authorizationUrl) {
      const expiresAt = existing.createdAt + stale;
      if (expiresAt <= this.deps.clock.now()) {
        this.connection.emit('oauthFailed', new Error('Pending OAuth flow expired before replay'));
        return;
      }
      this.#decide('A recent PENDING flow exists: re-issuing its authorization URL', [
        returnEarly ? 'F14' : 'F15',
      ]);
      await this.#start(meta.authorizationUrl, { flowId: this.flowId, expiresAt });
      if (returnEarly) {
        this.connection.emit('oauthFailed', new Error('Pending OAuth flow reused - return early'));
        return;
      }
      await this.#waitAndApply();
      return;
    }
    // A recent completion is reused, except when the server asked for more scope: its tokens lack it.
    if (
      !returnEarly &&
      !needsConsent(event) &&
      existing?.status === 'COMPLETED' &&
      existing.completedAt !== undefined &&
      now - existing.completedAt < stale
    ) {
      const tokens = await this.deps.tokenStore?.getTokens(this.key).catch(() => undefined);
      if (tokens && tokens.expires_at > now) {
        this.#decide('A flow COMPLETED moments ago: reusing its tokens', ['F15']);
        this.#apply(tokens.access_token, tokens.scope, tokens.expires_at);
        return;
      }
    }

    let url: string;
    try {
      url = await this.#startNewFlow(event);
    } catch (e) {
      if (returnEarly) {
        this.#decide(`OAuth initiation failed: ${messageOf(e)}`, ['F14'], 'warn');
        this.connection.emit('oauthFailed', new Error('OAuth initiation failed'));
        return;
      }
      throw e;
    }
    if (returnEarly) {
      // Watch in the background: when someone completes it, the tokens land on this connection.
      void flowStore.watch(this.flowId, OAUTH_FLOW).then(
        () => this.#applyFromStore(),
        () => {},
      );
      await this.#start(url, { flowId: this.flowId });
      this.connection.emit('oauthFailed', new Error('OAuth flow initiated - return early'));
      return;
    }
    await this.#start(url, { flowId: this.flowId });
    try {
      await this.#waitAndApply();
    } finally {
      this.#oauth?.oauthEnd?.();
    }
  }

  /** Hands the authorization URL to the request's `oauthStart`, else the host's (a ready connection stepping up). */
  async #start(url: string, info: { flowId: string; expiresAt?: number }): Promise<void> {
    const start = this.#oauth?.oauthStart ?? this.deps.oauthStart;
    if (!start)
      this.#decide(
        'No oauthStart to open the authorization URL: waiting for the callback to arrive another way',
        ['F15'],
      );
    await start?.(url, info);
  }

  /** F14 order: delete the old flow and mapping, discover, pick the client, write PENDING and state before any redirect. */
  async #startNewFlow(event: OAuthRequiredEvent): Promise<string> {
    const { flowStore, tokenStore } = this.deps;
    if (!flowStore) throw new LabError('invalid_input', 'No flow store.');
    const old = await flowStore.getFlow(this.flowId, OAUTH_FLOW);
    if (old) {
      await flowStore.deleteFlow(this.flowId, OAUTH_FLOW);
      const oldState = (old.metadata as Partial<OAuthFlowMetadata> | undefined)?.state;
      if (oldState) await flowStore.deleteStateMapping(oldState);
    }
    const discovery = await this.handler.discover(event.challenge);
    const stored = await tokenStore?.getClient(this.key);
    const storedBinding = stored && stored.serverUrl === this.server.url ? bindingOf(stored) : undefined;
    const client = await this.handler.resolveClient(discovery, storedBinding);
    const clientReused = client === storedBinding;
    if (!clientReused) await tokenStore?.saveClient(this.key, storedClientOf(client, discovery));
    const consent = needsConsent(event);
    const scope = consent
      ? this.#scopeFor(event.challenge, true)
      : initialScope(event.challenge?.scope, discovery.prm, this.handler.config.scope);
    const pending = await this.handler.begin(discovery, client, scope);
    const meta = await sealFlow(
      this.deps.secretBox,
      {
        authorizationUrl: pending.authorizationUrl,
        state: pending.state,
        serverName: this.server.name,
        serverUrl: this.server.url,
        tenant: this.identity.tenant,
        userId: this.identity.user.id,
        binding: this.binding,
        revision: this.handler.config.revision,
        discovery,
        clientReused,
      },
      client,
      pending,
    );
    await flowStore.initFlow(
      this.flowId,
      OAUTH_FLOW,
      meta as unknown as Record<string, unknown>,
      this.identity.tenant,
    );
    await flowStore.setStateMapping(pending.state, this.flowId);
    this.#decide(`New OAuth flow: PENDING with its authorization URL and state, before any redirect`, [
      'F14',
      'S3',
      'O7',
    ]);
    return pending.authorizationUrl;
  }

  /** F15/F16: waits for the flow, then applies the stored tokens. */
  async #waitAndApply(): Promise<void> {
    const flowStore = this.deps.flowStore;
    if (!flowStore) return;
    try {
      await flowStore.watch(
        this.flowId,
        OAUTH_FLOW,
        this.#oauth?.signal ? { signal: this.#oauth.signal } : {},
      );
    } catch (e) {
      this.#decide(`OAuth flow ended without tokens: ${messageOf(e)}`, ['F16', 'F17'], 'warn');
      this.connection.emit('oauthFailed', new Error('OAuth authentication failed'));
      return;
    }
    if (!(await this.#applyFromStore()))
      this.connection.emit('oauthFailed', new Error('OAuth authentication failed'));
  }

  async #applyFromStore(): Promise<boolean> {
    const tokens = await this.deps.tokenStore?.getTokens(this.key).catch(() => undefined);
    if (!tokens) return false;
    this.#apply(tokens.access_token, tokens.scope, tokens.expires_at);
    return true;
  }

  /** F16: tokens on the connection, token-load flow fixed, `oauthHandled`. */
  #apply(accessToken: string, scope: string | undefined, expiresAt: number): void {
    this.connection.setAccessToken(accessToken);
    this.#grantedScope = scope ?? this.#grantedScope;
    void fixTokenLoadFlow(this.deps, this.tokenFlowId, expiresAt);
    this.#decide('OAuth complete: tokens set on the connection', ['F16']);
    this.connection.emit('oauthHandled');
  }
}

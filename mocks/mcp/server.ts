import type { AuthServer } from '../auth/server';
import type { TokenRecord } from '../auth/state';
import { empty, json, quoteParam, randomId, withCors } from '../http';
import type { MockKnobs } from '../knobs';
import { MOCK_API_KEY, type MockServerDef } from '../presets';
import { initialNotes, type ToolContext } from './catalog';
import {
  classify,
  INTERNAL_ERROR,
  INVALID_REQUEST,
  type JsonRpcRequest,
  type JsonRpcResponse,
  PARSE_ERROR,
  RpcError,
  rpcError,
} from './jsonrpc';
import { LegacySseEndpoint } from './legacy-sse';
import { dispatch, type McpSession, SUPPORTED_PROTOCOL_VERSIONS } from './methods';
import { checkModernHeaders, discoverResult, isModernRequest, modernResult } from './modern';

export interface McpServerContext {
  now(): number;
  sleep(ms: number): Promise<void>;
  knobs(): MockKnobs;
  setKnobs(patch: Partial<MockKnobs>): void;
  /** The authorization server this resource trusts right now (it changes when the migration knob fires). */
  authServer(): AuthServer | undefined;
}

type Auth = ToolContext['auth'];

/** A Streamable HTTP MCP server (spec 2025-11-25 §transports) protected as an OAuth resource server (RFC 6750, RFC 9728). */
export class McpServer {
  readonly sessions = new Map<string, McpSession>();
  notes = initialNotes();
  /** Whether the PRM already points at the second authorization server. */
  migrated = false;
  readonly url: URL;
  /** The 2024-11-05 HTTP+SSE transport at /sse and /messages on the same host. */
  readonly legacySse: LegacySseEndpoint;

  constructor(
    readonly def: MockServerDef,
    readonly ctx: McpServerContext,
  ) {
    this.url = new URL(def.mcpUrl);
    this.legacySse = new LegacySseEndpoint(this.url.origin, () => ctx.now());
  }

  get resource(): string {
    return this.def.mcpUrl;
  }

  reset(): void {
    this.sessions.clear();
    this.legacySse.streams.clear();
    this.notes = initialNotes();
    this.migrated = false;
  }

  /** Whether this server publishes RFC 9728 metadata (2025-03-26 servers do not; neither does the knob "missing"). */
  hasPrm(): boolean {
    return (
      this.def.auth === 'oauth' && this.def.authSpec !== '2025-03-26' && this.ctx.knobs().prm !== 'missing'
    );
  }

  /** PRM URLs: path-inserted first, then root (RFC 9728 §3.1, DISC-4). */
  prmUrls(): string[] {
    const path = this.url.pathname === '/' ? '' : this.url.pathname;
    return [
      `${this.url.origin}/.well-known/oauth-protected-resource${path}`,
      `${this.url.origin}/.well-known/oauth-protected-resource`,
    ];
  }

  prm(): Record<string, unknown> {
    const as = this.ctx.authServer();
    return {
      resource: this.ctx.knobs().prm === 'wrong-resource' ? 'https://elsewhere.mock.test/mcp' : this.resource,
      authorization_servers: as ? [as.config.issuer] : [],
      scopes_supported: as?.config.scopes ?? [],
      bearer_methods_supported: ['header'],
      resource_name: this.def.title,
    };
  }

  async handle(request: Request, url: URL): Promise<Response | undefined> {
    const href = `${url.origin}${url.pathname}`;
    if (this.hasPrm() && this.prmUrls().includes(href))
      return request.method === 'GET' ? json(this.prm()) : empty(405);
    if (this.legacySse.owns(href))
      return this.handleMcp(request, async (auth) => {
        if (href === this.legacySse.sseUrl)
          return request.method === 'GET' ? this.legacySse.open() : empty(405, { allow: 'GET' });
        if (request.method !== 'POST') return empty(405, { allow: 'POST' });
        const forbidden = this.scopeCheck(
          [
            classify(
              await request
                .clone()
                .json()
                .catch(() => null),
            ),
          ],
          auth,
        );
        if (forbidden) return forbidden;
        return this.legacySse.post(request, url, (msg, session, emit) =>
          this.answerOne(msg, session, auth, emit),
        );
      });
    if (href !== this.def.mcpUrl) return undefined;
    return this.handleMcp(request, (auth) => this.route(request, auth));
  }

  private challenge(status: 401 | 403, params: Record<string, string | undefined>): Response {
    const as = this.ctx.authServer();
    const all: Record<string, string | undefined> = {
      ...params,
      scope: params.scope ?? as?.config.defaultScopes.join(' '),
      resource_metadata: this.hasPrm() ? this.prmUrls()[0] : undefined,
    };
    const attrs = Object.entries(all)
      .filter((e): e is [string, string] => e[1] !== undefined)
      .map(([k, v]) => `${k}=${quoteParam(v)}`);
    const header = `Bearer ${attrs.join(', ')}`.trim();
    const body = rpcError(null, -32001, params.error_description ?? 'Authentication required');
    return json(body, status, { 'www-authenticate': header });
  }

  private unauthorized(error: string | undefined, description: string): Response {
    return this.challenge(401, { ...(error ? { error } : {}), error_description: description });
  }

  /** Validates the request's credentials. Returns who it is, or the 401 to send. */
  private authenticate(request: Request): { auth: Auth } | Response {
    if (this.def.auth === 'none') return { auth: undefined };
    if (this.def.auth === 'api-key') {
      if (request.headers.get('x-api-key') === MOCK_API_KEY) return { auth: undefined };
      return json(rpcError(null, -32001, 'Missing or wrong X-API-Key header.'), 401, {
        'www-authenticate': `ApiKey realm=${quoteParam(this.url.host)}, header="X-API-Key"`,
      });
    }
    const header = request.headers.get('authorization') ?? '';
    const m = /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)$/i.exec(header);
    // RFC 6750 §3.1: a request without credentials gets a challenge without an error code.
    if (!header) return this.unauthorized(undefined, 'No access token: this server needs OAuth.');
    if (!m?.[1])
      return this.unauthorized(
        'invalid_request',
        'Malformed Authorization header: expected "Bearer <token>".',
      );
    const as = this.ctx.authServer();
    const rec: TokenRecord | undefined = as?.state.tokens.get(m[1]);
    if (rec?.kind !== 'access')
      return this.unauthorized('invalid_token', 'The access token is not one this server trusts.');
    const grant = as?.state.grants.get(rec.grantId);
    if (rec.revoked || grant?.revoked)
      return this.unauthorized('invalid_token', 'The access token was revoked.');
    if (rec.expiresAt !== null && rec.expiresAt <= this.ctx.now())
      return this.unauthorized('invalid_token', 'The access token expired.');
    if (this.def.requireAudience && rec.resource !== this.resource)
      return this.unauthorized(
        'invalid_token',
        `The access token's audience is ${rec.resource ?? '(none)'}, not ${this.resource}.`,
      );
    return {
      auth: { subject: rec.subject, clientId: rec.clientId, scope: rec.scope, expiresAt: rec.expiresAt },
    };
  }

  /** Fault knobs that fire before anything else: 429, 503, forced 401. */
  private injectedFault(): Response | undefined {
    const k = this.ctx.knobs();
    if (k.mcpRateLimitNext > 0) {
      this.ctx.setKnobs({ mcpRateLimitNext: k.mcpRateLimitNext - 1 });
      return json(rpcError(null, -32000, 'Too many requests (fault knob).'), 429, { 'retry-after': '30' });
    }
    if (k.mcpServerErrorNext > 0) {
      this.ctx.setKnobs({ mcpServerErrorNext: k.mcpServerErrorNext - 1 });
      return json(rpcError(null, INTERNAL_ERROR, 'Service temporarily unavailable (fault knob).'), 503);
    }
    if (k.mcpUnauthorizedNext > 0 && this.def.auth === 'oauth') {
      this.ctx.setKnobs({ mcpUnauthorizedNext: k.mcpUnauthorizedNext - 1 });
      return this.unauthorized('invalid_token', 'The access token was rejected (fault knob).');
    }
    return undefined;
  }

  private async handleMcp(request: Request, route: (auth: Auth) => Promise<Response>): Promise<Response> {
    const fault = this.injectedFault();
    if (fault) return fault;
    const authed = this.authenticate(request);
    if (authed instanceof Response) return authed;
    const response = await route(authed.auth);
    if (
      response.ok &&
      this.def.auth === 'oauth' &&
      this.ctx.knobs().migrateAsAfterFirstCall &&
      this.def.migrationAuthServer
    )
      this.migrated = true;
    return response;
  }

  private async route(request: Request, auth: Auth): Promise<Response> {
    const sessionId = request.headers.get('mcp-session-id');
    if (request.method === 'GET') return empty(405, { allow: 'POST, DELETE' });
    if (request.method === 'DELETE') {
      if (!sessionId)
        return json(rpcError(null, -32000, 'Bad Request: Mcp-Session-Id header is required.'), 400);
      return this.sessions.delete(sessionId)
        ? empty(200)
        : json(rpcError(null, -32001, 'Session not found.'), 404);
    }
    if (request.method !== 'POST') return empty(405, { allow: 'GET, POST, DELETE' });
    return this.post(request, sessionId, auth);
  }

  private async post(request: Request, sessionId: string | null, auth: Auth): Promise<Response> {
    const accept = request.headers.get('accept') ?? '';
    if (!accept.includes('application/json') || !accept.includes('text/event-stream'))
      return json(
        rpcError(
          null,
          -32000,
          'Not Acceptable: the client must accept both application/json and text/event-stream.',
        ),
        406,
      );
    if (!(request.headers.get('content-type') ?? '').includes('application/json'))
      return json(rpcError(null, -32000, 'Unsupported Media Type: send application/json.'), 415);
    let body: unknown;
    try {
      body = JSON.parse(await request.text());
    } catch {
      return json(rpcError(null, PARSE_ERROR, 'Parse error: the body is not valid JSON.'), 400);
    }
    const batch = Array.isArray(body);
    const values: unknown[] = batch ? (body as unknown[]) : [body];
    if (values.length === 0)
      return json(rpcError(null, INVALID_REQUEST, 'Invalid Request: empty batch.'), 400);
    const messages = values.map(classify);
    const first = messages[0];
    if (
      this.def.speaks2026 !== false &&
      !batch &&
      first?.kind === 'request' &&
      isModernRequest(first.msg, request.headers.get('mcp-protocol-version'))
    )
      return this.modern(first.msg, request.headers, auth);
    const init = messages.find((m) => m.kind === 'request' && m.msg.method === 'initialize');

    let session: McpSession | undefined;
    const headers: Record<string, string> = {};
    if (init) {
      if (messages.length > 1)
        return json(rpcError(null, INVALID_REQUEST, 'Invalid Request: initialize must not be batched.'), 400);
      session = {
        id: randomId('sess_', 16),
        protocolVersion: '',
        clientInfo: undefined,
        clientCapabilities: {},
        initialized: false,
        createdAt: this.ctx.now(),
      };
      headers['mcp-session-id'] = session.id;
    } else {
      if (!sessionId)
        return json(rpcError(null, -32000, 'Bad Request: Mcp-Session-Id header is required.'), 400);
      session = this.sessions.get(sessionId);
      if (!session) return json(rpcError(null, -32001, 'Session not found: initialize a new session.'), 404);
      const version = request.headers.get('mcp-protocol-version');
      if (version !== null && !(SUPPORTED_PROTOCOL_VERSIONS as readonly string[]).includes(version))
        return json(rpcError(null, -32000, `Bad Request: unsupported MCP-Protocol-Version ${version}.`), 400);
    }

    const forbidden = this.scopeCheck(messages, auth);
    if (forbidden) return forbidden;

    for (const m of messages)
      if (m.kind === 'notification' && m.msg.method === 'notifications/initialized')
        session.initialized = true;
    const requests = messages.filter((m) => m.kind === 'request' || m.kind === 'invalid');
    if (requests.length === 0) return empty(202);

    const answer = (emit: (n: unknown) => void) =>
      Promise.all(
        requests.map(
          (m): Promise<JsonRpcResponse> =>
            m.kind === 'invalid'
              ? Promise.resolve(rpcError(m.id, INVALID_REQUEST, `Invalid Request: ${m.why}`))
              : m.kind === 'request'
                ? this.answerOne(m.msg, session, auth, emit)
                : Promise.resolve(rpcError(null, INTERNAL_ERROR, 'unreachable')),
        ),
      );
    if (init && session) this.sessions.set(session.id, session);
    if (this.ctx.knobs().responseMode === 'json') {
      const results = await answer(() => {});
      return json(batch ? results : results[0], 200, headers);
    }
    return this.sse(answer, batch, headers);
  }

  /** A stateless 2026-07-28 request: no session; headers must match the envelope (see modern.ts). */
  private async modern(msg: JsonRpcRequest, headers: Headers, auth: Auth): Promise<Response> {
    try {
      checkModernHeaders(msg, headers);
    } catch (e) {
      const err = e as RpcError;
      return json(rpcError(msg.id, err.code, err.message, err.data), 400);
    }
    const forbidden = this.scopeCheck([{ kind: 'request', msg }], auth);
    if (forbidden) return forbidden;
    const answer = async (emit: (n: unknown) => void): Promise<JsonRpcResponse[]> => {
      if (msg.method === 'server/discover')
        return [
          { jsonrpc: '2.0', id: msg.id, result: discoverResult(`mcp-lab-mock-${this.def.id}`, this.def.id) },
        ];
      const r = await this.answerOne(msg, undefined, auth, emit);
      return ['result' in r ? { ...r, result: modernResult(msg.method, r.result) } : r];
    };
    if (this.ctx.knobs().responseMode === 'json') return json((await answer(() => {}))[0]);
    return this.sse(answer, false, {});
  }

  /** 403 insufficient_scope for a tools/call whose tool needs a scope the token lacks (RFC 6750 §3.1, SCP-3). */
  private scopeCheck(messages: ReturnType<typeof classify>[], auth: Auth): Response | undefined {
    if (this.def.auth !== 'oauth' || !auth) return undefined;
    const needs = this.ctx.knobs().toolScopes;
    for (const m of messages) {
      if (m.kind !== 'request' || m.msg.method !== 'tools/call') continue;
      const tool = String(m.msg.params?.name ?? '');
      const scope = needs[tool];
      if (scope && !auth.scope.includes(scope))
        return this.challenge(403, {
          error: 'insufficient_scope',
          scope,
          error_description: `Tool ${tool} needs scope ${scope}.`,
        });
    }
    return undefined;
  }

  private async answerOne(
    msg: JsonRpcRequest,
    session: McpSession | undefined,
    auth: Auth,
    emit: (n: unknown) => void,
  ): Promise<JsonRpcResponse> {
    const params = msg.params ?? {};
    const progressToken = (params._meta as Record<string, unknown> | undefined)?.progressToken;
    try {
      const result = await dispatch(msg.method, params, {
        serverId: this.def.id,
        serverName: `mcp-lab-mock-${this.def.id}`,
        pageSize: this.ctx.knobs().toolsPageSize,
        session,
        notes: this.notes,
        sleep: (ms) => this.ctx.sleep(ms),
        progress: (progress, total, message) => {
          if (progressToken !== undefined)
            emit({
              jsonrpc: '2.0',
              method: 'notifications/progress',
              params: { progressToken, progress, total, message },
            });
        },
        ...(auth ? { auth } : {}),
      });
      if (msg.method === 'initialize' && session) {
        session.protocolVersion = (result as { protocolVersion: string }).protocolVersion;
        session.clientInfo = params.clientInfo;
        session.clientCapabilities = (params.capabilities as Record<string, unknown>) ?? {};
      }
      return { jsonrpc: '2.0', id: msg.id, result };
    } catch (e) {
      if (e instanceof RpcError) return rpcError(msg.id, e.code, e.message, e.data);
      return rpcError(msg.id, INTERNAL_ERROR, `Internal error: ${(e as Error).message}`);
    }
  }

  /** Frames the answers as a `text/event-stream`, with progress notifications before the result. */
  private sse(
    answer: (emit: (n: unknown) => void) => Promise<JsonRpcResponse[]>,
    batch: boolean,
    headers: Record<string, string>,
  ): Response {
    const enc = new TextEncoder();
    let eventId = 0;
    const stream = new ReadableStream<Uint8Array>({
      start: async (controller) => {
        const send = (m: unknown) =>
          controller.enqueue(enc.encode(`event: message\nid: ${++eventId}\ndata: ${JSON.stringify(m)}\n\n`));
        const results = await answer(send);
        if (batch) send(results);
        else for (const r of results) send(r);
        controller.close();
      },
    });
    const h = withCors(headers);
    h.set('content-type', 'text/event-stream');
    h.set('cache-control', 'no-cache');
    return new Response(stream, { status: 200, headers: h });
  }
}

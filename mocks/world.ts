import type { Decision } from './auth/authorize';
import { MOCK_CLIENT_METADATA } from './auth/authorize';
import { AuthServer } from './auth/server';
import { empty, json, withCors } from './http';
import { DEFAULT_KNOBS, type MockKnobs, validateKnobPatch } from './knobs';
import { McpServer } from './mcp/server';
import { MOCK_CLIENT_METADATA_URL, MOCK_SERVERS, type MockServerDef } from './presets';

/** The clock the mocks read: token lifetimes, code expiry and latency knobs all go through it. */
export interface MockClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** Real time, with an offset a test or a person can push forward ("advance the clock 2 hours"). */
export class AdjustableClock implements MockClock {
  offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

/** What the log records of each request the mocks answered. */
export interface MockRequestLogEntry {
  seq: number;
  t: number;
  serverId: string | null;
  /** Which endpoint answered: mcp, prm, as-metadata, register, authorize, decision, token, revoke, jwks, cimd, health, preflight, unknown. */
  endpoint: string;
  method: string;
  url: string;
  status: number;
  /** JSON-RPC methods of an MCP POST, or the grant_type of a token request. */
  detail?: string;
}

interface ServerEntry {
  def: MockServerDef;
  knobs: MockKnobs;
  mcp: McpServer;
  as?: AuthServer;
  as2?: AuthServer;
}

export interface MockWorldOptions {
  servers?: readonly MockServerDef[];
  clock?: MockClock;
  /** How an AS fetches documents outside the mock world (CIMD documents on other hosts). */
  fetchDocument?: (url: string) => Promise<Response>;
}

export const HEALTH_URL = 'https://lab.mock.test/health';

/**
 * The mock world: every mock MCP server and authorization server, their state, knobs and request log.
 * It answers plain `Request`s; the MSW adapters (browser.ts, node.ts) plug it into the network.
 */
export class MockWorld {
  readonly clock: MockClock;
  readonly log: MockRequestLogEntry[] = [];
  readonly #entries = new Map<string, ServerEntry>();
  readonly #listeners = new Set<() => void>();
  readonly #fetchDocument: (url: string) => Promise<Response>;
  #seq = 0;
  #inFlight = 0;
  #idleWaiters: Array<() => void> = [];

  constructor(options: MockWorldOptions = {}) {
    this.clock = options.clock ?? new AdjustableClock();
    this.#fetchDocument = options.fetchDocument ?? ((url) => fetch(url));
    for (const def of options.servers ?? MOCK_SERVERS) this.#add(def);
  }

  #add(def: MockServerDef): void {
    if (this.#entries.has(def.id)) throw new Error(`Failed to add mock server: id "${def.id}" is taken.`);
    const knobs: MockKnobs = { ...DEFAULT_KNOBS, ...def.knobs, toolScopes: { ...def.knobs?.toolScopes } };
    const entry = { def, knobs } as ServerEntry;
    const ctx = {
      now: () => this.clock.now(),
      sleep: (ms: number) => this.clock.sleep(ms),
      knobs: () => entry.knobs,
      setKnobs: (patch: Partial<MockKnobs>) => this.setKnobs(def.id, patch),
      resources: () => [def.mcpUrl],
      fetchDocument: (url: string) => this.fetchDocument(url),
      authServer: () => (entry.mcp.migrated ? entry.as2 : entry.as),
    };
    entry.mcp = new McpServer(def, ctx);
    if (def.authServer) entry.as = new AuthServer(def.authServer, ctx);
    if (def.migrationAuthServer) entry.as2 = new AuthServer(def.migrationAuthServer, ctx);
    this.#entries.set(def.id, entry);
  }

  #entry(id: string): ServerEntry {
    const e = this.#entries.get(id);
    if (!e) throw new Error(`Unknown mock server "${id}". Known: ${[...this.#entries.keys()].join(', ')}.`);
    return e;
  }

  /** The server definitions, in the order they were added. */
  get servers(): MockServerDef[] {
    return [...this.#entries.values()].map((e) => e.def);
  }

  knobs(serverId: string): Readonly<MockKnobs> {
    return this.#entry(serverId).knobs;
  }

  /** Changes knobs of one server; throws a TypeError that names the bad knob. */
  setKnobs(serverId: string, patch: Partial<MockKnobs>): void {
    validateKnobPatch(patch);
    const e = this.#entry(serverId);
    e.knobs = { ...e.knobs, ...patch };
    this.#changed();
  }

  resetKnobs(serverId: string): void {
    const e = this.#entry(serverId);
    e.knobs = { ...DEFAULT_KNOBS, ...e.def.knobs, toolScopes: { ...e.def.knobs?.toolScopes } };
    this.#changed();
  }

  /** The MCP server with this id (for inspection). */
  mcpServer(serverId: string): McpServer {
    return this.#entry(serverId).mcp;
  }

  /** The authorization server the server's PRM names right now (the second one after a migration). */
  authServer(serverId: string): AuthServer | undefined {
    const e = this.#entry(serverId);
    return e.mcp.migrated ? e.as2 : e.as;
  }

  /** Every authorization server of a mock server (the primary, then the migration target). */
  authServers(serverId: string): AuthServer[] {
    const e = this.#entry(serverId);
    return [e.as, e.as2].filter((a): a is AuthServer => !!a);
  }

  /** Fault action: revoke every grant at this server's authorization servers now. */
  revokeAllTokens(serverId: string): void {
    for (const as of this.authServers(serverId)) as.revokeAll('revoked by fault knob');
    this.#changed();
  }

  /** Decides an authorization request on whichever AS its URL belongs to (what the consent page does). */
  async authorize(
    authorizationUrl: string,
    decision: Decision,
  ): Promise<{ redirectTo: string; code?: string }> {
    const url = new URL(authorizationUrl);
    for (const e of this.#entries.values())
      for (const as of [e.as, e.as2])
        if (as && as.endpoint('authorize') === `${url.origin}${url.pathname}`) {
          const result = await as.authorize(authorizationUrl, decision);
          this.#changed();
          return result;
        }
    throw new Error(
      `Failed to authorize: ${url.origin}${url.pathname} is not the authorization endpoint of a mock server.`,
    );
  }

  /** Forgets all clients, grants, tokens, sessions and the log; knobs go back to their defaults. */
  reset(): void {
    for (const e of this.#entries.values()) {
      e.mcp.reset();
      e.as?.reset();
      e.as2?.reset();
      e.knobs = { ...DEFAULT_KNOBS, ...e.def.knobs, toolScopes: { ...e.def.knobs?.toolScopes } };
    }
    this.log.length = 0;
    this.#changed();
  }

  /** Fault action: an access token the client holds expires now at whichever mock AS issued it. */
  expireToken(token: string): boolean {
    for (const e of this.#entries.values())
      for (const as of [e.as, e.as2]) {
        const rec = as?.state.tokens.get(token);
        if (rec) {
          rec.expiresAt = this.clock.now();
          this.#changed();
          return true;
        }
      }
    return false;
  }

  /** Moves the mock servers' time forward (token lifetimes, code expiry): "it is two hours later". */
  advanceClock(ms: number): void {
    const clock = this.clock as Partial<AdjustableClock>;
    if (typeof clock.advance !== 'function')
      throw new Error('Failed to advance the mock clock: this world runs on a clock that cannot be moved.');
    clock.advance(ms);
    this.#changed();
  }

  /** Resolves when no request is being answered (a streamed body may still be flowing). */
  idle(): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Calls `fn` after every request and state change; returns the unsubscribe function. */
  subscribe(fn: () => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  #changed(): void {
    for (const fn of this.#listeners) fn();
  }

  fetchDocument(url: string): Promise<Response> {
    if (url === MOCK_CLIENT_METADATA_URL) return Promise.resolve(json(MOCK_CLIENT_METADATA));
    return this.#fetchDocument(url);
  }

  /** Whether a URL belongs to the mock world (its hosts end in `.mock.test`). */
  static owns(url: string | URL): boolean {
    const u = typeof url === 'string' ? new URL(url) : url;
    return u.protocol === 'https:' && (u.hostname === 'mock.test' || u.hostname.endsWith('.mock.test'));
  }

  /** Answers a request for any mock host; undefined when the URL is not the mock world's. */
  async handle(request: Request): Promise<Response | undefined> {
    const url = new URL(request.url);
    if (!MockWorld.owns(url)) return undefined;
    const t = this.clock.now();
    this.#inFlight++;
    let routed: Awaited<ReturnType<MockWorld['route']>>;
    try {
      routed = await this.route(request, url);
    } finally {
      if (--this.#inFlight === 0) for (const w of this.#idleWaiters.splice(0)) w();
    }
    const { endpoint, serverId, detail, response } = routed;
    this.log.push({
      seq: ++this.#seq,
      t,
      serverId,
      endpoint,
      method: request.method,
      url: request.url,
      status: response.type === 'error' ? 0 : response.status,
      ...(detail ? { detail } : {}),
    });
    this.#changed();
    return response;
  }

  /** A short description of what a request asks, for the log: JSON-RPC methods or the grant type. */
  private async describeRequest(request: Request, href: string): Promise<string | undefined> {
    if (request.method !== 'POST') return undefined;
    const entries = [...this.#entries.values()];
    try {
      if (entries.some((e) => e.def.mcpUrl === href || e.mcp.legacySse.messagesUrl === href)) {
        const body: unknown = JSON.parse(await request.clone().text());
        const list = Array.isArray(body) ? body : [body];
        return list
          .map((m) => (m && typeof m === 'object' && 'method' in m ? String(m.method) : 'response'))
          .join(',');
      }
      if (entries.some((e) => [e.as, e.as2].some((as) => as?.endpoint('token') === href)))
        return new URLSearchParams(await request.clone().text()).get('grant_type') ?? undefined;
    } catch {
      return 'malformed';
    }
    return undefined;
  }

  private async route(request: Request, url: URL) {
    const href = `${url.origin}${url.pathname}`;
    if (request.method === 'OPTIONS') return { endpoint: 'preflight', serverId: null, response: empty(204) };
    if (href === HEALTH_URL)
      return {
        endpoint: 'health',
        serverId: null,
        response: json({ ok: true, servers: this.servers.map((s) => s.id) }),
      };
    if (href === MOCK_CLIENT_METADATA_URL)
      return { endpoint: 'cimd', serverId: null, response: json(MOCK_CLIENT_METADATA) };
    const detail = await this.describeRequest(request, href);
    for (const e of this.#entries.values()) {
      const mcp = await e.mcp.handle(request, url);
      if (mcp)
        return {
          endpoint: href === e.def.mcpUrl || e.mcp.legacySse.owns(href) ? 'mcp' : 'prm',
          serverId: e.def.id,
          detail,
          response: mcp,
        };
      for (const as of [e.as, e.as2]) {
        if (!as) continue;
        const r = await as.handle(request, url);
        if (r) return { endpoint: asEndpoint(as, href), serverId: e.def.id, detail, response: r };
      }
    }
    return {
      endpoint: 'unknown',
      serverId: null,
      response: json(
        { error: 'not_found', error_description: `No mock endpoint at ${href}.` },
        404,
        withCors(),
      ),
    };
  }
}

function asEndpoint(as: AuthServer, href: string): string {
  if (as.metadataUrls().includes(href)) return 'as-metadata';
  for (const name of ['authorize', 'token', 'register', 'revoke', 'jwks', 'decision'] as const)
    if (as.endpoint(name) === href) return name;
  return 'unknown';
}

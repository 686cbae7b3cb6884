import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import { applyCors, type OriginPolicy, quoteParam, readBody, sendJson } from './http';
import { buildMcpServer, TOOL_SCOPES } from './mcp-tools';

export interface McpResourceServerOptions {
  /** This server's MCP endpoint, e.g. `http://localhost:3002/mcp`: the RFC 8707 resource and token audience. */
  resource: string;
  /** The authorization server: tokens must carry this `iss` and verify against its JWKS. */
  issuer: string;
  jwksUri: string;
  /**
   * RFC 7662 introspection, asked on every request so a token revoked at the AS stops working at
   * once (JWTs are otherwise valid until they expire). Without it only signature, issuer, audience
   * and expiry are checked.
   */
  introspection?: { endpoint: string; clientId: string; clientSecret: string };
  scopesSupported: readonly string[];
  /** The scope named in 401 challenges: what a client should ask for first (SCP-1). */
  defaultScopes: readonly string[];
  allowedOrigins?: OriginPolicy;
}

export interface McpResourceServer {
  resource: string;
  /** RFC 9728 metadata URLs: path-inserted first, then the root one. */
  metadataUrls: [string, string];
  handle(req: IncomingMessage, res: ServerResponse): void;
  close(): Promise<void>;
}

interface Session {
  transport: StreamableHTTPServerTransport;
  server: McpServer;
  subject: string;
}

type Authenticated =
  | { auth: AuthInfo; subject: string }
  | { status: 401 | 503; error?: string; message: string };

const rpcError = (message: string, code = -32001) => ({ jsonrpc: '2.0', id: null, error: { code, message } });

function toolCalls(body: unknown): string[] {
  const messages = Array.isArray(body) ? body : [body];
  return messages.flatMap((m: unknown) => {
    if (typeof m !== 'object' || m === null) return [];
    const { method, params } = m as { method?: unknown; params?: { name?: unknown } };
    return method === 'tools/call' && typeof params?.name === 'string' ? [params.name] : [];
  });
}

/**
 * The reference MCP server: the official SDK's Streamable HTTP transport (stateful sessions) on
 * `node:http`, behind bearer JWTs from the reference AS, with RFC 9728 metadata, RFC 6750
 * challenges and CORS for the browser playground.
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization
 */
export function createMcpResourceServer(o: McpResourceServerOptions): McpResourceServer {
  const url = new URL(o.resource);
  const metadataUrls: [string, string] = [
    `${url.origin}/.well-known/oauth-protected-resource${url.pathname}`,
    `${url.origin}/.well-known/oauth-protected-resource`,
  ];
  const metadataPaths = metadataUrls.map((u) => new URL(u).pathname);
  const hosts = new Set([url.host, `127.0.0.1:${url.port}`, `[::1]:${url.port}`]);
  const jwks = createRemoteJWKSet(new URL(o.jwksUri));
  const sessions = new Map<string, Session>();
  const notes = new Map<string, string>();

  const challenge = (status: 401 | 403, params: Record<string, string | undefined>, message: string) => {
    // Fixed order for readers: error, scope, resource_metadata, then the description.
    const all = {
      error: params.error,
      scope: params.scope,
      resource_metadata: metadataUrls[0],
      error_description: params.error_description,
    };
    const attrs = Object.entries(all).flatMap(([k, v]) => (v === undefined ? [] : [`${k}=${quoteParam(v)}`]));
    return { status, header: `Bearer ${attrs.join(', ')}`, message };
  };

  async function introspect(token: string): Promise<boolean> {
    if (!o.introspection) return true;
    const { endpoint, clientId, clientSecret } = o.introspection;
    const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString(
      'base64',
    );
    const r = await fetch(endpoint, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
    });
    if (!r.ok) throw new Error(`introspection answered HTTP ${r.status}`);
    return ((await r.json()) as { active?: unknown }).active === true;
  }

  async function authenticate(req: IncomingMessage): Promise<Authenticated> {
    const header = req.headers.authorization;
    // RFC 6750 §3.1: no credentials → a challenge without an error code.
    if (!header) return { status: 401, message: 'No access token: this server needs OAuth.' };
    const token = /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)$/i.exec(header)?.[1];
    if (!token)
      return {
        status: 401,
        error: 'invalid_request',
        message: 'Malformed Authorization header: expected "Bearer <token>".',
      };
    let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
    try {
      ({ payload } = await jwtVerify(token, jwks, { issuer: o.issuer, audience: o.resource, typ: 'at+jwt' }));
    } catch (e) {
      const why =
        e instanceof joseErrors.JWTExpired
          ? 'The access token expired.'
          : e instanceof joseErrors.JWTClaimValidationFailed && e.claim === 'aud'
            ? `The access token is not meant for ${o.resource} (RFC 8707 audience).`
            : `The access token is not one this server trusts (${e instanceof Error ? e.message : String(e)}).`;
      return { status: 401, error: 'invalid_token', message: why };
    }
    try {
      if (!(await introspect(token)))
        return {
          status: 401,
          error: 'invalid_token',
          message: 'The access token was revoked at the authorization server.',
        };
    } catch (e) {
      return {
        status: 503,
        message: `Cannot reach the authorization server to check the token: ${String(e)}`,
      };
    }
    const subject = String(payload.sub ?? '');
    return {
      subject,
      auth: {
        token,
        clientId: String(payload.client_id ?? ''),
        scopes: String(payload.scope ?? '')
          .split(' ')
          .filter(Boolean),
        resource: new URL(o.resource),
        extra: { subject },
        ...(payload.exp ? { expiresAt: payload.exp } : {}),
      },
    };
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // DNS rebinding: a page on another name that resolves to 127.0.0.1 must not reach us.
    if (!hosts.has(req.headers.host ?? ''))
      return sendJson(res, 403, rpcError(`Invalid Host header: ${req.headers.host}`));
    if (
      applyCors(req, res, o.allowedOrigins ?? '*', {
        methods: 'GET, POST, DELETE, OPTIONS',
        exposeHeaders: 'WWW-Authenticate, Mcp-Session-Id, Mcp-Protocol-Version',
      })
    )
      return;
    const path = new URL(req.url ?? '/', url.origin).pathname;
    if (metadataPaths.includes(path)) {
      if (req.method !== 'GET') return sendJson(res, 405, { error: 'method_not_allowed' }, { allow: 'GET' });
      return sendJson(res, 200, {
        resource: o.resource,
        authorization_servers: [o.issuer],
        scopes_supported: o.scopesSupported,
        bearer_methods_supported: ['header'],
        resource_name: 'MCP Lab reference server (real)',
      });
    }
    if (path !== url.pathname) return sendJson(res, 404, rpcError(`Not found: ${path}`, -32000));
    const who = await authenticate(req);
    if ('status' in who) {
      if (who.status === 503) return sendJson(res, 503, rpcError(who.message, -32000));
      const c = challenge(
        401,
        { error: who.error, error_description: who.message, scope: o.defaultScopes.join(' ') },
        who.message,
      );
      return sendJson(res, c.status, rpcError(c.message), { 'www-authenticate': c.header });
    }
    let body: unknown;
    if (req.method === 'POST') {
      try {
        body = JSON.parse((await readBody(req)).toString('utf8'));
      } catch {
        return sendJson(res, 400, rpcError('Parse error: the body is not JSON.', -32700));
      }
      for (const tool of toolCalls(body)) {
        const needed = TOOL_SCOPES[tool];
        if (needed && !who.auth.scopes.includes(needed)) {
          const message = `Tool ${tool} needs scope ${needed}.`;
          const c = challenge(
            403,
            { error: 'insufficient_scope', scope: needed, error_description: message },
            message,
          );
          return sendJson(res, c.status, rpcError(c.message), { 'www-authenticate': c.header });
        }
      }
    }
    const request = Object.assign(req, { auth: who.auth });
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string') {
      const session = sessions.get(sessionId);
      // A session belongs to the person who opened it.
      if (!session || session.subject !== who.subject)
        return sendJson(res, 404, rpcError('Session not found.'));
      return session.transport.handleRequest(request, res, body);
    }
    if (req.method !== 'POST' || !isInitializeRequest(body))
      return sendJson(
        res,
        400,
        rpcError('Bad request: no Mcp-Session-Id, and not an initialize request.', -32000),
      );
    const server = buildMcpServer(notes);
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (id) => void sessions.set(id, { transport, server, subject: who.subject }),
      onsessionclosed: (id) => void sessions.delete(id),
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    await transport.handleRequest(request, res, body);
  }

  return {
    resource: o.resource,
    metadataUrls,
    handle: (req, res) => {
      route(req, res).catch((e: unknown) => {
        console.error('[reference MCP server]', e);
        if (!res.headersSent) sendJson(res, 500, rpcError(`Internal error: ${String(e)}`, -32603));
        else res.end();
      });
    },
    close: async () => {
      const all = [...sessions.values()];
      sessions.clear();
      await Promise.all(all.map((s) => s.server.close()));
    },
  };
}

import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JWK } from 'jose';
import Provider, { errors, type ProviderClient, type ProviderConfiguration } from 'oidc-provider';
import { applyCors, type OriginPolicy, originAllowed, readBody, sendJson } from './http';
import { DEMO_ACCOUNT, handleInteraction, INTERACTION_PREFIX } from './interactions';
import { authenticateClient, isJwt, JwtAccessTokens } from './jwt-access-tokens';
import { memoryAdapter } from './memory-adapter';

/** The scopes the MCP server understands; `notes:write` is the step-up scope of `write_note`. */
export const MCP_SCOPES = ['mcp:tools', 'mcp:resources', 'notes:write'] as const;
/** What a client gets when it asks for nothing specific (the 401 challenge's `scope`). */
export const DEFAULT_SCOPES = ['mcp:tools', 'mcp:resources'] as const;

export interface AuthServerOptions {
  /** `http://localhost:<port>`: loopback http is allowed for local servers. */
  issuer: string;
  /** The MCP server's resource URL: the only audience of the access tokens (RFC 8707). */
  resource: string;
  /** Access token lifetime in seconds (default 300). */
  accessTokenTtlSec?: number;
  /** Refresh token, grant and session lifetime in seconds (default one day). */
  refreshTokenTtlSec?: number;
  /**
   * Skip the login and consent pages: the authorization endpoint approves the demo account at once
   * and redirects straight back with a code (for headless runs: the CLI, Node tests).
   */
  autoApprove?: boolean;
  /** Browser origins allowed to call the API endpoints (default every origin). */
  allowedOrigins?: OriginPolicy;
  /** A confidential client for the resource server, allowed to introspect tokens. */
  resourceServerClient: { clientId: string; clientSecret: string };
  /** The signing key pair (default: a new one from `generateSigningKeys()`). */
  signingKeys?: SigningKeys;
}

export interface SigningKeys {
  privateJwk: JWK;
  publicJwk: JWK;
}

export interface AuthServer {
  issuer: string;
  handle(req: IncomingMessage, res: ServerResponse): void;
}

type TokenOwner = { clientId?: string };

const INTERNAL = 'x-mcp-lab-internal';
const AUTHORIZE = '/auth';
const INTROSPECTION = '/token/introspection';
const REVOCATION = '/token/revocation';

/**
 * A new RS256 signing key for the AS. Synchronous node:crypto on the main thread, not WebCrypto or
 * `generateKeyPair` (both run on a libuv pool thread): on Node 20 a WebCrypto job on a pool thread
 * can meet a stale OpenSSL error (nodejs/node#42919), and the stack twice failed to start under
 * load in CI while generating this key that way. `server/stack.test.ts` checks that start-up runs
 * no WebCrypto job at all.
 */
export function generateSigningKeys(): SigningKeys {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const meta = { kid: randomUUID(), alg: 'RS256', use: 'sig' };
  return {
    privateJwk: { ...(privateKey.export({ format: 'jwk' }) as JWK), ...meta },
    publicJwk: { ...(publicKey.export({ format: 'jwk' }) as JWK), ...meta },
  };
}

function configuration(o: AuthServerOptions, privateJwk: JWK): ProviderConfiguration {
  const accessTtl = o.accessTokenTtlSec ?? 300;
  const longTtl = o.refreshTokenTtlSec ?? 86_400;
  const origins = o.allowedOrigins ?? '*';
  return {
    adapter: memoryAdapter(),
    clients: [
      {
        client_id: o.resourceServerClient.clientId,
        client_secret: o.resourceServerClient.clientSecret,
        client_name: 'MCP Lab reference MCP server',
        grant_types: [],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [privateJwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    ttl: {
      AccessToken: accessTtl,
      AuthorizationCode: 60,
      Interaction: 600,
      RefreshToken: longTtl,
      Grant: longTtl,
      Session: longTtl,
    },
    // OAuth 2.1: PKCE for every client; oidc-provider 9 only knows S256.
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      registration: { enabled: true, initialAccessToken: false },
      // A client revokes its own tokens; the resource server (and a token's own client) introspects.
      revocation: {
        enabled: true,
        allowedPolicy: async (_ctx: unknown, c: ProviderClient, t: TokenOwner) => t.clientId === c.clientId,
      },
      introspection: {
        enabled: true,
        allowedPolicy: async (_ctx: unknown, c: ProviderClient, t: TokenOwner) =>
          c.clientId === o.resourceServerClient.clientId || t.clientId === c.clientId,
      },
      userinfo: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => o.resource,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx: unknown, indicator: string) => {
          if (indicator !== o.resource)
            throw new errors.InvalidTarget(`This authorization server only issues tokens for ${o.resource}.`);
          return {
            scope: MCP_SCOPES.join(' '),
            audience: o.resource,
            accessTokenFormat: 'jwt',
            accessTokenTTL: accessTtl,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    findAccount: async (_ctx, id) =>
      id === DEMO_ACCOUNT.username
        ? { accountId: id, claims: async () => ({ sub: id, name: DEMO_ACCOUNT.name }) }
        : undefined,
    // Refresh tokens for every client that registered the grant, without offline_access (MCP clients rarely ask for it).
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    expiresWithSession: async () => false,
    clientBasedCORS: (_ctx, origin) => originAllowed(origins, origin),
  };
}

function internalHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = { [INTERNAL]: '1' };
  for (const name of ['authorization', 'content-type', 'accept', 'user-agent']) {
    const v = req.headers[name];
    if (typeof v === 'string') out[name] = v;
  }
  return out;
}

/**
 * autoApprove: plays the browser against this server (authorization endpoint → login → consent →
 * resume, carrying oidc-provider's cookies) and returns where the last hop redirects: the client's
 * redirect URI with `code`, `state` and `iss`, or with an error.
 */
async function autoApproveRedirect(issuer: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const jar = new Map<string, string>();
  let next = new URL(req.url ?? AUTHORIZE, issuer);
  for (let hop = 0; hop < 8; hop++) {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const r = await fetch(next, { redirect: 'manual', headers: { [INTERNAL]: '1', cookie } });
    for (const c of r.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const eq = pair.indexOf('=');
      if (eq > 0) jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    const location = r.headers.get('location');
    if (!location) {
      res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'text/plain' });
      res.end(Buffer.from(await r.arrayBuffer()));
      return;
    }
    await r.body?.cancel();
    const target = new URL(location, next);
    const own = target.origin === new URL(issuer).origin;
    if (own && (target.pathname.startsWith(INTERACTION_PREFIX) || target.pathname.startsWith(AUTHORIZE))) {
      next = target;
      continue;
    }
    res.writeHead(303, { location: target.href, 'content-length': '0' }).end();
    return;
  }
  sendJson(res, 508, { error: 'server_error', error_description: 'autoApprove: too many redirects.' });
}

/** Handles JWTs at the introspection and revocation endpoints; other tokens go to oidc-provider. */
async function tokenEndpointRoute(
  provider: Provider,
  jwts: JwtAccessTokens,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  const body = await readBody(req);
  const form = new URLSearchParams(body.toString('utf8'));
  const token = form.get('token') ?? '';
  if (!isJwt(token)) {
    const r = await fetch(new URL(req.url ?? path, provider.issuer), {
      method: 'POST',
      headers: internalHeaders(req),
      body: new Uint8Array(body),
    });
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'cache-control', 'www-authenticate'])
      if (r.headers.has(name)) headers[name] = r.headers.get(name) ?? '';
    res.writeHead(r.status, headers).end(Buffer.from(await r.arrayBuffer()));
    return;
  }
  const caller = await authenticateClient(provider, req.headers.authorization, form);
  if (!caller)
    return sendJson(
      res,
      401,
      { error: 'invalid_client', error_description: 'Client authentication failed.' },
      { 'www-authenticate': 'Basic realm="token"' },
    );
  if (path === INTROSPECTION) return sendJson(res, 200, await jwts.introspect(token, caller));
  await jwts.revoke(token, caller);
  res.writeHead(200, { 'content-length': '0' }).end();
}

/**
 * The reference OAuth 2.1 authorization server on oidc-provider, configured for MCP: dynamic client
 * registration, PKCE S256, rotating refresh tokens, resource indicators with JWT access tokens for
 * the MCP server, `iss` in authorization responses (RFC 9207), revocation, introspection, CORS, and
 * login and consent pages for the demo account.
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization
 */
export async function createAuthServer(o: AuthServerOptions): Promise<AuthServer> {
  const { privateJwk, publicJwk } = o.signingKeys ?? generateSigningKeys();
  const provider = new Provider(o.issuer, configuration(o, privateJwk));
  const jwts = new JwtAccessTokens(provider, { keys: [publicJwk] });
  provider.on('server_error', (_ctx, error) => console.error('[reference AS] server error:', error));
  const callback = provider.callback();
  const origins = o.allowedOrigins ?? '*';
  const autoApprove = o.autoApprove ?? false;
  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // Our headers first: oidc-provider then leaves CORS alone, and registration gets it too.
    if (applyCors(req, res, origins, { methods: 'GET, POST, OPTIONS', exposeHeaders: 'WWW-Authenticate' }))
      return;
    const internal = req.headers[INTERNAL] === '1';
    const path = new URL(req.url ?? '/', o.issuer).pathname;
    if (await handleInteraction(provider, req, res, autoApprove)) return;
    if (autoApprove && !internal && req.method === 'GET' && path === AUTHORIZE)
      return autoApproveRedirect(o.issuer, req, res);
    if (!internal && req.method === 'POST' && (path === INTROSPECTION || path === REVOCATION))
      return tokenEndpointRoute(provider, jwts, req, res, path);
    callback(req, res);
  };
  return {
    issuer: o.issuer,
    handle: (req, res) => {
      route(req, res).catch((e: unknown) => {
        console.error('[reference AS]', e);
        if (!res.headersSent) sendJson(res, 500, { error: 'server_error', error_description: String(e) });
        else res.end();
      });
    },
  };
}

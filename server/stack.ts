import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createAuthServer, DEFAULT_SCOPES, generateSigningKeys, MCP_SCOPES } from './auth-server';
import { closeServer, listen, type OriginPolicy, sendJson } from './http';
import { createMcpResourceServer } from './mcp-server';

/**
 * The start-up stages, in the order `onStage` reports them (`server/main.ts` logs each to stderr
 * with the milliseconds since the process started):
 * - `ports bound`: both ports are taken; every request gets a 503 (Retry-After) for now.
 * - `generating the signing key`: RSA 2048 for RS256, synchronous node:crypto (see auth-server.ts).
 * - `provider configured`: oidc-provider is set up with that key.
 * - `AS listening`: the authorization server answers on its port.
 * - `MCP server listening`: the MCP server answers on its port.
 * - `ready`: the AS's metadata and JWKS and the MCP server's RFC 9728 metadata answered 200 over
 *   HTTP; from now on `GET /health` on the MCP port is 200.
 */
export const START_STAGES = [
  'ports bound',
  'generating the signing key',
  'provider configured',
  'AS listening',
  'MCP server listening',
  'ready',
] as const;
export type StartStage = (typeof START_STAGES)[number];

/** The health URL's path on the MCP port: 503 `{status:"starting", stage}` until ready, then 200. */
export const HEALTH_PATH = '/health';

/** How long the ready self-check waits for each of its requests. */
const SELF_CHECK_TIMEOUT_MS = 30_000;

export interface ReferenceStackOptions {
  /** Authorization server port; 0 (the default) picks a free one. */
  asPort?: number;
  /** MCP server port; 0 (the default) picks a free one. */
  mcpPort?: number;
  /** Approve the demo account at once, without login and consent pages (headless runs). */
  autoApprove?: boolean;
  /** Access token lifetime in seconds (default 300). */
  accessTokenTtlSec?: number;
  /** Refresh token lifetime in seconds (default one day). */
  refreshTokenTtlSec?: number;
  /** Browser origins allowed to call both servers (default every origin). */
  allowedOrigins?: OriginPolicy;
  /**
   * Told each start-up stage as it is reached, with a detail for people (ports, URLs). Awaited: a
   * test can look at the stack between stages.
   */
  onStage?: (stage: StartStage, detail: string) => void | Promise<void>;
}

export interface ReferenceStack {
  /** The authorization server's issuer, e.g. `http://localhost:3001`. */
  asUrl: string;
  /** The MCP endpoint, e.g. `http://localhost:3002/mcp`. */
  mcpUrl: string;
  /** RFC 9728 metadata (path-inserted URL). */
  resourceMetadataUrl: string;
  /** `GET` answers 200 with JSON once both servers are ready (`http://localhost:3002/health`). */
  healthUrl: string;
  close(): Promise<void>;
}

/** Both servers must answer over HTTP before the stack calls itself ready. */
async function selfCheck(urls: string[]): Promise<void> {
  await Promise.all(
    urls.map(async (url) => {
      const r = await fetch(url, { signal: AbortSignal.timeout(SELF_CHECK_TIMEOUT_MS) });
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`start-up self-check: ${url} answered HTTP ${r.status}.`);
    }),
  );
}

/**
 * Starts the real reference stack in this process: the oidc-provider authorization server and the
 * SDK MCP server that trusts it. URLs come from the ports actually bound. A taken port rejects with
 * `PortTakenError` ("Port 3001 is taken: set LAB_AS_PORT or stop the other process."). Until a
 * server is built its requests get a 503; `GET /health` on the MCP port says which stage the start
 * is at, and turns 200 only when both servers have answered over HTTP.
 */
export async function startReferenceStack(o: ReferenceStackOptions = {}): Promise<ReferenceStack> {
  let stage: StartStage | 'binding ports' = 'binding ports';
  let ready = false;
  const reach = async (next: StartStage, detail: string) => {
    stage = next;
    await o.onStage?.(next, detail);
  };
  // The ports are taken first (the AS's issuer and the resource name need them); until both
  // servers are built, a request gets a 503 at once instead of waiting on a socket nobody answers.
  const starting = (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(503, { 'retry-after': '1', 'content-type': 'text/plain' }).end('starting');
  };
  let asHandler = starting;
  let mcpHandler = starting;
  const asHttp = createServer((req, res) => asHandler(req, res));
  const mcpHttp = createServer((req, res) => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== HEALTH_PATH) return mcpHandler(req, res);
    if (!ready) return sendJson(res, 503, { status: 'starting', stage }, { 'retry-after': '1' });
    sendJson(res, 200, { status: 'ready', mcpUrl, asUrl, resourceMetadataUrl });
  });
  const asPort = await listen(asHttp, o.asPort ?? 0, 'LAB_AS_PORT');
  let mcpPort: number;
  try {
    mcpPort = await listen(mcpHttp, o.mcpPort ?? 0, 'LAB_MCP_PORT');
  } catch (e) {
    await closeServer(asHttp);
    throw e;
  }
  const asUrl = `http://localhost:${asPort}`;
  const mcpUrl = `http://localhost:${mcpPort}/mcp`;
  const healthUrl = `http://localhost:${mcpPort}${HEALTH_PATH}`;
  let resourceMetadataUrl = '';
  const resourceServerClient = {
    clientId: 'mcp-lab-reference-server',
    clientSecret: randomBytes(24).toString('base64url'),
  };
  const allowedOrigins = o.allowedOrigins ?? '*';
  let mcpClose = async () => {};
  try {
    await reach('ports bound', `AS port ${asPort}, MCP port ${mcpPort}; 503 until each server is built`);
    await reach('generating the signing key', 'RSA 2048, node:crypto');
    const signingKeys = generateSigningKeys();
    const as = await createAuthServer({
      issuer: asUrl,
      resource: mcpUrl,
      resourceServerClient,
      allowedOrigins,
      signingKeys,
      ...(o.autoApprove !== undefined ? { autoApprove: o.autoApprove } : {}),
      ...(o.accessTokenTtlSec !== undefined ? { accessTokenTtlSec: o.accessTokenTtlSec } : {}),
      ...(o.refreshTokenTtlSec !== undefined ? { refreshTokenTtlSec: o.refreshTokenTtlSec } : {}),
    });
    await reach('provider configured', `issuer ${asUrl}`);
    asHandler = as.handle;
    await reach('AS listening', asUrl);
    const mcp = createMcpResourceServer({
      resource: mcpUrl,
      issuer: asUrl,
      jwksUri: `${asUrl}/jwks`,
      introspection: { endpoint: `${asUrl}/token/introspection`, ...resourceServerClient },
      scopesSupported: MCP_SCOPES,
      defaultScopes: DEFAULT_SCOPES,
      allowedOrigins,
    });
    mcpClose = () => mcp.close();
    resourceMetadataUrl = mcp.metadataUrls[0];
    mcpHandler = mcp.handle;
    await reach('MCP server listening', mcpUrl);
    await selfCheck([
      `${asUrl}/.well-known/oauth-authorization-server`,
      `${asUrl}/jwks`,
      resourceMetadataUrl,
    ]);
    ready = true;
    await reach('ready', healthUrl);
    return {
      asUrl,
      mcpUrl,
      resourceMetadataUrl,
      healthUrl,
      close: async () => {
        ready = false;
        await mcpClose();
        await Promise.all([closeServer(mcpHttp), closeServer(asHttp)]);
      },
    };
  } catch (e) {
    await mcpClose();
    await Promise.all([closeServer(mcpHttp), closeServer(asHttp)]);
    throw e;
  }
}

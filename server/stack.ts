import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createAuthServer, DEFAULT_SCOPES, MCP_SCOPES } from './auth-server';
import { closeServer, listen, type OriginPolicy } from './http';
import { createMcpResourceServer } from './mcp-server';

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
}

export interface ReferenceStack {
  /** The authorization server's issuer, e.g. `http://localhost:3001`. */
  asUrl: string;
  /** The MCP endpoint, e.g. `http://localhost:3002/mcp`. */
  mcpUrl: string;
  /** RFC 9728 metadata (path-inserted URL). */
  resourceMetadataUrl: string;
  close(): Promise<void>;
}

/**
 * Starts the real reference stack in this process: the oidc-provider authorization server and the
 * SDK MCP server that trusts it. URLs come from the ports actually bound. A taken port rejects with
 * `PortTakenError` ("Port 3001 is taken: set LAB_AS_PORT or stop the other process.").
 */
export async function startReferenceStack(o: ReferenceStackOptions = {}): Promise<ReferenceStack> {
  // The ports are taken first (the AS's issuer and the resource name need them); until both
  // servers are built, a request gets a 503 at once instead of waiting on a socket nobody answers.
  const starting = (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(503, { 'retry-after': '1', 'content-type': 'text/plain' }).end('starting');
  };
  const asHttp = createServer(starting);
  const mcpHttp = createServer(starting);
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
  const resourceServerClient = {
    clientId: 'mcp-lab-reference-server',
    clientSecret: randomBytes(24).toString('base64url'),
  };
  const allowedOrigins = o.allowedOrigins ?? '*';
  try {
    const as = await createAuthServer({
      issuer: asUrl,
      resource: mcpUrl,
      resourceServerClient,
      allowedOrigins,
      ...(o.autoApprove !== undefined ? { autoApprove: o.autoApprove } : {}),
      ...(o.accessTokenTtlSec !== undefined ? { accessTokenTtlSec: o.accessTokenTtlSec } : {}),
      ...(o.refreshTokenTtlSec !== undefined ? { refreshTokenTtlSec: o.refreshTokenTtlSec } : {}),
    });
    const mcp = createMcpResourceServer({
      resource: mcpUrl,
      issuer: asUrl,
      jwksUri: `${asUrl}/jwks`,
      introspection: { endpoint: `${asUrl}/token/introspection`, ...resourceServerClient },
      scopesSupported: MCP_SCOPES,
      defaultScopes: DEFAULT_SCOPES,
      allowedOrigins,
    });
    asHttp.off('request', starting).on('request', as.handle);
    mcpHttp.off('request', starting).on('request', mcp.handle);
    return {
      asUrl,
      mcpUrl,
      resourceMetadataUrl: mcp.metadataUrls[0],
      close: async () => {
        await mcp.close();
        await Promise.all([closeServer(mcpHttp), closeServer(asHttp)]);
      },
    };
  } catch (e) {
    await Promise.all([closeServer(mcpHttp), closeServer(asHttp)]);
    throw e;
  }
}

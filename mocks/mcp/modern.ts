/**
 * The 2026-07-28 ("modern") era of MCP: no initialize and no session. Every request carries its
 * protocol version, client info and capabilities in a `_meta` envelope, mirrored by the
 * `MCP-Protocol-Version` and `Mcp-Method` headers; `server/discover` replaces initialize; list and
 * read results say how long they may be cached.
 */
import { type JsonRpcRequest, RpcError } from './jsonrpc';
import { LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS } from './methods';

export const MODERN_PROTOCOL_VERSIONS = ['2026-07-28'] as const;
export const PROTOCOL_VERSION_META_KEY = 'io.modelcontextprotocol/protocolVersion';
export const SERVER_INFO_META_KEY = 'io.modelcontextprotocol/serverInfo';
/** JSON-RPC error for a missing or mismatched MCP header (2026-07-28). */
export const HEADER_MISMATCH = -32020;

export function isModernVersion(v: unknown): v is string {
  return typeof v === 'string' && v >= MODERN_PROTOCOL_VERSIONS[0];
}

export function envelopeVersion(msg: JsonRpcRequest): unknown {
  return (msg.params?._meta as Record<string, unknown> | undefined)?.[PROTOCOL_VERSION_META_KEY];
}

/** Whether a request belongs to the modern era (by its header or its envelope). */
export function isModernRequest(msg: JsonRpcRequest, headerVersion: string | null): boolean {
  return isModernVersion(headerVersion) || isModernVersion(envelopeVersion(msg));
}

/** Checks the headers against the envelope; throws the -32020 error a 2026-07-28 server answers with. */
export function checkModernHeaders(msg: JsonRpcRequest, headers: Headers): string {
  const header = headers.get('mcp-protocol-version');
  const envelope = envelopeVersion(msg);
  if (!header)
    throw new RpcError(
      HEADER_MISMATCH,
      'MCP-Protocol-Version header is required on every 2026-07-28 request.',
    );
  if (typeof envelope !== 'string')
    throw new RpcError(
      HEADER_MISMATCH,
      `params._meta["${PROTOCOL_VERSION_META_KEY}"] is required on every 2026-07-28 request.`,
    );
  if (header !== envelope)
    throw new RpcError(
      HEADER_MISMATCH,
      `MCP-Protocol-Version header (${header}) differs from the request envelope (${envelope}).`,
    );
  const method = headers.get('mcp-method');
  if (method !== null && method !== msg.method)
    throw new RpcError(
      HEADER_MISMATCH,
      `Mcp-Method header (${method}) differs from the body's method (${msg.method}).`,
    );
  if (!(MODERN_PROTOCOL_VERSIONS as readonly string[]).includes(header))
    throw new RpcError(-32602, `Unsupported protocol version ${header}.`, {
      supported: [...MODERN_PROTOCOL_VERSIONS, ...SUPPORTED_PROTOCOL_VERSIONS],
    });
  if (msg.method === 'initialize')
    throw new RpcError(-32601, 'initialize does not exist in 2026-07-28: use server/discover.');
  return header;
}

export function discoverResult(serverName: string, serverId: string) {
  return {
    resultType: 'complete',
    supportedVersions: [...MODERN_PROTOCOL_VERSIONS, LATEST_PROTOCOL_VERSION],
    capabilities: {
      tools: { listChanged: true },
      resources: { listChanged: true },
      prompts: { listChanged: false },
    },
    ttlMs: 0,
    cacheScope: 'private',
    instructions: 'A mock MCP server for MCP Lab. Break it on purpose with the fault knobs.',
    _meta: {
      [SERVER_INFO_META_KEY]: { name: serverName, title: `MCP Lab mock: ${serverId}`, version: '1.0.0' },
    },
  };
}

const CACHEABLE = new Set([
  'tools/list',
  'prompts/list',
  'resources/list',
  'resources/templates/list',
  'resources/read',
]);

/** Adds what 2026-07-28 results carry: `resultType`, and cache hints on lists and reads (SEP-2549). */
export function modernResult(method: string, result: unknown): unknown {
  if (typeof result !== 'object' || result === null) return result;
  return {
    ...result,
    resultType: 'complete',
    ...(CACHEABLE.has(method) ? { ttlMs: 0, cacheScope: 'private' } : {}),
  };
}

import {
  getPrompt,
  PROMPTS,
  RESOURCE_TEMPLATES,
  RESOURCES,
  readResource,
  TOOLS,
  type ToolContext,
} from './catalog';
import { INVALID_PARAMS, INVALID_REQUEST, METHOD_NOT_FOUND, RpcError } from './jsonrpc';

/** Protocol revisions the mock speaks, newest first (2026-07-28's stateless era is answered as a 2025 server would). */
export const SUPPORTED_PROTOCOL_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05'] as const;
export const LATEST_PROTOCOL_VERSION = SUPPORTED_PROTOCOL_VERSIONS[0];

export interface McpSession {
  id: string;
  protocolVersion: string;
  clientInfo: unknown;
  clientCapabilities: Record<string, unknown>;
  initialized: boolean;
  createdAt: number;
}

export interface MethodContext extends ToolContext {
  serverName: string;
  pageSize: number;
  session: McpSession | undefined;
}

/** Picks the version to answer with: the client's when supported, else our latest (spec: lifecycle, version negotiation). */
export function negotiateVersion(requested: unknown): string {
  return typeof requested === 'string' &&
    (SUPPORTED_PROTOCOL_VERSIONS as readonly string[]).includes(requested)
    ? requested
    : LATEST_PROTOCOL_VERSION;
}

function page<T>(items: readonly T[], cursor: unknown, size: number): { items: T[]; nextCursor?: string } {
  let offset = 0;
  if (cursor !== undefined) {
    const decoded =
      typeof cursor === 'string' && /^[A-Za-z0-9+/=]+$/.test(cursor) ? Number(atob(cursor)) : Number.NaN;
    if (!Number.isInteger(decoded) || decoded < 0 || decoded > items.length)
      throw new RpcError(
        INVALID_PARAMS,
        'Invalid cursor: pass back the nextCursor of the previous page unchanged.',
      );
    offset = decoded;
  }
  const n = Math.max(1, size);
  const end = offset + n;
  return {
    items: items.slice(offset, end),
    ...(end < items.length ? { nextCursor: btoa(String(end)) } : {}),
  };
}

/** Answers one JSON-RPC request. Throws RpcError for protocol errors; tool failures are results with isError. */
export async function dispatch(
  method: string,
  params: Record<string, unknown>,
  ctx: MethodContext,
): Promise<unknown> {
  switch (method) {
    case 'initialize': {
      if (typeof params.protocolVersion !== 'string')
        throw new RpcError(INVALID_PARAMS, 'initialize needs params.protocolVersion.');
      return {
        protocolVersion: negotiateVersion(params.protocolVersion),
        capabilities: {
          tools: { listChanged: true },
          resources: { listChanged: true },
          prompts: { listChanged: false },
        },
        serverInfo: { name: ctx.serverName, title: `MCP Lab mock: ${ctx.serverId}`, version: '1.0.0' },
        instructions: 'A mock MCP server for MCP Lab. Break it on purpose with the fault knobs.',
      };
    }
    case 'ping':
      return {};
    case 'tools/list': {
      const { items, nextCursor } = page(TOOLS, params.cursor, ctx.pageSize);
      return {
        tools: items.map(({ run: _run, ...t }) => t),
        ...(nextCursor ? { nextCursor } : {}),
      };
    }
    case 'tools/call': {
      const tool = TOOLS.find((t) => t.name === params.name);
      if (!tool) throw new RpcError(INVALID_PARAMS, `Unknown tool: ${String(params.name)}`);
      const args = params.arguments ?? {};
      if (typeof args !== 'object' || args === null || Array.isArray(args))
        throw new RpcError(INVALID_PARAMS, 'tools/call arguments must be an object.');
      return tool.run(args as Record<string, unknown>, ctx);
    }
    case 'resources/list': {
      const { items, nextCursor } = page(RESOURCES, params.cursor, 50);
      return { resources: items.map(({ read: _read, ...r }) => r), ...(nextCursor ? { nextCursor } : {}) };
    }
    case 'resources/templates/list':
      return { resourceTemplates: RESOURCE_TEMPLATES };
    case 'resources/read':
      if (typeof params.uri !== 'string')
        throw new RpcError(INVALID_PARAMS, 'resources/read needs params.uri.');
      return { contents: [await readResource(params.uri, ctx.notes)] };
    case 'prompts/list':
      return { prompts: PROMPTS };
    case 'prompts/get':
      return getPrompt(String(params.name), (params.arguments as Record<string, unknown>) ?? {});
    default:
      if (method.startsWith('notifications/'))
        throw new RpcError(INVALID_REQUEST, `${method} is a notification: send it without an id.`);
      throw new RpcError(METHOD_NOT_FOUND, `Method not found: ${method}`);
  }
}

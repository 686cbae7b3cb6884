/**
 * Real `node:http` servers on an ephemeral 127.0.0.1 port, for tests that need what an in-process
 * mock cannot give: a socket, a body that streams, and a count of the bytes that actually left.
 * Only tests import this module.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void | Promise<void>;

/** Starts a server that hands each request, with its body read as text, to `handler`. */
export async function startHttpServer(handler: Handler): Promise<TestServer> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      Promise.resolve()
        .then(() => handler(req, res, Buffer.concat(chunks).toString('utf8')))
        .catch(() => {
          if (!res.headersSent) res.writeHead(500);
          res.end();
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** How much of a streamed body left the server, and whether the client hung up before the end. */
export interface StreamReport {
  sent: number;
  /** Resolves when the stream ended: completely, or because the client closed the connection. */
  done: Promise<{ sent: number; complete: boolean }>;
}

/**
 * Streams `total` bytes (`prefix` first, then filler) in 64 KiB chunks, waiting for the socket to
 * drain between chunks, so the count says how much the client really pulled.
 */
export function streamBody(
  res: ServerResponse,
  total: number,
  options: { status?: number; contentType?: string; prefix?: string } = {},
): StreamReport {
  const chunk = Buffer.alloc(64 * 1024, 'a'.charCodeAt(0));
  const report: StreamReport = { sent: 0, done: Promise.resolve({ sent: 0, complete: false }) };
  report.done = new Promise((resolve) => {
    let closed = false;
    res.on('close', () => {
      closed = true;
      resolve({ sent: report.sent, complete: report.sent >= total });
    });
    res.writeHead(options.status ?? 200, { 'content-type': options.contentType ?? 'application/json' });
    const pump = () => {
      while (!closed && report.sent < total) {
        const piece =
          report.sent === 0 && options.prefix
            ? Buffer.from(options.prefix)
            : chunk.subarray(0, Math.min(chunk.length, total - report.sent));
        report.sent += piece.length;
        if (!res.write(piece)) {
          res.once('drain', pump);
          return;
        }
      }
      if (!closed) res.end();
    };
    pump();
  });
  return report;
}

export interface Tool {
  name: string;
  description?: string;
  inputSchema: { type: 'object' };
}

/** JSON-RPC answer of a request. */
function answer(res: ServerResponse, id: unknown, result: unknown): void {
  const text = JSON.stringify({ jsonrpc: '2.0', id, result });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** `count` tools whose descriptions add up to about `bytes`. */
export function manyTools(bytes: number, count = 200): Tool[] {
  const each = Math.ceil(bytes / count);
  return Array.from({ length: count }, (_, i) => ({
    name: `tool_${i}`,
    description: `Tool ${i}: ${'x'.repeat(each)}`,
    inputSchema: { type: 'object' },
  }));
}

export interface McpServerOptions {
  /** The tools `tools/list` returns (one page). */
  tools?: Tool[];
  /** The text every `tools/call` returns. */
  toolText?: string;
  /** Answers `method` itself instead of the default; return true when it did. */
  override?: (method: string, res: ServerResponse, id: unknown) => boolean;
}

/**
 * A minimal MCP server without auth at `<origin>/mcp`, answering JSON (not event streams):
 * initialize, tools/list and tools/call; notifications get 202; other methods -32601.
 */
export function startMcpServer(options: McpServerOptions = {}): Promise<TestServer> {
  return startHttpServer((req, res, body) => {
    if (req.method !== 'POST') {
      res.writeHead(405).end();
      return;
    }
    const msg = JSON.parse(body) as { id?: unknown; method?: string; params?: { protocolVersion?: string } };
    const method = msg.method ?? '';
    if (msg.id === undefined) {
      res.writeHead(202).end();
      return;
    }
    if (options.override?.(method, res, msg.id)) return;
    if (method === 'initialize')
      return answer(res, msg.id, {
        protocolVersion: msg.params?.protocolVersion ?? '2025-11-25',
        capabilities: { tools: {} },
        serverInfo: { name: 'test-http-server', version: '1' },
      });
    if (method === 'tools/list') return answer(res, msg.id, { tools: options.tools ?? [] });
    if (method === 'tools/call')
      return answer(res, msg.id, { content: [{ type: 'text', text: options.toolText ?? 'ok' }] });
    const text = JSON.stringify({
      jsonrpc: '2.0',
      id: msg.id,
      error: { code: -32601, message: `Method not found: ${method}` },
    });
    res.writeHead(200, { 'content-type': 'application/json' }).end(text);
  });
}

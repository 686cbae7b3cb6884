/**
 * The HTTP+SSE transport of protocol 2024-11-05 (still spoken by many servers): `GET /sse` opens
 * an event stream whose first event names the endpoint for POSTs; each POSTed message is accepted
 * with 202 and answered on the stream.
 */
import { empty, json, randomId, withCors } from '../http';
import {
  classify,
  INVALID_REQUEST,
  type JsonRpcRequest,
  type JsonRpcResponse,
  PARSE_ERROR,
  rpcError,
} from './jsonrpc';
import type { McpSession } from './methods';

type Answer = (
  msg: JsonRpcRequest,
  session: McpSession,
  emit: (n: unknown) => void,
) => Promise<JsonRpcResponse>;

interface Stream {
  session: McpSession;
  send(message: unknown): void;
}

export class LegacySseEndpoint {
  readonly streams = new Map<string, Stream>();

  constructor(
    readonly origin: string,
    readonly now: () => number,
  ) {}

  get sseUrl(): string {
    return `${this.origin}/sse`;
  }
  get messagesUrl(): string {
    return `${this.origin}/messages`;
  }

  owns(href: string): boolean {
    return href === this.sseUrl || href === this.messagesUrl;
  }

  /** GET /sse: a stream that starts with the `endpoint` event. */
  open(): Response {
    const id = randomId('sse_', 12);
    const enc = new TextEncoder();
    const session: McpSession = {
      id,
      protocolVersion: '',
      clientInfo: undefined,
      clientCapabilities: {},
      initialized: false,
      createdAt: this.now(),
    };
    const stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        const write = (event: string, data: string) => {
          try {
            controller.enqueue(enc.encode(`event: ${event}\ndata: ${data}\n\n`));
          } catch {
            this.streams.delete(id);
          }
        };
        this.streams.set(id, { session, send: (m) => write('message', JSON.stringify(m)) });
        write('endpoint', `/messages?sessionId=${id}`);
      },
      cancel: () => {
        this.streams.delete(id);
      },
    });
    const headers = withCors();
    headers.set('content-type', 'text/event-stream');
    headers.set('cache-control', 'no-cache');
    return new Response(stream, { status: 200, headers });
  }

  /** POST /messages?sessionId=…: 202 now, the answer on the stream. */
  async post(request: Request, url: URL, answer: Answer): Promise<Response> {
    const stream = this.streams.get(url.searchParams.get('sessionId') ?? '');
    if (!stream)
      return json(rpcError(null, -32001, 'Unknown or closed SSE session: open GET /sse again.'), 404);
    let body: unknown;
    try {
      body = JSON.parse(await request.text());
    } catch {
      return json(rpcError(null, PARSE_ERROR, 'Parse error: the body is not valid JSON.'), 400);
    }
    const m = classify(body);
    if (m.kind === 'invalid') stream.send(rpcError(m.id, INVALID_REQUEST, `Invalid Request: ${m.why}`));
    if (m.kind === 'notification' && m.msg.method === 'notifications/initialized')
      stream.session.initialized = true;
    if (m.kind === 'request')
      void answer(m.msg, stream.session, (n) => stream.send(n)).then((r) => stream.send(r));
    return empty(202);
  }
}

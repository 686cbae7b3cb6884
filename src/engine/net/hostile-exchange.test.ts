// HX*: answers a server chooses the size of (rules in requirements.ts). Real node:http servers on
// 127.0.0.1, because the hang and the memory cost only show with a real socket and a real stream.
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { NodeSecretBox } from '../../cli/node-secret-box';
import { RealClock } from '../clock';
import { createEngine } from '../engine';
import { isLabError, LabError, labCause } from '../errors';
import { TimelineRecorder } from '../timeline/recorder';
import { JSON_RPC_RESPONSE_LIMIT, OAUTH_RESPONSE_LIMIT } from './body-limit';
import { BODY_CAPTURE_LIMIT } from './describe';
import { createInstrumentedFetch, type InstrumentedFetchOptions } from './instrumented-fetch';
import {
  manyTools,
  type StreamReport,
  startHttpServer,
  startMcpServer,
  streamBody,
  type TestServer,
} from './test-http-servers';

// Generous: the machine may be busy. These say "completes", never "fast".
const SLOW = 60_000;
const MB = 1024 * 1024;

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function keep(server: Promise<TestServer>): Promise<TestServer> {
  const s = await server;
  servers.push(s);
  return s;
}

function setup(extra: Partial<InstrumentedFetchOptions> = {}) {
  const recorder = new TimelineRecorder(new RealClock());
  return { recorder, fetchFor: createInstrumentedFetch({ recorder, pageOrigin: null, ...extra }) };
}

const alice = { tenant: 't', user: { id: 'alice' } };
const engineOptions = {
  redirectUri: 'http://127.0.0.1:33418/oauth/callback',
  secretBox: new NodeSecretBox(),
  timings: { connectAttempts: 1 },
};

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a failure');
}

/** JS heap plus array buffers: where a buffered body would land. */
const memory = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

const rpc = (id: number, method: string, params: Record<string, unknown> = {}) =>
  JSON.stringify({ jsonrpc: '2.0', id, method, params });
const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

describe('HX1: capturing a large answer for the timeline never holds up the caller', () => {
  it(
    'HX1: a 200 KB JSON answer through the instrumented fetch reaches the caller whole; the timeline copy is truncated at the cap',
    async () => {
      const big = JSON.stringify({ tools: manyTools(200_000) });
      const server = await keep(
        startHttpServer((_req, res) => {
          res.writeHead(200, { 'content-type': 'application/json' }).end(big);
        }),
      );
      const { recorder, fetchFor } = setup();
      const res = await fetchFor('mcp')(`${server.origin}/mcp`, {
        method: 'POST',
        headers: MCP_HEADERS,
        body: rpc(2, 'tools/list'),
      });
      expect(await res.text()).toBe(big);
      const plain = await fetchFor('as')(`${server.origin}/anything`);
      expect(await plain.text()).toBe(big);
      const events = recorder.events.filter((e) => e.kind === 'http');
      expect(events).toHaveLength(2);
      for (const e of events) {
        expect(e.http?.response?.body).toMatch(
          new RegExp(`… \\(truncated at ${BODY_CAPTURE_LIMIT} bytes\\)$`),
        );
        expect(e.http?.response?.body?.length).toBeLessThan(BODY_CAPTURE_LIMIT + 100);
      }
      expect(events[0]?.http?.label).toBe('tools/list');
    },
    SLOW,
  );

  it(
    'HX1: a 200 KB request body given as a Request is recorded (truncated) and still sent whole',
    async () => {
      let received = '';
      const server = await keep(
        startHttpServer((_req, res, body) => {
          received = body;
          res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        }),
      );
      const { recorder, fetchFor } = setup();
      const payload = JSON.stringify({ data: 'y'.repeat(200_000) });
      const res = await fetchFor('mcp')(
        new Request(`${server.origin}/upload`, { method: 'POST', headers: MCP_HEADERS, body: payload }),
      );
      expect(await res.json()).toEqual({});
      expect(received).toBe(payload);
      expect(recorder.events[0]?.http?.request.body).toMatch(/… \(truncated at \d+ bytes\)$/);
    },
    SLOW,
  );

  it(
    'HX1: a full engine connect, listTools and a tool call against a server whose answers are 200 KB each',
    async () => {
      const tools = manyTools(200_000);
      const toolText = 'z'.repeat(200_000);
      const server = await keep(startMcpServer({ tools, toolText }));
      const engine = createEngine(engineOptions);
      const conn = await engine.connect({ name: 'big', url: `${server.origin}/mcp` }, alice);
      try {
        const listed = await conn.listTools();
        expect(listed.tools).toHaveLength(tools.length);
        expect(listed.tools.map((t) => t.name)).toEqual(tools.map((t) => t.name));
        const result = (await conn.callTool('tool_0')) as { content: Array<{ text: string }> };
        expect(result.content[0]?.text).toBe(toolText);
      } finally {
        await conn.close();
      }
      const list = engine.recorder.events.find((e) => e.kind === 'http' && e.http?.label === 'tools/list');
      expect(list?.http?.response?.body).toMatch(/… \(truncated at \d+ bytes\)$/);
    },
    SLOW,
  );
});

/** An MCP server that asks for OAuth and streams `prmBytes` of protected resource metadata. */
async function hostilePrmServer(prmBytes: number): Promise<{ server: TestServer; prm: () => StreamReport }> {
  let report: StreamReport | undefined;
  const server = await keep(
    startHttpServer((req, res) => {
      const origin = `http://${req.headers.host}`;
      if (req.url?.startsWith('/.well-known/oauth-protected-resource')) {
        report = streamBody(res, prmBytes, { prefix: `{"resource":"${origin}/mcp","x":"` });
        return;
      }
      res
        .writeHead(401, {
          'www-authenticate': `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp"`,
        })
        .end();
    }),
  );
  return {
    server,
    prm: () => {
      if (!report) throw new Error('the PRM was never requested');
      return report;
    },
  };
}

describe('HX2: OAuth answers the engine parses are bounded', () => {
  it(
    'HX2: a 50 MB protected resource metadata fails the connect with too_large, without downloading or buffering it',
    async () => {
      const { server, prm } = await hostilePrmServer(50 * MB);
      const engine = createEngine(engineOptions);
      const before = memory();
      const e = await caught(engine.connect({ name: 'hostile', url: `${server.origin}/mcp` }, alice, {}));
      // The OAuth flow fails with the limit's error (F16 carries its message to the connect).
      expect(isLabError(e), String(e)).toBe(true);
      const message = (e as LabError).message;
      expect(message).toContain(
        `Failed to read the protected resource metadata from ${server.origin}/.well-known/oauth-protected-resource/mcp: the answer is larger than 1 MiB (1048576 bytes)`,
      );
      expect(message).toContain('raise responseLimits.oauth in the engine options');
      expect(message).not.toContain('must publish RFC 9728 metadata');
      // The client hung up long before the end: what left the server is the limit plus socket buffers.
      const { sent, complete } = await prm().done;
      expect(complete).toBe(false);
      expect(sent).toBeLessThan(20 * MB);
      // Buffered whole, 50 MB of body would cost well over 100 MB (bytes, then a string of them).
      expect(memory() - before).toBeLessThan(100 * MB);
      const note = engine.recorder.events.find((ev) => ev.kind === 'decision' && ev.ruleIds.includes('HX2'));
      expect(note).toMatchObject({ level: 'error' });
      expect(note?.summary).toMatch(
        /^Stopped reading GET .*oauth-protected-resource\/mcp \(PRM\): larger than 1 MiB/,
      );
    },
    SLOW,
  );

  it.each([
    ['AS metadata', 'AS metadata', 'GET', undefined, 'authorization server metadata'],
    [
      'registration',
      'register',
      'POST',
      JSON.stringify({ redirect_uris: ['http://127.0.0.1/cb'] }),
      'registration response',
    ],
    [
      'token (label read from the body)',
      undefined,
      'POST',
      'grant_type=authorization_code&code=c',
      'token: authorization_code response',
    ],
    [
      'refresh',
      'token: refresh_token',
      'POST',
      'grant_type=refresh_token&refresh_token=r',
      'token: refresh_token response',
    ],
  ] as const)(
    'HX2: a %s answer past the limit errors while streaming, with a message that names it, its URL and the limit',
    async (_name, label, method, body, what) => {
      let report: StreamReport | undefined;
      const server = await keep(
        startHttpServer((_req, res) => {
          report = streamBody(res, 8 * MB, { status: method === 'POST' ? 400 : 200 });
        }),
      );
      const { fetchFor } = setup();
      const res = await fetchFor('as', label)(`${server.origin}/oauth/step?secret=q`, {
        method,
        ...(body ? { body, headers: { 'content-type': 'application/x-www-form-urlencoded' } } : {}),
      });
      const e = await caught(res.json());
      expect(isLabError(e, 'too_large')).toBe(true);
      const message = (e as LabError).message;
      expect(message).toContain(`Failed to read the ${what} from ${server.origin}/oauth/step:`);
      expect(message).not.toContain('secret=q');
      expect(message).toContain('larger than 1 MiB (1048576 bytes)');
      expect((e as LabError).ruleIds).toContain('HX2');
      expect((e as LabError).details).toMatchObject({ limit: OAUTH_RESPONSE_LIMIT, kind: 'oauth' });
      const done = await report?.done;
      expect(done?.complete).toBe(false);
    },
    SLOW,
  );

  it(
    'HX2: the limit is an engine option; answers under it reach the parser whole',
    async () => {
      const { server, prm } = await hostilePrmServer(20_000);
      const engine = createEngine({ ...engineOptions, responseLimits: { oauth: 10_000 } });
      const e = await caught(engine.connect({ name: 'small', url: `${server.origin}/mcp` }, alice, {}));
      expect((e as Error).message).toContain('larger than 10000 bytes');
      await prm().done;
      // 900 KB of metadata is under the default limit: the caller reads all of it.
      const metadata = JSON.stringify({ issuer: 'http://127.0.0.1', pad: 'p'.repeat(900_000) });
      const as = await keep(
        startHttpServer((_req, res) => {
          res.writeHead(200, { 'content-type': 'application/json' }).end(metadata);
        }),
      );
      const { fetchFor } = setup();
      const res = await fetchFor('as', 'AS metadata')(`${as.origin}/.well-known/oauth-authorization-server`);
      expect(await res.text()).toBe(metadata);
    },
    SLOW,
  );
});

describe('HX3: JSON-RPC answers are bounded', () => {
  /** Answers tools/list with `bytes` of streamed JSON. */
  const streamingToolsList = (bytes: number, reports: StreamReport[]) =>
    startMcpServer({
      override: (method: string, res: ServerResponse, id: unknown) => {
        if (method !== 'tools/list') return false;
        reports.push(streamBody(res, bytes, { prefix: `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"x":"` }));
        return true;
      },
    });

  it(
    'HX3: a tools/list answer past 32 MiB fails listTools with too_large, and the rest is never downloaded',
    async () => {
      const reports: StreamReport[] = [];
      const server = await keep(streamingToolsList(JSON_RPC_RESPONSE_LIMIT + 40 * MB, reports));
      const engine = createEngine(engineOptions);
      const conn = await engine.connect({ name: 'huge', url: `${server.origin}/mcp` }, alice);
      try {
        const e = await caught(conn.listTools());
        const tooLarge = labCause(e, 'too_large');
        expect(tooLarge, String(e)).toBeInstanceOf(LabError);
        expect(tooLarge?.ruleIds).toContain('HX3');
        expect(tooLarge?.message).toContain(`Failed to read the tools/list answer from ${server.origin}/mcp`);
        expect(tooLarge?.message).toContain('larger than 32 MiB');
        expect(tooLarge?.message).toContain('responseLimits.jsonRpc');
      } finally {
        await conn.close();
      }
      const { sent, complete } = (await reports[0]?.done) ?? { sent: 0, complete: true };
      expect(complete).toBe(false);
      expect(sent).toBeLessThan(JSON_RPC_RESPONSE_LIMIT + 20 * MB);
    },
    SLOW,
  );

  it(
    'HX3: the limit is an engine option, and event streams are not subject to it',
    async () => {
      const reports: StreamReport[] = [];
      const server = await keep(streamingToolsList(200_000, reports));
      const engine = createEngine({ ...engineOptions, responseLimits: { jsonRpc: 100_000 } });
      const conn = await engine.connect({ name: 'capped', url: `${server.origin}/mcp` }, alice);
      try {
        const e = await caught(conn.listTools());
        expect(labCause(e, 'too_large')?.message).toContain('larger than 100000 bytes');
      } finally {
        await conn.close();
      }
      // An oversized initialize answer fails the connect at once: a retry would download it again.
      let initializes = 0;
      const bigInit = await keep(
        startMcpServer({
          override: (method, res, id) => {
            if (method !== 'initialize') return false;
            initializes++;
            streamBody(res, 300_000, { prefix: `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"x":"` });
            return true;
          },
        }),
      );
      const retrying = createEngine({ ...engineOptions, timings: {}, responseLimits: { jsonRpc: 100_000 } });
      const refused = await caught(
        retrying.connect({ name: 'big-init', url: `${bigInit.origin}/mcp` }, alice),
      );
      expect(labCause(refused, 'too_large')?.message, String(refused)).toContain(
        `Failed to read the initialize answer from ${bigInit.origin}/mcp`,
      );
      expect(initializes).toBe(1);
      // The same 200 KB as one server-sent event passes: streams are read message by message.
      const tools = manyTools(200_000);
      const sse = await keep(
        startMcpServer({
          override: (method, res, id) => {
            if (method !== 'tools/list') return false;
            const data = JSON.stringify({ jsonrpc: '2.0', id, result: { tools } });
            res
              .writeHead(200, { 'content-type': 'text/event-stream' })
              .end(`event: message\ndata: ${data}\n\n`);
            return true;
          },
        }),
      );
      const sseConn = await engine.connect({ name: 'sse', url: `${sse.origin}/mcp` }, alice);
      try {
        expect((await sseConn.listTools()).tools).toHaveLength(tools.length);
      } finally {
        await sseConn.close();
      }
    },
    SLOW,
  );
});

// NET*: requirement IDs of the instrumented fetch (DESIGN.md principle 4, "everything observable");
// D8 and T7 are spec rules (spec/behaviour.md).
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockServer } from '../../../mocks/node';
import { RealClock } from '../clock';
import { isLabError, LabError } from '../errors';
import { TimelineRecorder } from '../timeline/recorder';
import { labErrorOf } from './fetch-errors';
import { createInstrumentedFetch, type FetchLike, type InstrumentedFetchOptions } from './instrumented-fetch';

const mocks = startMockServer();
afterAll(() => mocks.close());
beforeEach(() => mocks.world.reset());

const TOKEN = 'https://auth.dcr.mock.test/token';
const NOAUTH = 'https://noauth.mock.test/mcp';
const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const rpc = (id: number, method: string, params: Record<string, unknown> = {}) => ({
  jsonrpc: '2.0',
  id,
  method,
  params,
});
const INIT = rpc(1, 'initialize', {
  protocolVersion: '2025-11-25',
  capabilities: {},
  clientInfo: { name: 'net-test', version: '1' },
});

function setup(extra: Partial<InstrumentedFetchOptions> = {}) {
  const recorder = new TimelineRecorder(new RealClock());
  const fetchFor = createInstrumentedFetch({ recorder, pageOrigin: null, ...extra });
  return { recorder, fetchFor };
}

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a failure');
}

async function initialize(fetchFn: FetchLike): Promise<string> {
  const res = await fetchFn(NOAUTH, { method: 'POST', headers: MCP_HEADERS, body: JSON.stringify(INIT) });
  await res.text();
  const session = res.headers.get('mcp-session-id') ?? '';
  const headers = { ...MCP_HEADERS, 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' };
  await fetchFn(NOAUTH, {
    method: 'POST',
    headers,
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  });
  return session;
}

describe('recording', () => {
  it('NET1: one call is one http event with request, response, duration and a readable summary', async () => {
    const { recorder, fetchFor } = setup();
    const res = await fetchFor('as')(TOKEN, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: 'rt-canary-0123456789',
        client_id: 'nobody',
      }),
    });
    const body = (await res.json()) as { error?: string };
    expect(body.error).toMatch(/^invalid_/);
    expect(recorder.events).toHaveLength(1);
    const e = recorder.events[0];
    expect(e).toMatchObject({
      kind: 'http',
      lane: 'as',
      level: 'warn',
      summary: `POST /token → ${res.status} (token: refresh_token)`, // no statusText: browsers on HTTP/2 have none
      http: {
        from: 'host',
        to: 'as',
        label: 'token: refresh_token',
        request: { method: 'POST', url: TOKEN },
      },
    });
    expect(e?.http?.request.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(e?.http?.request.body).toContain('grant_type=refresh_token');
    expect(e?.http?.request.body).not.toContain('rt-canary-0123456789');
    expect(e?.http?.response?.status).toBe(res.status);
    expect(e?.http?.response?.body).toContain(body.error);
    expect(e?.http?.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('NET2: labels come from JSON-RPC methods (also batches); an explicit label wins', async () => {
    const { recorder, fetchFor } = setup();
    const session = await initialize(fetchFor('mcp'));
    const headers = { ...MCP_HEADERS, 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' };
    const batch = [
      rpc(2, 'tools/list'),
      rpc(3, 'tools/call', { name: 'echo', arguments: { message: 'hi' } }),
    ];
    const res = await fetchFor('mcp')(NOAUTH, { method: 'POST', headers, body: JSON.stringify(batch) });
    expect(await res.text()).toContain('"hi"');
    await (
      await fetchFor('mcp', 'list tools')(NOAUTH, {
        method: 'POST',
        headers,
        body: JSON.stringify(rpc(4, 'tools/list')),
      })
    ).text();
    expect(recorder.events.map((e) => e.summary)).toEqual([
      'POST /mcp → 200 (initialize)',
      'POST /mcp → 202 (notifications/initialized)',
      'POST /mcp → 200 (batch: tools/list, tools/call echo)',
      'POST /mcp → 200 (list tools)',
    ]);
  });

  it('NET3: a Request object works as input: its body is recorded and still sent', async () => {
    const { recorder, fetchFor } = setup();
    const request = new Request(NOAUTH, { method: 'POST', headers: MCP_HEADERS, body: JSON.stringify(INIT) });
    const res = await fetchFor('mcp')(request);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('protocolVersion');
    expect(recorder.events[0]?.http?.request.body).toContain('"initialize"');
    expect(recorder.events[0]?.http?.label).toBe('initialize');
  });
});

describe('event streams', () => {
  it('NET4: an SSE response reaches the caller at once, before the stream ends, and is recorded as "(event stream)"', async () => {
    const enc = new TextEncoder();
    let push: ((s: string) => void) | undefined;
    let close: (() => void) | undefined;
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        push = (s) => c.enqueue(enc.encode(s));
        close = () => c.close();
      },
    });
    const fake: FetchLike = async () =>
      new Response(stream, { status: 200, headers: { 'content-type': 'text/event-stream' } });
    const { recorder, fetchFor } = setup({ fetch: fake });
    push?.('event: message\ndata: {"first":true}\n\n');
    // The stream is still open: if the fetch waited for it to end, this would never resolve.
    const res = await fetchFor('mcp')(NOAUTH, {
      method: 'POST',
      body: JSON.stringify(rpc(1, 'tools/call', { name: 'slow' })),
    });
    expect(recorder.events[0]?.http?.response?.body).toBe('(event stream)');
    const reader = res.body?.getReader();
    const first = await reader?.read();
    expect(new TextDecoder().decode(first?.value)).toContain('"first":true');
    push?.('event: message\ndata: {"second":true}\n\n');
    close?.();
    const second = await reader?.read();
    expect(new TextDecoder().decode(second?.value)).toContain('"second":true');
    expect((await reader?.read())?.done).toBe(true);
  });

  it('NET4: a slow mock tool streams progress through the instrumented fetch while it runs', async () => {
    const { fetchFor } = setup();
    const mcp = fetchFor('mcp');
    const session = await initialize(mcp);
    const headers = { ...MCP_HEADERS, 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' };
    const started = Date.now();
    const args = { name: 'slow', arguments: { seconds: 2 }, _meta: { progressToken: 'p1' } };
    const res = await mcp(NOAUTH, {
      method: 'POST',
      headers,
      body: JSON.stringify(rpc(5, 'tools/call', args)),
    });
    const reader = res.body?.getReader();
    const first = new TextDecoder().decode((await reader?.read())?.value);
    const firstAfter = Date.now() - started;
    let rest = '';
    for (let c = await reader?.read(); c && !c.done; c = await reader?.read())
      rest += new TextDecoder().decode(c.value);
    const finishedAfter = Date.now() - started;
    // The mock sends progress at 1 s and 2 s, then the result: the caller reads the first progress a
    // second before the stream ends, so nothing waited for the whole body.
    expect(first).toContain('notifications/progress');
    expect(first).not.toContain('Waited 2 s.');
    expect(rest).toContain('Waited 2 s.');
    expect(finishedAfter - firstAfter).toBeGreaterThanOrEqual(700);
  });
});

describe('failures', () => {
  it('NET5: a dropped connection (mock network error) is a network failure, recorded and thrown as LabError', async () => {
    mocks.world.setKnobs('dcr', { tokenError: { kind: 'network', grant: 'any', remaining: null } });
    const { recorder, fetchFor } = setup();
    const e = await caught(
      fetchFor('as')(TOKEN, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token' }) }),
    );
    expect(isLabError(e, 'network')).toBe(true);
    expect((e as LabError).message).toBe(
      'Failed to reach https://auth.dcr.mock.test/token: the connection was dropped (network error). Check the URL and that the server is running and reachable from here.',
    );
    expect(recorder.events).toHaveLength(1);
    expect(recorder.events[0]).toMatchObject({
      level: 'error',
      summary: 'POST /token → network error (token: refresh_token)',
      http: { failure: expect.stringMatching(/^network: Failed to reach/) },
    });
    expect(recorder.events[0]?.http?.response).toBeUndefined();
  });

  it('NET6: in a browser, a cross-origin fetch TypeError is diagnosed as CORS; same-origin or in Node it is network', async () => {
    const failing: FetchLike = () => Promise.reject(new TypeError('Failed to fetch'));
    const browser = setup({ fetch: failing, pageOrigin: 'http://localhost:5173' });
    const cors = await caught(browser.fetchFor('mcp')('https://mcp.example.com/mcp?x=1', { method: 'POST' }));
    expect(isLabError(cors, 'cors')).toBe(true);
    expect((cors as LabError).message).toMatch(
      /^Failed to reach https:\/\/mcp\.example\.com\/mcp: the server at https:\/\/mcp\.example\.com does not allow cross-origin requests from this page \(CORS\) or is unreachable\./,
    );
    expect(browser.recorder.events[0]?.summary).toBe('POST /mcp → CORS error');
    const same = await caught(browser.fetchFor('host')('http://localhost:5173/api'));
    expect(isLabError(same, 'network')).toBe(true);
    const node = await caught(setup({ fetch: failing }).fetchFor('mcp')('https://mcp.example.com/mcp'));
    expect(isLabError(node, 'network')).toBe(true);
  });

  it('NET7: an aborted request is "aborted", a timed-out signal is "timeout"', async () => {
    const { recorder, fetchFor } = setup();
    const ac = new AbortController();
    ac.abort();
    const aborted = await caught(fetchFor('mcp')(NOAUTH, { method: 'POST', body: '{}', signal: ac.signal }));
    expect(isLabError(aborted, 'aborted')).toBe(true);
    expect(recorder.events[0]).toMatchObject({ level: 'warn', summary: 'POST /mcp → aborted error' });
    const hang: FetchLike = (_i, init) =>
      new Promise((_r, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    const timedOut = await caught(
      setup({ fetch: hang }).fetchFor('mcp')(NOAUTH, { signal: AbortSignal.timeout(5) }),
    );
    expect(isLabError(timedOut, 'timeout')).toBe(true);
  });

  it('NET8: fetch-compatible mode throws a TypeError carrying the diagnosis, and the original AbortError', async () => {
    const failing: FetchLike = () => Promise.reject(new TypeError('Failed to fetch'));
    const { fetchFor } = setup({
      fetch: failing,
      pageOrigin: 'http://localhost:5173',
      fetchCompatibleErrors: true,
    });
    const e = await caught(fetchFor('as')('https://as.example.com/.well-known/oauth-authorization-server'));
    expect(e).toBeInstanceOf(TypeError);
    expect(e).not.toBeInstanceOf(LabError);
    expect(labErrorOf(e)?.code).toBe('cors');
    expect((e as Error).message).toContain('does not allow cross-origin requests');
    const ac = new AbortController();
    ac.abort();
    const abort = await caught(
      setup({ fetchCompatibleErrors: true }).fetchFor('mcp')(NOAUTH, { signal: ac.signal }),
    );
    expect((abort as Error).name).toBe('AbortError');
  });
});

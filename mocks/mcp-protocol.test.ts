import { Client as ClientV2, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockServer } from './node';
import { MOCK_CLIENT_METADATA_URL } from './presets';
import { MemoryProvider } from './testing/memory-provider';
import { grant } from './testing/oauth-steps';
import { connectWithOAuth, SDK_V2, SDKS } from './testing/sdks';

const mocks = startMockServer();
const world = mocks.world;
afterAll(() => mocks.close());
beforeEach(() => world.reset());

const OPEN = 'https://noauth.mock.test/mcp';
const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/** POSTs a raw body to the open server and returns status, headers and the parsed JSON-RPC payload. */
async function post(body: string, headers: Record<string, string> = {}) {
  const res = await fetch(OPEN, { method: 'POST', headers: { ...HEADERS, ...headers }, body });
  const text = await res.text();
  const data =
    res.headers.get('content-type') === 'text/event-stream'
      ? text
          .split('\n')
          .filter((l) => l.startsWith('data: '))
          .map((l) => JSON.parse(l.slice(6)))
      : text
        ? [JSON.parse(text)]
        : [];
  return { status: res.status, headers: res.headers, data, text };
}

const rpc = (method: string, params: Record<string, unknown> = {}, id: number | string = 1) =>
  JSON.stringify({ jsonrpc: '2.0', id, method, params });
const initialize = (protocolVersion = '2025-11-25') =>
  post(rpc('initialize', { protocolVersion, capabilities: {}, clientInfo: { name: 'raw', version: '1' } }));

async function session(): Promise<Record<string, string>> {
  const init = await initialize();
  return { 'mcp-session-id': init.headers.get('mcp-session-id') ?? '' };
}

describe('JSON-RPC over Streamable HTTP', () => {
  it('M1: malformed JSON gets a -32700 parse error, not a crash', async () => {
    const r = await post('{"jsonrpc": "2.0", ');
    expect(r.status).toBe(400);
    expect(r.data[0]).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });
  });

  it('M1: a message that is not JSON-RPC gets -32600 with its id', async () => {
    const s = await session();
    const r = await post(JSON.stringify({ jsonrpc: '1.0', id: 7, method: 'ping' }), s);
    expect(r.data[0]).toMatchObject({
      id: 7,
      error: { code: -32600, message: expect.stringContaining('"2.0"') },
    });
    const arr = await post(JSON.stringify({ jsonrpc: '2.0', id: 8, method: 'ping', params: [1] }), s);
    expect(arr.data[0]).toMatchObject({ id: 8, error: { code: -32600 } });
  });

  it('M1: an unknown method gets -32601; bad params get -32602', async () => {
    const s = await session();
    expect((await post(rpc('nope/nothing'), s)).data[0]).toMatchObject({ error: { code: -32601 } });
    expect((await post(rpc('tools/call', { name: 'missing' }), s)).data[0]).toMatchObject({
      error: { code: -32602 },
    });
    expect((await post(rpc('tools/list', { cursor: '!!' }), s)).data[0]).toMatchObject({
      error: { code: -32602 },
    });
    expect((await post(rpc('resources/read', { uri: 'lab://nothing' }), s)).data[0]).toMatchObject({
      error: { code: -32002 },
    });
  });

  it('M2: Mcp-Session-Id is issued at initialize and required after; unknown ids are 404; DELETE ends the session', async () => {
    const init = await initialize();
    const id = init.headers.get('mcp-session-id');
    expect(id).toMatch(/^sess_/);
    expect((await post(rpc('ping'))).status).toBe(400);
    expect((await post(rpc('ping'), { 'mcp-session-id': 'sess_unknown' })).status).toBe(404);
    expect((await post(rpc('ping'), { 'mcp-session-id': id ?? '' })).data[0]).toMatchObject({ result: {} });
    const del = await fetch(OPEN, { method: 'DELETE', headers: { 'mcp-session-id': id ?? '' } });
    expect(del.status).toBe(200);
    expect((await post(rpc('ping'), { 'mcp-session-id': id ?? '' })).status).toBe(404);
  });

  it('M3: notifications and responses are answered 202 with no body', async () => {
    const s = await session();
    const r = await post(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), s);
    expect(r.status).toBe(202);
    expect(r.text).toBe('');
    expect(world.mcpServer('noauth').sessions.get(s['mcp-session-id'] ?? '')?.initialized).toBe(true);
  });

  it.each([
    ['2024-11-05', '2024-11-05'],
    ['2025-03-26', '2025-03-26'],
    ['2025-06-18', '2025-06-18'],
    ['2025-11-25', '2025-11-25'],
    ['2026-07-28', '2025-11-25'],
    ['1999-01-01', '2025-11-25'],
  ])('M4: a client asking for %s is answered with %s', async (asked, answered) => {
    expect((await initialize(asked)).data[0].result.protocolVersion).toBe(answered);
  });

  it('M4: an unsupported MCP-Protocol-Version header after initialize is a 400', async () => {
    const s = await session();
    expect((await post(rpc('ping'), { ...s, 'mcp-protocol-version': '2031-01-01' })).status).toBe(400);
    expect((await post(rpc('ping'), { ...s, 'mcp-protocol-version': '2025-06-18' })).status).toBe(200);
  });

  it('M5: a batch is answered as a batch; initialize may not be batched', async () => {
    const s = await session();
    const r = await post(
      JSON.stringify([JSON.parse(rpc('ping', {}, 1)), JSON.parse(rpc('tools/list', {}, 2))]),
      s,
    );
    expect(r.data[0]).toHaveLength(2);
    expect(r.data[0].map((m: { id: number }) => m.id)).toEqual([1, 2]);
    const init = JSON.parse(
      rpc('initialize', {
        protocolVersion: '2025-03-26',
        capabilities: {},
        clientInfo: { name: 'x', version: '1' },
      }),
    );
    expect((await post(JSON.stringify([init, JSON.parse(rpc('ping', {}, 2))]))).status).toBe(400);
  });

  it('M6: a POST that does not accept both JSON and SSE is 406; a GET is 405', async () => {
    expect((await post(rpc('ping'), { accept: 'application/json' })).status).toBe(406);
    expect((await fetch(OPEN)).status).toBe(405);
  });

  it('M7: the slow tool streams progress notifications before its result', async () => {
    const s = await session();
    const r = await post(
      rpc('tools/call', { name: 'slow', arguments: { seconds: 0.02 }, _meta: { progressToken: 'p1' } }),
      s,
    );
    expect(r.data.map((m: { method?: string }) => m.method ?? 'result')).toEqual([
      'notifications/progress',
      'result',
    ]);
    expect(r.data[0].params).toMatchObject({ progressToken: 'p1', progress: 1, total: 1 });
  });

  it('M8: tools carry MCP Apps metadata: a UI tool, an app-only and a model-only tool; the UI resource is an mcp-app', async () => {
    const s = await session();
    const tools = [];
    let cursor: string | undefined;
    do {
      const r = await post(rpc('tools/list', cursor ? { cursor } : {}), s);
      tools.push(...r.data[0].result.tools);
      cursor = r.data[0].result.nextCursor;
    } while (cursor);
    const byName = Object.fromEntries(tools.map((t: { name: string; _meta?: unknown }) => [t.name, t._meta]));
    expect(byName.show_dashboard).toEqual({ ui: { resourceUri: 'ui://mock/dashboard.html' } });
    expect(byName.dashboard_refresh).toMatchObject({ ui: { visibility: ['app'] } });
    expect(byName.summarize_notes).toMatchObject({ ui: { visibility: ['model'] } });
    const read = await post(rpc('resources/read', { uri: 'ui://mock/dashboard.html' }), s);
    expect(read.data[0].result.contents[0]).toMatchObject({
      mimeType: 'text/html;profile=mcp-app',
      text: expect.stringContaining('ui/initialize'),
    });
    const templates = await post(rpc('resources/templates/list'), s);
    expect(templates.data[0].result.resourceTemplates[0].uriTemplate).toBe('lab://notes/{id}');
    expect((await post(rpc('prompts/list'), s)).data[0].result.prompts[0].name).toBe('explain_oauth');
  });
});

describe('M9: the stateless 2026-07-28 era', () => {
  const modern = (
    method: string,
    params: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ) =>
    post(
      rpc(method, {
        ...params,
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      }),
      { 'mcp-protocol-version': '2026-07-28', 'mcp-method': method, ...headers },
    );

  it('M9: server/discover answers without a session and lists the modern and the latest legacy version', async () => {
    const r = await modern('server/discover');
    expect(r.status).toBe(200);
    expect(r.headers.get('mcp-session-id')).toBeNull();
    expect(r.data[0].result).toMatchObject({
      supportedVersions: ['2026-07-28', '2025-11-25'],
      resultType: 'complete',
      cacheScope: 'private',
    });
    const list = await modern('tools/list');
    expect(list.data[0].result).toMatchObject({ resultType: 'complete', ttlMs: 0, cacheScope: 'private' });
  });

  it('M9: a missing or mismatched MCP-Protocol-Version header is refused with -32020', async () => {
    const noHeader = await post(
      rpc('tools/list', { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' } }),
    );
    expect(noHeader.status).toBe(400);
    expect(noHeader.data[0]).toMatchObject({ error: { code: -32020 } });
    const mismatch = await modern('tools/list', {}, { 'mcp-method': 'tools/call' });
    expect(mismatch.data[0]).toMatchObject({
      error: { code: -32020, message: expect.stringContaining('Mcp-Method') },
    });
  });

  it('M9: SDK v2 negotiates 2026-07-28 through server/discover and works without initialize', async () => {
    const client = new ClientV2({ name: 'modern', version: '1' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(new StreamableHTTPClientTransport(new URL(OPEN)));
    expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    expect(await client.callTool({ name: 'add', arguments: { a: 20, b: 22 } })).toMatchObject({
      structuredContent: { sum: 42 },
    });
    expect(world.log.map((l) => l.detail)).toEqual(['server/discover', 'tools/call']);
    await client.close();
  });

  it('M9: a 2025-only server makes SDK v2 in auto mode fall back to initialize', async () => {
    const LEGACY = 'https://legacy.mock.test/mcp';
    const provider = new MemoryProvider();
    await (await connectWithOAuth(SDK_V2, LEGACY, provider)).close();
    world.log.length = 0;
    const client = new ClientV2({ name: 'modern', version: '1' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(new StreamableHTTPClientTransport(new URL(LEGACY), { authProvider: provider }));
    expect(client.getNegotiatedProtocolVersion()).toBe('2025-11-25');
    expect(world.log.slice(0, 2).map((l) => `${l.detail}:${l.status}`)).toEqual([
      'server/discover:400',
      'initialize:200',
    ]);
    await client.close();
  });
});

describe.each(SDKS)('M11: $name over the 2024-11-05 HTTP+SSE transport', (sdk) => {
  it('M11: GET /sse announces the endpoint; POSTed requests get 202 and their answers arrive on the stream', async () => {
    const client = await sdk.connectSse('https://noauth.mock.test/sse');
    expect(await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } })).toMatchObject({
      structuredContent: { sum: 5 },
    });
    const posts = world.log
      .filter((l) => l.method === 'POST')
      .map((l) => `${new URL(l.url).pathname}:${l.status}`);
    expect(posts.every((p) => p === '/messages:202')).toBe(true);
    expect(world.log.find((l) => l.method === 'GET')?.status).toBe(200);
    await client.close();
  });
});

describe('protected resource and authorization server metadata', () => {
  it('DISC-1: a request without a token gets 401 with a readable Bearer challenge (no error code, RFC 6750 §3.1)', async () => {
    const res = await fetch('https://dcr.mock.test/mcp', {
      method: 'POST',
      headers: HEADERS,
      body: rpc('ping'),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer error_description="No access token: this server needs OAuth.", scope="mcp:tools mcp:resources", ' +
        'resource_metadata="https://dcr.mock.test/.well-known/oauth-protected-resource/mcp"',
    );
    expect(res.headers.get('access-control-expose-headers')).toContain('www-authenticate');
  });

  it('DISC-4: PRM is served at the path-inserted and the root well-known URL', async () => {
    for (const path of [
      '/.well-known/oauth-protected-resource/mcp',
      '/.well-known/oauth-protected-resource',
    ]) {
      const prm = await (await fetch(`https://dcr.mock.test${path}`)).json();
      expect(prm).toMatchObject({
        resource: 'https://dcr.mock.test/mcp',
        authorization_servers: ['https://auth.dcr.mock.test'],
      });
    }
  });

  it('ASM-3: an OIDC-only AS with a path issuer answers only the appended OIDC URL, with a matching issuer', async () => {
    const issuer = 'https://idp.mock.test/tenants/prereg';
    const tried = [
      'https://idp.mock.test/.well-known/oauth-authorization-server/tenants/prereg',
      'https://idp.mock.test/.well-known/openid-configuration/tenants/prereg',
      'https://idp.mock.test/tenants/prereg/.well-known/openid-configuration',
    ];
    const statuses = await Promise.all(tried.map(async (u) => (await fetch(u)).status));
    expect(statuses).toEqual([404, 404, 200]);
    expect((await (await fetch(tried[2] ?? '')).json()).issuer).toBe(issuer);
  });

  it('ASM-1: the 2025-03-26 server has no PRM; its AS metadata lives at the MCP origin', async () => {
    expect((await fetch('https://legacy.mock.test/.well-known/oauth-protected-resource/mcp')).status).toBe(
      404,
    );
    const meta = await (
      await fetch('https://legacy.mock.test/.well-known/oauth-authorization-server')
    ).json();
    expect(meta).toMatchObject({
      issuer: 'https://legacy.mock.test',
      authorization_endpoint: 'https://legacy.mock.test/authorize',
    });
    const res = await fetch('https://legacy.mock.test/mcp', {
      method: 'POST',
      headers: HEADERS,
      body: rpc('ping'),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).not.toContain('resource_metadata');
  });

  it('F4: the api-key server answers 401 with no OAuth challenge and works with its key', async () => {
    const res = await fetch('https://apikey.mock.test/mcp', {
      method: 'POST',
      headers: HEADERS,
      body: rpc('ping'),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^ApiKey /);
    expect((await fetch('https://apikey.mock.test/.well-known/oauth-protected-resource/mcp')).status).toBe(
      404,
    );
    const init = await fetch('https://apikey.mock.test/mcp', {
      method: 'POST',
      headers: { ...HEADERS, 'x-api-key': 'lab-key' },
      body: rpc('initialize', {
        protocolVersion: '2025-11-25',
        capabilities: {},
        clientInfo: { name: 'x', version: '1' },
      }),
    });
    expect(init.status).toBe(200);
  });

  it('RES-1: a token whose audience is another server is refused by this one', async () => {
    const g = await grant('https://dcr.mock.test/mcp');
    const res = await fetch('https://prereg.mock.test/mcp', {
      method: 'POST',
      headers: { ...HEADERS, authorization: `Bearer ${g.tokens.access_token}` },
      body: rpc('ping'),
    });
    expect(res.status).toBe(401);
  });
});

describe.each(SDKS)('$name with the other servers', (sdk) => {
  it('REG-2: the CIMD server accepts an https client_id and fetches its metadata document', async () => {
    const provider = new MemoryProvider({ clientMetadataUrl: MOCK_CLIENT_METADATA_URL });
    const client = await connectWithOAuth(sdk, 'https://cimd.mock.test/mcp', provider);
    expect(provider.lastAuthorizationUrl.searchParams.get('client_id')).toBe(MOCK_CLIENT_METADATA_URL);
    expect(world.log.some((l) => l.endpoint === 'register')).toBe(false);
    expect(world.authServer('cimd')?.state.clients.get(MOCK_CLIENT_METADATA_URL)?.source).toBe('cimd');
    expect(await client.callTool({ name: 'whoami', arguments: {} })).toMatchObject({
      structuredContent: { clientId: MOCK_CLIENT_METADATA_URL },
    });
    await client.close();
  });

  it('REG-3: the pre-registered server works with a configured public client', async () => {
    const provider = new MemoryProvider({ clientInformation: { client_id: 'mcp-lab-public' } });
    const client = await connectWithOAuth(sdk, 'https://prereg.mock.test/mcp', provider);
    expect(await client.callTool({ name: 'echo', arguments: { message: 'prereg' } })).toMatchObject({
      content: [{ text: 'prereg' }],
    });
    expect(world.log.some((l) => l.endpoint === 'register')).toBe(false);
    await client.close();
  });
});

import type { Scenario } from '../types';

/** Connect lifecycle: retries, 429, non-OAuth 401s, discovery, concurrent connects, paging, apps. */
export const LIFECYCLE: Scenario[] = [
  {
    id: 'connect-retries-backoff',
    title: 'Two 503s during connect: retried with backoff, then connected',
    teaching:
      'A transient server error should not end a connection attempt: the factory tries up to three times, waiting a little longer each time (2 s × attempt by default; shortened here). An auth error or a 429 would stop the retries at once, a 503 does not.',
    ruleIds: ['F7'],
    world: { knobs: { noauth: { mcpServerErrorNext: 2 } }, timings: { connectBackoffMs: 10 } },
    steps: [{ do: 'connect', server: 'noauth' }],
    expect: {
      order: ['mcp:initialize@503', 'mcp:initialize@503', 'mcp:initialize@200'],
      requests: { 'mcp@503': 2 },
      timeline: [{ text: 'retrying in', ruleId: 'F7', count: 2 }],
      connections: [{ server: 'noauth', state: 'connected' }],
    },
  },
  {
    id: 'rate-limit-stops-reconnects',
    title: 'A 429 stops automatic reconnects for that connection',
    teaching:
      'A server that answers 429 Too Many Requests is asking the client to back off. Retrying at once (or three times in a row) would make things worse, so the connect fails at the first 429 with a message that says so, and no automatic reconnect follows.',
    ruleIds: ['D6', 'F7'],
    world: { knobs: { noauth: { mcpRateLimitNext: 1 } } },
    steps: [{ do: 'connect', server: 'noauth', expect: 'error', error: '429' }],
    expect: {
      requests: { 'mcp@429': 1, 'mcp@200': 0 },
      absentRuleIds: ['F7'],
      errors: ['slow down'],
      connections: [{ server: 'noauth', state: 'error' }],
    },
  },
  {
    id: 'non-oauth-401-fails-fast',
    title: "A non-OAuth server's 401 fails fast instead of waiting for an OAuth that never comes",
    teaching:
      'A server protected by an API key answers 401 too, but with no Bearer challenge and no OAuth metadata. A connection made without OAuth options answers its own oauthRequired with a failure at once, so nothing waits ten minutes for a person who will never be asked. (Without OAuth options a 401 is not the end of retrying: F7 stops at once only for OAuth connections, so the three attempts come back to back.)',
    ruleIds: ['F4', 'F8', 'D3'],
    world: {},
    steps: [
      {
        do: 'connect',
        server: 'apikey',
        oauth: false,
        expect: 'error',
        error: 'does not use OAuth',
        withinMs: 2_000,
      },
    ],
    expect: {
      requests: { 'mcp:initialize@401': 3, prm: 0, 'as-metadata': 0, token: 0 },
      consent: { asked: 0 },
      ruleIds: ['F4'],
      timeline: [{ text: 'Server does not use OAuth' }],
      connections: [{ server: 'apikey', state: 'error' }],
    },
  },
  {
    id: 'discovery-never-blocks',
    title: 'Tool discovery on an OAuth server hands out a link and never waits for a person',
    teaching:
      'Discovery runs in the background (a server list, a model asking which tools exist). It must never block on consent: it starts the OAuth flow in return-early mode, hands out the authorization URL, and reports that OAuth is required. A second discovery re-issues the same PENDING URL instead of starting another flow.',
    ruleIds: ['F19', 'F14', 'F22'],
    world: {},
    steps: [
      { do: 'discover', server: 'dcr', oauthRequired: true, tools: 0, withinMs: 5_000 },
      { do: 'discover', server: 'dcr', oauthRequired: true, tools: 0 },
    ],
    expect: {
      requests: { token: 0, register: 1 },
      consent: { asked: 0, offered: 1 },
      ruleIds: ['F19', 'F14'],
      timeline: [
        { text: 'A recent PENDING flow exists', ruleId: 'F14', count: 1 },
        { text: 'trying an unauthenticated listing', count: 2 },
      ],
    },
  },
  {
    id: 'unauth-discovery-fallback',
    title: 'Authenticated discovery fails; the unauthenticated listing still finds the tools',
    teaching:
      'When the authenticated attempt fails (here three 503s exhaust the connect retries), discovery tries once more on a separate connection without OAuth, under its own deadline. An open server answers it, so the tool list still arrives, and the failed attempts are not counted against the circuit breaker.',
    ruleIds: ['F19', 'F22', 'F7'],
    world: { knobs: { noauth: { mcpServerErrorNext: 3 } }, timings: { connectBackoffMs: 5 } },
    steps: [{ do: 'discover', server: 'noauth', tools: 10, oauthRequired: false }],
    expect: {
      requests: { 'mcp:initialize@503': 3, 'mcp:initialize@200': 1, 'mcp:tools/list@200': { min: 1 } },
      ruleIds: ['F19', 'F22'],
      timeline: [{ text: 'trying an unauthenticated listing', count: 1 }],
    },
  },
  {
    id: 'concurrent-connects-share',
    title: 'Two connects at once for the same user and server share one connection',
    teaching:
      'A page that asks for the same connection twice at once (two panels, a double click) must not open two sessions or start two OAuth flows: the connection manager keeps one connection per tenant, user and server, and concurrent requests share its connect.',
    ruleIds: ['D4'],
    world: {},
    steps: [
      {
        do: 'parallel',
        steps: [
          { do: 'connect', server: 'dcr' },
          { do: 'connect', server: 'dcr' },
        ],
      },
    ],
    expect: {
      requests: { 'mcp:initialize@200': 1, register: 1, token: 1 },
      consent: { asked: 1 },
      connections: [{ server: 'dcr', state: 'connected' }],
    },
  },
  {
    id: 'tools-paging',
    title: 'tools/list pages through every cursor',
    teaching:
      'Servers may return their tools a page at a time with a nextCursor. The client follows the cursors until the list ends (within caps on pages, tools, bytes and time), so a model sees every tool, not just the first page.',
    ruleIds: ['D7'],
    world: { knobs: { noauth: { toolsPageSize: 3 } } },
    steps: [{ do: 'listTools', server: 'noauth', tools: 10 }],
    expect: { requests: { 'mcp:tools/list@200': 4 } },
  },
  {
    id: 'apps-enabled-default',
    title: 'MCP Apps are on by default: the client advertises the UI extension',
    teaching:
      'Unless a setting turns them off, the host supports MCP Apps: its initialize request advertises the io.modelcontextprotocol/ui extension with the app MIME type, so the server may offer tools with interactive views.',
    ruleIds: ['A1'],
    world: {},
    steps: [{ do: 'connect', server: 'noauth' }],
    expect: { sessions: [{ server: 'noauth', extension: 'io.modelcontextprotocol/ui', advertised: true }] },
  },
  {
    id: 'apps-disabled',
    title: 'Apps turned off: the client does not advertise the UI extension',
    teaching:
      'When a host (or an administrator) turns MCP Apps off, the client must not claim to support them: the extension disappears from the capabilities sent at initialize, so the server knows not to rely on app UIs, and the host fetches or renders none.',
    ruleIds: ['A1'],
    world: { servers: { noauth: { config: { appsEnabled: false } } } },
    steps: [
      { do: 'connect', server: 'noauth' },
      { do: 'call', server: 'noauth', tool: 'echo', args: { message: 'plain' } },
    ],
    expect: { sessions: [{ server: 'noauth', extension: 'io.modelcontextprotocol/ui', advertised: false }] },
  },
];

import type { Scenario } from '../types';

/** First connections: no auth, the three ways to get a client identity, the legacy spec, consent denied. */
export const FIRST_CONNECT: Scenario[] = [
  {
    id: 'noauth-connect',
    title: 'A server without auth: connect and call, no OAuth at all',
    teaching:
      'Not every MCP server needs OAuth. The client connects, lists tools and calls one; no protected resource metadata, no authorization server, no token request, and nobody is asked anything. A client that always starts OAuth wastes requests and confuses people.',
    ruleIds: ['F1', 'F2', 'D1', 'D2'],
    world: {},
    steps: [
      { do: 'connect', server: 'noauth' },
      { do: 'call', server: 'noauth', tool: 'echo', args: { message: 'hello' }, resultIncludes: 'hello' },
    ],
    expect: {
      requests: {
        'noauth/mcp:initialize@200': 1,
        'mcp:tools/call@200': 1,
        prm: 0,
        'as-metadata': 0,
        token: 0,
      },
      consent: { asked: 0 },
      ruleIds: ['D2'],
      connections: [{ server: 'noauth', state: 'connected' }],
    },
  },
  {
    id: 'dcr-first-oauth',
    title: 'First OAuth with dynamic client registration: only the requests the protocol needs',
    teaching:
      'The first request has no token and gets a 401 whose WWW-Authenticate names the protected resource metadata. The client reads it, finds the authorization server, registers itself (RFC 7591), sends the person to consent with PKCE and a fresh state, exchanges the code once, stores the tokens and retries. Eight requests, one consent.',
    ruleIds: ['D3', 'O1', 'O5', 'REG-4', 'PKCE-1', 'PKCE-2', 'RES-1', 'O7', 'O8', 'F16', 'DISC-1', 'DISC-3'],
    world: {},
    steps: [
      { do: 'connect', server: 'dcr' },
      { do: 'call', server: 'dcr', tool: 'whoami', resultIncludes: 'alice' },
    ],
    expect: {
      order: [
        'mcp:initialize@401',
        'prm:GET@200',
        'as-metadata:GET@200',
        'register@201',
        'decision',
        'token:authorization_code@200',
        'mcp:initialize@200',
        'mcp:tools/call@200',
      ],
      requests: { register: 1, token: 1, 'mcp@401': 1 },
      consent: {
        asked: 1,
        approved: 1,
        lastScope: ['mcp:tools', 'mcp:resources'],
        lastParams: {
          response_type: 'code',
          code_challenge_method: 'S256',
          resource: 'https://dcr.mock.test/mcp',
          redirect_uri: 'http://localhost:5173/oauth/callback',
        },
      },
      ruleIds: ['D3', 'F16', 'O7'],
      connections: [{ server: 'dcr', state: 'connected' }],
      stored: [{ server: 'dcr', access: true, refresh: true, client: true, clientVia: 'dcr' }],
    },
  },
  {
    id: 'proactive-oauth',
    title: 'A server known to need OAuth gets its token before the first request',
    teaching:
      'When the host already knows a server needs OAuth (its config says so), there is no point sending a request that must fail: the factory starts OAuth first, so the first MCP request already carries a token and no 401 is ever seen.',
    ruleIds: ['F5', 'F16'],
    world: { servers: { dcr: { config: { requiresOAuth: true } } } },
    steps: [{ do: 'connect', server: 'dcr' }],
    expect: {
      order: ['prm', 'token:authorization_code@200', 'mcp:initialize@200'],
      requests: { 'mcp@401': 0, token: 1 },
      consent: { asked: 1 },
      ruleIds: ['F5'],
      connections: [{ server: 'dcr', state: 'connected' }],
    },
  },
  {
    id: 'prereg-client',
    title: 'A pre-registered confidential client: no registration, client_secret_basic at the token endpoint',
    teaching:
      'Some authorization servers offer no dynamic registration: the host is configured with a client id and secret. The client uses them as configured, never registers, and authenticates at the token endpoint the way the client was registered (here HTTP Basic). This AS publishes only OIDC metadata under an issuer with a path.',
    ruleIds: ['O5', 'REG-3', 'O10', 'REG-7', 'ASM-2'],
    world: {
      servers: {
        prereg: {
          config: {
            oauth: {
              clientId: 'mcp-lab-basic',
              clientSecret: 'lab-basic-secret',
              tokenEndpointAuthMethod: 'client_secret_basic',
            },
          },
        },
      },
    },
    steps: [
      { do: 'connect', server: 'prereg' },
      { do: 'call', server: 'prereg', tool: 'echo', args: { message: 'pre' } },
    ],
    expect: {
      requests: { register: 0, 'token:authorization_code@200': 1 },
      consent: { asked: 1 },
      connections: [{ server: 'prereg', state: 'connected' }],
      stored: [{ server: 'prereg', client: true, clientVia: 'preregistered' }],
    },
  },
  {
    id: 'cimd-client',
    title: 'Client ID Metadata Document: the client id is an https URL, no registration',
    teaching:
      'With CIMD the client identifies itself by the URL of a JSON document that describes it; the authorization server fetches the document instead of keeping a registration. The client prefers CIMD over dynamic registration when the server supports it and a document URL is configured.',
    ruleIds: ['O5', 'REG-1', 'REG-2'],
    world: {},
    steps: [
      { do: 'connect', server: 'cimd' },
      { do: 'call', server: 'cimd', tool: 'echo', args: { message: 'cimd' } },
    ],
    expect: {
      requests: { register: 0, 'token:authorization_code@200': 1 },
      consent: { asked: 1 },
      connections: [{ server: 'cimd', state: 'connected' }],
      stored: [{ server: 'cimd', client: true, clientVia: 'cimd' }],
    },
  },
  {
    id: 'legacy-2025-03-26',
    title: 'A 2025-03-26 server: no PRM, metadata and endpoints at the MCP origin',
    teaching:
      'Servers written for the 2025-03-26 revision publish no protected resource metadata: the authorization server is the MCP origin itself, with its metadata (or default /authorize, /token, /register paths) there. The client still completes OAuth against it.',
    ruleIds: ['ASM-1', 'O1'],
    world: { servers: { legacy: { config: { oauth: { revision: '2025-03-26' } } } } },
    steps: [
      { do: 'connect', server: 'legacy' },
      { do: 'call', server: 'legacy', tool: 'echo', args: { message: 'old' } },
    ],
    expect: {
      requests: { 'prm@200': 0, 'as-metadata@200': 1, 'token:authorization_code@200': 1 },
      consent: { asked: 1 },
      connections: [{ server: 'legacy', state: 'connected' }],
    },
  },
  {
    id: 'consent-denied',
    title: 'The person denies consent: no code, no token, a clear failure',
    teaching:
      'When the person says no, the authorization server redirects back with error=access_denied. The client must not exchange anything, must mark the flow failed, and must tell the person the connection failed because authorization was refused.',
    ruleIds: ['F16', 'S1'],
    world: {},
    steps: [{ do: 'connect', server: 'dcr', consent: 'deny', expect: 'error' }],
    expect: {
      requests: { token: 0 },
      consent: { asked: 1, denied: 1, approved: 0 },
      ruleIds: ['F16'],
      connections: [{ server: 'dcr', state: 'error' }],
      stored: [{ server: 'dcr', access: false }],
    },
  },
];

import type { Scenario } from '../types';

/** Metadata and responses a client must refuse: each stops the flow before a code or token can leak. */
export const SECURITY: Scenario[] = [
  {
    id: 'metadata-issuer-mismatch',
    title: 'Authorization server metadata claiming another issuer is refused',
    teaching:
      'The metadata document says who the authorization server is. If its issuer differs from the one the client looked up, someone may be pointing the client at an impostor (a mix-up attack). The client stops before registering or sending anyone to an authorization page.',
    ruleIds: ['O3', 'ASM-4'],
    world: { knobs: { dcr: { metadataIssuerMismatch: true } } },
    steps: [{ do: 'connect', server: 'dcr', expect: 'error', error: 'issuer' }],
    expect: {
      requests: { register: 0, authorize: 0, token: 0 },
      consent: { asked: 0 },
      connections: [{ server: 'dcr', state: 'error' }],
    },
  },
  {
    id: 'iss-mismatch',
    title: 'An authorization response with the wrong iss is refused: the code is never exchanged',
    teaching:
      'This authorization server says it puts iss on its responses (RFC 9207). A response whose iss names another server may come from a mix-up: the code belongs elsewhere. The client refuses it without exchanging the code, and the connection fails with a clear reason.',
    ruleIds: ['AR-2', 'O3'],
    world: { knobs: { dcr: { callbackIss: 'wrong' } } },
    steps: [{ do: 'connect', server: 'dcr', expect: 'error', error: 'iss' }],
    expect: {
      requests: { token: 0 },
      consent: { asked: 1, approved: 1 },
      connections: [{ server: 'dcr', state: 'error' }],
      stored: [{ server: 'dcr', access: false }],
    },
  },
  {
    id: 'prm-resource-mismatch',
    title: 'Protected resource metadata naming another resource is refused',
    teaching:
      'The protected resource metadata must describe this server: its resource must match the MCP URL. Metadata for another resource could route the person\u2019s consent, and a token, to the wrong place. The flow stops before any authorization request.',
    ruleIds: ['O2', 'DISC-5'],
    world: { knobs: { dcr: { prm: 'wrong-resource' } } },
    steps: [{ do: 'connect', server: 'dcr', expect: 'error' }],
    expect: {
      requests: { 'prm@200': { min: 1 }, register: 0, authorize: 0, token: 0 },
      consent: { asked: 0 },
      connections: [{ server: 'dcr', state: 'error' }],
    },
  },
  {
    id: 'no-s256-refused',
    title: 'An authorization server that does not advertise PKCE S256 is refused',
    teaching:
      'PKCE with S256 is mandatory. When the metadata lists no code_challenge_methods_supported containing S256, the client cannot know the server will verify the challenge, so it refuses to start (2025-11-25) with an error that says so, instead of silently sending an unprotected code.',
    ruleIds: ['O4', 'PKCE-3'],
    world: { knobs: { dcr: { omitCodeChallengeMethods: true } } },
    steps: [{ do: 'connect', server: 'dcr', expect: 'error', error: 'S256' }],
    expect: {
      requests: { authorize: 0, token: 0 },
      consent: { asked: 0 },
      connections: [{ server: 'dcr', state: 'error' }],
    },
  },
];

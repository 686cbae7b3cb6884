import type { MockKnobs } from './knobs';

/** A client the authorization server knows before any registration (REG-3). */
export interface PreRegisteredClient {
  client_id: string;
  client_secret?: string;
  token_endpoint_auth_method: 'none' | 'client_secret_basic' | 'client_secret_post';
  redirect_uris: string[];
  client_name: string;
}

export interface MockAuthServerConfig {
  /** The issuer identifier; metadata is served at the RFC 8414 / OIDC well-known URLs built from it. */
  issuer: string;
  /** Which metadata documents the AS publishes (ASM-2, ASM-3). */
  metadata: 'oauth' | 'oidc' | 'both';
  scopes: string[];
  /** Scope granted when the authorization request names none. */
  defaultScopes: string[];
  dcr: boolean;
  /** `client_id_metadata_document_supported` (SEP-991, REG-2). */
  cimd: boolean;
  preRegistered: PreRegisteredClient[];
  /** `authorization_response_iss_parameter_supported` (RFC 9207). */
  issParameter: boolean;
}

export interface MockServerDef {
  id: string;
  title: string;
  /** One line for the server list: what this server is for. */
  description: string;
  /** The MCP endpoint (Streamable HTTP). */
  mcpUrl: string;
  /** How the server authenticates requests. */
  auth: 'none' | 'oauth' | 'api-key';
  /** Which authorization spec the server follows: 2025-03-26 has no PRM (metadata at the MCP origin). */
  authSpec: '2025-03-26' | '2025-06-18' | '2025-11-25';
  authServer?: MockAuthServerConfig;
  /** The AS the PRM switches to when the migration knob fires. */
  migrationAuthServer?: MockAuthServerConfig;
  /** Whether the server also speaks the stateless 2026-07-28 era (`server/discover`); default true. */
  speaks2026?: boolean;
  /** Whether tokens must carry this server as audience (RFC 8707); 2025-03-26 clients send no `resource`. */
  requireAudience: boolean;
  /** Knob values this server starts with (on top of DEFAULT_KNOBS). */
  knobs?: Partial<MockKnobs>;
}

/** The API key the api-key server expects in `X-API-Key`. */
export const MOCK_API_KEY = 'lab-key';

const SCOPES = ['mcp:tools', 'mcp:resources', 'notes:write'];
const DEFAULT_SCOPES = ['mcp:tools', 'mcp:resources'];

/** Redirect URIs pre-registered clients may use; loopback ports are free (RFC 8252 §7.3). */
const LAB_REDIRECTS = [
  'http://localhost/oauth/callback',
  'http://127.0.0.1/oauth/callback',
  'http://localhost/oauth-callback.html',
  'http://127.0.0.1/oauth-callback.html',
  'http://localhost/callback',
];

function as(issuer: string, extra: Partial<MockAuthServerConfig> = {}): MockAuthServerConfig {
  return {
    issuer,
    metadata: 'both',
    scopes: SCOPES,
    defaultScopes: DEFAULT_SCOPES,
    dcr: true,
    cimd: false,
    preRegistered: [],
    issParameter: true,
    ...extra,
  };
}

/** The default set of mock servers, each with its own authorization server so knobs never leak between them. */
export const MOCK_SERVERS: readonly MockServerDef[] = [
  {
    id: 'noauth',
    title: 'No auth',
    description: 'An open MCP server: no tokens, no OAuth.',
    mcpUrl: 'https://noauth.mock.test/mcp',
    auth: 'none',
    authSpec: '2025-11-25',
    requireAudience: false,
  },
  {
    id: 'dcr',
    title: 'OAuth + DCR',
    description: 'OAuth 2.1 with PRM, RFC 8414 + OIDC metadata and dynamic client registration.',
    mcpUrl: 'https://dcr.mock.test/mcp',
    auth: 'oauth',
    authSpec: '2025-11-25',
    authServer: as('https://auth.dcr.mock.test'),
    migrationAuthServer: as('https://auth2.dcr.mock.test'),
    requireAudience: true,
    knobs: { toolScopes: { write_note: 'notes:write' } },
  },
  {
    id: 'prereg',
    title: 'Pre-registered client',
    description:
      'No registration endpoint: use a configured client id/secret. OIDC metadata, issuer with a path.',
    mcpUrl: 'https://prereg.mock.test/mcp',
    auth: 'oauth',
    authSpec: '2025-11-25',
    authServer: as('https://idp.mock.test/tenants/prereg', {
      metadata: 'oidc',
      dcr: false,
      preRegistered: [
        {
          client_id: 'mcp-lab-basic',
          client_secret: 'lab-basic-secret',
          token_endpoint_auth_method: 'client_secret_basic',
          redirect_uris: LAB_REDIRECTS,
          client_name: 'MCP Lab (client_secret_basic)',
        },
        {
          client_id: 'mcp-lab-post',
          client_secret: 'lab-post-secret',
          token_endpoint_auth_method: 'client_secret_post',
          redirect_uris: LAB_REDIRECTS,
          client_name: 'MCP Lab (client_secret_post)',
        },
        {
          client_id: 'mcp-lab-public',
          token_endpoint_auth_method: 'none',
          redirect_uris: LAB_REDIRECTS,
          client_name: 'MCP Lab (public)',
        },
      ],
    }),
    requireAudience: true,
    knobs: { toolScopes: { write_note: 'notes:write' } },
  },
  {
    id: 'cimd',
    title: 'Client ID Metadata Document',
    description: 'The AS accepts an https URL as client_id and fetches the client metadata from it.',
    mcpUrl: 'https://cimd.mock.test/mcp',
    auth: 'oauth',
    authSpec: '2025-11-25',
    authServer: as('https://auth.cimd.mock.test', { dcr: false, cimd: true }),
    requireAudience: true,
    knobs: { toolScopes: { write_note: 'notes:write' } },
  },
  {
    id: 'apikey',
    title: 'Non-OAuth server (401)',
    description: 'Answers 401 without an X-API-Key header and has no OAuth metadata at all.',
    mcpUrl: 'https://apikey.mock.test/mcp',
    auth: 'api-key',
    authSpec: '2025-11-25',
    requireAudience: false,
  },
  {
    id: 'legacy',
    title: '2025-03-26 legacy auth',
    description: 'No PRM: AS metadata at the MCP origin, default /authorize, /token, /register paths.',
    mcpUrl: 'https://legacy.mock.test/mcp',
    auth: 'oauth',
    authSpec: '2025-03-26',
    authServer: as('https://legacy.mock.test', { metadata: 'oauth', issParameter: false }),
    requireAudience: false,
    speaks2026: false,
  },
];

/** The client metadata document the mock world hosts for CIMD runs (REG-2). */
export const MOCK_CLIENT_METADATA_URL = 'https://client.mock.test/mcp-lab/client.json';

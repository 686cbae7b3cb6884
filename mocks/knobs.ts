/**
 * Fault knobs: typed, documented switches that make an honest mock server misbehave on purpose.
 * Each mock server (an MCP server with its authorization server) has its own set; they change at
 * runtime through `MockWorld.setKnobs(serverId, patch)` and take effect on the next request.
 */

export type TokenEndpointFault =
  | 'invalid_grant'
  | 'invalid_client'
  | 'unauthorized_client'
  | 'server_error'
  | 'network';

export interface TokenEndpointError {
  /** What the token endpoint answers instead of tokens. `server_error` is an HTTP 500; `network` drops the connection. */
  kind: TokenEndpointFault;
  /** Which grant the fault applies to. */
  grant: 'refresh_token' | 'authorization_code' | 'any';
  /** How many matching requests fail before the endpoint recovers; `null` = until the knob is cleared. */
  remaining: number | null;
}

export interface MockKnobs {
  /** Access token lifetime in seconds. */
  accessTokenTtlSec: number;
  /** Refresh token lifetime in seconds; `null` = no expiry (none reported). */
  refreshTokenTtlSec: number | null;
  /** Whether the AS issues refresh tokens at all (clients must not assume one, SCP-6). */
  issueRefreshTokens: boolean;
  /** Whether a refresh_token grant rotates the refresh token (OAuth 2.1 §4.3.1 for public clients). */
  refreshRotation: boolean;
  /** Whether presenting a rotated-out refresh token again revokes the whole grant. */
  reuseDetection: boolean;
  /** Delay before the token endpoint answers, in milliseconds (on the world's clock). */
  tokenLatencyMs: number;
  /** Make the token endpoint fail. */
  tokenError: TokenEndpointError | null;
  /** Dynamic client registration: enabled, absent from the metadata (404), or rejecting every request. */
  dcr: 'enabled' | 'disabled' | 'reject';
  /** Protected resource metadata: served correctly, missing (404), or naming a different `resource`. */
  prm: 'ok' | 'missing' | 'wrong-resource';
  /** AS metadata reports an `issuer` different from the URL it was fetched for (RFC 8414 §3.3). */
  metadataIssuerMismatch: boolean;
  /** AS metadata omits `code_challenge_methods_supported` (clients must refuse, 2025-11-25). */
  omitCodeChallengeMethods: boolean;
  /** The `iss` parameter on the authorization response (RFC 9207). */
  callbackIss: 'correct' | 'wrong' | 'missing';
  /** GET /authorize approves at once with a 302 to the redirect URI (for headless runs), instead of showing consent. */
  autoApprove: boolean;
  /** The next N MCP requests are answered 401 invalid_token whatever token they carry. */
  mcpUnauthorizedNext: number;
  /** The next N MCP requests are answered 503. */
  mcpServerErrorNext: number;
  /** The next N MCP requests are answered 429 with `Retry-After`. */
  mcpRateLimitNext: number;
  /** Extra scope a tool needs, by tool name; a token without it gets 403 insufficient_scope. */
  toolScopes: Record<string, string>;
  /** After the first successful MCP request, the PRM points to a second authorization server. */
  migrateAsAfterFirstCall: boolean;
  /** Page size of tools/list. */
  toolsPageSize: number;
  /** How POST responses are framed: SSE stream or a single JSON body. */
  responseMode: 'sse' | 'json';
}

export const DEFAULT_KNOBS: Readonly<MockKnobs> = Object.freeze({
  accessTokenTtlSec: 3600,
  refreshTokenTtlSec: null,
  issueRefreshTokens: true,
  refreshRotation: true,
  reuseDetection: true,
  tokenLatencyMs: 0,
  tokenError: null,
  dcr: 'enabled',
  prm: 'ok',
  metadataIssuerMismatch: false,
  omitCodeChallengeMethods: false,
  callbackIss: 'correct',
  autoApprove: false,
  mcpUnauthorizedNext: 0,
  mcpServerErrorNext: 0,
  mcpRateLimitNext: 0,
  toolScopes: {},
  migrateAsAfterFirstCall: false,
  toolsPageSize: 4,
  responseMode: 'sse',
});

export type KnobKind = 'number' | 'boolean' | 'choice' | 'tokenError' | 'toolScopes' | 'nullableNumber';

export interface KnobDescriptor {
  key: keyof MockKnobs;
  label: string;
  /** One line: what the knob simulates. */
  description: string;
  kind: KnobKind;
  choices?: readonly string[];
  /** The rule or requirement IDs a person exercises with this knob. */
  ruleIds: readonly string[];
}

/** The knob catalogue, in the order a UI shows it. */
export const KNOBS: readonly KnobDescriptor[] = [
  {
    key: 'accessTokenTtlSec',
    label: 'Access token lifetime (s)',
    description: 'How long new access tokens live; short values force silent refresh.',
    kind: 'number',
    ruleIds: ['T2', 'F10'],
  },
  {
    key: 'refreshTokenTtlSec',
    label: 'Refresh token lifetime (s)',
    description: 'How long refresh tokens live; empty means they never expire.',
    kind: 'nullableNumber',
    ruleIds: ['T2'],
  },
  {
    key: 'issueRefreshTokens',
    label: 'Issue refresh tokens',
    description: 'Off: grants come without a refresh token, so expiry means a new authorization.',
    kind: 'boolean',
    ruleIds: ['SCP-6'],
  },
  {
    key: 'refreshRotation',
    label: 'Rotate refresh tokens',
    description: 'Each refresh returns a new refresh token and retires the old one.',
    kind: 'boolean',
    ruleIds: ['O9', 'TOK-5'],
  },
  {
    key: 'reuseDetection',
    label: 'Refresh reuse detection',
    description: 'Presenting a retired refresh token revokes the whole grant.',
    kind: 'boolean',
    ruleIds: ['T8', 'TOK-5'],
  },
  {
    key: 'tokenLatencyMs',
    label: 'Token endpoint latency (ms)',
    description: 'A slow token endpoint: every token request waits this long.',
    kind: 'number',
    ruleIds: ['F11'],
  },
  {
    key: 'tokenError',
    label: 'Token endpoint error',
    description: 'The token endpoint answers with an OAuth error, a 500, or drops the connection.',
    kind: 'tokenError',
    choices: ['invalid_grant', 'invalid_client', 'unauthorized_client', 'server_error', 'network'],
    ruleIds: ['F13', 'F17', 'T5'],
  },
  {
    key: 'dcr',
    label: 'Dynamic registration',
    description: 'Registration works, is not offered, or rejects every client.',
    kind: 'choice',
    choices: ['enabled', 'disabled', 'reject'],
    ruleIds: ['O5', 'REG-4', 'REG-5'],
  },
  {
    key: 'prm',
    label: 'Protected resource metadata',
    description: 'PRM is served, missing, or names a different resource than this server.',
    kind: 'choice',
    choices: ['ok', 'missing', 'wrong-resource'],
    ruleIds: ['O1', 'O2', 'DISC-5'],
  },
  {
    key: 'metadataIssuerMismatch',
    label: 'AS metadata issuer mismatch',
    description: 'AS metadata claims an issuer other than the one it was fetched for.',
    kind: 'boolean',
    ruleIds: ['O3', 'ASM-4'],
  },
  {
    key: 'omitCodeChallengeMethods',
    label: 'No PKCE methods in metadata',
    description: 'AS metadata lists no code_challenge_methods_supported.',
    kind: 'boolean',
    ruleIds: ['O4', 'PKCE-3'],
  },
  {
    key: 'callbackIss',
    label: 'Callback iss',
    description: 'The authorization response carries the right iss, a wrong one, or none.',
    kind: 'choice',
    choices: ['correct', 'wrong', 'missing'],
    ruleIds: ['O3', 'AR-2'],
  },
  {
    key: 'autoApprove',
    label: 'Auto-approve',
    description: 'GET /authorize approves at once and redirects back (headless runs).',
    kind: 'boolean',
    ruleIds: [],
  },
  {
    key: 'mcpUnauthorizedNext',
    label: 'Next N MCP requests: 401',
    description: 'The next N MCP requests are rejected as if the token were invalid.',
    kind: 'number',
    ruleIds: ['F10', 'F11', 'D3'],
  },
  {
    key: 'mcpServerErrorNext',
    label: 'Next N MCP requests: 503',
    description: 'A transient server failure for the next N MCP requests.',
    kind: 'number',
    ruleIds: ['F7'],
  },
  {
    key: 'mcpRateLimitNext',
    label: 'Next N MCP requests: 429',
    description: 'The server rate-limits the next N MCP requests (Retry-After: 30).',
    kind: 'number',
    ruleIds: ['D6'],
  },
  {
    key: 'toolScopes',
    label: 'Tool needs scope',
    description: 'A tool needs an extra scope; tokens without it get 403 insufficient_scope.',
    kind: 'toolScopes',
    ruleIds: ['O6', 'SCP-3', 'SCP-4'],
  },
  {
    key: 'migrateAsAfterFirstCall',
    label: 'Migrate authorization server',
    description: 'After the first successful call, PRM names a second authorization server.',
    kind: 'boolean',
    ruleIds: ['O5', 'DISC-6', 'REG-6'],
  },
  {
    key: 'toolsPageSize',
    label: 'tools/list page size',
    description: 'How many tools one tools/list page holds (cursor paging).',
    kind: 'number',
    ruleIds: ['D7'],
  },
  {
    key: 'responseMode',
    label: 'Response framing',
    description: 'Answer POSTs as an SSE stream or as a single JSON body.',
    kind: 'choice',
    choices: ['sse', 'json'],
    ruleIds: ['D1'],
  },
];

/** Validates a knob patch and returns a clear error for the first bad entry. */
export function validateKnobPatch(patch: Partial<MockKnobs>): void {
  for (const [key, value] of Object.entries(patch)) {
    const d = KNOBS.find((k) => k.key === key);
    if (!d)
      throw new TypeError(
        `Failed to set knob "${key}": no such knob. Known knobs: ${KNOBS.map((k) => k.key).join(', ')}.`,
      );
    const bad = (why: string) => new TypeError(`Failed to set knob "${key}": ${why}.`);
    switch (d.kind) {
      case 'number':
        if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
          throw bad('expected a number ≥ 0');
        break;
      case 'nullableNumber':
        if (value !== null && (typeof value !== 'number' || !Number.isFinite(value) || value < 0))
          throw bad('expected a number ≥ 0 or null');
        break;
      case 'boolean':
        if (typeof value !== 'boolean') throw bad('expected true or false');
        break;
      case 'choice':
        if (typeof value !== 'string' || !d.choices?.includes(value))
          throw bad(`expected one of ${d.choices?.join(', ')}`);
        break;
      case 'tokenError': {
        if (value === null) break;
        const v = value as Partial<TokenEndpointError>;
        if (typeof v !== 'object' || !v.kind || !d.choices?.includes(v.kind))
          throw bad(`expected null or { kind: ${d.choices?.join(' | ')}, grant, remaining }`);
        if (!['refresh_token', 'authorization_code', 'any'].includes(v.grant ?? ''))
          throw bad('grant must be refresh_token, authorization_code or any');
        if (v.remaining !== null && (typeof v.remaining !== 'number' || v.remaining < 1))
          throw bad('remaining must be null or a number ≥ 1');
        break;
      }
      case 'toolScopes':
        if (
          typeof value !== 'object' ||
          value === null ||
          Object.values(value).some((s) => typeof s !== 'string' || !s || s.includes(' '))
        )
          throw bad('expected { toolName: "scope" } with one scope token per tool');
        break;
    }
  }
}

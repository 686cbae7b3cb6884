/**
 * The requirements manifest: every rule of spec/behaviour.md and every row of
 * spec/mcp-auth-requirements.md, plus the IDs this project added where the spec is silent. Test
 * titles start with these IDs; `requirements.test.ts` fails on an ID that no test cites (for the
 * rule families the engine owns) and on a cited ID that is not here.
 */
export type RequirementSource = 'behaviour' | 'mcp-auth' | 'local';

export interface Requirement {
  title: string;
  source: RequirementSource;
  /** Whose duty it is; only `engine` rows must be cited by an engine or CLI test. */
  owner: 'engine' | 'apps' | 'server' | 'mocks' | 'local';
}

const range = (
  prefix: string,
  n: number,
  source: RequirementSource,
  owner: Requirement['owner'],
  titles: string[],
) =>
  Object.fromEntries(
    Array.from({ length: n }, (_, i) => [`${prefix}${i + 1}`, { title: titles[i] ?? '', source, owner }]),
  );

export const REQUIREMENTS: Record<string, Requirement> = {
  ...range('F', 22, 'behaviour', 'engine', [
    'create',
    'token source',
    'OBO',
    'non-OAuth server',
    'proactive OAuth',
    'connect deadline',
    'connect retries',
    'auth error',
    'after connect',
    'silent refresh first',
    'coalescing',
    'refresh success',
    'refresh failure',
    'return-early mode',
    'blocking mode',
    'after blocking OAuth',
    'stale client',
    'token load',
    'tool discovery',
    'tenant capture',
    'flow ids',
    'failure accounting',
  ]),
  ...range('D', 8, 'behaviour', 'engine', [
    'transports',
    'events',
    'auth during connect',
    'concurrent connects',
    'circuit breaker',
    '429',
    'tools/list paging',
    'SSRF',
  ]),
  ...range('O', 10, 'behaviour', 'engine', [
    'discovery',
    'resource binding',
    'metadata issuer',
    'PKCE',
    'client identity',
    'scope',
    'state',
    'exchange',
    'refresh target',
    'auth method',
  ]),
  ...range('S', 7, 'behaviour', 'engine', [
    'states',
    'createFlow',
    'initFlow',
    'complete/fail',
    'createFlowWithHandler',
    'TTL',
    'cross-tab wake-up',
  ]),
  ...range('T', 8, 'behaviour', 'engine', [
    'three records',
    'expiry',
    'getTokens',
    'single refresh',
    'refresh outcomes',
    'conditional writes',
    'secrets at rest',
    'cross-tab single-flight',
  ]),
  ...range('A', 6, 'behaviour', 'apps', [
    'apps on by default',
    'UI resource',
    'visibility',
    'resources/read authorization',
    'sandbox',
    'read-only views',
  ]),
  ...range('DISC-', 6, 'mcp-auth', 'engine', [
    'parse WWW-Authenticate',
    'use PRM',
    'challenge resource_metadata',
    'path then root',
    'PRM resource matches',
    'state per AS',
  ]),
  ...range('ASM-', 4, 'mcp-auth', 'engine', [
    '03 metadata at origin',
    'RFC 8414 and OIDC',
    'discovery order',
    'metadata issuer',
  ]),
  ...range('REG-', 7, 'mcp-auth', 'engine', [
    'order',
    'CIMD',
    'pre-registered',
    'DCR',
    'application_type',
    'keyed by issuer',
    'token endpoint auth',
  ]),
  ...range('PKCE-', 3, 'mcp-auth', 'engine', ['always PKCE', 'S256', 'refuse without metadata']),
  ...range('RES-', 2, 'mcp-auth', 'engine', ['resource in requests', 'canonical resource byte-for-byte']),
  ...range('SCP-', 6, 'mcp-auth', 'engine', [
    'initial scope',
    'challenge authoritative',
    'step-up',
    'union',
    'retry limit',
    'offline_access and refresh grants',
  ]),
  ...range('TOK-', 5, 'mcp-auth', 'engine', [
    'bearer header only',
    'only this AS tokens',
    'secure storage',
    'audience (server)',
    'refresh rotation',
  ]),
  ...range('AR-', 3, 'mcp-auth', 'engine', ['state', 'iss', 'redirect URIs and https endpoints']),
  ...range('M', 13, 'local', 'mocks', [
    'JSON-RPC errors',
    'sessions',
    '202',
    'version negotiation',
    'batches',
    'Accept/GET',
    'SSE framing',
    'Apps metadata',
    '2026-07-28 era',
    'one world across tabs',
    'HTTP+SSE transport',
    'mock OAuth flow in the page',
    'in-page transport with the CORS response filter',
  ]),
  ...range('TL', 7, 'local', 'local', [
    'JSON round-trip',
    'parse errors',
    'upgraders',
    'Mermaid',
    'HAR',
    'model',
    'text export',
  ]),
  ...range('NET', 8, 'local', 'local', [
    'one event per call',
    'labels',
    'Request input',
    'streams',
    'network failure',
    'CORS diagnosis',
    'abort/timeout',
    'fetch-compatible errors',
  ]),
  ...range('GATE', 6, 'local', 'local', [
    'holds',
    'run to end',
    'enable',
    'abort',
    'subscribers',
    'fetch integration',
  ]),
  ...range('CLI', 6, 'local', 'local', [
    'headless OAuth',
    'mock consent and JSON',
    'failures',
    '--args',
    'exit 0',
    'bad input',
  ]),
  // The MCP Apps sandbox proxy (public/sandbox-proxy.js, src/ui/apps/sandbox-host.ts).
  ...range('SBX', 8, 'local', 'local', [
    'proxy origin differs from the host',
    'JSON-RPC only',
    'sandbox-* not relayed',
    'window and origin checks',
    'two sandbox models',
    'rate limit',
    'CSP line breaks refused',
    'navigated view removed',
  ]),
  // The MCP Apps host end (src/engine/apps/app-host.ts, src/ui/apps/).
  ...range('AH', 5, 'local', 'local', [
    'open-link http(s) only, without an opener',
    'input and result after initialized',
    'host context and its changes',
    'teardown before removal',
    'App lane with every bridge message, redacted',
  ]),
  // Hostile exchanges: answers whose size a server chooses (src/engine/net/body-limit.ts, describe.ts).
  ...range('HX', 5, 'local', 'engine', [
    'capturing a body for the timeline never holds up the caller',
    'OAuth answers the engine parses are size-limited while streaming',
    'JSON-RPC answers (not event streams) are size-limited while streaming',
    'a revocation endpoint gets a token or client secret only over https (or loopback)',
    'text outputs (CLI, text export) escape control and bidi characters a server chose',
  ]),
  // The real reference stack (server/: oidc-provider AS + SDK MCP server), server/*.test.ts.
  ...range('REAL', 7, 'local', 'server', [
    'first connect against the real stack',
    'refresh with rotation',
    'revocation leads to re-authentication',
    'MCP server HTTP contract and step-up',
    'login and consent pages',
    'taken port names its variable',
    'start-up stages logged; /health 503 until ready, then 200',
  ]),
  // The dev CORS proxy (server/dev-proxy.ts).
  ...range('PROXY', 2, 'local', 'server', ['forwards with CORS', 'private targets refused']),
};
// TOK-4 is the server's duty; the client's part of it is RES-1.
REQUIREMENTS['TOK-4'] = { title: 'audience validation', source: 'mcp-auth', owner: 'server' };

/** The IDs a title starts with: `DISC-2 DISC-4 O1: …` → DISC-2, DISC-4, O1. */
export function leadingIds(title: string): string[] {
  const m = /^((?:[A-Z][A-Z0-9]*(?:-\d+)?)(?:\s+[A-Z][A-Z0-9]*(?:-\d+)?)*)(?::|\s)/.exec(title);
  if (!m?.[1]) return [];
  return m[1].split(/\s+/).filter((id) => /\d/.test(id));
}

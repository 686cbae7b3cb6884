/**
 * One line per rule and requirement ID, so the timeline can say in plain words why an event
 * happened. Titles paraphrase spec/behaviour.md (F, D, O, S, T, A) and
 * mcp-auth-requirements.md (DISC, ASM, REG, PKCE, RES, SCP, TOK, AR); `ref` names the standard
 * section a reader can open.
 */

export interface RuleInfo {
  title: string;
  /** Where the rule comes from, as a reader would cite it ("RFC 9728 §3"). */
  ref?: string;
}

export interface RuleExplanation extends RuleInfo {
  id: string;
  /** The family, e.g. "OAuth handler" for O7 or "Resource indicators (RFC 8707)" for RES-1. */
  family: string;
  /** False when the ID is not in the map (the family may still be known). */
  known: boolean;
  /** A link to `ref`, when it names an RFC or the MCP spec. */
  href?: string;
}

const MCP_AUTH = 'MCP spec: Authorization';

export const RULE_FAMILIES: Readonly<Record<string, string>> = {
  F: 'Connection factory',
  D: 'Connection',
  O: 'OAuth handler',
  S: 'Flow store',
  T: 'Token store',
  A: 'MCP Apps host security',
  DISC: 'Protected resource discovery (RFC 9728)',
  ASM: 'Authorization server metadata (RFC 8414 / OIDC)',
  REG: 'Client registration',
  PKCE: 'PKCE (RFC 7636)',
  RES: 'Resource indicators (RFC 8707)',
  SCP: 'Scopes',
  TOK: 'Tokens',
  AR: 'Authorization response and redirect',
};

export const RULES: Readonly<Record<string, RuleInfo>> = {
  F1: { title: 'Create resolves config placeholders and returns a connected connection or throws.' },
  F2: { title: 'Tokens come from on-behalf-of exchange, else the token store, else none.' },
  F3: { title: 'On-behalf-of exchange may be vetoed; its errors name the server and a recovery hint.' },
  F4: { title: 'A server used without OAuth that answers 401/403 fails fast instead of waiting.' },
  F5: { title: 'Known OAuth server with no stored tokens: start sign-in before the first connect.' },
  F6: { title: 'The whole connect has a deadline, long enough for a person to finish signing in.' },
  F7: { title: 'Connect retries with backoff; an auth error stops retrying at once.' },
  F8: { title: 'What counts as an auth error: 401/403 or an invalid_token-like message.' },
  F9: { title: 'After connect: keep the oauthRequired listener so a later 401 can still recover.' },
  F10: { title: 'Try a silent refresh first, except for 403 / insufficient_scope (needs new consent).' },
  F11: { title: 'Concurrent silent refreshes for one user and server share one request.' },
  F12: { title: 'Refresh worked: new tokens go on the connection and stale cached tokens are dropped.' },
  F13: { title: 'Refresh failed: forget the completed flow and ask the person to sign in again.' },
  F14: { title: 'Return-early mode (discovery, reconnects): start or reuse a flow, never block.' },
  F15: { title: 'Blocking mode: join or start a sign-in flow and wait for it to finish.' },
  F16: { title: 'After blocking sign-in: store and use the tokens, or report the failure.' },
  F17: { title: 'A stored client registration the server no longer knows is deleted and redone.' },
  F18: { title: 'Loading stored tokens runs as one shared flow, so parallel loads read once.' },
  F19: { title: 'Tool discovery never waits for a person; it falls back to an unauthenticated list.' },
  F20: { title: 'Each tenant keeps its own flows, refreshes and tokens, even for the same user id.' },
  F21: { title: 'Flow ids derive from tenant, user and server.' },
  F22: { title: 'Failed discovery attempts do not trip the circuit breaker.' },
  D1: { title: 'Streamable HTTP or SSE transport; the bearer token goes on every request.' },
  D2: { title: 'Connection events: connectionChange, oauthRequired, oauthHandled, oauthFailed, …' },
  D3: { title: 'An auth error during connect asks for OAuth and waits for it before retrying.' },
  D4: { title: 'Concurrent connects share one attempt; connecting twice is a no-op.' },
  D5: { title: 'Circuit breaker: too many connect cycles in a short window cools down.' },
  D6: { title: 'HTTP 429 stops automatic reconnects.' },
  D7: { title: 'tools/list paging stops at a cap and returns what it has.' },
  D8: { title: 'SSRF protection: private and loopback addresses are refused unless allow-listed.' },
  O1: {
    title: 'Discovery: the 401 challenge names the metadata URL, else well-known paths.',
    ref: 'RFC 9728 §3',
  },
  O2: {
    title: 'The protected resource metadata must name this server, sent back byte-for-byte.',
    ref: 'RFC 9728 §3.3',
  },
  O3: {
    title: "The authorization server's issuer must match exactly, in metadata and callback.",
    ref: 'RFC 8414 §3.3',
  },
  O4: { title: 'PKCE with S256, always; refuse a server that does not advertise it.', ref: 'RFC 7636 §4.2' },
  O5: {
    title: 'Client identity: pre-registered, then metadata document, then dynamic registration.',
    ref: 'RFC 7591 §3',
  },
  O6: { title: 'Which scopes to ask for, and step-up on 403 insufficient_scope.', ref: 'RFC 6750 §3.1' },
  O7: {
    title: 'A fresh random state per sign-in; a callback with another state is refused.',
    ref: 'RFC 6749 §10.12',
  },
  O8: { title: 'The authorization code is exchanged for tokens exactly once.', ref: 'RFC 6749 §4.1.3' },
  O9: {
    title: 'Refresh goes to the token endpoint bound at sign-in, never to the MCP server.',
    ref: 'RFC 6749 §6',
  },
  O10: { title: 'Token endpoint authentication: basic, post or none, as registered.', ref: 'RFC 6749 §2.3' },
  S1: { title: 'A flow is PENDING, then COMPLETED or FAILED, with timestamps.' },
  S2: { title: 'createFlow writes PENDING and watches until it completes, fails or times out.' },
  S3: { title: 'initFlow writes PENDING without watching, before the redirect.' },
  S4: { title: 'A COMPLETED flow is never overwritten.' },
  S5: { title: 'Join a running flow, or run the handler once and store its result.' },
  S6: { title: 'Flow records expire after their time to live.' },
  S7: { title: 'Other browser tabs waiting on a flow are woken at once.' },
  T1: { title: 'Three records per user and server: access token, refresh token, client registration.' },
  T2: { title: 'When an access token expires: expires_at, expires_in, JWT exp, else a default.' },
  T3: { title: 'No usable access token: refresh if there is a refresh token, else sign in again.' },
  T4: { title: 'One refresh at a time per user, server and scope.' },
  T5: { title: 'A refresh that fails for a transient reason keeps the stored credentials.' },
  T6: { title: 'Writes only succeed on the version they read; the loser of a race changes nothing.' },
  T7: { title: 'Secrets are encrypted at rest and redacted everywhere they are shown.' },
  T8: { title: 'Refresh is single-flight across browser tabs, so a rotated token is used once.' },
  A1: { title: 'MCP Apps are on unless turned off; when off, nothing app-related is fetched.' },
  A2: { title: "A tool's UI comes from _meta.ui.resourceUri and must be a ui:// URI." },
  A3: { title: 'Tool visibility: an app may only call tools visible to apps.' },
  A4: { title: 'An app may read only ui:// resources and resources the server advertises.' },
  A5: { title: 'App views run sandboxed on another origin, with the CSP they declare.' },
  A6: { title: 'Replayed views are display-only: the app cannot act with your credentials.' },
  'DISC-1': { title: 'Read the WWW-Authenticate header of a 401 and act on it.', ref: 'RFC 9728 §5.1' },
  'DISC-2': {
    title: 'Use protected resource metadata to find the authorization server.',
    ref: 'RFC 9728 §3',
  },
  'DISC-3': { title: 'Use resource_metadata from the challenge when present.', ref: 'RFC 9728 §5.1' },
  'DISC-4': {
    title: 'Else try the path-inserted well-known URL first, then the root.',
    ref: 'RFC 9728 §3.1',
  },
  'DISC-5': { title: 'The metadata resource must match the server being accessed.', ref: 'RFC 9728 §3.3' },
  'DISC-6': {
    title: 'Registration state is per authorization server, never reused across them.',
    ref: MCP_AUTH,
  },
  'ASM-1': {
    title: 'Old 2025-03-26 servers: metadata at the origin, else default endpoints.',
    ref: MCP_AUTH,
  },
  'ASM-2': { title: 'Support both OAuth (RFC 8414) and OpenID Connect discovery.', ref: 'RFC 8414 §3' },
  'ASM-3': { title: 'Try the well-known metadata URLs in the order the spec gives.', ref: 'RFC 8414 §3.1' },
  'ASM-4': { title: 'Metadata issuer must equal the issuer it was looked up for.', ref: 'RFC 8414 §3.3' },
  'REG-1': {
    title: 'Prefer pre-registered, then metadata document, then dynamic registration.',
    ref: MCP_AUTH,
  },
  'REG-2': { title: 'Client ID Metadata Document: the client_id is the document URL.', ref: MCP_AUTH },
  'REG-3': { title: 'Support static, pre-registered client credentials.', ref: MCP_AUTH },
  'REG-4': { title: 'Dynamic client registration.', ref: 'RFC 7591 §3' },
  'REG-5': { title: 'Registration carries application_type; a refusal is shown.', ref: 'RFC 7591 §2' },
  'REG-6': {
    title: 'Credentials are keyed by issuer; a new server means a new registration.',
    ref: MCP_AUTH,
  },
  'REG-7': { title: 'Authenticate at the token endpoint the way the server supports.', ref: 'RFC 6749 §2.3' },
  'PKCE-1': { title: 'Always use PKCE.', ref: 'RFC 7636 §4' },
  'PKCE-2': { title: 'Use the S256 challenge method.', ref: 'RFC 7636 §4.2' },
  'PKCE-3': { title: 'Refuse to go on when the metadata does not list S256.', ref: 'RFC 8414 §2' },
  'RES-1': { title: 'Send resource in authorization, token and refresh requests.', ref: 'RFC 8707 §2' },
  'RES-2': {
    title: 'The resource is the canonical server URI, sent exactly as published.',
    ref: 'RFC 8707 §2',
  },
  'SCP-1': {
    title: 'Initial scope: the challenge scope, else all supported scopes, else none.',
    ref: MCP_AUTH,
  },
  'SCP-2': { title: 'Scopes in a challenge are authoritative.', ref: 'RFC 6750 §3' },
  'SCP-3': { title: 'On 403 insufficient_scope, ask for more consent (step-up).', ref: 'RFC 6750 §3.1' },
  'SCP-4': { title: 'Step-up asks for the union of old and challenged scopes.', ref: MCP_AUTH },
  'SCP-5': { title: 'Step-up retries are limited per resource and operation.', ref: MCP_AUTH },
  'SCP-6': { title: 'offline_access may be requested; never assume a refresh token.', ref: MCP_AUTH },
  'TOK-1': { title: 'Send the token as Authorization: Bearer, never in the URL.', ref: 'RFC 6750 §2.1' },
  'TOK-2': { title: "Send only tokens issued by this server's authorization server.", ref: MCP_AUTH },
  'TOK-3': { title: 'Store tokens securely; refresh tokens stay confidential.', ref: 'RFC 6749 §10.4' },
  'TOK-4': {
    title: "The server checks the token's audience; the client sends resource.",
    ref: 'RFC 8707 §2',
  },
  'TOK-5': { title: 'Refresh tokens rotate: store the new one when one is returned.', ref: 'RFC 6749 §6' },
  'AR-1': {
    title: 'Check state on the callback; discard a response that lacks or mismatches it.',
    ref: 'RFC 6749 §10.12',
  },
  'AR-2': {
    title: 'Check the iss in the callback against the stored issuer, exactly.',
    ref: 'RFC 9207 §2.4',
  },
  'AR-3': { title: 'Redirect URIs and server endpoints are HTTPS or localhost.', ref: 'RFC 6749 §3.1.2.1' },
};

/** `F13` → `F`, `DISC-3` → `DISC`; undefined for an ID of no known shape. */
export function ruleFamily(id: string): string | undefined {
  const m = /^([A-Z]+)-?\d+$/.exec(id);
  return m?.[1] && m[1] in RULE_FAMILIES ? m[1] : undefined;
}

/** A link for a reference: RFC sections go to rfc-editor.org, the MCP spec to its authorization page. */
export function refHref(ref: string): string | undefined {
  const rfc = /^RFC (\d+)(?: §([\d.]+))?$/.exec(ref);
  if (rfc) return `https://www.rfc-editor.org/rfc/rfc${rfc[1]}${rfc[2] ? `#section-${rfc[2]}` : ''}`;
  if (ref === MCP_AUTH) return 'https://modelcontextprotocol.io/specification/draft/basic/authorization';
  return undefined;
}

/** What a rule ID means, for badges and the details pane; unknown IDs still get their family. */
export function explainRule(id: string): RuleExplanation {
  const info = RULES[id];
  const familyKey = ruleFamily(id);
  const family = familyKey ? (RULE_FAMILIES[familyKey] ?? 'Other') : 'Other';
  if (!info) return { id, family, known: false, title: `${family} rule ${id} (not in the lab's rule map).` };
  const href = info.ref ? refHref(info.ref) : undefined;
  return { id, family, known: true, ...info, ...(href ? { href } : {}) };
}

import { randomId, scopeList } from '../http';
import { MOCK_CLIENT_METADATA_URL } from '../presets';
import { redirectUriMatches } from './clients';
import type { AuthServer } from './server';
import type { ClientRecord } from './state';

/** A valid authorization request, ready for a decision. */
export interface AuthorizationRequest {
  client: ClientRecord;
  redirectUri: string;
  state?: string;
  codeChallenge: string;
  scope: string[];
  resource?: string;
}

/** Why an authorization request failed. Errors with a redirect URI go back to the client (RFC 6749 §4.1.2.1). */
export interface AuthorizationRequestError {
  error: string;
  description: string;
  /** Present when the client and redirect URI were valid, so the error may be sent there. */
  redirectTo?: string;
}

export type Decision = { decision: 'approve'; scopes?: string[]; subject?: string } | { decision: 'deny' };

function isHttpsUrlWithPath(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'https:' && u.pathname !== '/' && u.pathname !== '';
  } catch {
    return false;
  }
}

/** Fetches and validates a Client ID Metadata Document (REG-2); the client_id must equal its URL exactly. */
async function loadClientMetadataDocument(as: AuthServer, clientId: string): Promise<ClientRecord | string> {
  let doc: unknown;
  try {
    const res = await as.ctx.fetchDocument(clientId);
    if (!res.ok) return `The client metadata document at ${clientId} answered HTTP ${res.status}.`;
    doc = await res.json();
  } catch (e) {
    return `The client metadata document at ${clientId} could not be fetched or parsed: ${(e as Error).message}.`;
  }
  if (typeof doc !== 'object' || doc === null) return 'The client metadata document is not a JSON object.';
  const d = doc as Record<string, unknown>;
  if (d.client_id !== clientId)
    return `The document's client_id ("${String(d.client_id)}") does not equal its URL exactly.`;
  if (typeof d.client_name !== 'string') return 'The client metadata document has no client_name.';
  if (
    !Array.isArray(d.redirect_uris) ||
    !d.redirect_uris.length ||
    !d.redirect_uris.every((u) => typeof u === 'string')
  )
    return 'The client metadata document has no redirect_uris.';
  const method = d.token_endpoint_auth_method ?? 'none';
  if (method !== 'none')
    return `token_endpoint_auth_method "${String(method)}" is not supported for CIMD clients here; use "none".`;
  return {
    client_id: clientId,
    client_name: d.client_name,
    redirect_uris: d.redirect_uris as string[],
    token_endpoint_auth_method: 'none',
    grant_types: Array.isArray(d.grant_types)
      ? (d.grant_types as string[])
      : ['authorization_code', 'refresh_token'],
    source: 'cimd',
    issuedAt: as.ctx.now(),
  };
}

/** Validates an authorization request (RFC 6749 §4.1.1, PKCE RFC 7636 §4.3, RFC 8707 §2). */
export async function validateAuthorizationRequest(
  as: AuthServer,
  params: URLSearchParams,
): Promise<AuthorizationRequest | AuthorizationRequestError> {
  const clientId = params.get('client_id');
  if (!clientId) return { error: 'invalid_request', description: 'client_id is missing.' };
  let client = as.state.clients.get(clientId);
  if (!client && as.config.cimd && isHttpsUrlWithPath(clientId)) {
    const loaded = await loadClientMetadataDocument(as, clientId);
    if (typeof loaded === 'string') return { error: 'invalid_client', description: loaded };
    as.state.clients.set(clientId, loaded);
    client = loaded;
  }
  if (!client) return { error: 'invalid_client', description: `Unknown client_id "${clientId}".` };
  const redirectUri = params.get('redirect_uri');
  if (!redirectUri) return { error: 'invalid_request', description: 'redirect_uri is missing.' };
  if (!client.redirect_uris.some((r) => redirectUriMatches(r, redirectUri)))
    return {
      error: 'invalid_request',
      description: `redirect_uri ${redirectUri} is not registered for this client.`,
    };

  const state = params.get('state') ?? undefined;
  const fail = (error: string, description: string): AuthorizationRequestError => ({
    error,
    description,
    redirectTo: errorRedirect(as, redirectUri, error, description, state),
  });
  if (params.get('response_type') !== 'code')
    return fail('unsupported_response_type', 'Only response_type=code is supported.');
  const codeChallenge = params.get('code_challenge');
  if (!codeChallenge) return fail('invalid_request', 'PKCE is required: code_challenge is missing.');
  if (params.get('code_challenge_method') !== 'S256')
    return fail('invalid_request', 'code_challenge_method must be S256 (plain is not accepted).');
  if (!/^[A-Za-z0-9_-]{43}$/.test(codeChallenge))
    return fail('invalid_request', 'code_challenge is not a base64url SHA-256 digest.');
  const requested = params.has('scope') ? scopeList(params.get('scope')) : as.config.defaultScopes;
  const unknown = requested.filter((s) => !as.config.scopes.includes(s));
  if (unknown.length) return fail('invalid_scope', `Unknown scope(s): ${unknown.join(' ')}.`);
  const resource = params.get('resource') ?? undefined;
  if (resource !== undefined && !as.ctx.resources().includes(resource))
    return fail(
      'invalid_target',
      `resource ${resource} is not a resource this authorization server issues tokens for.`,
    );
  return {
    client,
    redirectUri,
    codeChallenge,
    scope: requested,
    ...(state !== undefined ? { state } : {}),
    ...(resource ? { resource } : {}),
  };
}

function withIss(as: AuthServer, url: URL): URL {
  const mode = as.ctx.knobs().callbackIss;
  if (mode === 'correct' && as.config.issParameter) url.searchParams.set('iss', as.config.issuer);
  if (mode === 'wrong') url.searchParams.set('iss', 'https://impostor.mock.test');
  return url;
}

function errorRedirect(
  as: AuthServer,
  redirectUri: string,
  error: string,
  description: string,
  state?: string,
): string {
  const url = new URL(redirectUri);
  url.searchParams.set('error', error);
  url.searchParams.set('error_description', description);
  if (state !== undefined) url.searchParams.set('state', state);
  return withIss(as, url).href;
}

/** Applies a person's decision: issues a code bound to the request, or an access_denied error. */
export function decide(
  as: AuthServer,
  req: AuthorizationRequest,
  d: Decision,
): { redirectTo: string; code?: string } {
  if (d.decision === 'deny')
    return {
      redirectTo: errorRedirect(
        as,
        req.redirectUri,
        'access_denied',
        'The user denied the request.',
        req.state,
      ),
    };
  const granted = d.scopes ? req.scope.filter((s) => d.scopes?.includes(s)) : req.scope;
  const code = randomId('code_');
  as.state.codes.set(code, {
    code,
    clientId: req.client.client_id,
    redirectUri: req.redirectUri,
    codeChallenge: req.codeChallenge,
    scope: granted,
    subject: (d.subject ?? 'alice').trim() || 'alice',
    expiresAt: as.ctx.now() + 60_000,
    used: false,
    ...(req.resource ? { resource: req.resource } : {}),
    ...(req.state !== undefined ? { state: req.state } : {}),
  });
  const url = new URL(req.redirectUri);
  url.searchParams.set('code', code);
  if (req.state !== undefined) url.searchParams.set('state', req.state);
  return { redirectTo: withIss(as, url).href, code };
}

/** The document the mock world hosts for CIMD runs; its redirect URIs cover the playground and tests. */
export const MOCK_CLIENT_METADATA = {
  client_id: MOCK_CLIENT_METADATA_URL,
  client_name: 'MCP Lab',
  client_uri: 'https://client.mock.test/mcp-lab/',
  redirect_uris: [
    'http://localhost/oauth/callback',
    'http://127.0.0.1/oauth/callback',
    'http://localhost/oauth-callback.html',
    'http://127.0.0.1/oauth-callback.html',
    'http://localhost/callback',
  ],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'none',
};

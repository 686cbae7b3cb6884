import { oauthError } from '../http';
import type { PreRegisteredClient } from '../presets';
import type { AuthServerState, ClientRecord } from './state';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether a redirect URI presented in a request matches one registered. Exact string match, except
 * that a loopback http redirect may use any port (RFC 8252 §7.3).
 */
export function redirectUriMatches(registered: string, presented: string): boolean {
  if (registered === presented) return true;
  let r: URL;
  let p: URL;
  try {
    r = new URL(registered);
    p = new URL(presented);
  } catch {
    return false;
  }
  return (
    r.protocol === 'http:' &&
    p.protocol === 'http:' &&
    LOOPBACK_HOSTS.has(r.hostname) &&
    r.hostname === p.hostname &&
    r.pathname === p.pathname &&
    r.search === p.search
  );
}

export function preRegisteredRecord(c: PreRegisteredClient, now: number): ClientRecord {
  return {
    client_id: c.client_id,
    token_endpoint_auth_method: c.token_endpoint_auth_method,
    redirect_uris: c.redirect_uris,
    grant_types: ['authorization_code', 'refresh_token'],
    client_name: c.client_name,
    source: 'preregistered',
    issuedAt: now,
    ...(c.client_secret ? { client_secret: c.client_secret } : {}),
  };
}

function decodeBasic(header: string): { id: string; secret: string } | null {
  const m = /^Basic\s+(.+)$/i.exec(header);
  if (!m?.[1]) return null;
  let decoded: string;
  try {
    decoded = atob(m[1]);
  } catch {
    return null;
  }
  const i = decoded.indexOf(':');
  if (i < 0) return null;
  try {
    // RFC 6749 §2.3.1: id and secret are form-urlencoded before base64.
    return { id: decodeURIComponent(decoded.slice(0, i)), secret: decodeURIComponent(decoded.slice(i + 1)) };
  } catch {
    return null;
  }
}

const invalidClient = (why: string) =>
  oauthError('invalid_client', why, 401, { 'www-authenticate': 'Basic realm="mock-as"' });

/**
 * Authenticates the client of a token or revocation request with the method it registered
 * (REG-7, O10). Returns the client, or the 401 invalid_client response to send.
 */
export function authenticateClient(
  state: AuthServerState,
  request: Request,
  form: URLSearchParams,
): ClientRecord | Response {
  const basic = request.headers.get('authorization');
  const creds = basic ? decodeBasic(basic) : null;
  if (basic && !creds) return invalidClient('Malformed HTTP Basic client credentials.');
  const clientId = creds?.id ?? form.get('client_id');
  if (!clientId)
    return invalidClient('No client authentication: send client_id (and a secret if the client has one).');
  const client = state.clients.get(clientId);
  if (!client)
    return invalidClient(`client not found: "${clientId}" is not registered with this authorization server.`);
  if (creds && form.get('client_id') && form.get('client_id') !== creds.id)
    return invalidClient('client_id mismatch between the Authorization header and the request body.');
  switch (client.token_endpoint_auth_method) {
    case 'client_secret_basic':
      if (!creds)
        return invalidClient(
          'This client authenticates with client_secret_basic: send HTTP Basic credentials.',
        );
      if (creds.secret !== client.client_secret) return invalidClient('Wrong client secret.');
      return client;
    case 'client_secret_post':
      if (creds) return invalidClient('This client authenticates with client_secret_post, not HTTP Basic.');
      if (form.get('client_secret') !== client.client_secret)
        return invalidClient('Wrong or missing client_secret.');
      return client;
    case 'none':
      if (creds || form.has('client_secret'))
        return invalidClient('This is a public client: it must not send a secret.');
      return client;
  }
}

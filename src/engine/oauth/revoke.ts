import { LabError } from '../errors';
import type { Lane } from '../timeline/events';
import { isSecureEndpoint } from './discovery';
import type { AuthorizationServerMetadata, ClientBinding, FetchLike } from './types';

/** Reads the AS metadata documents as they are (RFC 8414, then OIDC insert and append) for `revocation_endpoint`. */
async function revocationEndpointOf(
  issuer: string,
  fetchFor: (to: Lane, label?: string) => FetchLike,
): Promise<string | undefined> {
  const u = new URL(issuer);
  const path = u.pathname === '/' ? '' : u.pathname.replace(/\/$/, '');
  for (const url of [
    `${u.origin}/.well-known/oauth-authorization-server${path}`,
    `${u.origin}/.well-known/openid-configuration${path}`,
    `${u.origin}${path}/.well-known/openid-configuration`,
  ]) {
    const res = await fetchFor('as', 'AS metadata')(url, { headers: { accept: 'application/json' } });
    if (!res.ok) {
      await res.body?.cancel();
      continue;
    }
    const doc = (await res.json()) as { revocation_endpoint?: unknown };
    if (typeof doc.revocation_endpoint === 'string') return doc.revocation_endpoint;
  }
  return undefined;
}

/**
 * RFC 7009: asks the authorization server to stop honouring a token, with the client
 * authentication the registration uses (O10). The AS answers 200 even for unknown tokens.
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2
 */
export async function revokeToken(
  req: {
    client: ClientBinding;
    metadata: AuthorizationServerMetadata;
    token: string;
    hint: 'access_token' | 'refresh_token';
  },
  fetchFor: (to: Lane, label?: string) => FetchLike,
): Promise<void> {
  // The SDK's OIDC schema drops revocation_endpoint, so metadata stored from OIDC discovery may lack it.
  const endpoint =
    (req.metadata as { revocation_endpoint?: string }).revocation_endpoint ??
    (await revocationEndpointOf(req.client.issuer, fetchFor));
  if (!endpoint)
    throw new LabError(
      'oauth_failed',
      `Failed to revoke: ${req.client.issuer} advertises no revocation_endpoint (RFC 7009).`,
    );
  // HX4: the token and the client secret go only where the other credential-bearing endpoints may (AR-3).
  if (!isSecureEndpoint(endpoint))
    throw new LabError(
      'oauth_failed',
      `Failed to revoke: the revocation_endpoint ${endpoint} is not https, so the token and client credentials were not sent.`,
      {
        hint: 'Tokens and secrets only travel over TLS (loopback http is allowed for local servers).',
        ruleIds: ['HX4', 'AR-3'],
      },
    );
  const info = req.client.clientInformation as {
    client_id: string;
    client_secret?: string;
    token_endpoint_auth_method?: string;
  };
  const body = new URLSearchParams({ token: req.token, token_type_hint: req.hint });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  const method = info.token_endpoint_auth_method ?? (info.client_secret ? 'client_secret_basic' : 'none');
  if (method === 'client_secret_basic' && info.client_secret)
    headers.authorization = `Basic ${btoa(`${encodeURIComponent(info.client_id)}:${encodeURIComponent(info.client_secret)}`)}`;
  else {
    body.set('client_id', info.client_id);
    if (method === 'client_secret_post' && info.client_secret) body.set('client_secret', info.client_secret);
  }
  const res = await fetchFor('as', 'revocation')(endpoint, { method: 'POST', headers, body });
  await res.body?.cancel();
  if (!res.ok)
    throw new LabError(
      'oauth_failed',
      `Failed to revoke the ${req.hint}: ${endpoint} answered HTTP ${res.status}.`,
      { status: res.status },
    );
}

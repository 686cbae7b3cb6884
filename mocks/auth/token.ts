import {
  base64url,
  base64urlText,
  json,
  networkError,
  oauthError,
  randomId,
  readForm,
  scopeList,
  sha256base64url,
} from '../http';
import type { TokenEndpointError } from '../knobs';
import { authenticateClient } from './clients';
import type { AuthServer } from './server';
import { type ClientRecord, type GrantRecord, revokeGrant, type TokenRecord } from './state';

/** Signs a compact JWS (HS256) so access tokens decode like real ones; validity is still checked against AS state. */
async function signJwt(key: CryptoKey, payload: Record<string, unknown>): Promise<string> {
  const head = base64urlText(JSON.stringify({ alg: 'HS256', typ: 'at+jwt' }));
  const body = base64urlText(JSON.stringify(payload));
  const sig = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${head}.${body}`));
  return `${head}.${body}.${base64url(new Uint8Array(sig))}`;
}

function faultResponse(fault: TokenEndpointError): Response {
  switch (fault.kind) {
    case 'network':
      return networkError();
    case 'server_error':
      return oauthError('server_error', 'The token endpoint failed (fault knob).', 500);
    case 'invalid_client':
      return oauthError('invalid_client', 'client not found (fault knob).', 401);
    case 'unauthorized_client':
      return oauthError(
        'unauthorized_client',
        'The client is not allowed to use this grant (fault knob).',
        400,
      );
    case 'invalid_grant':
      return oauthError('invalid_grant', 'The grant is invalid, expired or revoked (fault knob).', 400);
  }
}

/** Takes one use of the token-error knob if it applies to this grant type. */
function takeFault(as: AuthServer, grantType: string | null): TokenEndpointError | null {
  const fault = as.ctx.knobs().tokenError;
  if (!fault || (fault.grant !== 'any' && fault.grant !== grantType)) return null;
  if (fault.remaining !== null) {
    const remaining = fault.remaining - 1;
    as.ctx.setKnobs({ tokenError: remaining > 0 ? { ...fault, remaining } : null });
  }
  return fault;
}

async function issueTokens(as: AuthServer, grant: GrantRecord, client: ClientRecord, withRefresh: boolean) {
  const knobs = as.ctx.knobs();
  const now = as.ctx.now();
  const iat = Math.floor(now / 1000);
  const access = await signJwt(await as.signingKey(), {
    iss: as.config.issuer,
    sub: grant.subject,
    ...(grant.resource ? { aud: grant.resource } : {}),
    client_id: client.client_id,
    scope: grant.scope.join(' '),
    iat,
    exp: iat + knobs.accessTokenTtlSec,
    jti: randomId('', 12),
  });
  const base = {
    grantId: grant.id,
    clientId: client.client_id,
    subject: grant.subject,
    scope: grant.scope,
    issuer: as.config.issuer,
    issuedAt: now,
    revoked: false,
    rotated: false,
    ...(grant.resource ? { resource: grant.resource } : {}),
  };
  as.state.tokens.set(access, {
    ...base,
    token: access,
    kind: 'access',
    expiresAt: now + knobs.accessTokenTtlSec * 1000,
  });
  const body: Record<string, unknown> = {
    access_token: access,
    token_type: 'Bearer',
    expires_in: knobs.accessTokenTtlSec,
    scope: grant.scope.join(' '),
  };
  if (withRefresh) {
    const refresh = randomId('rt_');
    const ttl = knobs.refreshTokenTtlSec;
    as.state.tokens.set(refresh, {
      ...base,
      token: refresh,
      kind: 'refresh',
      expiresAt: ttl === null ? null : now + ttl * 1000,
    });
    body.refresh_token = refresh;
    if (ttl !== null) body.refresh_token_expires_in = ttl;
  }
  return body;
}

const invalidGrant = (why: string) => oauthError('invalid_grant', why);

async function authorizationCodeGrant(
  as: AuthServer,
  client: ClientRecord,
  form: URLSearchParams,
): Promise<Response> {
  const code = form.get('code');
  const verifier = form.get('code_verifier');
  const redirectUri = form.get('redirect_uri');
  if (!code || !verifier || !redirectUri)
    return oauthError('invalid_request', 'authorization_code needs code, code_verifier and redirect_uri.');
  const rec = as.state.codes.get(code);
  if (!rec) return invalidGrant('Unknown authorization code.');
  if (rec.used) {
    // RFC 6749 §4.1.2: a code used twice revokes the tokens already issued for it.
    if (rec.grantId) revokeGrant(as.state, rec.grantId, 'authorization code reused');
    return invalidGrant('The authorization code was already used; the tokens issued for it are revoked.');
  }
  if (rec.expiresAt <= as.ctx.now()) return invalidGrant('The authorization code expired.');
  if (rec.clientId !== client.client_id)
    return invalidGrant('The authorization code was issued to another client.');
  if (rec.redirectUri !== redirectUri)
    return invalidGrant('redirect_uri does not match the authorization request.');
  if ((await sha256base64url(verifier)) !== rec.codeChallenge)
    return invalidGrant('PKCE verification failed: code_verifier does not match code_challenge.');
  const resource = form.get('resource');
  if (resource !== null && resource !== rec.resource)
    return oauthError(
      'invalid_target',
      `resource ${resource} differs from the one authorized (${rec.resource ?? 'none'}).`,
    );
  rec.used = true;
  const grant: GrantRecord = {
    id: randomId('grant_', 9),
    clientId: client.client_id,
    subject: rec.subject,
    scope: rec.scope,
    createdAt: as.ctx.now(),
    revoked: false,
    ...(rec.resource ? { resource: rec.resource } : {}),
  };
  rec.grantId = grant.id;
  as.state.grants.set(grant.id, grant);
  return json(
    await issueTokens(
      as,
      grant,
      client,
      client.grant_types.includes('refresh_token') && as.ctx.knobs().issueRefreshTokens,
    ),
  );
}

async function refreshTokenGrant(
  as: AuthServer,
  client: ClientRecord,
  form: URLSearchParams,
): Promise<Response> {
  const presented = form.get('refresh_token');
  if (!presented) return oauthError('invalid_request', 'refresh_token is missing.');
  const rec: TokenRecord | undefined = as.state.tokens.get(presented);
  if (rec?.kind !== 'refresh') return invalidGrant('Unknown refresh token.');
  const grant = as.state.grants.get(rec.grantId);
  if (rec.rotated) {
    if (as.ctx.knobs().reuseDetection) {
      revokeGrant(as.state, rec.grantId, 'rotated refresh token reused');
      return invalidGrant(
        'Refresh token reuse detected: this token was rotated out; the whole grant is revoked.',
      );
    }
    return invalidGrant('This refresh token was rotated out and is no longer valid.');
  }
  if (rec.revoked || !grant || grant.revoked) return invalidGrant('The refresh token is revoked.');
  if (rec.expiresAt !== null && rec.expiresAt <= as.ctx.now())
    return invalidGrant('The refresh token expired.');
  if (rec.clientId !== client.client_id)
    return invalidGrant('The refresh token was issued to another client.');
  const resource = form.get('resource');
  if (resource !== null && resource !== grant.resource)
    return oauthError(
      'invalid_target',
      `resource ${resource} differs from the one granted (${grant.resource ?? 'none'}).`,
    );
  const scope = form.has('scope') ? scopeList(form.get('scope')) : grant.scope;
  const extra = scope.filter((s) => !grant.scope.includes(s));
  if (extra.length)
    return oauthError('invalid_scope', `Scope(s) not in the original grant: ${extra.join(' ')}.`);
  const rotate = as.ctx.knobs().refreshRotation;
  if (rotate) rec.rotated = true;
  const body = await issueTokens(as, { ...grant, scope }, client, rotate);
  return json(body);
}

/** The token endpoint (RFC 6749 §3.2, PKCE RFC 7636 §4.6, OAuth 2.1 refresh rotation). */
export async function tokenEndpoint(as: AuthServer, request: Request): Promise<Response> {
  const form = await readForm(request);
  if (!form)
    return oauthError('invalid_request', 'The token request must be application/x-www-form-urlencoded.');
  const latency = as.ctx.knobs().tokenLatencyMs;
  if (latency > 0) await as.ctx.sleep(latency);
  const grantType = form.get('grant_type');
  const fault = takeFault(as, grantType);
  if (fault) return faultResponse(fault);
  const client = authenticateClient(as.state, request, form);
  if (client instanceof Response) return client;
  if (grantType === 'authorization_code') return authorizationCodeGrant(as, client, form);
  if (grantType === 'refresh_token') {
    if (!client.grant_types.includes('refresh_token'))
      return oauthError('unauthorized_client', 'This client did not register the refresh_token grant.');
    return refreshTokenGrant(as, client, form);
  }
  return oauthError('unsupported_grant_type', `grant_type "${grantType ?? ''}" is not supported.`);
}

import { timingSafeEqual } from 'node:crypto';
import {
  createLocalJWKSet,
  decodeProtectedHeader,
  type JSONWebKeySet,
  type JWTPayload,
  jwtVerify,
} from 'jose';
import type { IssuedAccessToken, Provider } from 'oidc-provider';

export function isJwt(token: string): boolean {
  if (token.split('.').length !== 3) return false;
  try {
    decodeProtectedHeader(token);
    return true;
  } catch {
    return false;
  }
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Which registered client is calling (RFC 6749 §2.3): `client_secret_basic`, `client_secret_post`,
 * or a public client (`none`) naming itself. Undefined when it does not authenticate.
 */
export async function authenticateClient(
  provider: Provider,
  authorization: string | undefined,
  form: URLSearchParams,
): Promise<string | undefined> {
  let id = form.get('client_id') ?? undefined;
  let secret = form.get('client_secret') ?? undefined;
  const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (basic?.[1]) {
    const [user = '', pass = ''] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    id = decodeURIComponent(user);
    secret = decodeURIComponent(pass);
  }
  if (!id) return undefined;
  const client = await provider.Client.find(id);
  if (!client) return undefined;
  if (client.clientAuthMethod === 'none') return secret === undefined ? id : undefined;
  return secret !== undefined && client.clientSecret && sameSecret(secret, client.clientSecret)
    ? id
    : undefined;
}

/**
 * oidc-provider signs JWT access tokens but neither stores them nor lets them be introspected or
 * revoked (`unsupported_token_type`). This remembers what it issued (jti → grant) so RFC 7662
 * introspection and RFC 7009 revocation work for them too: a JWT is active while its signature and
 * expiry hold, its grant exists, and nobody revoked it. Revoking one revokes its whole grant (RFC
 * 7009 §2.1 allows it), so the refresh token dies with it and the client must authorize again.
 */
export class JwtAccessTokens {
  readonly #issued = new Map<string, { grantId?: string; exp: number }>();
  readonly #revoked = new Set<string>();
  readonly #keys: ReturnType<typeof createLocalJWKSet>;

  constructor(
    private readonly provider: Provider,
    publicJwks: JSONWebKeySet,
  ) {
    this.#keys = createLocalJWKSet(publicJwks);
    provider.on('access_token.issued', (token) => this.#remember(token));
  }

  #remember(token: IssuedAccessToken): void {
    const now = Date.now() / 1000;
    for (const [jti, rec] of this.#issued) if (rec.exp < now) this.#issued.delete(jti);
    this.#issued.set(token.jti, {
      exp: token.exp ?? now + 3600,
      ...(token.grantId ? { grantId: token.grantId } : {}),
    });
  }

  /** The token's claims when it is active, else undefined. */
  async active(token: string): Promise<JWTPayload | undefined> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.#keys, { issuer: this.provider.issuer, typ: 'at+jwt' }));
    } catch {
      return undefined;
    }
    const rec = payload.jti ? this.#issued.get(payload.jti) : undefined;
    if (!rec || !payload.jti || this.#revoked.has(payload.jti)) return undefined;
    if (rec.grantId && !(await this.provider.Grant.find(rec.grantId))) return undefined;
    return payload;
  }

  /** RFC 7662 §2.2 response for a JWT access token. */
  async introspect(token: string, callerId: string): Promise<Record<string, unknown>> {
    const claims = await this.active(token);
    if (!claims) return { active: false };
    const caller = await this.provider.Client.find(callerId);
    // Like oidc-provider's default policy: public clients may only introspect their own tokens.
    if (caller?.clientAuthMethod === 'none' && claims.client_id !== callerId) return { active: false };
    const { iss, sub, aud, scope, client_id, exp, iat, jti } = claims;
    return { active: true, token_type: 'Bearer', iss, sub, aud, scope, client_id, exp, iat, jti };
  }

  /** RFC 7009 for a JWT access token: only its own client may revoke it; anything else is ignored. */
  async revoke(token: string, callerId: string): Promise<void> {
    const claims = await this.active(token);
    if (!claims?.jti || claims.client_id !== callerId) return;
    this.#revoked.add(claims.jti);
    const grantId = this.#issued.get(claims.jti)?.grantId;
    if (grantId) await (await this.provider.Grant.find(grantId))?.destroy();
  }
}

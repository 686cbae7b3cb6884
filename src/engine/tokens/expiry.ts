import type { AccessExpirySource, GrantTokens, RefreshExpirySource } from './types';

/** A number, or a numeric string (some authorization servers send `"3600"`); else `undefined`. */
function finite(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  return undefined;
}

function base64UrlDecode(segment: string): string {
  const b64 = segment.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/**
 * The `exp` claim (seconds since the epoch) of a JWT access token, decoded without verification:
 * the client only needs a hint of when to refresh, the resource server does the verifying (TOK-4).
 * `undefined` for opaque tokens and malformed JWTs.
 *
 * Rule T2.
 * @see https://www.rfc-editor.org/rfc/rfc7519#section-4.1.4
 */
export function jwtExp(token: string): number | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const payload: unknown = JSON.parse(base64UrlDecode(parts[1]));
    if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return undefined;
    const exp = (payload as Record<string, unknown>).exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp : undefined;
  } catch {
    return undefined;
  }
}

/**
 * When an access token expires: `expires_at` (seconds below 1e10, else milliseconds, like S6),
 * else `now + expires_in`, else a JWT `exp` that is still in the future, else the default
 * lifetime. A past `exp` is ignored rather than trusted, as the spec says: with a scaled or manual
 * clock the engine's "now" is not the issuer's, and a 401 will tell us soon enough.
 *
 * Rule T2.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export function accessExpiry(
  tokens: GrantTokens,
  now: number,
  defaultLifetimeMs: number,
): { expiresAt: number; source: AccessExpirySource } {
  const at = finite(tokens.expires_at);
  if (at !== undefined && at > 0) return { expiresAt: at < 1e10 ? at * 1000 : at, source: 'expires_at' };
  const inSeconds = finite(tokens.expires_in);
  if (inSeconds !== undefined && inSeconds >= 0)
    return { expiresAt: now + inSeconds * 1000, source: 'expires_in' };
  const exp = jwtExp(tokens.access_token);
  if (exp !== undefined && exp * 1000 > now) return { expiresAt: exp * 1000, source: 'jwt_exp' };
  return { expiresAt: now + defaultLifetimeMs, source: 'default' };
}

/**
 * When a refresh token expires: `refresh_token_expires_in`, else the default lifetime (most
 * authorization servers do not say; the AS will answer `invalid_grant` when it is dead, T5).
 *
 * Rule T2.
 */
export function refreshExpiry(
  tokens: Pick<GrantTokens, 'refresh_token_expires_in'>,
  now: number,
  defaultLifetimeMs: number,
): { expiresAt: number; source: RefreshExpirySource } {
  const inSeconds = finite(tokens.refresh_token_expires_in);
  if (inSeconds !== undefined && inSeconds >= 0)
    return { expiresAt: now + inSeconds * 1000, source: 'refresh_token_expires_in' };
  return { expiresAt: now + defaultLifetimeMs, source: 'default' };
}

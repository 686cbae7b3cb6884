import { decodeJwt, formatClaim } from '../timeline/jwt';

/**
 * JWT claims for the Tokens panel: the timeline's decoder (one JWT reader in the UI), narrowed to
 * the payload. Masked values, opaque tokens and garbage give `undefined`.
 */
export type JwtClaims = Record<string, unknown>;

export function decodeJwtClaims(token: unknown): JwtClaims | undefined {
  return typeof token === 'string' ? decodeJwt(token.trim())?.payload : undefined;
}

export { formatClaim };

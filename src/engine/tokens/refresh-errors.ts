import { isLabError, messageOf } from '../errors';

/**
 * What a failed refresh means for the stored credentials (T5):
 * - `invalid_client`: the registration is gone or refused → delete client and refresh records;
 * - `invalid_grant`: the refresh token is dead → mark it rejected;
 * - `aborted`: the refresh was cancelled (SHARED_REFRESH_ABORT) → like transient;
 * - `transient`: anything else (network, 5xx, timeout, malformed response) → touch nothing.
 */
export type RefreshFailureKind = 'invalid_client' | 'invalid_grant' | 'aborted' | 'transient';

export interface RefreshFailure {
  kind: RefreshFailureKind;
  /** The OAuth error code, when the error carried one. */
  code?: string;
  status?: number;
  message: string;
}

/** F17's patterns: a refused or unknown client registration. */
export const INVALID_CLIENT_PATTERN =
  /invalid_client|unauthorized_client|client_id mismatch|client not found|unknown client/i;
const INVALID_GRANT_PATTERN = /invalid_grant/i;

const field = (e: unknown, name: string): unknown =>
  e && typeof e === 'object' ? (e as Record<string, unknown>)[name] : undefined;

/** The OAuth error code: SDK v2 `code`, SDK v1 `errorCode`, or a raw response's `error`. */
function oauthCode(e: unknown): string | undefined {
  for (const name of ['code', 'errorCode', 'error']) {
    const v = field(e, name);
    if (typeof v === 'string' && v) return v;
  }
  return undefined;
}

function httpStatus(e: unknown): number | undefined {
  for (const name of ['status', 'statusCode']) {
    const v = field(e, name);
    if (typeof v === 'number' && Number.isInteger(v)) return v;
  }
  return undefined;
}

/**
 * Classifies an error thrown by a Refresher. Only an explicit signal (an OAuth code or a message
 * naming it) counts as `invalid_client` or `invalid_grant`: a bare 400/401 could come from a proxy,
 * and guessing wrong would delete a grant that still works (a transient failure never does, T5).
 * The error's `cause` is looked at too, since wrappers often keep the OAuth error there.
 *
 * Rule T5.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export function classifyRefreshError(e: unknown): RefreshFailure {
  const cause = field(e, 'cause');
  const code = oauthCode(e) ?? oauthCode(cause);
  const status = httpStatus(e) ?? httpStatus(cause);
  const message = messageOf(e);
  const base = {
    message,
    ...(code !== undefined ? { code } : {}),
    ...(status !== undefined ? { status } : {}),
  };
  const text = [code ?? '', message, cause instanceof Error ? cause.message : ''].join(' ');
  if (INVALID_CLIENT_PATTERN.test(text)) return { kind: 'invalid_client', ...base };
  if (INVALID_GRANT_PATTERN.test(text)) return { kind: 'invalid_grant', ...base };
  if (isLabError(e, 'aborted') || (e instanceof Error && e.name === 'AbortError'))
    return { kind: 'aborted', ...base };
  return { kind: 'transient', ...base };
}

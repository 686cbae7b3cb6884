import { LabError, messageOf } from '../errors';

/** The OAuth error code an SDK or server error carries (`invalid_grant`, …), if any. */
export function oauthErrorCode(e: unknown): string | undefined {
  if (e && typeof e === 'object') {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[a-z_]+$/.test(code)) return code;
    const details = (e as { details?: { oauthError?: unknown } }).details;
    if (typeof details?.oauthError === 'string') return details.oauthError;
  }
  return undefined;
}

/**
 * Turns what the SDK's auth functions throw into a LabError that says which step failed and why,
 * keeping the OAuth error code (for T5/F17 classification) and the original as `cause`.
 */
export function fromSdkError(e: unknown, step: string, ruleIds: string[] = []): LabError {
  if (e instanceof LabError) return e;
  const message = messageOf(e);
  const oauth = oauthErrorCode(e);
  const name = e instanceof Error ? e.name : '';
  if (name === 'IssuerMismatchError')
    return new LabError('issuer_mismatch', `Failed to ${step}: ${message}`, {
      cause: e,
      ruleIds: [...ruleIds, 'O3'],
      hint: 'The authorization server metadata or response names another issuer; the flow stops here (RFC 8414 §3.3, RFC 9207).',
    });
  if (oauth)
    return new LabError(
      'oauth_failed',
      `Failed to ${step}: the authorization server answered ${oauth}: ${message}`,
      {
        cause: e,
        ruleIds,
        details: { oauthError: oauth },
      },
    );
  if (name === 'AbortError')
    return new LabError('aborted', `Failed to ${step}: aborted.`, { cause: e, ruleIds });
  if (e instanceof TypeError || /fetch failed|network/i.test(message))
    return new LabError('network', `Failed to ${step}: ${message}`, { cause: e, ruleIds });
  const status = /HTTP (\d{3})/.exec(message)?.[1];
  return new LabError(status ? 'http' : 'oauth_failed', `Failed to ${step}: ${message}`, {
    cause: e,
    ruleIds,
    ...(status ? { status: Number(status) } : {}),
  });
}

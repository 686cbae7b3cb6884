import { refreshAuthorization } from '@modelcontextprotocol/client';
import type { Lane } from '../timeline/events';
import type { TimelineRecorder } from '../timeline/recorder';
import { fromSdkError, oauthErrorCode } from './sdk-errors';
import type { AuthorizationServerMetadata, ClientBinding, FetchLike, OAuthTokens } from './types';

export interface RefreshRequest {
  client: ClientBinding;
  /** The AS metadata bound at authorization time: its token endpoint, never one derived from the MCP server (O9). */
  metadata: AuthorizationServerMetadata;
  refreshToken: string;
  resource?: string;
  scope?: string;
  signal?: AbortSignal;
}

/**
 * O9 / O10 / TOK-5: redeems a refresh token at the token endpoint bound at authorization time,
 * sending `resource` and the scope, with the client authentication method of the registration.
 * If the AS blames the scope, retries once without it. When the AS returns no new refresh token
 * the old one stays (the SDK keeps it); when it returns one, the old one is dead.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
export async function refreshTokens(
  req: RefreshRequest,
  fetchFor: (to: Lane, label?: string) => FetchLike,
  recorder?: TimelineRecorder,
): Promise<OAuthTokens> {
  recorder?.redactor.addSecret(req.refreshToken);
  const base = fetchFor('as', 'token: refresh_token');
  const fetchFn: FetchLike = (input, init) =>
    base(input, { ...init, ...(req.signal ? { signal: req.signal } : {}) });
  const attempt = (scope: string | undefined) =>
    refreshAuthorization(req.client.issuer, {
      metadata: req.metadata,
      clientInformation: req.client.clientInformation,
      refreshToken: req.refreshToken,
      fetchFn,
      ...(scope ? { scope } : {}),
      ...(req.resource ? { resource: req.resource } : {}),
    });
  let tokens: OAuthTokens;
  try {
    tokens = await attempt(req.scope);
  } catch (e) {
    if (!req.scope || oauthErrorCode(e) !== 'invalid_scope')
      throw fromSdkError(e, 'refresh the access token', ['O9']);
    recorder?.record({
      lane: 'factory',
      kind: 'decision',
      summary: 'The AS refused the scope on refresh: retrying once without it',
      ruleIds: ['O9'],
    });
    try {
      tokens = await attempt(undefined);
    } catch (e2) {
      throw fromSdkError(e2, 'refresh the access token', ['O9']);
    }
  }
  recorder?.redactor.addSecret(tokens.access_token, tokens.refresh_token, tokens.id_token);
  return tokens;
}

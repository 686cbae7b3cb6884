import { exchangeAuthorization, startAuthorization } from '@modelcontextprotocol/client';
import { LabError } from '../errors';
import type { Lane } from '../timeline/events';
import type { TimelineRecorder } from '../timeline/recorder';
import { REVISIONS } from './revisions';
import { fromSdkError } from './sdk-errors';
import type {
  AuthorizationCallback,
  AuthRevision,
  ClientBinding,
  Discovery,
  FetchLike,
  OAuthTokens,
  PendingAuthorization,
} from './types';

/** An unguessable `state` (O7, AR-1): 32 random bytes, base64url. */
export function newState(): string {
  const b = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...b))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/**
 * Builds the authorization request: PKCE S256 always (O4, PKCE-1/2), refusing an AS that lists no
 * S256 from 2025-11-25 on (PKCE-3); a fresh `state` (O7); `resource` byte-for-byte from the PRM
 * (RES-1, RES-2); the scope chosen by O6. The verifier stays with the issuer it was made for (AR-2).
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4
 */
export async function beginAuthorization(
  revision: AuthRevision,
  discovery: Discovery,
  client: ClientBinding,
  options: { scope?: string; recorder?: TimelineRecorder },
): Promise<PendingAuthorization> {
  const profile = REVISIONS[revision];
  const methods = discovery.metadata.code_challenge_methods_supported;
  if (profile.requirePkceMetadata && !methods?.includes('S256'))
    throw new LabError(
      'pkce_unsupported',
      `Failed to start authorization at ${discovery.issuer}: its metadata ${methods ? `lists code_challenge_methods_supported ${JSON.stringify(methods)} without S256` : 'has no code_challenge_methods_supported'}, so PKCE cannot be verified.`,
      {
        hint: 'MCP 2025-11-25 requires clients to refuse such servers; ask the server owner to advertise S256.',
        ruleIds: ['O4', 'PKCE-3'],
      },
    );
  const state = newState();
  const resource = profile.resourceIndicator ? (discovery.resource ?? discovery.serverUrl) : undefined;
  let started: { authorizationUrl: URL; codeVerifier: string };
  try {
    started = await startAuthorization(discovery.issuer, {
      metadata: discovery.metadata,
      clientInformation: client.clientInformation,
      redirectUrl: client.redirectUri,
      state,
      ...(options.scope ? { scope: options.scope } : {}),
      ...(resource ? { resource } : {}),
    });
  } catch (e) {
    throw fromSdkError(e, 'start authorization', ['O4']);
  }
  options.recorder?.redactor.addSecret(started.codeVerifier);
  return {
    authorizationUrl: started.authorizationUrl.href,
    state,
    codeVerifier: started.codeVerifier,
    issuer: discovery.metadata.issuer ?? discovery.issuer,
    issParameterSupported: discovery.metadata.authorization_response_iss_parameter_supported === true,
    redirectUri: client.redirectUri,
    tokenEndpoint: discovery.metadata.token_endpoint,
    ...(resource ? { resource } : {}),
    ...(options.scope ? { scope: options.scope } : {}),
  };
}

/**
 * Checks the authorization response before anything is exchanged: the `state` must be the flow's
 * (O7, AR-1); `iss`, when present, must equal the issuer exactly, and must be present when the AS
 * advertised it (AR-2, RFC 9207 §2.4: on a mismatch the error fields are not shown); then an error
 * response becomes a typed error, and a missing code a protocol error. Returns the code.
 */
export function validateCallback(
  revision: AuthRevision,
  pending: PendingAuthorization,
  callback: AuthorizationCallback,
): string {
  if (!callback.state || callback.state !== pending.state)
    throw new LabError(
      'state_mismatch',
      'Failed to complete authorization: the response does not carry the state of this flow (a superseded or forged attempt). The code was not exchanged.',
      {
        ruleIds: ['O7', 'AR-1'],
      },
    );
  if (REVISIONS[revision].issCheck) {
    if (callback.iss !== undefined && callback.iss !== pending.issuer)
      throw new LabError(
        'issuer_mismatch',
        `Failed to complete authorization: the response came from issuer ${callback.iss}, not ${pending.issuer}. The code was not exchanged.`,
        {
          ruleIds: ['O3', 'AR-2'],
        },
      );
    if (callback.iss === undefined && pending.issParameterSupported)
      throw new LabError(
        'issuer_mismatch',
        `Failed to complete authorization: ${pending.issuer} promises an iss parameter (RFC 9207) but the response has none. The code was not exchanged.`,
        {
          ruleIds: ['O3', 'AR-2'],
        },
      );
  }
  if (callback.error)
    throw new LabError(
      'oauth_failed',
      `The authorization server refused: ${callback.error}${callback.error_description ? `: ${callback.error_description}` : ''}.`,
      {
        details: { oauthError: callback.error },
        ruleIds: ['O7'],
      },
    );
  if (!callback.code)
    throw new LabError(
      'protocol',
      'Failed to complete authorization: the response has neither a code nor an error.',
      { ruleIds: ['O7'] },
    );
  return callback.code;
}

/** O8: exchanges the code once, with the PKCE verifier, redirect URI and resource of the request. */
export async function exchangeCode(
  discovery: Discovery,
  client: ClientBinding,
  pending: PendingAuthorization,
  code: string,
  callback: AuthorizationCallback,
  fetchFor: (to: Lane, label?: string) => FetchLike,
  recorder?: TimelineRecorder,
): Promise<OAuthTokens> {
  recorder?.redactor.addSecret(code);
  try {
    const tokens = await exchangeAuthorization(discovery.issuer, {
      metadata: discovery.metadata,
      clientInformation: client.clientInformation,
      authorizationCode: code,
      codeVerifier: pending.codeVerifier,
      redirectUri: pending.redirectUri,
      fetchFn: fetchFor('as', 'token: authorization_code'),
      ...(callback.iss !== undefined ? { iss: callback.iss } : {}),
      ...(pending.resource ? { resource: pending.resource } : {}),
    });
    recorder?.redactor.addSecret(tokens.access_token, tokens.refresh_token, tokens.id_token);
    return tokens;
  } catch (e) {
    throw fromSdkError(e, 'exchange the authorization code', ['O8']);
  }
}

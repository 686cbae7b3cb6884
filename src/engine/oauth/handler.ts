import { LabError } from '../errors';
import type { Lane } from '../timeline/events';
import type { TimelineRecorder } from '../timeline/recorder';
import { beginAuthorization, exchangeCode, validateCallback } from './authorization';
import { resolveClient } from './client-identity';
import { discover, isSecureEndpoint } from './discovery';
import { type RefreshRequest, refreshTokens } from './refresh';
import type {
  AuthorizationCallback,
  BearerChallenge,
  ClientBinding,
  Discovery,
  FetchLike,
  OAuthConfig,
  OAuthTokens,
  PendingAuthorization,
} from './types';

/**
 * The OAuth handler for one MCP server (rules O1–O10): each step is a separate call whose
 * requests go through `fetchFor(lane)`, so the engine can record, gate and break them one by one.
 */
export class OAuthHandler {
  constructor(
    readonly config: OAuthConfig,
    readonly fetchFor: (to: Lane, label?: string) => FetchLike,
    readonly recorder?: TimelineRecorder,
  ) {
    // AR-3: the redirect URI must be https or loopback.
    if (!isSecureEndpoint(config.redirectUri))
      throw new LabError(
        'invalid_input',
        `Failed to set up OAuth: the redirect URI ${config.redirectUri} must be https, or http on localhost / 127.0.0.1.`,
        {
          ruleIds: ['AR-3'],
        },
      );
  }

  #ctx() {
    return {
      config: this.config,
      fetchFor: this.fetchFor,
      ...(this.recorder ? { recorder: this.recorder } : {}),
    };
  }

  /** O1–O3: PRM (or 2025-03-26 metadata at the origin), resource binding, AS metadata. */
  discover(challenge?: BearerChallenge): Promise<Discovery> {
    return discover(this.#ctx(), challenge);
  }

  /** O5: a stored registration for this issuer, pre-registered, CIMD, or DCR. */
  resolveClient(discovery: Discovery, stored?: ClientBinding): Promise<ClientBinding> {
    return resolveClient(this.#ctx(), discovery, stored);
  }

  /** O4, O6, O7, RES-1/2: the authorization request, with PKCE and a fresh state. */
  begin(discovery: Discovery, client: ClientBinding, scope?: string): Promise<PendingAuthorization> {
    return beginAuthorization(this.config.revision, discovery, client, {
      ...(scope ? { scope } : {}),
      ...(this.recorder ? { recorder: this.recorder } : {}),
    });
  }

  /** O7, AR-1, AR-2, then O8: checks the response and exchanges the code. */
  async complete(
    discovery: Discovery,
    client: ClientBinding,
    pending: PendingAuthorization,
    callback: AuthorizationCallback,
  ): Promise<OAuthTokens> {
    const code = validateCallback(this.config.revision, pending, callback);
    return exchangeCode(discovery, client, pending, code, callback, this.fetchFor, this.recorder);
  }

  /** O9, O10: refresh at the token endpoint bound at authorization time. */
  refresh(req: RefreshRequest): Promise<OAuthTokens> {
    return refreshTokens(req, this.fetchFor, this.recorder);
  }
}

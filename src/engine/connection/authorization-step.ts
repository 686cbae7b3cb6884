import { LabError, messageOf } from '../errors';
import { OAuthHandler } from '../oauth/handler';
import { oauthErrorCode } from '../oauth/sdk-errors';
import type { AuthorizationCallback } from '../oauth/types';
import type { FactoryDeps } from './factory-types';
import { type OAuthFlowMetadata, storedClientOf, unsealFlow } from './flow-metadata';
import { OAUTH_FLOW, tokenLoadFlowId } from './ids';
import { fixTokenLoadFlow } from './token-source';

export interface CompletedAuthorization {
  flowId: string;
  serverName: string;
  /** `already-completed`: a second callback for a finished flow (O8: no second exchange). */
  status: 'completed' | 'already-completed';
}

/** F17: what an AS says when it no longer knows a client. */
export const STALE_CLIENT_PATTERNS = [
  'invalid_client',
  'unauthorized_client',
  'client_id mismatch',
  'client not found',
  'unknown client',
];

export function isStaleClientError(e: unknown): boolean {
  const text = `${oauthErrorCode(e) ?? ''} ${messageOf(e)}`.toLowerCase();
  return STALE_CLIENT_PATTERNS.some((p) => text.includes(p));
}

/**
 * The one entry for whichever host received the redirect (a popup's callback page, a loopback
 * listener, a headless fetch): finds the flow by `state` (O7), checks `iss` (AR-2), exchanges the
 * code once (O8), stores the tokens, and only then marks the flow COMPLETED, so every watcher (in
 * this tab or another) finds the tokens in the token store.
 */
export async function completeAuthorization(
  deps: FactoryDeps,
  callback: AuthorizationCallback,
): Promise<CompletedAuthorization> {
  const { flowStore, tokenStore, recorder } = deps;
  if (!flowStore || !tokenStore)
    throw new LabError(
      'invalid_input',
      'Failed to complete authorization: this engine has no flow store or token store.',
    );
  const refuse = (why: string) => {
    recorder.record({
      lane: 'factory',
      kind: 'decision',
      level: 'warn',
      summary: `Authorization response refused: ${why}`,
      ruleIds: ['O7', 'AR-1'],
    });
    return new LabError(
      'state_mismatch',
      `Failed to complete authorization: ${why}. The code was not exchanged.`,
      { ruleIds: ['O7', 'AR-1'] },
    );
  };
  if (!callback.state) throw refuse('the response carries no state');
  const flowId = await flowStore.getFlowIdByState(callback.state);
  if (!flowId) throw refuse('no pending flow has this state (expired, superseded or forged)');
  const flow = await flowStore.getFlow<unknown>(flowId, OAUTH_FLOW);
  if (!flow) throw refuse('the flow of this state no longer exists');
  const meta = flow.metadata as unknown as OAuthFlowMetadata;
  if (flow.status === 'COMPLETED') {
    recorder.record({
      lane: 'factory',
      kind: 'decision',
      summary: `Flow ${flowId} is already COMPLETED: reporting success without a second exchange`,
      ruleIds: ['O8'],
    });
    return { flowId, serverName: meta.serverName, status: 'already-completed' };
  }
  if (flow.status !== 'PENDING' || meta.state !== callback.state)
    throw refuse('the flow was superseded by a newer attempt');

  const { client, pending } = await unsealFlow(deps.secretBox, meta);
  const handler = new OAuthHandler(
    { serverUrl: meta.serverUrl, revision: meta.revision, redirectUri: client.redirectUri, client: {} },
    deps.fetchFor,
    recorder,
  );
  let tokens: Awaited<ReturnType<OAuthHandler['complete']>>;
  try {
    tokens = await handler.complete(meta.discovery, client, pending, callback);
  } catch (e) {
    const key = { tenant: meta.tenant, user: meta.userId, server: meta.serverName };
    if (meta.clientReused && isStaleClientError(e)) {
      // F17: the stored registration is dead; forget it (and its refresh token) so the next attempt registers again.
      await tokenStore.delete(key, 'client');
      await tokenStore.delete(key, 'refresh');
      recorder.record({
        lane: 'factory',
        kind: 'decision',
        level: 'warn',
        summary: 'The reused client registration was refused: deleted it so the next attempt registers again',
        ruleIds: ['F17'],
      });
    }
    await flowStore.failFlow(flowId, OAUTH_FLOW, messageOf(e));
    throw e;
  }
  const key = { tenant: meta.tenant, user: meta.userId, server: meta.serverName };
  // O8: tokens are stored before the flow is marked COMPLETED.
  await tokenStore.saveGrant(key, tokens, storedClientOf(client, meta.discovery));
  await flowStore.completeFlow(flowId, OAUTH_FLOW, {
    scope: tokens.scope ?? pending.scope ?? '',
    expiresIn: tokens.expires_in ?? null,
  });
  // F12/F16: a token load that found nothing must not keep saying so to later loads (a reload,
  // another tab): the grant just stored is what they should find.
  await fixTokenLoadFlow(
    deps,
    tokenLoadFlowId({ tenant: meta.tenant, userId: meta.userId }, meta.serverName),
    Date.now(),
  );
  // The state mapping stays until it expires with the flow: a second callback must still find the
  // COMPLETED flow and report success without exchanging again (O8).
  return { flowId, serverName: meta.serverName, status: 'completed' };
}

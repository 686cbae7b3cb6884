import { isLabError, LabError, messageOf } from '../errors';
import type { Tokens } from '../tokens';
import { type FactoryDeps, type FactoryIdentity, type McpServerConfig, OboError } from './factory-types';
import { TOKEN_LOAD_FLOW } from './ids';

/**
 * F18: loads stored tokens inside a `get_tokens` flow so concurrent loads share one read (and at
 * most one refresh). The flow keeps only the expiry, never the token (T7); the token is read from
 * the token store. "Re-authentication required" → no tokens (interactive OAuth follows); any other
 * error → no tokens, logged.
 */
export async function loadStoredTokens(
  deps: FactoryDeps,
  key: { tenant: string; user: string; server: string },
  flowId: string,
): Promise<Tokens | undefined> {
  const { tokenStore, flowStore, recorder } = deps;
  if (!tokenStore) return undefined;
  try {
    if (flowStore) {
      const marker = await flowStore.createFlowWithHandler<{ expires_at: number } | null>(
        flowId,
        TOKEN_LOAD_FLOW,
        // "No tokens" is an answer, not a failure: the flow completes with null, and an
        // interactive flow fixes it afterwards (F12, F16).
        async () => {
          const t = await tokenStore.getTokens(key).catch((e: unknown) => {
            if (isLabError(e, 'reauth_required')) return null;
            throw e;
          });
          return t ? { expires_at: t.expires_at } : null;
        },
      );
      if (!marker) {
        recorder.record({
          lane: 'factory',
          kind: 'decision',
          summary: 'No usable stored tokens: interactive OAuth will follow',
          ruleIds: ['F18', 'T3'],
        });
        return undefined;
      }
    }
    return await tokenStore.getTokens(key);
  } catch (e) {
    if (isLabError(e, 'reauth_required')) {
      recorder.record({
        lane: 'factory',
        kind: 'decision',
        summary: 'Stored tokens need re-authentication: interactive OAuth will follow',
        ruleIds: ['F18', 'T3'],
      });
      return undefined;
    }
    recorder.record({
      lane: 'factory',
      kind: 'error',
      level: 'warn',
      summary: `Could not load stored tokens: ${messageOf(e)}`,
      ruleIds: ['F18'],
    });
    return undefined;
  }
}

/** F12: fixes the token-load flow so no later load serves rejected tokens. */
export async function fixTokenLoadFlow(deps: FactoryDeps, flowId: string, expiresAt: number): Promise<void> {
  const flow = await deps.flowStore?.getFlow(flowId, TOKEN_LOAD_FLOW);
  if (flow?.status === 'PENDING')
    await deps.flowStore?.completeFlow(flowId, TOKEN_LOAD_FLOW, { expires_at: expiresAt });
  else if (flow?.status === 'COMPLETED') await deps.flowStore?.deleteFlow(flowId, TOKEN_LOAD_FLOW);
}

/**
 * F2 / F3: an on-behalf-of token, when the config asks for OBO and a resolver and a user exist.
 * A trust check may veto it (no token, a warning). Errors name the server and end with a hint.
 */
export async function oboToken(
  deps: FactoryDeps,
  server: McpServerConfig,
  identity: FactoryIdentity,
): Promise<string | undefined> {
  const { obo, recorder } = deps;
  if (!obo || !server.obo) return undefined;
  if (deps.isTrustedAuthor && !deps.isTrustedAuthor(server)) {
    recorder.record({
      lane: 'factory',
      kind: 'decision',
      level: 'warn',
      summary: `OBO vetoed for "${server.name}": its author ${server.author ?? '(unknown)'} is not trusted; connecting without a token`,
      ruleIds: ['F3'],
    });
    return undefined;
  }
  let token: string | undefined;
  try {
    token = await obo.resolve({
      tenant: identity.tenant,
      user: identity.user,
      server,
      scopes: server.obo.scopes ?? [],
    });
  } catch (e) {
    const kind = e instanceof OboError ? e.kind : 'other';
    const hint =
      kind === 'retryable'
        ? 'Please retry.'
        : kind === 'exchange_failed'
          ? 'Re-authenticate the user or verify the configured OBO scopes and retry.'
          : 'Re-authenticate the user and retry.';
    throw new LabError(
      'obo_failed',
      `OBO token resolution failed for "${server.name}": ${messageOf(e)}. ${hint}`,
      { cause: e, ruleIds: ['F3'] },
    );
  }
  if (!token)
    throw new LabError('obo_failed', `OBO token exchange failed for "${server.name}".`, { ruleIds: ['F3'] });
  recorder.redactor.addSecret(token);
  recorder.record({
    lane: 'factory',
    kind: 'decision',
    summary: `Using an on-behalf-of token for "${server.name}"`,
    ruleIds: ['F2', 'F3'],
  });
  return token;
}

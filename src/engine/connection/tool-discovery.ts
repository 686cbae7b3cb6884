import { messageOf } from '../errors';
import { raceAbort } from './coalesce';
import type { Connection } from './connection';
import { ConnectionFactory } from './factory';
import { unauthDiscoveryTimeoutMs } from './factory-constants';
import type { FactoryDeps, FactoryIdentity, FactoryOAuthOptions, McpServerConfig } from './factory-types';
import type { OAuthRequiredEvent } from './types';

export interface ToolDiscovery {
  tools: Array<{ name: string; [k: string]: unknown }>;
  /** The authenticated connection, when one was made. */
  connection?: Connection;
  /** Whether the server asked for OAuth (a person must authorize before its tools can be used). */
  oauthRequired: boolean;
  /** The authorization URL handed out, if a flow was started or re-issued. */
  oauthUrl?: string;
  /** Why the authenticated attempt failed, when it did. */
  error?: string;
}

/**
 * F19: lists a server's tools without ever waiting for a person. Connects in return-early mode
 * under CONNECT_TIMEOUT; if that fails, lists unauthenticated on a separate connection (within
 * UNAUTH_DISCOVERY_TIMEOUT) whose `oauthRequired` fails fast. F22: failed attempts give their
 * circuit-breaker cycle back, so discovery cannot trip it.
 */
export async function discoverTools(
  deps: FactoryDeps,
  server: McpServerConfig,
  identity: FactoryIdentity,
  oauth: Omit<FactoryOAuthOptions, 'returnOnOAuth'> = {},
): Promise<ToolDiscovery> {
  let oauthUrl: string | undefined;
  let oauthRequired = false;
  const options: FactoryOAuthOptions = {
    ...oauth,
    returnOnOAuth: true,
    oauthStart: async (url, info) => {
      oauthUrl = url;
      oauthRequired = true;
      await oauth.oauthStart?.(url, info);
    },
  };
  const factory = new ConnectionFactory(deps, server, identity, options, { discovery: true });
  // A 401 means OAuth only when it carries a Bearer challenge; an API-key server's 401 does not.
  const noteChallenge = (event: OAuthRequiredEvent) => {
    if (event.challenge) oauthRequired = true;
  };
  factory.connection.on('oauthRequired', noteChallenge);
  let error: string | undefined;
  try {
    const connection = await factory.connect();
    const { tools } = await connection.listTools();
    return { tools, connection, oauthRequired, ...(oauthUrl ? { oauthUrl } : {}) };
  } catch (e) {
    error = messageOf(e);
    deps.breaker?.giveBack(factory.server.url);
    deps.recorder.record({
      lane: 'factory',
      kind: 'decision',
      summary: `Authenticated discovery failed (${error}): trying an unauthenticated listing`,
      ruleIds: ['F19', 'F22'],
    });
  }
  // A separate connection without OAuth options: its oauthRequired fails fast (F4), so nothing hangs.
  const bare = new ConnectionFactory(deps, server, identity, undefined, { discovery: true });
  const deadline = new AbortController();
  const cancel = deps.clock.schedule(
    () => deadline.abort(new Error('Unauthenticated discovery timed out')),
    unauthDiscoveryTimeoutMs(server),
  );
  bare.connection.on('oauthRequired', noteChallenge);
  try {
    const connection = await raceAbort(bare.connect(), deadline.signal);
    const { tools } = await raceAbort(connection.listTools(), deadline.signal);
    await connection.close();
    return { tools, oauthRequired, ...(oauthUrl ? { oauthUrl } : {}), ...(error ? { error } : {}) };
  } catch (e) {
    deps.breaker?.giveBack(bare.server.url);
    await bare.connection.close();
    return { tools: [], oauthRequired, ...(oauthUrl ? { oauthUrl } : {}), error: error ?? messageOf(e) };
  } finally {
    cancel();
  }
}

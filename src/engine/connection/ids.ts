/**
 * F21: flow ids derived from (tenant, user, server). Each part is percent-encoded before joining,
 * so a server name containing `:` cannot make two different triples collide.
 */
export interface Identity {
  tenant: string;
  userId: string;
}

export const OAUTH_FLOW = 'mcp_oauth';
export const TOKEN_LOAD_FLOW = 'mcp_get_tokens';

function part(v: string): string {
  return encodeURIComponent(v);
}

/** The interactive OAuth flow of this user for this server. */
export function oauthFlowId(id: Identity, serverName: string): string {
  return `${part(id.tenant)}:${part(id.userId)}:${part(serverName)}`;
}

/** The token-load flow (F18): a different id from the interactive one. */
export function tokenLoadFlowId(id: Identity, serverName: string): string {
  return `tokens:${oauthFlowId(id, serverName)}`;
}

/** F11: the coalescing key of silent refreshes (tenant, user, server and OAuth binding). */
export function refreshKey(id: Identity, serverName: string, binding = ''): string {
  return `${oauthFlowId(id, serverName)}:${part(binding)}`;
}

import type { FlowRecord, FlowStatus } from '../../engine/flows/types';
import type { CredentialKey, CredentialSummary } from '../../engine/tokens';

/** Everything the engine keeps for one identity (tenant, user, server): its credentials and flows. */
export interface TokenGroup {
  /** Stable React key: the identity's parts, JSON-encoded so `/` or `:` in names cannot collide (F20, F21). */
  id: string;
  key: CredentialKey;
  credential?: CredentialSummary;
  /** Newest first. */
  flows: FlowRecord[];
}

export interface GroupedTokens {
  groups: TokenGroup[];
  /** Flows whose identity cannot be told (written by something other than the factory). */
  otherFlows: FlowRecord[];
}

/** What a flow row shows: never the metadata as a whole, which holds a sealed secret (T7). */
export interface FlowView {
  id: string;
  type: string;
  status: FlowStatus;
  createdAt: number;
  endedAt?: number;
  tenant?: string;
  authorizationUrl?: string;
  error?: string;
  timedOut: boolean;
}

export function identityId(key: CredentialKey): string {
  return JSON.stringify([key.tenant, key.user, key.server]);
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * The identity a flow belongs to: from the OAuth flow's metadata (tenant, userId, serverName), else
 * from the flow id, which the factory builds as `tenant:user:server` with each part percent-encoded,
 * prefixed `tokens:` for token loads (F21). `undefined` when neither says.
 */
export function flowIdentity(flow: FlowRecord): CredentialKey | undefined {
  const m = flow.metadata ?? {};
  const [tenant, user, server] = [str(m.tenant) ?? flow.tenant, str(m.userId), str(m.serverName)];
  if (tenant !== undefined && user !== undefined && server !== undefined) return { tenant, user, server };
  const parts = flow.id.replace(/^tokens:/, '').split(':');
  if (parts.length !== 3) return undefined;
  try {
    const [t, u, s] = parts.map(decodeURIComponent) as [string, string, string];
    if (flow.tenant !== undefined && flow.tenant !== t) return undefined;
    return { tenant: t, user: u, server: s };
  } catch {
    return undefined;
  }
}

function compareKeys(a: CredentialKey, b: CredentialKey): number {
  return a.tenant.localeCompare(b.tenant) || a.user.localeCompare(b.user) || a.server.localeCompare(b.server);
}

/**
 * Credentials and flows side by side, one group per identity, sorted by tenant, user and server;
 * an identity with only a flow (an authorization in progress) gets a group too.
 */
export function groupByIdentity(
  credentials: readonly CredentialSummary[],
  flows: readonly FlowRecord[],
): GroupedTokens {
  const groups = new Map<string, TokenGroup>();
  const groupOf = (key: CredentialKey): TokenGroup => {
    const id = identityId(key);
    let g = groups.get(id);
    if (!g) {
      g = { id, key: { tenant: key.tenant, user: key.user, server: key.server }, flows: [] };
      groups.set(id, g);
    }
    return g;
  };
  for (const c of credentials) groupOf(c.key).credential = c;
  const otherFlows: FlowRecord[] = [];
  for (const f of flows) {
    const key = flowIdentity(f);
    if (key) groupOf(key).flows.push(f);
    else otherFlows.push(f);
  }
  const byNewest = (a: FlowRecord, b: FlowRecord) => b.createdAt - a.createdAt;
  for (const g of groups.values()) g.flows.sort(byNewest);
  return {
    groups: [...groups.values()].sort((a, b) => compareKeys(a.key, b.key)),
    otherFlows: otherFlows.sort(byNewest),
  };
}

/** The displayable part of a flow record: no `sealed`, no `result`, no other metadata (T7). */
export function flowView(flow: FlowRecord): FlowView {
  const url = str(flow.metadata?.authorizationUrl);
  const endedAt = flow.completedAt ?? flow.failedAt;
  return {
    id: flow.id,
    type: flow.type,
    status: flow.status,
    createdAt: flow.createdAt,
    ...(endedAt !== undefined ? { endedAt } : {}),
    ...(flow.tenant !== undefined ? { tenant: flow.tenant } : {}),
    ...(url && /^https?:\/\//i.test(url) ? { authorizationUrl: url } : {}),
    ...(flow.error !== undefined ? { error: flow.error } : {}),
    timedOut: flow.timedOut === true,
  };
}

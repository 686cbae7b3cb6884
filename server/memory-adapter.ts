/** What oidc-provider stores per model (sessions, grants, codes, refresh tokens, clients, …). */
type Payload = Record<string, unknown> & {
  grantId?: string;
  uid?: string;
  userCode?: string;
  consumed?: number;
};

/** The storage adapter interface oidc-provider calls, one instance per model name. */
export interface ProviderAdapter {
  upsert(id: string, payload: Payload, expiresIn?: number): Promise<void>;
  find(id: string): Promise<Payload | undefined>;
  findByUid(uid: string): Promise<Payload | undefined>;
  findByUserCode(userCode: string): Promise<Payload | undefined>;
  consume(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
}

/** Kept a little past expiry so oidc-provider's own clock tolerance (15 s) still finds them. */
const TOLERANCE_MS = 15_000;

/**
 * A per-stack in-memory store for oidc-provider: each reference stack gets its own (so stacks in one
 * process never share state), entries expire by time and are never evicted early (oidc-provider's
 * development adapter is an LRU of 1,000 entries and warns on every start). Nothing survives a
 * restart, which is what a lab server wants.
 */
export function memoryAdapter(): (model: string) => ProviderAdapter {
  const store = new Map<string, { payload: Payload; expiresAt: number }>();
  const live = (key: string): Payload | undefined => {
    const entry = store.get(key);
    if (entry && entry.expiresAt <= Date.now()) store.delete(key);
    return entry && entry.expiresAt > Date.now() ? entry.payload : undefined;
  };
  const scan = (model: string, match: (p: Payload) => boolean): Array<[string, Payload]> =>
    [...store.keys()].flatMap((key) => {
      const p = key.startsWith(`${model}:`) ? live(key) : undefined;
      return p && match(p) ? [[key, p] as [string, Payload]] : [];
    });
  return (model) => ({
    async upsert(id, payload, expiresIn) {
      const expiresAt = expiresIn ? Date.now() + expiresIn * 1000 + TOLERANCE_MS : Number.POSITIVE_INFINITY;
      store.set(`${model}:${id}`, { payload, expiresAt });
    },
    async find(id) {
      return live(`${model}:${id}`);
    },
    async findByUid(uid) {
      return scan(model, (p) => p.uid === uid)[0]?.[1];
    },
    async findByUserCode(userCode) {
      return scan(model, (p) => p.userCode === userCode)[0]?.[1];
    },
    async consume(id) {
      const p = live(`${model}:${id}`);
      if (p) p.consumed = Math.floor(Date.now() / 1000);
    },
    async destroy(id) {
      store.delete(`${model}:${id}`);
    },
    async revokeByGrantId(grantId) {
      for (const [key] of scan(model, (p) => p.grantId === grantId)) store.delete(key);
    },
  });
}

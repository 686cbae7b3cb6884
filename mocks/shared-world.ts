/**
 * One mock world per browser profile, however many tabs are open. A service worker hands each
 * request to the page that made it, so without this every tab would run its own authorization
 * server and "two tabs refresh once" could not even be asked. The first tab to take the lock hosts
 * the world (the leader); other tabs relay their requests to it over a BroadcastChannel. When the
 * leader closes, the next tab takes the lock and starts a fresh world.
 */
import type { MockWorld } from './world';

export interface LockManagerLike {
  request<T>(
    name: string,
    options: { mode?: 'exclusive' | 'shared' },
    callback: (lock: unknown) => Promise<T>,
  ): Promise<T>;
}

/** Something that answers requests for the mock hosts. */
export interface WorldHandler {
  handle(request: Request): Promise<Response | undefined>;
}

interface WireRequest {
  method: string;
  url: string;
  headers: Array<[string, string]>;
  body?: string;
}

interface WireResponse {
  status: number;
  statusText: string;
  headers: Array<[string, string]>;
  body: string;
  networkError?: boolean;
  unhandled?: boolean;
}

type Message =
  | { type: 'request'; id: string; from: string; request: WireRequest }
  | { type: 'response'; id: string; to: string; response: WireResponse };

export interface SharedWorld extends WorldHandler {
  readonly isLeader: boolean;
  /** Resolves when this tab hosts the world. */
  readonly leadership: Promise<void>;
  close(): void;
}

const NULL_BODY = new Set([101, 204, 205, 304]);

async function toWire(request: Request): Promise<WireRequest> {
  const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.text();
  return {
    method: request.method,
    url: request.url,
    headers: [...request.headers],
    ...(body ? { body } : {}),
  };
}

function fromWire(r: WireResponse): Response | undefined {
  if (r.unhandled) return undefined;
  if (r.networkError) return Response.error();
  return new Response(NULL_BODY.has(r.status) ? null : r.body, {
    status: r.status,
    statusText: r.statusText,
    headers: r.headers,
  });
}

/**
 * Shares `world` across tabs. `timeoutMs` bounds a relayed request: a follower whose leader does not
 * answer (it was closed mid-request) falls back to its own world, so nothing hangs.
 */
export function shareWorld(
  world: MockWorld,
  options: { channelName?: string; locks?: LockManagerLike; timeoutMs?: number } = {},
): SharedWorld {
  const name = options.channelName ?? 'mcp-lab-mock-world';
  const me = Math.random().toString(36).slice(2);
  const channel = new BroadcastChannel(name);
  const pending = new Map<string, (r: WireResponse) => void>();
  let leader = false;
  let release: () => void = () => {};
  let becomeLeader: () => void = () => {};
  const leadership = new Promise<void>((resolve) => {
    becomeLeader = resolve;
  });
  const locks = options.locks ?? (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;
  if (locks) {
    void locks.request(`${name}-leader`, { mode: 'exclusive' }, () => {
      leader = true;
      becomeLeader();
      // Held until this tab goes away.
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    });
  } else {
    leader = true;
    becomeLeader();
  }

  channel.onmessage = async (event: MessageEvent<Message>) => {
    const m = event.data;
    if (m?.type === 'response' && m.to === me) pending.get(m.id)?.(m.response);
    if (m?.type !== 'request' || !leader) return;
    const { method, url, headers, body } = m.request;
    const response = await world.handle(
      new Request(url, { method, headers, ...(body !== undefined ? { body } : {}) }),
    );
    const wire: WireResponse = !response
      ? { status: 0, statusText: '', headers: [], body: '', unhandled: true }
      : response.type === 'error'
        ? { status: 0, statusText: '', headers: [], body: '', networkError: true }
        : {
            status: response.status,
            statusText: response.statusText,
            headers: [...response.headers],
            body: await response.text(),
          };
    channel.postMessage({ type: 'response', id: m.id, to: m.from, response: wire } satisfies Message);
  };

  return {
    get isLeader() {
      return leader;
    },
    leadership,
    async handle(request) {
      if (leader) return world.handle(request);
      const id = Math.random().toString(36).slice(2);
      const wire = await toWire(request);
      const answer = await new Promise<WireResponse | undefined>((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          resolve(undefined);
        }, options.timeoutMs ?? 15_000);
        pending.set(id, (r) => {
          clearTimeout(timer);
          pending.delete(id);
          resolve(r);
        });
        channel.postMessage({ type: 'request', id, from: me, request: wire } satisfies Message);
      });
      if (answer) return fromWire(answer);
      // No leader answered: serve from this tab's own world rather than hang.
      return world.handle(
        new Request(wire.url, {
          method: wire.method,
          headers: wire.headers,
          ...(wire.body !== undefined ? { body: wire.body } : {}),
        }),
      );
    },
    close() {
      release();
      channel.close();
    },
  };
}

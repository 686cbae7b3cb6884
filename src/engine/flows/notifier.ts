/**
 * Wake-ups for watchers (S7). A transition written in this process wakes local watchers at once;
 * a broadcast channel carries it to other tabs of the same browser, whose watchers then re-read
 * the store instead of waiting for their next poll. The message only names the key: the store
 * stays the single source of truth, so a lost or forged message can at worst cause an extra read.
 */
import type { FlowChannel, FlowStatus } from './types';

const MESSAGE_KIND = 'mcp-lab/flow-changed';

interface FlowChangedMessage {
  kind: typeof MESSAGE_KIND;
  key: string;
  status: FlowStatus | 'DELETED';
}

function isFlowChanged(data: unknown): data is FlowChangedMessage {
  if (typeof data !== 'object' || data === null) return false;
  const m = data as Record<string, unknown>;
  return m.kind === MESSAGE_KIND && typeof m.key === 'string';
}

/** Opens a named channel when the host has `BroadcastChannel`; otherwise polling is the only path. */
function openChannel(name: string): FlowChannel | undefined {
  const Ctor = (globalThis as { BroadcastChannel?: new (name: string) => FlowChannel }).BroadcastChannel;
  return typeof Ctor === 'function' ? new Ctor(name) : undefined;
}

export class FlowNotifier {
  readonly #listeners = new Map<string, Set<() => void>>();
  readonly #channel: FlowChannel | undefined;
  /** Only a channel opened here is closed here; an injected one belongs to its owner. */
  readonly #ownsChannel: boolean;
  readonly #onMessage = (event: MessageEvent) => {
    if (isFlowChanged(event.data)) this.#wakeLocal(event.data.key);
  };

  constructor(channel?: FlowChannel | string) {
    this.#ownsChannel = typeof channel === 'string';
    this.#channel = typeof channel === 'string' ? openChannel(channel) : channel;
    this.#channel?.addEventListener('message', this.#onMessage);
  }

  /** Whether other tabs can be reached (false means polling only). */
  get broadcasting(): boolean {
    return this.#channel !== undefined;
  }

  /** Calls `wake` whenever the flow under `key` may have changed; returns the unsubscribe. */
  subscribe(key: string, wake: () => void): () => void {
    let set = this.#listeners.get(key);
    if (!set) {
      set = new Set();
      this.#listeners.set(key, set);
    }
    set.add(wake);
    return () => {
      const current = this.#listeners.get(key);
      current?.delete(wake);
      if (current?.size === 0) this.#listeners.delete(key);
    };
  }

  /** Announces a change of `key` to local watchers and, through the channel, to other tabs. */
  changed(key: string, status: FlowStatus | 'DELETED'): void {
    this.#wakeLocal(key);
    const message: FlowChangedMessage = { kind: MESSAGE_KIND, key, status };
    try {
      this.#channel?.postMessage(message);
    } catch {
      // A closed channel must not break a write that already succeeded; polling still works.
    }
  }

  close(): void {
    this.#channel?.removeEventListener('message', this.#onMessage);
    if (this.#ownsChannel) this.#channel?.close?.();
  }

  #wakeLocal(key: string): void {
    // Copy: a woken watcher may unsubscribe while we iterate.
    for (const wake of [...(this.#listeners.get(key) ?? [])]) wake();
  }
}

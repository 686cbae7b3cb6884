/**
 * OAuth `state` → flow id (O7): the callback page knows only the `state` the authorization server
 * sent back, and finds its flow through this mapping. Mappings live in the flow store's key-value
 * store and expire after FLOW_TTL like flows (S6), so an old `state` cannot revive anything.
 */
import type { Clock } from '../clock';
import type { KeyValueStore } from '../store/types';
import { parseStateMapping, stateKey } from './records';
import type { StateMapping } from './types';

export class StateMappings {
  constructor(
    readonly store: KeyValueStore,
    readonly clock: Clock,
    readonly ttlMs: number,
  ) {}

  /** Maps `state` to `flowId`, replacing an older mapping of the same state. O7. */
  async set(state: string, flowId: string): Promise<StateMapping> {
    const mapping: StateMapping = { state, flowId, createdAt: this.clock.now() };
    await this.store.update(stateKey(state), () => mapping);
    return mapping;
  }

  /** The flow id `state` maps to, or undefined when unknown or expired (then it is removed). O7, S6. */
  async get(state: string): Promise<string | undefined> {
    const key = stateKey(state);
    const mapping = parseStateMapping(await this.store.get(key));
    if (!mapping) return undefined;
    if (!this.#expired(mapping)) return mapping.flowId;
    // Re-checked inside the update: a fresh mapping written meanwhile by another tab must survive.
    await this.store.update(key, (raw) => {
      const current = parseStateMapping(raw);
      return current && this.#expired(current) ? undefined : raw;
    });
    return undefined;
  }

  /** Removes the mapping of `state`; true when there was one. O7. */
  async delete(state: string): Promise<boolean> {
    const found = { existed: false };
    await this.store.update(stateKey(state), (raw) => {
      found.existed = parseStateMapping(raw) !== undefined;
      return undefined;
    });
    return found.existed;
  }

  #expired(mapping: StateMapping): boolean {
    return this.clock.now() >= mapping.createdAt + this.ttlMs;
  }
}

import type { EngineStores, KeyValueStore } from './types';

/** Structured-clone semantics like IndexedDB, so callers never share objects with the store. */
const copy = <T>(v: T): T => (v === undefined ? v : structuredClone(v));

export class MemoryStore<T = unknown> implements KeyValueStore<T> {
  readonly #map = new Map<string, T>();
  async get(key: string) {
    return copy(this.#map.get(key));
  }
  async set(key: string, value: T) {
    this.#map.set(key, copy(value));
  }
  async delete(key: string) {
    this.#map.delete(key);
  }
  async update(key: string, updater: (old: T | undefined) => T | undefined) {
    const next = updater(copy(this.#map.get(key)));
    if (next === undefined) this.#map.delete(key);
    else this.#map.set(key, copy(next));
    return copy(next);
  }
  async keys() {
    return [...this.#map.keys()];
  }
  async entries() {
    return [...this.#map.entries()].map(([k, v]): [string, T] => [k, copy(v)]);
  }
  async clear() {
    this.#map.clear();
  }
}

export function memoryStores(): EngineStores {
  return {
    flows: new MemoryStore(),
    tokens: new MemoryStore(),
    settings: new MemoryStore(),
  };
}

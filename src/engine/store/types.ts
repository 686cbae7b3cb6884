/**
 * A small key-value store, one per concern (flows, tokens, clients, settings). Implementations:
 * memory (Node, tests) and IndexedDB through idb-keyval (the browser).
 */
export interface KeyValueStore<T = unknown> {
  get(key: string): Promise<T | undefined>;
  set(key: string, value: T): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Atomic read-modify-write: `updater` gets the current value and returns the new one
   * (`undefined` deletes). In IndexedDB this runs in one readwrite transaction, so it is atomic
   * across tabs too. Returns what was written.
   */
  update(key: string, updater: (old: T | undefined) => T | undefined): Promise<T | undefined>;
  keys(): Promise<string[]>;
  entries(): Promise<Array<[string, T]>>;
  clear(): Promise<void>;
}

export type StoreName = 'flows' | 'tokens' | 'clients' | 'settings';

/** The engine's stores. */
export type EngineStores = Record<StoreName, KeyValueStore>;

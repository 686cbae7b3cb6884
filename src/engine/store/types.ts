/**
 * A small key-value store, one per concern (flows, tokens, settings). Implementations:
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

/**
 * Client registrations live in `tokens` beside the tokens they were issued to: T1 binds all three
 * records of an identity to one credential set, which one store can update atomically.
 */
export type StoreName = 'flows' | 'tokens' | 'settings';

/** The engine's stores. */
export type EngineStores = Record<StoreName, KeyValueStore>;

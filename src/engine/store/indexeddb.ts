import {
  clear,
  createStore,
  del,
  entries,
  get,
  keys,
  promisifyRequest,
  set,
  type UseStore,
} from 'idb-keyval';
import type { EngineStores, KeyValueStore, StoreName } from './types';

/** An IndexedDB object store through idb-keyval; one database per concern. */
export class IndexedDbStore<T = unknown> implements KeyValueStore<T> {
  readonly #store: UseStore;
  constructor(dbName: string, storeName = 'kv') {
    this.#store = createStore(dbName, storeName);
  }
  get(key: string) {
    return get<T>(key, this.#store);
  }
  set(key: string, value: T) {
    return set(key, value, this.#store);
  }
  delete(key: string) {
    return del(key, this.#store);
  }
  /** Read, decide and write (or delete) in one readwrite transaction: atomic across tabs. */
  update(key: string, updater: (old: T | undefined) => T | undefined) {
    return this.#store('readwrite', async (store) => {
      const next = updater((await promisifyRequest(store.get(key))) as T | undefined);
      if (next === undefined) store.delete(key);
      else store.put(next, key);
      await promisifyRequest(store.transaction);
      return next;
    });
  }
  async keys() {
    return (await keys(this.#store)).map(String);
  }
  async entries() {
    return (await entries<IDBValidKey, T>(this.#store)).map(([k, v]): [string, T] => [String(k), v]);
  }
  clear() {
    return clear(this.#store);
  }
}

/** The engine's stores in IndexedDB, under a namespace (one per playground profile). */
export function indexedDbStores(namespace = 'mcp-lab'): EngineStores {
  const make = (name: StoreName) => new IndexedDbStore(`${namespace}-${name}`);
  return {
    flows: make('flows'),
    tokens: make('tokens'),
    settings: make('settings'),
  };
}

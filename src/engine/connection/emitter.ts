/** A small typed event emitter (no Node `events` in the browser). */
export class Emitter<Events extends { [K in keyof Events]: unknown[] }> {
  // Listeners are stored untyped; on/emit keep the types at the edges.
  readonly #listeners = new Map<keyof Events, Set<unknown>>();

  on<K extends keyof Events>(event: K, fn: (...args: Events[K]) => void): () => void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(fn);
    return () => this.off(event, fn);
  }

  once<K extends keyof Events>(event: K, fn: (...args: Events[K]) => void): () => void {
    const off = this.on(event, (...args) => {
      off();
      fn(...args);
    });
    return off;
  }

  off<K extends keyof Events>(event: K, fn: (...args: Events[K]) => void): void {
    this.#listeners.get(event)?.delete(fn);
  }

  emit<K extends keyof Events>(event: K, ...args: Events[K]): boolean {
    const set = this.#listeners.get(event);
    if (!set?.size) return false;
    for (const fn of [...set]) (fn as (...a: Events[K]) => void)(...args);
    return true;
  }

  listenerCount(event: keyof Events): number {
    return this.#listeners.get(event)?.size ?? 0;
  }
}

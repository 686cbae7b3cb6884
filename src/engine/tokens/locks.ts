import { abortError } from '../clock';

/**
 * The part of the Web Locks API the token store uses (T8). `navigator.locks` satisfies it; tests
 * and Node hosts can inject another implementation.
 */
export interface LockManagerLike {
  request<T>(
    name: string,
    options: { mode?: 'exclusive' | 'shared'; signal?: AbortSignal },
    callback: (lock: unknown) => Promise<T>,
  ): Promise<T>;
}

/**
 * The browser's Web Locks when this environment has them (all tabs and workers of one origin share
 * them), else `undefined`: Node has no other tabs to race with.
 *
 * Rule T8.
 * @see https://w3c.github.io/web-locks/
 */
export function defaultLockManager(): LockManagerLike | undefined {
  if (typeof navigator === 'undefined' || !navigator.locks) return undefined;
  const locks = navigator.locks;
  return {
    request: <T>(
      name: string,
      options: { mode?: 'exclusive' | 'shared'; signal?: AbortSignal },
      callback: (lock: unknown) => Promise<T>,
    ) => locks.request(name, options, (lock) => callback(lock)) as Promise<T>,
  };
}

/**
 * Exclusive locks within one JavaScript realm, granted in request order. For Node hosts that run
 * several TokenStore instances over one store, and for tests that play two tabs (T8).
 *
 * Rule T8.
 */
export class InProcessLockManager implements LockManagerLike {
  readonly #tails = new Map<string, Promise<void>>();
  #held = 0;

  /** Locks currently granted (for tests and diagnostics). */
  get held(): number {
    return this.#held;
  }

  async request<T>(
    name: string,
    options: { mode?: 'exclusive' | 'shared'; signal?: AbortSignal },
    callback: (lock: unknown) => Promise<T>,
  ): Promise<T> {
    const signal = options.signal;
    if (signal?.aborted) throw abortError(signal);
    const previous = this.#tails.get(name) ?? Promise.resolve();
    let release = () => {};
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The next request waits for this one even when this one gives up while queued.
    const tail = previous.then(() => mine);
    this.#tails.set(name, tail);
    try {
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => reject(abortError(signal));
        signal?.addEventListener('abort', onAbort, { once: true });
        previous.then(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        });
      });
      this.#held++;
      try {
        return await callback({ name, mode: 'exclusive' });
      } finally {
        this.#held--;
      }
    } finally {
      release();
      if (this.#tails.get(name) === tail) this.#tails.delete(name);
    }
  }
}

/**
 * One injectable clock for every timer in the engine (DESIGN.md principle 5): real time for people,
 * scaled time for demos and CI (a 10-minute OAuth timeout in milliseconds), and a manual clock for
 * tests that step time exactly.
 */

export interface Clock {
  /** Milliseconds since the epoch, on this clock's time line. */
  now(): number;
  /** Resolves after `ms` of this clock's time; rejects with an AbortError when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Runs `fn` after `ms` of this clock's time; returns a function that cancels it. */
  schedule(fn: () => void, ms: number): () => void;
}

export function abortError(signal?: AbortSignal): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error) return reason;
  const e = new Error(typeof reason === 'string' ? reason : 'The operation was aborted.');
  e.name = 'AbortError';
  return e;
}

/** Waits `ms` of `clock`'s time (via its `schedule`); rejects when `signal` aborts. */
export function sleepWith(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const onAbort = () => {
      cancel();
      reject(abortError(signal));
    };
    const cancel = clock.schedule(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Wall-clock time. */
export class RealClock implements Clock {
  now(): number {
    return Date.now();
  }
  schedule(fn: () => void, ms: number): () => void {
    const h = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(h);
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepWith(this, ms, signal);
  }
}

/**
 * Scaled time: every duration is multiplied by `factor` in real time (0.001 runs 10 minutes in
 * 600 ms), and `now()` advances 1/factor times faster than the wall clock, so expiry arithmetic
 * stays consistent with the timers.
 */
export class ScaledClock implements Clock {
  readonly #realStart = Date.now();
  readonly #virtualStart: number;
  constructor(
    readonly factor: number,
    start = Date.now(),
  ) {
    if (!(factor > 0))
      throw new RangeError(`Failed to create a scaled clock: factor must be > 0, got ${factor}.`);
    this.#virtualStart = start;
  }
  now(): number {
    return this.#virtualStart + (Date.now() - this.#realStart) / this.factor;
  }
  schedule(fn: () => void, ms: number): () => void {
    const h = setTimeout(fn, Math.max(0, ms * this.factor));
    return () => clearTimeout(h);
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepWith(this, ms, signal);
  }
}

/** A clock that moves only when told: `await clock.advance(ms)` fires due timers in order. */
export class ManualClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: Array<{ at: number; seq: number; fn: () => void }> = [];
  constructor(start = Date.UTC(2026, 0, 1)) {
    this.#now = start;
  }
  now(): number {
    return this.#now;
  }
  schedule(fn: () => void, ms: number): () => void {
    const timer = { at: this.#now + Math.max(0, ms), seq: this.#seq++, fn };
    this.#timers.push(timer);
    return () => {
      this.#timers = this.#timers.filter((t) => t !== timer);
    };
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepWith(this, ms, signal);
  }
  /** Number of timers waiting. */
  get pending(): number {
    return this.#timers.length;
  }
  /** Moves time forward by `ms`, running every timer that falls due, and lets promises settle between them. */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    await flushMicrotasks();
    for (;;) {
      const next = this.#timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!next) break;
      this.#timers = this.#timers.filter((t) => t !== next);
      this.#now = Math.max(this.#now, next.at);
      next.fn();
      await flushMicrotasks();
    }
    this.#now = end;
    await flushMicrotasks();
  }
}

/** Lets queued promise callbacks (and the ones they queue) run. */
export async function flushMicrotasks(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}

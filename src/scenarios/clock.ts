import { type Clock, sleepWith } from '../engine/clock';

/**
 * One time line for the mock world and every engine of a scenario (DESIGN.md principle 5):
 * scaled (0.05 runs 6 s in 300 ms, and `now()` moves 20 times faster to match) and adjustable
 * ("two hours later" moves everyone's `now()` at once, so the engine sees tokens expire when the
 * authorization server does). It satisfies both the engine's `Clock` and the mocks' `MockClock`.
 */
export class ScenarioClock implements Clock {
  #scale = 1;
  #realBase = Date.now();
  #virtualBase = this.#realBase;

  get scale(): number {
    return this.#scale;
  }

  /** Changes the scale from now on; `now()` stays continuous. */
  setScale(scale: number): void {
    if (!(scale > 0 && Number.isFinite(scale)))
      throw new RangeError(`Failed to set the scenario clock scale: expected a number > 0, got ${scale}.`);
    const now = this.now();
    this.#realBase = Date.now();
    this.#virtualBase = now;
    this.#scale = scale;
  }

  now(): number {
    return Math.floor(this.#virtualBase + (Date.now() - this.#realBase) / this.#scale);
  }

  /** Moves time forward for everyone (the mock world's `advanceClock` calls this). */
  advance(ms: number): void {
    this.#virtualBase += ms;
  }

  schedule(fn: () => void, ms: number): () => void {
    const h = setTimeout(fn, Math.max(0, ms * this.#scale));
    return () => clearTimeout(h);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepWith(this, ms, signal);
  }
}

/**
 * A tab's view of the scenario clock. When the tab goes away (a reload), its timers are cancelled
 * and its sleeps never end, so a dead tab cannot act on the shared stores any more.
 */
export class TabClock implements Clock {
  readonly #timers = new Set<() => void>();
  #alive = true;

  constructor(readonly base: Clock) {}

  now(): number {
    return this.base.now();
  }

  schedule(fn: () => void, ms: number): () => void {
    if (!this.#alive) return () => {};
    let cancel = () => {};
    const wrapped = () => {
      this.#timers.delete(cancel);
      if (this.#alive) fn();
    };
    cancel = (() => {
      const inner = this.base.schedule(wrapped, ms);
      return () => {
        inner();
        this.#timers.delete(cancel);
      };
    })();
    this.#timers.add(cancel);
    return cancel;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepWith(this, ms, signal);
  }

  /** Cancels every timer; nothing scheduled on this clock runs again. */
  stop(): void {
    this.#alive = false;
    for (const cancel of [...this.#timers]) cancel();
    this.#timers.clear();
  }
}

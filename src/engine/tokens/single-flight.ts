import type { Clock } from '../clock';
import { LabError } from '../errors';

export interface SingleFlightOptions {
  clock: Clock;
  /** SHARED_REFRESH_ABORT: the shared task's signal aborts after this long. */
  abortAfterMs: number;
  /** How long an aborted task that has not settled yet keeps its slot. */
  graceMs: number;
  /** The reason the shared signal aborts with (and the waiters reject with). */
  abortReason: () => Error;
}

interface Flight<T> {
  shared: Promise<T>;
}

/** Rejects with LabError('aborted') when this caller's own signal aborts; the task is not touched. */
function waitFor<T>(shared: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return shared;
  const aborted = () =>
    new LabError('aborted', 'Failed to get tokens: the caller cancelled its wait.', {
      hint: 'The shared refresh carries on for the other callers.',
      ruleIds: ['T4'],
    });
  if (signal.aborted) return Promise.reject(aborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    shared.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/**
 * One task at a time per key; later callers share the running task's promise (T4). Each caller may
 * stop waiting on its own signal. The task's signal aborts after `abortAfterMs` on the clock; the
 * waiters are then released with the abort reason at once, while the slot stays taken until the
 * task settles or `graceMs` later, so a task that ignores its signal cannot be doubled at once.
 *
 * Rule T4.
 */
export class SingleFlight<T> {
  readonly #flights = new Map<string, Flight<T>>();

  constructor(readonly options: SingleFlightOptions) {}

  /** True while a task holds the key's slot. */
  has(key: string): boolean {
    return this.#flights.has(key);
  }

  /** Joins the running task for `key`, or starts `start` as the new one. Rule T4. */
  run(
    key: string,
    start: (signal: AbortSignal) => Promise<T>,
    waiterSignal?: AbortSignal,
  ): { promise: Promise<T>; joined: boolean } {
    const running = this.#flights.get(key);
    if (running) return { promise: waitFor(running.shared, waiterSignal), joined: true };
    return { promise: waitFor(this.#start(key, start).shared, waiterSignal), joined: false };
  }

  #start(key: string, start: (signal: AbortSignal) => Promise<T>): Flight<T> {
    const { clock, abortAfterMs, graceMs, abortReason } = this.options;
    const controller = new AbortController();
    const cancelAbort = clock.schedule(() => controller.abort(abortReason()), abortAfterMs);
    let cancelGrace = () => {};

    let task: Promise<T>;
    try {
      task = start(controller.signal);
    } catch (e) {
      task = Promise.reject(e);
    }
    const shared = new Promise<T>((resolve, reject) => {
      task.then(resolve, reject);
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
    });
    const flight: Flight<T> = { shared };
    this.#flights.set(key, flight);

    const release = () => {
      if (this.#flights.get(key) === flight) this.#flights.delete(key);
    };
    controller.signal.addEventListener('abort', () => {
      cancelGrace = clock.schedule(release, graceMs);
    });
    const settled = () => {
      cancelAbort();
      cancelGrace();
      release();
    };
    task.then(settled, settled);
    // Every waiter may have given up; the task's outcome is then nobody's to handle.
    shared.catch(() => {});
    return flight;
  }
}

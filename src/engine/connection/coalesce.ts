import { abortError, type Clock } from '../clock';
import { LabError } from '../errors';

const inflight = new WeakMap<object, Map<string, Promise<unknown>>>();

/** Rejects as soon as `signal` aborts, whatever `p` does later. */
export function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/**
 * F11: concurrent silent refreshes with the same key share one in-flight run. Only the in-flight
 * promise is shared: once it settles, the next caller starts afresh. A run that outlives
 * `timeoutMs` is aborted and counts as failed for its callers; its slot is freed when it settles or
 * `graceMs` after the abort, whichever comes first.
 */
export function coalesce<T>(
  scope: object,
  key: string,
  clock: Clock,
  timeoutMs: number,
  graceMs: number,
  run: (signal: AbortSignal) => Promise<T>,
): { promise: Promise<T>; joined: boolean } {
  let map = inflight.get(scope);
  if (!map) {
    map = new Map();
    inflight.set(scope, map);
  }
  const existing = map.get(key) as Promise<T> | undefined;
  if (existing) return { promise: existing, joined: true };
  const ctrl = new AbortController();
  const slots = map;
  const free = () => {
    if (slots.get(key) === promise) slots.delete(key);
  };
  const cancelTimeout = clock.schedule(() => {
    ctrl.abort(
      new LabError('timeout', `Silent refresh took longer than ${timeoutMs} ms and was abandoned.`, {
        ruleIds: ['F11'],
      }),
    );
    clock.schedule(free, graceMs);
  }, timeoutMs);
  const running = run(ctrl.signal);
  const promise = raceAbort(running, ctrl.signal);
  map.set(key, promise);
  running.then(
    () => {
      cancelTimeout();
      free();
    },
    () => {
      cancelTimeout();
      free();
    },
  );
  // Callers see the abort; the run itself may still be settling.
  promise.catch(() => {});
  return { promise, joined: false };
}

/**
 * Helpers for the flow store's tests (not part of the engine's API). IndexedDB (fake-indexeddb)
 * completes requests on real `setImmediate` turns, which a ManualClock does not drive, so tests
 * let those turns run before and after moving the clock.
 */
import { ManualClock } from '../clock';
import { IndexedDbStore } from '../store/indexeddb';
import { MemoryStore } from '../store/memory';
import type { KeyValueStore } from '../store/types';
import { TimelineRecorder } from '../timeline/recorder';
import { FlowStore } from './flow-store';
import type { FlowStoreOptions } from './types';

/** Lets pending store requests and the promise chains after them finish (real event-loop turns). */
export async function flush(turns = 40): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Moves the manual clock, letting store I/O settle before and after so watchers have (re)armed. */
export async function advance(clock: ManualClock, ms: number): Promise<void> {
  await flush();
  await clock.advance(ms);
  await flush();
}

export type PromiseState = 'pending' | 'fulfilled' | 'rejected';

/** Tracks a promise's state without awaiting it (and marks a rejection as handled). */
export function track<T>(promise: Promise<T>): {
  readonly state: PromiseState;
  readonly promise: Promise<T>;
} {
  let state: PromiseState = 'pending';
  promise.then(
    () => {
      state = 'fulfilled';
    },
    () => {
      state = 'rejected';
    },
  );
  return {
    get state() {
      return state;
    },
    promise,
  };
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

let dbCounter = 0;

/** The two store backends every S2/S4/S5 test runs against. */
export const BACKENDS: ReadonlyArray<{ name: string; make: () => KeyValueStore }> = [
  { name: 'MemoryStore', make: () => new MemoryStore() },
  // A fresh database per test: fake-indexeddb keeps databases for the life of the worker.
  { name: 'IndexedDbStore', make: () => new IndexedDbStore(`flows-test-${++dbCounter}`) },
];

export const MIN = 60_000;

/**
 * A flow store on a memory store and a manual clock, with its recorder, and `otherTab`: another
 * tab on the same store without a channel, whose writes reach `flows` by polling only.
 */
export function flowStoreSetup(options: Partial<FlowStoreOptions> = {}) {
  const clock = new ManualClock();
  const store = new MemoryStore();
  const recorder = new TimelineRecorder(clock);
  const flows = new FlowStore({ store, clock, recorder, ...options });
  const otherTab = new FlowStore({ store, clock, ...options });
  return { clock, store, recorder, flows, otherTab };
}

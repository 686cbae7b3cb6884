/**
 * S5: `createFlowWithHandler`. A token load (F18) or any other shared piece of work runs once: a
 * caller joins a live flow when there is one (in this tab or another), otherwise claims the key
 * with one atomic write and runs the handler. Callers in this process that arrive while the claim
 * or the run is in progress share the same promise, so they never even race for the claim.
 */
import { messageOf } from '../errors';
import { type FlowTable, KEEP } from './flow-table';
import { flowKey } from './records';
import type { CreateFlowOptions, FlowRecord } from './types';
import { abortedWait, watchFlow } from './watch';

/** Why a stored flow was not joined, by its status. */
const REPLACED: Record<FlowRecord['status'], string> = {
  PENDING: 'a PENDING flow past its handling timeout',
  COMPLETED: 'a COMPLETED flow whose result expired',
  FAILED: 'a FAILED flow',
};

type HandlerOutcome<T> = { ran: true; value: T } | { ran: false };

export interface HandlerRunsHost {
  table: FlowTable;
  isResultExpired: (result: unknown, now: number) => boolean;
  /** The flow store's own transitions, so handler results are recorded like any completion. */
  complete(id: string, type: string, value: unknown): Promise<boolean>;
  fail(id: string, type: string, error: unknown): Promise<boolean>;
}

/** Resolves like `promise`, or rejects with `abort()` when the signal aborts first (the promise runs on). */
function untilAborted<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
  abort: (signal: AbortSignal) => Error,
): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abort(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export class HandlerRuns {
  readonly #host: HandlerRunsHost;
  /** In-process claims and runs by key. */
  readonly #running = new Map<string, Promise<HandlerOutcome<unknown>>>();

  constructor(host: HandlerRunsHost) {
    this.#host = host;
  }

  /**
   * Joins a live flow (PENDING within its handling timeout, or COMPLETED with a result that has not
   * expired); otherwise writes PENDING, runs `handler` once and stores its result. A handler error
   * marks the flow FAILED and is rethrown. An abort stops only this caller's wait, never the run
   * others share.
   * S5.
   */
  async run<T>(id: string, type: string, handler: () => Promise<T>, options: CreateFlowOptions): Promise<T> {
    const key = flowKey(id, type);
    const { table } = this.#host;
    const { signal } = options;
    if (signal?.aborted) throw abortedWait(id, type, signal);
    let shared = this.#running.get(key) as Promise<HandlerOutcome<T>> | undefined;
    if (shared)
      table.events.record({ flow: { id, type }, ruleIds: ['S5'], note: 'joined the run in progress' });
    else {
      const run = this.#claimAndRun(key, id, type, handler, options.tenant);
      shared = run;
      this.#running.set(key, run);
      const forget = () => {
        if (this.#running.get(key) === run) this.#running.delete(key);
      };
      run.then(forget, forget);
    }
    const outcome = await untilAborted(shared, signal, (s) => abortedWait(id, type, s));
    if (outcome.ran) return outcome.value;
    return watchFlow<T>(table, key, id, type, options);
  }

  /** Whether an existing flow may be shared instead of running the handler again. */
  #joinable(record: FlowRecord): boolean {
    const { table, isResultExpired } = this.#host;
    const now = table.clock.now();
    // A PENDING flow past its timeout belongs to a tab that died mid-run: waiting on it is useless.
    if (record.status === 'PENDING') return now < record.createdAt + table.handlingTimeoutMs;
    // A failure is not a result worth sharing; the next caller tries again.
    if (record.status === 'FAILED') return false;
    return !isResultExpired(record.result, now);
  }

  async #claimAndRun<T>(
    key: string,
    id: string,
    type: string,
    handler: () => Promise<T>,
    tenant: string | undefined,
  ): Promise<HandlerOutcome<T>> {
    const { table } = this.#host;
    const fresh = table.newRecord(id, type, {}, tenant);
    const claim = await table.transition(key, (current) =>
      current && this.#joinable(current) ? KEEP : fresh,
    );
    if (!claim.changed) {
      const status = claim.after?.status ?? 'gone';
      table.events.record({ flow: fresh, ruleIds: ['S5'], note: `joined, it is ${status}` });
      return { ran: false };
    }
    const why = claim.before ? `replaced ${REPLACED[claim.before.status]}, ` : '';
    table.events.record({
      flow: fresh,
      ruleIds: ['S1', 'S5'],
      from: claim.before?.status ?? 'new',
      to: 'PENDING',
      note: `${why}running the handler`,
    });
    let value: T;
    try {
      value = await handler();
    } catch (error) {
      await this.#host.fail(id, type, error).catch(() => false);
      throw error;
    }
    try {
      await this.#host.complete(id, type, value);
    } catch (cause) {
      // The caller still gets the value it waited for; only sharing it with later callers failed.
      table.events.record({
        flow: fresh,
        ruleIds: ['S5'],
        note: 'result could not be stored',
        error: messageOf(cause),
        level: 'warn',
      });
    }
    return { ran: true, value };
  }
}

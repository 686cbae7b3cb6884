/**
 * The flow store (spec S1–S7): a keyed state machine of OAuth flows over a key-value store. Every
 * write is one atomic `update()`, so two tabs sharing IndexedDB cannot both create or both complete
 * the same flow; watchers poll on the injected clock and are woken early by local writes and by a
 * broadcast channel from other tabs.
 */
import type { Clock } from '../clock';
import { LabError, messageOf } from '../errors';
import { FlowEvents } from './flow-events';
import { FlowTable, KEEP } from './flow-table';
import { HandlerRuns } from './handler-runs';
import { FlowNotifier } from './notifier';
import { defaultIsResultExpired, flowKey, isFlowKey, isRecordExpired, parseFlowRecord } from './records';
import { StateMappings } from './state-mappings';
import {
  type CreateFlowOptions,
  FLOW_POLL_INTERVAL_MS,
  FLOW_TTL_MARGIN_MS,
  FLOW_TTL_MS,
  type FlowRecord,
  type FlowStoreOptions,
  OAUTH_HANDLING_TIMEOUT_MS,
  type WaitOptions,
} from './types';
import { abortedWait, watchFlow } from './watch';

function positive(name: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0))
    throw new LabError(
      'invalid_input',
      `Failed to create the flow store: ${name} must be > 0 ms, got ${value}.`,
    );
  return value;
}

export class FlowStore {
  readonly clock: Clock;
  readonly handlingTimeoutMs: number;
  /** FLOW_TTL, already raised to handlingTimeoutMs + 60 s when configured lower (S6). */
  readonly ttlMs: number;
  readonly pollIntervalMs: number;
  readonly #table: FlowTable;
  readonly #states: StateMappings;
  readonly #handlerRuns: HandlerRuns;

  constructor(options: FlowStoreOptions) {
    this.clock = options.clock;
    this.handlingTimeoutMs = positive(
      'handlingTimeoutMs',
      options.handlingTimeoutMs ?? OAUTH_HANDLING_TIMEOUT_MS,
    );
    // A record must outlive every watcher, or a flow completed in the last minute would vanish.
    this.ttlMs = Math.max(
      positive('ttlMs', options.ttlMs ?? FLOW_TTL_MS),
      this.handlingTimeoutMs + FLOW_TTL_MARGIN_MS,
    );
    this.pollIntervalMs = positive('pollIntervalMs', options.pollIntervalMs ?? FLOW_POLL_INTERVAL_MS);
    this.#table = new FlowTable({
      store: options.store,
      clock: this.clock,
      ttlMs: this.ttlMs,
      handlingTimeoutMs: this.handlingTimeoutMs,
      pollIntervalMs: this.pollIntervalMs,
      events: new FlowEvents(options.recorder),
      notifier: new FlowNotifier(options.channel),
    });
    this.#states = new StateMappings(options.store, this.clock, this.ttlMs);
    this.#handlerRuns = new HandlerRuns({
      table: this.#table,
      isResultExpired: options.isResultExpired ?? defaultIsResultExpired,
      complete: (id, type, value) => this.completeFlow(id, type, value),
      fail: (id, type, error) => this.failFlow(id, type, error),
    });
  }

  /** Whether watchers in other tabs are woken through a channel (S7); false means polling only. */
  get broadcasting(): boolean {
    return this.#table.notifier.broadcasting;
  }

  /** The live record, or undefined; an expired one is removed (S6). S1, S6. */
  async getFlow<T = unknown>(id: string, type: string): Promise<FlowRecord<T> | undefined> {
    return (await this.#table.read(flowKey(id, type))) as FlowRecord<T> | undefined;
  }

  /** All live records, newest first, for a UI; expired ones are removed on the way (S6). S1, S6. */
  async list(): Promise<FlowRecord[]> {
    const live: FlowRecord[] = [];
    for (const [key, value] of await this.#table.store.entries()) {
      const record = isFlowKey(key) ? parseFlowRecord(value) : undefined;
      if (!record) continue;
      if (isRecordExpired(record, this.ttlMs, this.clock.now())) await this.#table.expire(key);
      else live.push(record);
    }
    return live.sort((a, b) => b.createdAt - a.createdAt);
  }

  /**
   * Writes a new PENDING flow without watching it, so its state exists before a redirect; it
   * replaces whatever was stored under the same id (starting a flow is a fresh attempt, F14). S3.
   */
  async initFlow(
    id: string,
    type: string,
    metadata: Record<string, unknown> = {},
    tenant?: string,
  ): Promise<FlowRecord> {
    const fresh = this.#table.newRecord(id, type, metadata, tenant);
    const { before } = await this.#table.transition(flowKey(id, type), () => fresh);
    this.#table.events.record({
      flow: fresh,
      ruleIds: ['S1', 'S3'],
      from: before?.status ?? 'new',
      to: 'PENDING',
    });
    return fresh;
  }

  /**
   * Writes PENDING when no live flow exists, then watches until COMPLETED (resolves with the
   * result), FAILED (`flow_failed`), OAUTH_HANDLING_TIMEOUT from createdAt (`flow_timeout`) or
   * abort (`aborted`, and the flow is deleted unless it COMPLETED). An existing flow is joined.
   * S2.
   */
  async createFlow<T = unknown>(
    id: string,
    type: string,
    metadata: Record<string, unknown> = {},
    options: CreateFlowOptions = {},
  ): Promise<T> {
    const key = flowKey(id, type);
    if (options.signal?.aborted) throw abortedWait(id, type, options.signal);
    const fresh = this.#table.newRecord(id, type, metadata, options.tenant);
    const { changed, after } = await this.#table.transition(key, (current) => (current ? KEEP : fresh));
    if (changed)
      this.#table.events.record({ flow: fresh, ruleIds: ['S1', 'S2'], from: 'new', to: 'PENDING' });
    else if (after)
      this.#table.events.record({ flow: after, ruleIds: ['S2'], note: `joined, it is ${after.status}` });
    return watchFlow<T>(this.#table, key, id, type, { ...options, deleteOnAbort: true });
  }

  /** Waits for an existing flow like `createFlow`, but neither creates nor deletes it. S2, S7. */
  async watch<T = unknown>(id: string, type: string, options: WaitOptions = {}): Promise<T> {
    return watchFlow<T>(this.#table, flowKey(id, type), id, type, options);
  }

  /**
   * Marks a flow COMPLETED with `result`. False when the flow is missing (or expired); a COMPLETED
   * flow keeps its first result and answers true (a second callback is a success, O8). A FAILED
   * flow may still complete: the user did authorize, only late. S4.
   */
  async completeFlow<T>(id: string, type: string, result: T): Promise<boolean> {
    const now = this.clock.now();
    const { before, after, changed } = await this.#table.transition(flowKey(id, type), (current) => {
      if (!current || current.status === 'COMPLETED') return KEEP;
      const { error: _error, failedAt: _failedAt, timedOut: _timedOut, ...rest } = current;
      return { ...rest, status: 'COMPLETED', completedAt: now, result };
    });
    const flow = after ?? { id, type };
    if (changed)
      this.#table.events.record({
        flow,
        ruleIds: ['S1', 'S4'],
        from: before?.status ?? 'new',
        to: 'COMPLETED',
        ...(before?.status === 'FAILED' ? { note: 'late completion' } : {}),
      });
    else if (after)
      this.#table.events.record({ flow, ruleIds: ['S4'], note: 'already COMPLETED, kept the first result' });
    else
      this.#table.events.record({
        flow,
        ruleIds: ['S4'],
        note: 'not found, completion ignored',
        level: 'warn',
      });
    return after?.status === 'COMPLETED';
  }

  /** Marks a flow FAILED with `error`'s message; true when it is FAILED now. Never touches COMPLETED. S4. */
  async failFlow(id: string, type: string, error: unknown): Promise<boolean> {
    const now = this.clock.now();
    const message = messageOf(error);
    const { before, after, changed } = await this.#table.transition(flowKey(id, type), (current) => {
      if (!current || current.status === 'COMPLETED') return KEEP;
      return { ...current, status: 'FAILED', failedAt: now, error: message };
    });
    const flow = after ?? { id, type };
    if (changed)
      this.#table.events.record({
        flow,
        ruleIds: ['S1', 'S4'],
        from: before?.status ?? 'new',
        to: 'FAILED',
        error: message,
        level: 'warn',
      });
    else
      this.#table.events.record({
        flow,
        ruleIds: ['S4'],
        note: after ? 'already COMPLETED, failure ignored' : 'not found, failure ignored',
      });
    return after?.status === 'FAILED';
  }

  /** Removes a flow; true when a live one existed. Its watchers reject (`flow_failed`). S1. */
  async deleteFlow(id: string, type: string): Promise<boolean> {
    const { before } = await this.#table.transition(flowKey(id, type), () => undefined);
    if (before)
      this.#table.events.record({ flow: before, ruleIds: ['S1'], from: before.status, to: 'deleted' });
    return before !== undefined;
  }

  /**
   * Joins a live flow (PENDING within its handling timeout, or COMPLETED with a result that has not
   * expired); otherwise writes PENDING, runs `handler` once and stores its result. A handler error
   * marks the flow FAILED and is rethrown. Concurrent callers in this process share one run; an
   * abort stops only the caller's wait, never the shared run.
   * S5.
   */
  createFlowWithHandler<T>(
    id: string,
    type: string,
    handler: () => Promise<T>,
    options: CreateFlowOptions = {},
  ): Promise<T> {
    return this.#handlerRuns.run(id, type, handler, options);
  }

  /** Maps an OAuth `state` to its flow id; expires after FLOW_TTL. O7, S6. */
  async setStateMapping(state: string, flowId: string): Promise<void> {
    await this.#states.set(state, flowId);
  }

  /** The flow id an OAuth `state` maps to, or undefined when unknown or expired. O7, S6. */
  getFlowIdByState(state: string): Promise<string | undefined> {
    return this.#states.get(state);
  }

  /** Removes the mapping of an OAuth `state`; true when there was one. O7. */
  deleteStateMapping(state: string): Promise<boolean> {
    return this.#states.delete(state);
  }

  /** Detaches from the broadcast channel (closing it if this store opened it). Watchers keep polling. */
  close(): void {
    this.#table.notifier.close();
  }
}

/**
 * The atomic layer of the flow store: every change of a record is one `update()` of the key-value
 * store (one readwrite transaction in IndexedDB), so two tabs cannot both create or both complete
 * the same flow. It also serves the watcher (WatchHost): reads with expiry (S6), the timeout
 * transition (S2) and the abort clean-up (S2).
 */
import type { Clock } from '../clock';
import type { KeyValueStore } from '../store/types';
import type { FlowEvents } from './flow-events';
import type { FlowNotifier } from './notifier';
import { formatDuration, isRecordExpired, parseFlowRecord } from './records';
import type { FlowRecord } from './types';
import type { WatchHost } from './watch';

/** Returned by a transition's decision to leave the stored value as it is. */
export const KEEP = Symbol('keep');
export type Decision = FlowRecord | undefined | typeof KEEP;

export interface TransitionResult {
  /** The live record before (undefined when absent or expired). */
  before: FlowRecord | undefined;
  /** The live record after. */
  after: FlowRecord | undefined;
  changed: boolean;
}

export interface FlowTableOptions {
  store: KeyValueStore;
  clock: Clock;
  ttlMs: number;
  handlingTimeoutMs: number;
  pollIntervalMs: number;
  events: FlowEvents;
  notifier: FlowNotifier;
}

export class FlowTable implements WatchHost {
  readonly store: KeyValueStore;
  readonly clock: Clock;
  readonly ttlMs: number;
  readonly handlingTimeoutMs: number;
  readonly pollIntervalMs: number;
  readonly events: FlowEvents;
  readonly notifier: FlowNotifier;

  constructor(options: FlowTableOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.ttlMs = options.ttlMs;
    this.handlingTimeoutMs = options.handlingTimeoutMs;
    this.pollIntervalMs = options.pollIntervalMs;
    this.events = options.events;
    this.notifier = options.notifier;
  }

  /** A new PENDING record stamped with this clock (S1). */
  newRecord(id: string, type: string, metadata: Record<string, unknown>, tenant?: string): FlowRecord {
    return {
      id,
      type,
      status: 'PENDING',
      createdAt: this.clock.now(),
      metadata,
      ...(tenant !== undefined ? { tenant } : {}),
    };
  }

  /** The live record under `key`; an expired one is removed and reads as undefined (S6). */
  async read(key: string): Promise<FlowRecord | undefined> {
    const record = parseFlowRecord(await this.store.get(key));
    if (!record) return undefined;
    if (!isRecordExpired(record, this.ttlMs, this.clock.now())) return record;
    await this.expire(key);
    return undefined;
  }

  /** S6: removes the record under `key` if it is still expired when the atomic update runs. */
  async expire(key: string): Promise<void> {
    await this.transition(key, (current, stored) => (stored && !current ? undefined : KEEP));
  }

  /** S2: PENDING → FAILED (timed out), unless the flow changed since the watcher read it. */
  async timeOut(key: string, seen: FlowRecord, timeoutMs: number): Promise<FlowRecord | undefined> {
    const now = this.clock.now();
    const error = `timed out after ${formatDuration(timeoutMs)}`;
    const { after, changed } = await this.transition(key, (current) =>
      current?.status === 'PENDING' && current.createdAt === seen.createdAt
        ? { ...current, status: 'FAILED', failedAt: now, error, timedOut: true }
        : KEEP,
    );
    if (changed && after)
      this.events.record({
        flow: after,
        ruleIds: ['S1', 'S2'],
        from: 'PENDING',
        to: 'FAILED',
        note: error,
        level: 'warn',
      });
    return after;
  }

  /** S2: a cancelled createFlow deletes its flow, unless it COMPLETED (its result still serves others). */
  async abandon(key: string): Promise<void> {
    const { before, changed } = await this.transition(key, (current) =>
      current && current.status !== 'COMPLETED' ? undefined : KEEP,
    );
    if (changed && before)
      this.events.record({
        flow: before,
        ruleIds: ['S2'],
        from: before.status,
        to: 'deleted',
        note: 'caller cancelled',
      });
  }

  /**
   * One atomic read-decide-write. `decide` sees the live record (undefined when absent or expired)
   * and the stored one (even if expired). A change wakes watchers here and in other tabs (S7).
   */
  async transition(
    key: string,
    decide: (current: FlowRecord | undefined, stored: FlowRecord | undefined) => Decision,
  ): Promise<TransitionResult> {
    const now = this.clock.now();
    // Written inside the updater: an object, because TS does not see assignments made in callbacks.
    const box: TransitionResult & { stored?: FlowRecord } = {
      before: undefined,
      after: undefined,
      changed: false,
    };
    await this.store.update(key, (raw) => {
      const stored = parseFlowRecord(raw);
      const current = stored && !isRecordExpired(stored, this.ttlMs, now) ? stored : undefined;
      const next = decide(current, stored);
      box.stored = stored;
      box.before = current;
      box.changed = next !== KEEP;
      box.after = next === KEEP ? current : next;
      return next === KEEP ? raw : next;
    });
    const { stored, before, after, changed } = box;
    if (!changed) return { before, after, changed };
    if (stored && !before)
      this.events.record({
        flow: stored,
        ruleIds: ['S6'],
        from: stored.status,
        to: 'expired',
        note: `unchanged for ${formatDuration(this.ttlMs)}`,
      });
    this.notifier.changed(key, after?.status ?? 'DELETED');
    return { before, after, changed };
  }
}

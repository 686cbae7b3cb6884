/**
 * The watcher (S2, S7): waits for one flow to leave PENDING. It re-reads the store every poll
 * interval on the injected clock and at once when the notifier says the flow changed; the deadline
 * is counted from the record's createdAt, so joining an old flow leaves only what remains of it.
 */
import type { Clock } from '../clock';
import { LabError } from '../errors';
import type { FlowNotifier } from './notifier';
import { flowLabel, formatDuration } from './records';
import type { FlowRecord, WaitOptions } from './types';

/** What the watcher needs from the flow store. */
export interface WatchHost {
  readonly clock: Clock;
  readonly pollIntervalMs: number;
  readonly handlingTimeoutMs: number;
  readonly notifier: FlowNotifier;
  /** The live record under `key` (expired ones read as undefined, S6). */
  read(key: string): Promise<FlowRecord | undefined>;
  /** Marks `seen` FAILED (timed out) if it is still PENDING; returns what the store holds after. */
  timeOut(key: string, seen: FlowRecord, timeoutMs: number): Promise<FlowRecord | undefined>;
  /** Deletes the flow a cancelled `createFlow` started, unless it already COMPLETED. */
  abandon(key: string): Promise<void>;
}

export interface WatchOptions extends WaitOptions {
  /** S2: `createFlow` deletes its flow when the caller aborts; a plain watch leaves it alone. */
  deleteOnAbort?: boolean;
}

/** The error a cancelled wait rejects with. */
export function abortedWait(id: string, type: string, signal: AbortSignal): LabError {
  return new LabError('aborted', `Stopped waiting for flow ${flowLabel(id, type)}: the caller cancelled.`, {
    cause: signal.reason,
    ruleIds: ['S2'],
  });
}

function timedOut(record: FlowRecord, timeoutMs: number): LabError {
  return new LabError(
    'flow_timeout',
    `Failed to finish flow ${flowLabel(record.id, record.type)}: nobody completed it within ${formatDuration(timeoutMs)} of its start.`,
    {
      hint: 'Start the authorization again.',
      ruleIds: ['S2'],
      details: { flowId: record.id, type: record.type },
    },
  );
}

/** What a settled record means for its watchers, or undefined while it is PENDING. */
function outcomeOf<T>(record: FlowRecord, timeoutMs: number): { value: T } | { error: LabError } | undefined {
  if (record.status === 'COMPLETED') return { value: record.result as T };
  if (record.status === 'PENDING') return undefined;
  if (record.timedOut) return { error: timedOut(record, timeoutMs) };
  return {
    error: new LabError(
      'flow_failed',
      `Failed to finish flow ${flowLabel(record.id, record.type)}: ${record.error ?? 'it FAILED'}.`,
      { ruleIds: ['S2'], details: { flowId: record.id, type: record.type } },
    ),
  };
}

/**
 * Waits until the flow under `key` is COMPLETED (resolves with its result), FAILED (rejects with
 * `flow_failed`), past its handling timeout (rejects with `flow_timeout`), removed (rejects with
 * `flow_failed`) or the signal aborts (rejects with `aborted`).
 * S2, S7.
 */
export function watchFlow<T>(
  host: WatchHost,
  key: string,
  id: string,
  type: string,
  options: WatchOptions = {},
): Promise<T> {
  const { signal, deleteOnAbort = false } = options;
  const timeoutMs = options.timeoutMs ?? host.handlingTimeoutMs;
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted) {
      const error = abortedWait(id, type, signal);
      if (!deleteOnAbort) return reject(error);
      host.abandon(key).then(
        () => reject(error),
        () => reject(error),
      );
      return;
    }
    let done = false;
    let checking = false;
    let again = false;
    let cancelTimer: (() => void) | undefined;

    const finish = (): boolean => {
      if (done) return false;
      done = true;
      cancelTimer?.();
      unsubscribe();
      signal?.removeEventListener('abort', onAbort);
      return true;
    };
    const settle = (outcome: { value: T } | { error: LabError }) => {
      if (!finish()) return;
      if ('value' in outcome) resolve(outcome.value);
      else reject(outcome.error);
    };
    const onAbort = () => {
      if (!signal || !finish()) return;
      const error = abortedWait(id, type, signal);
      // Reject after the delete so a caller who awaits the rejection finds the flow gone.
      if (deleteOnAbort)
        host.abandon(key).then(
          () => reject(error),
          () => reject(error),
        );
      else reject(error);
    };

    const check = async (): Promise<void> => {
      checking = true;
      try {
        let record: FlowRecord | undefined;
        do {
          again = false;
          record = await host.read(key);
          if (done) return;
          if (!record) {
            settle({
              error: new LabError(
                'flow_failed',
                `Failed to finish flow ${flowLabel(id, type)}: it was removed (cancelled, replaced or expired) before it finished.`,
                { ruleIds: ['S2'], details: { flowId: id, type } },
              ),
            });
            return;
          }
          const settled = outcomeOf<T>(record, timeoutMs);
          if (settled) return settle(settled);
          if (host.clock.now() >= record.createdAt + timeoutMs) {
            const after = await host.timeOut(key, record, timeoutMs);
            if (done) return;
            // The flow may have COMPLETED between our read and the timeout write: that result wins.
            const final = after && outcomeOf<T>(after, timeoutMs);
            if (final) return settle(final);
            // Still this same PENDING flow: the mark did not stick, but the deadline has passed anyway.
            if (after?.createdAt === record.createdAt) return settle({ error: timedOut(record, timeoutMs) });
            // Otherwise the flow was replaced (or removed): look again.
            again = true;
          }
        } while (again);
        const remaining = record.createdAt + timeoutMs - host.clock.now();
        cancelTimer = host.clock.schedule(wake, Math.max(0, Math.min(host.pollIntervalMs, remaining)));
      } catch (cause) {
        settle({
          error: new LabError('flow_failed', `Failed to read flow ${flowLabel(id, type)} from the store.`, {
            cause,
            ruleIds: ['S2'],
          }),
        });
      } finally {
        checking = false;
      }
    };

    function wake(): void {
      if (done) return;
      // A wake-up during a read is not lost: the running check reads once more before sleeping.
      if (checking) {
        again = true;
        return;
      }
      cancelTimer?.();
      cancelTimer = undefined;
      void check();
    }

    const unsubscribe = host.notifier.subscribe(key, wake);
    signal?.addEventListener('abort', onAbort, { once: true });
    wake();
  });
}

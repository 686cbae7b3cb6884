/**
 * Pure helpers of the flow store: keys, reading stored values defensively, timestamps and expiry.
 * Stored values come from IndexedDB shared with other tabs (and older versions of the app), so they
 * are checked rather than trusted.
 */
import { LabError } from '../errors';
import { FLOW_STATUSES, type FlowRecord, type FlowStatus, type StateMapping } from './types';

const FLOW_PREFIX = 'flow:';
const STATE_PREFIX = 'state:';

/** Below this a timestamp is in seconds (S6); 1e10 ms is 1970-04-26, 1e10 s is the year 2286. */
export const SECONDS_THRESHOLD = 1e10;

/**
 * Normalizes a timestamp to milliseconds: values below 1e10 are seconds.
 * S6.
 */
export function toMillis(timestamp: number): number {
  return timestamp < SECONDS_THRESHOLD ? timestamp * 1000 : timestamp;
}

/**
 * The store key of a flow. The type comes first and may not contain `:`, so ids may (F21: server
 * names contain `:`) without two flows ever sharing a key.
 * S1.
 */
export function flowKey(id: string, type: string): string {
  if (typeof id !== 'string' || id === '')
    throw new LabError('invalid_input', 'Failed to address a flow: the flow id is empty.', {
      ruleIds: ['S1'],
    });
  if (typeof type !== 'string' || type === '' || type.includes(':'))
    throw new LabError(
      'invalid_input',
      `Failed to address flow ${id}: type "${type}" is empty or has a ":".`,
      {
        hint: 'Use a plain word such as "oauth" or "get_tokens".',
        ruleIds: ['S1'],
      },
    );
  return `${FLOW_PREFIX}${type}:${id}`;
}

/** The store key of an OAuth state mapping (O7), kept apart from flow keys. */
export function stateKey(state: string): string {
  if (typeof state !== 'string' || state === '')
    throw new LabError('invalid_input', 'Failed to map an OAuth state: the state is empty.', {
      ruleIds: ['O7'],
    });
  return `${STATE_PREFIX}${state}`;
}

export function isFlowKey(key: string): boolean {
  return key.startsWith(FLOW_PREFIX);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const optionalTime = (v: unknown): number | undefined => (isTime(v) ? toMillis(v) : undefined);

/**
 * Reads a stored value as a flow record with its timestamps in ms (S6), or undefined when it is not
 * one (a record written by something else is treated as absent, never as a crash).
 * S1, S6.
 */
export function parseFlowRecord<T = unknown>(value: unknown): FlowRecord<T> | undefined {
  if (!isObject(value)) return undefined;
  const { id, type, status, createdAt } = value;
  if (typeof id !== 'string' || typeof type !== 'string') return undefined;
  if (!FLOW_STATUSES.includes(status as FlowStatus) || !isTime(createdAt)) return undefined;
  const record: FlowRecord<T> = { id, type, status: status as FlowStatus, createdAt: toMillis(createdAt) };
  const completedAt = optionalTime(value.completedAt);
  const failedAt = optionalTime(value.failedAt);
  if (completedAt !== undefined) record.completedAt = completedAt;
  if (failedAt !== undefined) record.failedAt = failedAt;
  if (typeof value.tenant === 'string') record.tenant = value.tenant;
  if (isObject(value.metadata)) record.metadata = value.metadata;
  if ('result' in value && value.result !== undefined) record.result = value.result as T;
  if (typeof value.error === 'string') record.error = value.error;
  if (value.timedOut === true) record.timedOut = true;
  return record;
}

/** Reads a stored OAuth state mapping, or undefined when the value is not one. */
export function parseStateMapping(value: unknown): StateMapping | undefined {
  if (!isObject(value)) return undefined;
  const { state, flowId, createdAt } = value;
  if (typeof state !== 'string' || typeof flowId !== 'string' || !isTime(createdAt)) return undefined;
  return { state, flowId, createdAt: toMillis(createdAt) };
}

/** The last time the record changed: TTL counts from there, like a cache entry rewritten on each transition. */
export function lastTransitionAt(record: FlowRecord): number {
  return Math.max(record.createdAt, record.completedAt ?? 0, record.failedAt ?? 0);
}

/**
 * Whether a record is past FLOW_TTL.
 * S6.
 */
export function isRecordExpired(record: FlowRecord, ttlMs: number, now: number): boolean {
  return now >= lastTransitionAt(record) + ttlMs;
}

/**
 * Default for S5: a result expired when it carries `expires_at` or `expiresAt` (seconds or ms, S6)
 * that is not in the future. A result without one never expires by itself (the record's TTL still
 * applies).
 * S5, S6.
 */
export function defaultIsResultExpired(result: unknown, now: number): boolean {
  if (!isObject(result)) return false;
  const expiresAt = result.expires_at ?? result.expiresAt;
  if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) return false;
  return toMillis(expiresAt) <= now;
}

/** A duration a person can read: "10 min", "2 s", "250 ms". */
export function formatDuration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms >= 1000) return `${Math.round(ms / 100) / 10} s`;
  return `${ms} ms`;
}

/** How a flow is named on the timeline and in errors. */
export function flowLabel(id: string, type: string): string {
  return `${type}:${id}`;
}

/**
 * Types and defaults of the flow store (spec/behaviour.md, S rules): the keyed state machine that
 * lets a tab start an OAuth flow, redirect away, and have the callback (possibly in another tab)
 * finish it.
 */
import type { Clock } from '../clock';
import type { KeyValueStore } from '../store/types';
import type { TimelineRecorder } from '../timeline/recorder';

/** S1: a flow starts PENDING and ends COMPLETED or FAILED. */
export type FlowStatus = 'PENDING' | 'COMPLETED' | 'FAILED';

export const FLOW_STATUSES: readonly FlowStatus[] = ['PENDING', 'COMPLETED', 'FAILED'];

/** What a flow is for: the interactive authorization, a token load (F18), or anything else. */
export type FlowType = 'oauth' | 'get_tokens' | (string & Record<never, never>);

/** One stored flow (S1). All timestamps are milliseconds since the epoch on the engine's clock. */
export interface FlowRecord<T = unknown> {
  id: string;
  type: FlowType;
  status: FlowStatus;
  createdAt: number;
  completedAt?: number;
  failedAt?: number;
  /** F20: the tenant the flow belongs to; invalidation touches only flows of the same tenant. */
  tenant?: string;
  /**
   * Whatever the flow needs to finish: authorization URL, state, server URL, code verifier…
   * May hold secrets, so it never reaches the timeline.
   */
  metadata?: Record<string, unknown>;
  /** The value the flow produced (tokens); never reaches the timeline either. */
  result?: T;
  /** Why the flow FAILED, as a sentence. */
  error?: string;
  /** Set when FAILED because nobody finished it within the handling timeout (S2). */
  timedOut?: boolean;
}

/** OAuth `state` → flow id (O7). Expires like a flow (S6). */
export interface StateMapping {
  state: string;
  flowId: string;
  createdAt: number;
}

/**
 * The part of a `BroadcastChannel` the flow store uses (S7). A fake with the same shape works in
 * tests and in hosts without `BroadcastChannel`.
 */
export interface FlowChannel {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  close?(): void;
}

export interface FlowStoreOptions {
  /** Where records live; IndexedDB in the browser makes flows visible to every tab. */
  store: KeyValueStore;
  clock: Clock;
  /** Transitions land on the timeline (lane `flows`) when given. */
  recorder?: TimelineRecorder;
  /** OAUTH_HANDLING_TIMEOUT: how long a watcher waits, counted from the flow's createdAt. */
  handlingTimeoutMs?: number;
  /** FLOW_TTL (S6); raised to handlingTimeoutMs + 60 s when lower. */
  ttlMs?: number;
  /** FLOW_POLL_INTERVAL. */
  pollIntervalMs?: number;
  /**
   * S7: a channel (or a channel name) to wake watchers in other tabs at once. A name is opened with
   * `BroadcastChannel` when the host has it; otherwise watchers poll only.
   */
  channel?: FlowChannel | string;
  /**
   * S5: whether a COMPLETED flow's result may no longer be shared. Default: the result's
   * `expires_at` / `expiresAt` (seconds or ms, S6) is in the past.
   */
  isResultExpired?: (result: unknown, now: number) => boolean;
}

export interface WaitOptions {
  /** Stops waiting; for `createFlow` it also deletes the flow (S2). */
  signal?: AbortSignal;
  /** Overrides the handling timeout for this wait. */
  timeoutMs?: number;
}

export interface CreateFlowOptions extends WaitOptions {
  tenant?: string;
}

const MINUTE = 60_000;

/** OAUTH_HANDLING_TIMEOUT default. */
export const OAUTH_HANDLING_TIMEOUT_MS = 10 * MINUTE;
/** FLOW_TTL default. */
export const FLOW_TTL_MS = 15 * MINUTE;
/** FLOW_TTL is never less than the handling timeout plus this margin, so a record outlives its watchers. */
export const FLOW_TTL_MARGIN_MS = MINUTE;
/** FLOW_POLL_INTERVAL default. */
export const FLOW_POLL_INTERVAL_MS = 2_000;

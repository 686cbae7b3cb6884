/**
 * The factory's timing constants (spec/behaviour.md, constants table). Every one is configurable;
 * every timer goes through the injected clock.
 */
export interface FactoryTimings {
  /** OAUTH_HANDLING_TIMEOUT */
  oauthHandlingTimeoutMs: number;
  /** PENDING_STALE_MS (same as the handling timeout by default) */
  pendingStaleMs: number;
  /** SILENT_REFRESH_ABORT_GRACE */
  silentRefreshAbortGraceMs: number;
  /** CONNECT_ATTEMPTS */
  connectAttempts: number;
  /** Backoff base: 2 s × attempt (F7). */
  connectBackoffMs: number;
}

export const DEFAULT_TIMINGS: FactoryTimings = {
  oauthHandlingTimeoutMs: 10 * 60_000,
  pendingStaleMs: 10 * 60_000,
  silentRefreshAbortGraceMs: 1_000,
  connectAttempts: 3,
  connectBackoffMs: 2_000,
};

export interface ServerTimeouts {
  connectionTimeout?: number;
  initTimeout?: number;
}

/** CONNECT_TIMEOUT = connectionTimeout ?? initTimeout ?? 30 s. */
export function connectTimeoutMs(s: ServerTimeouts): number {
  return s.connectionTimeout ?? s.initTimeout ?? 30_000;
}

/** UNAUTH_DISCOVERY_TIMEOUT = connectionTimeout ?? initTimeout ?? 15 s. */
export function unauthDiscoveryTimeoutMs(s: ServerTimeouts): number {
  return s.connectionTimeout ?? s.initTimeout ?? 15_000;
}

/** SILENT_REFRESH_TIMEOUT = max(1 ms, min(5 s, floor(0.4 × min(CONNECT_TIMEOUT, initTimeout ?? 120 s)))). */
export function silentRefreshTimeoutMs(s: ServerTimeouts): number {
  return Math.max(
    1,
    Math.min(5_000, Math.floor(0.4 * Math.min(connectTimeoutMs(s), s.initTimeout ?? 120_000))),
  );
}

/** F6: an OAuth connection's deadline leaves room for a person to authorize near the end. */
export function connectDeadlineMs(
  s: ServerTimeouts,
  oauth: boolean,
  t: FactoryTimings = DEFAULT_TIMINGS,
): number {
  const base = connectTimeoutMs(s);
  return oauth ? Math.max(base, t.oauthHandlingTimeoutMs + 60_000) : base;
}

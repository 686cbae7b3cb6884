import type { MockRequestLogEntry } from '../../mocks/world';
import type { Count } from './types';

export function countMatches(n: number, want: Count): boolean {
  if (typeof want === 'number') return n === want;
  return (want.min === undefined || n >= want.min) && (want.max === undefined || n <= want.max);
}

/** `exactly 1`, `at least 2`, `between 1 and 3`. */
export function describeCount(want: Count): string {
  if (typeof want === 'number') return `exactly ${want}`;
  if (want.min !== undefined && want.max !== undefined) return `between ${want.min} and ${want.max}`;
  if (want.min !== undefined) return `at least ${want.min}`;
  if (want.max !== undefined) return `at most ${want.max}`;
  return 'any number';
}

export const times = (n: number) => `${n} time${n === 1 ? '' : 's'}`;

/** A request label pattern: `[server/]endpoint[:detail][@status]`. */
export interface RequestPattern {
  server?: string;
  endpoint: string;
  detail?: string;
  status?: number;
}

const PATTERN = /^(?:([a-z0-9-]+)\/)?([a-z-]+)(?::([^@]+))?(?:@(\d{3}))?$/;

export function parseRequestPattern(label: string): RequestPattern {
  const m = PATTERN.exec(label.trim());
  if (!m?.[2])
    throw new TypeError(
      `Failed to read the request label "${label}": expected [server/]endpoint[:detail][@status], e.g. "token:refresh_token@200".`,
    );
  return {
    endpoint: m[2],
    ...(m[1] ? { server: m[1] } : {}),
    ...(m[3] ? { detail: m[3] } : {}),
    ...(m[4] ? { status: Number(m[4]) } : {}),
  };
}

/** How a mock log entry reads in failure sentences: `dcr/token:refresh_token@200`. */
export function entryLabel(e: MockRequestLogEntry): string {
  return `${e.serverId ?? '-'}/${e.endpoint}:${e.detail ?? e.method}@${e.status}`;
}

export function entryMatches(e: MockRequestLogEntry, p: RequestPattern): boolean {
  return (
    e.endpoint === p.endpoint &&
    (p.server === undefined || e.serverId === p.server) &&
    (p.detail === undefined || (e.detail ?? e.method) === p.detail) &&
    (p.status === undefined || e.status === p.status)
  );
}

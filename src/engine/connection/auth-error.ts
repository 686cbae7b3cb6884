/**
 * Classifying errors the way the factory needs to (F8, F10).
 */

const AUTH_PATTERNS = [
  '401',
  'invalid_token',
  'invalid_grant',
  'authentication required',
  'unauthorized',
  'no authorization',
];

function field(e: unknown, name: string): unknown {
  return e && typeof e === 'object' ? (e as Record<string, unknown>)[name] : undefined;
}

/**
 * F8: an error is an auth error when its code or status is 401 or 403, or its message mentions 401,
 * invalid_token, invalid_grant, authentication required, unauthorized or no authorization.
 */
export function isAuthError(e: unknown): boolean {
  for (const name of ['code', 'status', 'statusCode']) {
    const v = field(e, name);
    if (v === 401 || v === 403 || v === '401' || v === '403') return true;
  }
  const message = (e instanceof Error ? e.message : String(e ?? '')).toLowerCase();
  return AUTH_PATTERNS.some((p) => message.includes(p));
}

/**
 * F10: the HTTP status of an `oauthRequired` event: from `status` or `statusCode` on the event,
 * then the error's `code` / `status` / `statusCode`, then a 4xx/5xx number in its message.
 */
export function statusOf(event: {
  status?: unknown;
  statusCode?: unknown;
  error?: unknown;
}): number | undefined {
  const candidates = [
    event.status,
    event.statusCode,
    field(event.error, 'code'),
    field(event.error, 'status'),
    field(event.error, 'statusCode'),
  ];
  for (const c of candidates) {
    const n = typeof c === 'string' ? Number(c) : c;
    if (typeof n === 'number' && Number.isInteger(n) && n >= 400 && n < 600) return n;
  }
  const message =
    event.error instanceof Error ? event.error.message : typeof event.error === 'string' ? event.error : '';
  const m = /\b([45]\d\d)\b/.exec(message);
  return m?.[1] ? Number(m[1]) : undefined;
}

/** F10: 403 or `insufficient_scope` needs new consent, not a new token: silent refresh is skipped. */
export function needsConsent(event: { status?: unknown; statusCode?: unknown; error?: unknown }): boolean {
  if (statusOf(event) === 403) return true;
  const message =
    event.error instanceof Error ? event.error.message : typeof event.error === 'string' ? event.error : '';
  return /insufficient[_ ]scope/i.test(message);
}

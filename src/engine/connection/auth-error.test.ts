import { describe, expect, it } from 'vitest';
import { isAuthError, needsConsent, statusOf } from './auth-error';

describe('auth error classification', () => {
  it.each([
    [{ code: 401 }, true],
    [{ status: 403 }, true],
    [{ statusCode: '401' }, true],
    [new Error('HTTP 401 from server'), true],
    [new Error('invalid_token: expired'), true],
    [new Error('invalid_grant'), true],
    [new Error('Authentication required'), true],
    [new Error('Unauthorized'), true],
    [new Error('No authorization header'), true],
    [new Error('HTTP 500'), false],
    [{ status: 404 }, false],
    [new Error('connection reset'), false],
  ])('F8: %o is an auth error: %s', (e, expected) => {
    expect(isAuthError(e)).toBe(expected);
  });

  it('F10: the status comes from the event, then the error, then a number in the message', () => {
    expect(statusOf({ status: 403, error: { status: 401 } })).toBe(403);
    expect(statusOf({ statusCode: 401 })).toBe(401);
    expect(statusOf({ error: { code: 403 } })).toBe(403);
    expect(statusOf({ error: { statusCode: '401' } })).toBe(401);
    expect(statusOf({ error: new Error('server said 403 Forbidden') })).toBe(403);
    expect(statusOf({ error: new Error('nothing here') })).toBeUndefined();
  });

  it('F10: 403 or insufficient_scope needs consent, not a refresh', () => {
    expect(needsConsent({ status: 403 })).toBe(true);
    expect(needsConsent({ error: new Error('Bearer error="insufficient_scope"') })).toBe(true);
    expect(needsConsent({ error: new Error('insufficient scope for tool') })).toBe(true);
    expect(needsConsent({ status: 401, error: new Error('invalid_token') })).toBe(false);
  });
});

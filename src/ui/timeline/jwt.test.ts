// Test IDs of the timeline panel's JWT reader (no spec rule covers the UI):
// UI-TL2  JWTs present in full in an event are found and their header and claims decoded; redacted,
//         truncated or malformed ones are not (the view never un-redacts: T7 happens at the source).
import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../engine/timeline/events';
import { mask } from '../../engine/timeline/redact';
import { base64UrlToBytes, bytesToBase64Url, decodeJwt, findJwts, findJwtsInText, formatClaim } from './jwt';

/** RFC 7519 §3.1's example JWT. */
const RFC7519 =
  'eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';

const enc = (v: unknown) => bytesToBase64Url(new TextEncoder().encode(JSON.stringify(v)));

describe('JWT decoding', () => {
  it('UI-TL2: decodes the RFC 7519 example header and claims', () => {
    const jwt = decodeJwt(RFC7519, 'here');
    expect(jwt).toMatchObject({
      where: 'here',
      header: { typ: 'JWT', alg: 'HS256' },
      payload: { iss: 'joe', exp: 1300819380, 'http://example.com/is_root': true },
      signed: true,
    });
  });

  it('UI-TL2: an unsecured JWT (empty signature) decodes and says it is unsigned; UTF-8 claims survive', () => {
    const token = `${enc({ alg: 'none' })}.${enc({ name: 'Zoë ✓' })}.`;
    expect(decodeJwt(token)).toMatchObject({ payload: { name: 'Zoë ✓' }, signed: false });
  });

  it('UI-TL2: not a JWT: wrong part count, not base64url, not JSON objects, or no alg', () => {
    expect(decodeJwt('a.b')).toBeUndefined();
    expect(decodeJwt('a.b.c.d')).toBeUndefined();
    expect(decodeJwt(`${enc({ alg: 'HS256' })}.%%%.x`)).toBeUndefined();
    expect(decodeJwt(`${enc({ alg: 'HS256' })}.${enc([1, 2])}.x`)).toBeUndefined();
    expect(decodeJwt(`${enc({ typ: 'JWT' })}.${enc({ a: 1 })}.x`)).toBeUndefined();
    expect(base64UrlToBytes('abcde')).toBeUndefined();
  });

  it('UI-TL2: base64url encoding round-trips bytes of every value', () => {
    const bytes = new Uint8Array(256).map((_, i) => i);
    const text = bytesToBase64Url(bytes);
    expect(text).toMatch(/^[\w-]+$/);
    expect(base64UrlToBytes(text)).toEqual(bytes);
  });
});

describe('finding JWTs in events', () => {
  it('UI-TL2: finds whole JWTs in the URL, headers, bodies (JSON and form) and data', () => {
    const jwt = (n: number) => `${enc({ alg: 'RS256' })}.${enc({ n })}.c2ln`;
    const event: TimelineEvent = {
      v: 1,
      id: 'e1',
      t: 0,
      lane: 'as',
      kind: 'http',
      summary: 'POST /register',
      ruleIds: [],
      http: {
        from: 'host',
        to: 'as',
        request: {
          method: 'POST',
          url: `https://as.test/register?software_statement=${jwt(1)}`,
          headers: { 'x-statement': jwt(2) },
          body: JSON.stringify({ software_statement: jwt(3) }),
        },
        response: { status: 201, headers: { 'x-echo': jwt(4) }, body: `a=1&assertion_hint=${jwt(5)}` },
      },
      data: { nested: { token: jwt(6) } },
    };
    expect(findJwts(event).map((j) => [j.where, j.payload.n])).toEqual([
      ['request URL', 1],
      ['request header x-statement', 2],
      ['request body', 3],
      ['response header x-echo', 4],
      ['response body', 5],
      ['data', 6],
    ]);
  });

  it('UI-TL2: a JWT that appears in several places is listed once, where it was first seen', () => {
    const event: TimelineEvent = {
      v: 1,
      id: 'e2',
      t: 0,
      lane: 'host',
      kind: 'event',
      summary: `statement ${RFC7519}`,
      ruleIds: [],
      data: { a: RFC7519, b: [RFC7519] },
    };
    expect(findJwts(event).map((j) => j.where)).toEqual(['summary']);
  });

  it('UI-TL2: redacted and truncated tokens are never decoded', () => {
    expect(findJwtsInText(`Bearer ${mask(RFC7519)}`, 'h')).toEqual([]);
    expect(findJwtsInText(`{"id_token":"${RFC7519.slice(0, 80)}…"}`, 'b')).toEqual([]);
    expect(findJwtsInText(`${RFC7519}…#abcdef`, 'b')).toEqual([]);
    expect(findJwtsInText(`Bearer ${RFC7519}`, 'h')).toHaveLength(1);
  });

  it('UI-TL2: NumericDate claims also show their UTC date', () => {
    expect(formatClaim('exp', 1300819380)).toBe('1300819380 (2011-03-22T18:43:00.000Z)');
    expect(formatClaim('iss', 'joe')).toBe('joe');
    expect(formatClaim('aud', ['a', 'b'])).toBe('a b');
    expect(formatClaim('cnf', { jkt: 'x' })).toBe('{"jkt":"x"}');
  });
});

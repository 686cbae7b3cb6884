import { describe, expect, it } from 'vitest';
import { type Hop, redirectStep } from './redirects';

const hop = (method: string, url = 'https://a.example/x'): Hop => ({
  url,
  method,
  headers: new Headers({
    authorization: 'Bearer t',
    cookie: 'c=1',
    'content-type': 'application/json',
    accept: '*/*',
  }),
  bodyText: '{}',
  signal: undefined,
});

describe('redirectStep', () => {
  it('D8: only 301, 302, 303, 307 and 308 with a Location are redirects', () => {
    for (const status of [200, 304, 300, 401]) expect(redirectStep(status, '/y', hop('GET'))).toBeUndefined();
    expect(redirectStep(302, null, hop('GET'))).toBeUndefined();
    expect(redirectStep(308, '/y', hop('GET'))?.next.url).toBe('https://a.example/y');
  });

  it('D8: method rewriting follows the Fetch standard (303 → GET; 301/302 rewrite POST only)', () => {
    const cases: Array<[number, string, string, boolean]> = [
      [303, 'POST', 'GET', true],
      [303, 'PUT', 'GET', true],
      [303, 'HEAD', 'HEAD', false],
      [302, 'POST', 'GET', true],
      [301, 'POST', 'GET', true],
      [302, 'PUT', 'PUT', false],
      [307, 'POST', 'POST', false],
      [308, 'DELETE', 'DELETE', false],
    ];
    for (const [status, before, after, dropBody] of cases) {
      const step = redirectStep(status, '/y', hop(before));
      expect([status, before, step?.next.method, step?.dropBody]).toEqual([status, before, after, dropBody]);
      expect(step?.next.headers.has('content-type')).toBe(!dropBody);
      expect(step?.next.bodyText).toBe(dropBody ? undefined : '{}');
    }
  });

  it('D8: credentials are dropped only when the origin changes (scheme, host or port)', () => {
    expect(redirectStep(307, 'https://a.example/other', hop('GET'))?.droppedHeaders).toEqual([]);
    for (const target of ['http://a.example/x', 'https://b.example/x', 'https://a.example:8443/x']) {
      const step = redirectStep(307, target, hop('GET'));
      expect(step?.droppedHeaders, target).toEqual(['authorization', 'cookie']);
      expect(step?.next.headers.get('accept')).toBe('*/*');
    }
  });

  it('D8: a Location that is not a URL is a protocol error, not a crash', () => {
    expect(() => redirectStep(302, 'http://[bad', hop('GET'))).toThrowError(
      expect.objectContaining({ code: 'protocol' }),
    );
  });
});

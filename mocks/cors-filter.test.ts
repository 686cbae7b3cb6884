import { describe, expect, it } from 'vitest';
import { corsFiltered } from './cors-filter';

const PAGE = 'http://localhost:5173';
const answer = (headers: Record<string, string>, status = 200) =>
  new Response('{"ok":true}', { status, headers: { 'content-type': 'application/json', ...headers } });
const request = (url = 'https://dcr.mock.test/mcp', init: RequestInit = {}) => new Request(url, init);

describe('the in-page transport reads what a page could read over the network', () => {
  it('M13: only safelisted headers and those in Access-Control-Expose-Headers are visible', () => {
    const r = corsFiltered(
      answer({
        'access-control-allow-origin': '*',
        'access-control-expose-headers': 'WWW-Authenticate, mcp-session-id',
        'www-authenticate': 'Bearer error="invalid_token"',
        'mcp-session-id': 's1',
        'x-internal': 'secret',
        'set-cookie': 'a=b',
        'cache-control': 'no-store',
      }),
      PAGE,
      request(),
    );
    expect(r.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(r.headers.get('mcp-session-id')).toBe('s1');
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(r.headers.get('x-internal')).toBeNull();
    expect(r.headers.get('set-cookie')).toBeNull();
  });

  it('M13: without Access-Control-Expose-Headers a challenge is invisible, as in a browser', () => {
    const r = corsFiltered(
      answer({ 'access-control-allow-origin': '*', 'www-authenticate': 'Bearer' }, 401),
      PAGE,
      request(),
    );
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toBeNull();
  });

  it('M13: a cross-origin answer without a matching Access-Control-Allow-Origin fails like fetch', () => {
    expect(() => corsFiltered(answer({}), PAGE, request())).toThrow(TypeError);
    expect(() =>
      corsFiltered(answer({ 'access-control-allow-origin': 'https://other.example' }), PAGE, request()),
    ).toThrow('Failed to fetch');
    // A credentialed request needs the exact origin and Allow-Credentials.
    const withCookies = request('https://dcr.mock.test/mcp', { credentials: 'include' });
    expect(() => corsFiltered(answer({ 'access-control-allow-origin': '*' }), PAGE, withCookies)).toThrow();
    const ok = corsFiltered(
      answer({ 'access-control-allow-origin': PAGE, 'access-control-allow-credentials': 'true' }),
      PAGE,
      withCookies,
    );
    expect(ok.status).toBe(200);
  });

  it('M13: a same-origin answer is untouched and the body still streams to the caller', async () => {
    const same = answer({ 'x-internal': 'visible' });
    expect(corsFiltered(same, PAGE, request(`${PAGE}/api`))).toBe(same);
    const cross = corsFiltered(answer({ 'access-control-allow-origin': '*' }), PAGE, request());
    expect(await cross.json()).toEqual({ ok: true });
  });
});

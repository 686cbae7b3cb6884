// TL5: requirement ID of the HAR export (no spec/behaviour.md rule covers exporters).
import { describe, expect, it } from 'vitest';
import { serializeHar, toHar } from './export-har';
import { SAMPLE_T0, sampleEvents } from './testing';

describe('HAR export', () => {
  it('TL5: a HAR 1.2 log with one entry per http event, in start order, and nothing else', () => {
    const har = toHar(sampleEvents(), { version: '9.9.9' });
    expect(har.log.version).toBe('1.2');
    expect(har.log.creator).toEqual({ name: 'MCP Lab', version: '9.9.9' });
    expect(har.log.entries.map((e) => `${e.request.method} ${e.request.url}`)).toEqual([
      'POST https://dcr.mock.test/mcp',
      'GET https://auth.dcr.mock.test/.well-known/oauth-authorization-server?x=1&y=two',
      'POST https://auth.dcr.mock.test/token',
      'POST https://dcr.mock.test/mcp',
    ]);
  });

  it('TL5: an entry starts durationMs before the event time and carries request, response and timings', () => {
    const [first, second, third] = toHar(sampleEvents()).log.entries;
    expect(first?.startedDateTime).toBe(new Date(SAMPLE_T0 + 20 - 15).toISOString());
    expect(first?.time).toBe(15);
    expect(first?.timings).toEqual({ send: 0, wait: 15, receive: 0 });
    expect(first?.request).toMatchObject({
      httpVersion: 'HTTP/1.1',
      headers: [{ name: 'content-type', value: 'application/json' }],
      queryString: [],
      postData: { mimeType: 'application/json', text: '{"jsonrpc":"2.0","id":1,"method":"initialize"}' },
      headersSize: -1,
      bodySize: 46,
      cookies: [],
    });
    expect(second?.request.queryString).toEqual([
      { name: 'x', value: '1' },
      { name: 'y', value: 'two' },
    ]);
    expect(second?.request.postData).toBeUndefined();
    expect(second?.response).toMatchObject({
      status: 200,
      statusText: 'OK',
      content: { size: 39, mimeType: 'application/json', text: '{"issuer":"https://auth.dcr.mock.test"}' },
      redirectURL: '',
      headersSize: -1,
    });
    // Sizes are UTF-8 bytes ("é" is two), and a Location header becomes an absolute redirectURL.
    expect(third?.response.content.size).toBe(2);
    expect(third?.response.redirectURL).toBe('https://auth.dcr.mock.test/elsewhere');
    expect(third?.comment).toBe('POST /token → 302 (token: refresh_token)');
    expect(third?._lane).toBe('host → as');
  });

  it('TL5: a failed request is an entry with status 0 and the failure as _error', () => {
    const failed = toHar(sampleEvents()).log.entries[3];
    expect(failed?.response).toMatchObject({
      status: 0,
      statusText: '',
      headers: [],
      content: { size: 0, mimeType: 'x-unknown' },
      _error: 'network: Failed to reach https://dcr.mock.test/mcp: the connection was dropped.',
    });
  });

  it('TL5: the serialized HAR is JSON that parses back to the same log', () => {
    const har = toHar(sampleEvents());
    expect(JSON.parse(serializeHar(har))).toEqual(har);
  });
});

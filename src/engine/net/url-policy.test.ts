import { describe, expect, it } from 'vitest';
import { isLabError, type LabError } from '../errors';
import { classifyHost, parseIPv6 } from './ip-address';
import { UrlPolicy } from './url-policy';

/** The LabError `check` throws, or undefined when the URL is allowed. */
function refusal(policy: UrlPolicy, url: string): LabError | undefined {
  try {
    policy.check(url, 'MCP server');
    return undefined;
  } catch (e) {
    if (isLabError(e)) return e;
    throw e;
  }
}

const on = new UrlPolicy({ ssrfProtection: true });

describe('SSRF protection', () => {
  it.each([
    ['http://10.1.2.3/mcp', 'private'],
    ['http://172.16.0.1/', 'private'],
    ['http://172.31.255.255/', 'private'],
    ['https://192.168.1.20:8443/mcp', 'private'],
    ['https://100.64.0.1/', 'private'],
    ['https://[fd12:3456::1]/', 'private'],
    ['https://[fc00::1]/', 'private'],
  ])('D8: a private address is refused unless allow-listed: %s', (url, kind) => {
    const e = refusal(on, url);
    expect(e?.code).toBe('url_refused');
    expect(e?.details?.rule).toBe(kind);
    expect(e?.ruleIds).toEqual(['D8']);
    const host = new URL(url).hostname;
    expect(refusal(new UrlPolicy({ allowList: [host] }), url)).toBeUndefined();
  });

  it.each([
    ['http://127.0.0.1:8080/mcp', 'loopback'],
    ['http://127.255.255.254/', 'loopback'],
    ['http://localhost:3000/', 'loopback'],
    ['http://LOCALHOST./', 'loopback'],
    ['http://api.localhost/', 'loopback'],
    ['http://[::1]:3000/', 'loopback'],
    ['http://169.254.169.254/latest/meta-data/', 'link-local'],
    ['http://[fe80::1]/', 'link-local'],
    ['http://0.0.0.0:8080/', 'unspecified'],
    ['http://0/', 'unspecified'],
    ['http://[::]/', 'unspecified'],
  ])('D8: loopback, link-local and unspecified addresses are refused: %s', (url, kind) => {
    expect(refusal(on, url)?.details?.rule).toBe(kind);
  });

  it.each([
    ['http://2130706433/', 'loopback'],
    ['http://0x7f000001/', 'loopback'],
    ['http://0177.0.0.1/', 'loopback'],
    ['http://127.1/', 'loopback'],
    ['http://0x7f.0.0.1/', 'loopback'],
    ['http://0xa000001/', 'private'],
    ['http://3232235777/', 'private'],
    ['http://0251.0376.0251.0376/', 'link-local'],
  ])('D8: decimal, hex and octal IPv4 spellings are judged by the address they reach: %s', (url, kind) => {
    expect(refusal(on, url)?.details?.rule).toBe(kind);
  });

  it.each([
    ['http://[::ffff:127.0.0.1]/', 'loopback'],
    ['http://[::ffff:7f00:1]/', 'loopback'],
    ['http://[::ffff:10.0.0.1]/', 'private'],
    ['http://[::ffff:169.254.169.254]/', 'link-local'],
    ['http://[::127.0.0.1]/', 'loopback'],
    ['http://[64:ff9b::a9fe:a9fe]/', 'link-local'],
  ])(
    'D8: IPv4-mapped, IPv4-compatible and NAT64 IPv6 addresses are judged by their IPv4 address: %s',
    (url, kind) => {
      expect(refusal(on, url)?.details?.rule).toBe(kind);
    },
  );

  it.each([
    'https://8.8.8.8/',
    'https://172.32.0.1/',
    'https://100.128.0.1/',
    'https://[::ffff:8.8.8.8]/',
    'https://[2606:4700:4700::1111]/',
    'https://example.com/mcp',
    'https://dcr.mock.test/mcp',
    'https://localhost.example.com/',
  ])('D8: public addresses and ordinary names pass: %s', (url) => {
    expect(refusal(on, url)).toBeUndefined();
  });

  it('D8: with protection off, private and loopback addresses pass', () => {
    const off = new UrlPolicy({ ssrfProtection: false });
    expect(refusal(off, 'http://127.0.0.1:8080/mcp')).toBeUndefined();
    expect(refusal(off, 'http://10.0.0.1/')).toBeUndefined();
    expect(refusal(new UrlPolicy(), 'http://10.0.0.1/')?.code).toBe('url_refused');
  });
});

describe('schemes', () => {
  it.each([
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'ftp://example.com/x',
    'ws://example.com/mcp',
  ])('D8: a non-http(s) scheme is refused even with SSRF protection off: %s', (url) => {
    const e = refusal(new UrlPolicy({ ssrfProtection: false }), url);
    expect(e?.code).toBe('url_refused');
    expect(e?.details?.rule).toBe('scheme');
    expect(e?.message).toContain(`"${new URL(url).protocol}" is not allowed`);
  });

  it('D8: allowedSchemes narrows what may be fetched', () => {
    const httpsOnly = new UrlPolicy({ allowedSchemes: ['https'] });
    expect(refusal(httpsOnly, 'http://example.com/')?.details?.rule).toBe('scheme');
    expect(refusal(httpsOnly, 'https://example.com/')).toBeUndefined();
  });
});

describe('allow-list', () => {
  it('D8: a host:port entry allows that port only, and the default port counts', () => {
    const p = new UrlPolicy({ allowList: ['127.0.0.1:8080', '127.0.0.2:443'] });
    expect(refusal(p, 'http://127.0.0.1:8080/mcp')).toBeUndefined();
    expect(refusal(p, 'http://127.0.0.1:8081/mcp')?.code).toBe('url_refused');
    expect(refusal(p, 'https://127.0.0.2/')).toBeUndefined();
    expect(refusal(p, 'http://127.0.0.2/')?.code).toBe('url_refused');
  });

  it('D8: an origin entry allows that scheme, host and port only', () => {
    const p = new UrlPolicy({ allowList: ['http://localhost:5173'] });
    expect(refusal(p, 'http://localhost:5173/mcp')).toBeUndefined();
    expect(refusal(p, 'https://localhost:5173/mcp')?.code).toBe('url_refused');
    expect(refusal(p, 'http://localhost:5174/mcp')?.code).toBe('url_refused');
  });

  it('D8: wildcard, IPv6 and alternative spellings in the allow-list are normalized like URLs', () => {
    const p = new UrlPolicy({ allowList: ['*.localhost', '[::1]:3000', '127.1', '0x0A000001'] });
    expect(refusal(p, 'http://api.localhost/')).toBeUndefined();
    expect(refusal(p, 'http://localhost/')).toBeUndefined();
    expect(refusal(p, 'http://[::1]:3000/')).toBeUndefined();
    expect(refusal(p, 'http://[::1]:3001/')?.code).toBe('url_refused');
    expect(refusal(p, 'http://127.0.0.1:9999/')).toBeUndefined();
    expect(refusal(p, 'http://10.0.0.1/')).toBeUndefined();
    expect(refusal(p, 'http://10.0.0.2/')?.code).toBe('url_refused');
  });

  it('D8: an allow-list entry that is no host is refused with invalid_input', () => {
    for (const bad of ['http://x/path', 'a b', 'https://user@host', '*.']) {
      expect(() => new UrlPolicy({ allowList: [bad] }), bad).toThrowError(/allow-list: ".*" is not a host/);
    }
  });
});

describe('messages', () => {
  it('D8: a refusal says which rule refused and how to allow it, without echoing the query', () => {
    const e = refusal(on, 'http://127.0.0.1:8080/cb?code=secret-code-value');
    expect(e?.message).toContain('127.0.0.1 is a loopback address (127.0.0.0/8)');
    expect(e?.message).toContain('SSRF protection is on (D8)');
    expect(e?.message).toContain('add "127.0.0.1" (any port) or "127.0.0.1:8080" to the allow-list');
    expect(e?.message).toContain('(MCP server)');
    expect(e?.message).not.toContain('secret-code-value');
  });

  it('D8: a mapped IPv6 refusal names the IPv4 address it reaches', () => {
    expect(refusal(on, 'http://[::ffff:a9fe:a9fe]/')?.message).toContain(
      'IPv4-mapped IPv6 address (::ffff:0:0/96) of 169.254.169.254 is a link-local address',
    );
  });

  it('D8: a string that is not a URL is invalid input', () => {
    expect(() => on.check('not a url')).toThrowError(expect.objectContaining({ code: 'invalid_input' }));
  });
});

describe('address parsing', () => {
  it('D8: IPv6 parsing accepts every spelling URL parsers normalize and rejects malformed ones', () => {
    expect(parseIPv6('::1')).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(parseIPv6('[::ffff:1.2.3.4]')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x102, 0x304]);
    expect(parseIPv6('1:2:3:4:5:6:7:8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const bad of ['1::2::3', '1:2:3', '12345::', '::1.2.3.999', '1:2:3:4:5:6:7:8:9', 'example.com'])
      expect(parseIPv6(bad), bad).toBeUndefined();
  });

  it('D8: classifyHost takes hosts with or without brackets', () => {
    expect(classifyHost('::1')?.kind).toBe('loopback');
    expect(classifyHost('[::1]')?.kind).toBe('loopback');
    expect(classifyHost('example.com')).toBeUndefined();
  });
});

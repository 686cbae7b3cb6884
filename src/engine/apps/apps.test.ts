import { describe, expect, it } from 'vitest';
import { authorizeAppResourceRead, authorizeAppToolCall, fullyDecode, matchesTemplate } from './access';
import { allowAttribute, buildCsp } from './csp';
import { appHostPolicy, safeLink } from './host-policy';
import { isAppMimeType, uiResourceOf, visibilityOf } from './ui-meta';

const tools = [
  { name: 'show', _meta: { ui: { resourceUri: 'ui://mock/dashboard.html' } } },
  { name: 'refresh', _meta: { ui: { visibility: ['app'] } } },
  { name: 'summarize', _meta: { ui: { visibility: ['model'] } } },
  { name: 'plain' },
];

describe('A2: UI resources', () => {
  it('A2: _meta.ui.resourceUri, the older flat key, and a malformed value that disables only that tool UI', () => {
    expect(uiResourceOf(tools[0] ?? { name: 'x' })).toEqual({ kind: 'ui', uri: 'ui://mock/dashboard.html' });
    expect(uiResourceOf({ name: 'old', _meta: { 'ui/resourceUri': 'ui://old/view' } })).toEqual({
      kind: 'ui',
      uri: 'ui://old/view',
    });
    expect(
      uiResourceOf({ name: 'bad', _meta: { ui: { resourceUri: 'https://evil.example/app.html' } } }),
    ).toMatchObject({ kind: 'invalid' });
    expect(uiResourceOf({ name: 'bad2', _meta: { ui: { resourceUri: 42 } } })).toMatchObject({
      kind: 'invalid',
    });
    expect(uiResourceOf({ name: 'none' })).toEqual({ kind: 'none' });
  });

  it('A2: the view mime type is text/html;profile=mcp-app, in any case and spacing', () => {
    expect(isAppMimeType('text/html;profile=mcp-app')).toBe(true);
    expect(isAppMimeType('text/html; charset=utf-8; Profile = mcp-app')).toBe(true);
    expect(isAppMimeType('text/html')).toBe(false);
    expect(isAppMimeType('text/plain;profile=mcp-app')).toBe(false);
    expect(isAppMimeType(undefined)).toBe(false);
  });
});

describe('A3: visibility', () => {
  it('A3: missing visibility means model and app; an explicit list grants only what it names', () => {
    expect(tools.map(visibilityOf)).toEqual([['model', 'app'], ['app'], ['model'], ['model', 'app']]);
  });

  it('A3 A1: an app may not call an unknown tool, a model-only tool, or anything when apps are off', () => {
    expect(authorizeAppToolCall('refresh', tools)).toEqual({ allowed: true });
    expect(authorizeAppToolCall('show', tools)).toEqual({ allowed: true });
    expect(authorizeAppToolCall('summarize', tools)).toMatchObject({
      allowed: false,
      ruleIds: ['A3'],
      reason: expect.stringContaining('hidden from apps'),
    });
    expect(authorizeAppToolCall('nope', tools)).toMatchObject({
      allowed: false,
      reason: expect.stringContaining('does not list'),
    });
    expect(authorizeAppToolCall('show', undefined)).toMatchObject({
      allowed: false,
      reason: expect.stringContaining('fail closed'),
    });
    expect(authorizeAppToolCall('show', tools, false)).toMatchObject({ allowed: false, ruleIds: ['A1'] });
  });
});

describe('A4: resources/read from apps', () => {
  const advertised = {
    resources: ['lab://docs/readme', 'ui://mock/dashboard.html'],
    templates: ['lab://notes/{id}', 'lab://files/{name}'],
  };
  const read = (uri: string) => authorizeAppResourceRead(uri, advertised);

  it('A4: ui:// URIs, exact advertised entries and template matches are allowed', () => {
    expect(read('ui://mock/dashboard.html').allowed).toBe(true);
    expect(read('ui://other/view.html').allowed).toBe(true);
    expect(read('lab://docs/readme').allowed).toBe(true);
    expect(read('lab://notes/welcome').allowed).toBe(true);
  });

  it.each([
    ['an unadvertised resource', 'lab://secrets/keys'],
    ['a template variable spanning segments', 'lab://notes/a/b'],
    ['a variable carrying a query', 'lab://notes/a?x=1'],
    ['plain dot segments', 'lab://notes/../secrets'],
    ['%2e%2e', 'lab://notes/%2e%2e/secrets'],
    ['double-encoded traversal', 'lab://notes/%252e%252e/secrets'],
    ['mixed traversal', 'lab://notes/.%2e/secrets'],
    ['backslash traversal', 'lab://notes/..%5csecrets'],
    ['a ui:// URI that climbs out', 'ui://mock/%2e%2e/%2e%2e/etc'],
    ['undecodable input', 'lab://notes/%E0%A4%A'],
    // These would match lab://files/{name} as one segment: only the dot-segment rule stops them.
    ['a template match that is ".." once decoded', 'lab://files/%2e%2e'],
    ['a template match that is "." double-encoded', 'lab://files/%252e'],
  ])('A4: %s is refused', (_what, uri) => {
    expect(read(uri)).toMatchObject({ allowed: false, ruleIds: ['A4'] });
  });

  it('A4: decoding is bounded and fails closed when the lists cannot be fetched', () => {
    expect(fullyDecode('%25252525252e')).toBeUndefined();
    expect(fullyDecode('a%20b')).toBe('a b');
    expect(
      authorizeAppResourceRead('lab://docs/readme', { resources: undefined, templates: [] }),
    ).toMatchObject({ allowed: false, reason: expect.stringContaining('fail closed') });
    expect(authorizeAppResourceRead('ui://x/y', { resources: undefined, templates: undefined }).allowed).toBe(
      true,
    );
    expect(authorizeAppResourceRead('ui://x/y', advertised, false)).toMatchObject({
      allowed: false,
      ruleIds: ['A1'],
    });
  });

  it('A4: a template variable matches one segment without / ? # & =', () => {
    expect(matchesTemplate('lab://notes/abc', 'lab://notes/{id}')).toBe(true);
    for (const bad of [
      'lab://notes/',
      'lab://notes/a/b',
      'lab://notes/a&b',
      'lab://notes/a=b',
      'lab://notes/a#b',
    ])
      expect(matchesTemplate(bad, 'lab://notes/{id}')).toBe(false);
    expect(matchesTemplate('lab://notes/abc', 'lab://notes/{+id}')).toBe(false);
  });
});

describe('A5: CSP and permissions', () => {
  it('A5: declared domains map to their directives; everything else is none', () => {
    const { policy, dropped } = buildCsp({
      connectDomains: ['https://api.example.com'],
      resourceDomains: ['https://*.cdn.example'],
      frameDomains: [],
      baseUriDomains: undefined,
    });
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain('connect-src https://api.example.com');
    expect(policy).toContain("script-src 'unsafe-inline' https://*.cdn.example");
    expect(policy).toContain("frame-src 'none'");
    expect(policy).toContain("base-uri 'none'");
    expect(dropped).toEqual([]);
    expect(buildCsp(undefined).policy).toContain("connect-src 'none'");
  });

  it('A5: entries with ; quotes spaces or other schemes are dropped, so they cannot add directives', () => {
    const { policy, dropped } = buildCsp({
      connectDomains: [
        'https://ok.example',
        'https://x.example; script-src *',
        "'unsafe-eval'",
        'https://a.example https://b.example',
        'javascript:alert(1)',
        42,
      ],
    });
    expect(policy).toContain('connect-src https://ok.example;');
    expect(policy).not.toContain('unsafe-eval');
    expect(policy).not.toContain('script-src *');
    expect(dropped).toHaveLength(5);
  });

  it('A5: requested permissions become the iframe allow attribute; unknown ones are ignored', () => {
    expect(allowAttribute({ camera: {}, clipboardWrite: {}, usb: {} })).toBe('camera; clipboard-write');
    expect(allowAttribute(undefined)).toBe('');
  });
});

describe('A1 A6: host policy', () => {
  it('A1: apps off renders nothing and offers no handler', () => {
    expect(appHostPolicy({ appsEnabled: false, readOnly: false })).toMatchObject({
      render: false,
      handlers: { toolCall: false, resourceRead: false },
    });
  });

  it('A6: a read-only view renders but gets no tool, resource or message handlers or capabilities', () => {
    const p = appHostPolicy({ appsEnabled: true, readOnly: true });
    expect(p.render).toBe(true);
    expect(p.capabilities).toEqual({});
    expect(Object.values(p.handlers).every((h) => h === false)).toBe(true);
    expect(appHostPolicy({ appsEnabled: true, readOnly: false }).handlers.toolCall).toBe(true);
  });

  it('A5: ui/open-link accepts http(s) only', () => {
    expect(safeLink('https://example.com/x')).toBe('https://example.com/x');
    expect(safeLink('javascript:alert(1)')).toBeUndefined();
    expect(safeLink('file:///etc/passwd')).toBeUndefined();
    expect(safeLink('data:text/html,hi')).toBeUndefined();
    expect(safeLink(42)).toBeUndefined();
  });
});

import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockServer } from '../../../mocks/node';
import { harness } from '../connection/factory-testing';
import type { AppConnection } from './app-host';
import { loadAppView, storedView } from './ui-resource';

const mocks = startMockServer();
afterAll(() => mocks.close());
beforeEach(() => mocks.world.reset());

const alice = { tenant: 't1', user: { id: 'alice' } };
const dashboard = { name: 'show_dashboard', _meta: { ui: { resourceUri: 'ui://mock/dashboard.html' } } };

/** A connection whose resources/read answers with the given contents. */
function fakeConnection(contents: unknown[]): AppConnection & { reads: number } {
  const c = {
    reads: 0,
    run: async <T>(_what: string, op: (client: Client) => Promise<T>) => {
      c.reads++;
      return op({ readResource: async () => ({ contents }) } as unknown as Client);
    },
    callTool: async () => ({}),
  };
  return c;
}

describe('loading a view', () => {
  it('A2: a tool with a ui:// resource gets its view, CSP and permissions from the resource _meta.ui', async () => {
    const h = harness();
    const conn = await h.engine.connect({ name: 'dcr', url: 'https://dcr.mock.test/mcp' }, alice, h.oauth());
    const found = await loadAppView(conn, dashboard, { title: 'x' }, { content: [] }, true);
    await conn.close();
    expect(found.kind).toBe('view');
    if (found.kind !== 'view') return;
    expect(found.view).toMatchObject({ toolName: 'show_dashboard', resourceUri: 'ui://mock/dashboard.html' });
    expect(found.view.html).toMatch(/<script/i);
    expect(found.view.csp.policy).toContain("connect-src 'none'");
  });

  it('A1: with apps off the view is not fetched at all', async () => {
    const conn = fakeConnection([]);
    expect(await loadAppView(conn, dashboard, {}, {}, false)).toMatchObject({
      kind: 'refused',
      ruleIds: ['A1'],
    });
    expect(conn.reads).toBe(0);
  });

  it('A2: a malformed resourceUri or a resource of another type disables only that view', async () => {
    const conn = fakeConnection([{ uri: 'ui://mock/dashboard.html', mimeType: 'text/html', text: '<p>' }]);
    expect(
      await loadAppView(
        conn,
        { name: 't', _meta: { ui: { resourceUri: 'https://x.example/a' } } },
        {},
        {},
        true,
      ),
    ).toMatchObject({ kind: 'refused', ruleIds: ['A2'] });
    expect(conn.reads).toBe(0);
    expect(await loadAppView(conn, dashboard, {}, {}, true)).toMatchObject({
      kind: 'refused',
      reason: expect.stringContaining('not text/html;profile=mcp-app'),
    });
    expect(await loadAppView(conn, { name: 'plain' }, {}, {}, true)).toEqual({ kind: 'none' });
  });

  it('A2: a view sent as a base64 blob is decoded', async () => {
    const html = '<!doctype html><p>é</p>';
    const blob = btoa(String.fromCharCode(...new TextEncoder().encode(html)));
    const conn = fakeConnection([
      { uri: 'ui://mock/dashboard.html', mimeType: 'text/html;profile=mcp-app', blob },
    ]);
    const found = await loadAppView(conn, dashboard, {}, {}, true);
    expect(found.kind === 'view' && found.view.html).toBe(html);
  });

  it('A6 A5: a stored view is checked, and its CSP is rebuilt without connect domains', () => {
    const base = {
      toolName: 't',
      resourceUri: 'ui://x/y',
      html: '<p>',
      input: { a: 1 },
      result: { content: [] },
    };
    expect(storedView({ appView: { ...base, resourceUri: 'https://evil.example/' } })).toBeUndefined();
    expect(storedView({ appView: { ...base, html: 42 } })).toBeUndefined();
    expect(storedView({ other: 1 })).toBeUndefined();
    const v = storedView({
      appView: {
        ...base,
        cspMeta: { connectDomains: ['https://api.example'], resourceDomains: ['https://cdn.example'] },
        csp: { policy: 'default-src *', dropped: [] },
      },
    });
    expect(v?.csp.policy).toContain("connect-src 'none'");
    expect(v?.csp.policy).toContain('script-src');
    expect(v?.csp.policy).toContain('https://cdn.example');
    expect(v?.csp.policy).not.toContain('default-src *');
  });
});

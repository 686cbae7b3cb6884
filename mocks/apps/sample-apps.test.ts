import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockServer } from '../node';
import { type SampleAppName, sampleAppHtml } from '.';

const mocks = startMockServer();
afterAll(() => mocks.close());

const OPEN = 'https://noauth.mock.test/mcp';
const NO_DOMAINS = { connectDomains: [], resourceDomains: [] };
const APPS: ReadonlyArray<{ name: SampleAppName; uri: string; tool: string; ui: Record<string, unknown> }> = [
  {
    name: 'card',
    uri: 'ui://mock/card.html',
    tool: 'show_card',
    ui: { csp: NO_DOMAINS, permissions: { clipboardWrite: {} }, prefersBorder: true },
  },
  {
    name: 'dashboard',
    uri: 'ui://mock/dashboard.html',
    tool: 'show_dashboard',
    ui: { csp: NO_DOMAINS, prefersBorder: true },
  },
  { name: 'hostile', uri: 'ui://mock/hostile.html', tool: 'hostile_app', ui: { csp: {} } },
];

/** What a sandbox CSP of `default-src 'none'` with inline script and style allows: nothing loaded from a URL. */
function expectSelfContained(html: string): void {
  expect(html).toMatch(/^<!doctype html>/i);
  expect(html).toMatch(/<script>[\s\S]+<\/script>/);
  expect(html).not.toMatch(/<script[^>]*\ssrc=/i);
  expect(html).not.toMatch(/<link[^>]*>/i);
  expect(html).not.toMatch(/<[a-z]+[^<>]*\s(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i);
  expect(html).not.toMatch(/import\s*\(\s*["'`](?:https?:)?\/\//);
  expect(html).not.toMatch(/@import/);
  // Exactly one script element: `</script` inside the code is escaped.
  expect(html.match(/<\/script/gi)).toHaveLength(1);
}

describe('the sample MCP Apps on the mock MCP server', () => {
  let client: Client;
  beforeAll(async () => {
    mocks.world.reset();
    client = new Client({ name: 'sample-apps-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(OPEN)));
  });
  afterAll(() => client.close());

  it.each(APPS)('A2: $uri is a self-contained mcp-app with its _meta.ui', async ({ name, uri, ui }) => {
    const { contents } = await client.readResource({ uri });
    expect(contents).toHaveLength(1);
    const [content] = contents;
    expect(content).toMatchObject({ uri, mimeType: 'text/html;profile=mcp-app' });
    expect(content?._meta).toEqual({ ui });
    const html = content && 'text' in content ? content.text : '';
    expectSelfContained(html);
    expect(html).toBe(await sampleAppHtml(name));
  });

  it('A2: resources/list lists the three app resources with the app MIME type', async () => {
    const { resources } = await client.listResources();
    const apps = resources.filter((r) => r.uri.startsWith('ui://'));
    expect(apps.map((r) => [r.uri, r.mimeType])).toEqual(
      APPS.map((a) => [a.uri, 'text/html;profile=mcp-app']),
    );
  });

  it('A2: show_card, show_dashboard and hostile_app point at their ui:// resource', async () => {
    const { tools } = await client.listTools();
    const uiOf = (name: string) =>
      (tools.find((t) => t.name === name)?._meta as { ui?: { resourceUri?: string } } | undefined)?.ui
        ?.resourceUri;
    for (const app of APPS) expect(uiOf(app.tool), app.tool).toBe(app.uri);
    expect(uiOf('dashboard_refresh')).toBe('ui://mock/dashboard.html');
  });

  it('A2: show_card answers with text and structured content; hostile_app with a sentence', async () => {
    expect(
      await client.callTool({ name: 'show_card', arguments: { title: 'Sales', value: 7 } }),
    ).toMatchObject({
      content: [{ type: 'text', text: 'Sales: 7' }],
      structuredContent: { title: 'Sales', value: 7, server: 'noauth' },
    });
    expect(await client.callTool({ name: 'hostile_app', arguments: {} })).toMatchObject({
      content: [{ type: 'text', text: 'The red-team app is running; watch its attempts.' }],
    });
  });
});

describe('the built HTML', () => {
  it('A2: each app is real ext-apps App code and carries the ids the browser tests use', async () => {
    const card = await sampleAppHtml('card');
    const dashboard = await sampleAppHtml('dashboard');
    const hostile = await sampleAppHtml('hostile');
    for (const html of [card, dashboard, hostile]) expect(html).toContain('ui/initialize');
    for (const id of [
      'app-status',
      'tool-input',
      'tool-result',
      'host-theme',
      'app-storage',
      'app-permissions',
    ])
      expect(card).toContain(id);
    for (const id of ['refresh', 'read-note', 'open-docs', 'refresh-result', 'link-result'])
      expect(dashboard).toContain(id);
    for (const id of ['attempts', 'hostile-done', 'run-again', 'traversal-double-encoded', 'csp-connect'])
      expect(hostile).toContain(id);
  });
});

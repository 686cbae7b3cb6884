/**
 * The host end of an MCP App against a real ext-apps `App` (in memory) and a mock server through
 * the engine: what an app may do, and what the App lane shows.
 */
import { InMemoryTransport } from '@modelcontextprotocol/client';
import { App } from '@modelcontextprotocol/ext-apps';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMockServer } from '../../../mocks/node';
import type { AdjustableClock } from '../../../mocks/world';
import type { Connection } from '../connection/connection';
import { harness } from '../connection/factory-testing';
import type { McpServerConfig } from '../connection/factory-types';
import { AppHost, type AppHostOptions } from './app-host';
import type { ToolLike } from './ui-meta';

const mocks = startMockServer();
const world = mocks.world;
const clock = world.clock as AdjustableClock;
afterAll(() => mocks.close());
beforeEach(() => world.reset());
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

const alice = { tenant: 't1', user: { id: 'alice' } };
const DCR: McpServerConfig = { name: 'dcr', url: 'https://dcr.mock.test/mcp' };

interface Setup {
  host: AppHost;
  app: App;
  conn: Connection | undefined;
  h: ReturnType<typeof harness>;
  received: { input?: unknown; result?: unknown; context: unknown[]; teardown: number };
  opened: string[];
  appLane: () => string[];
  apps: { on: boolean };
}

async function setup(options: Partial<AppHostOptions> & { connect?: boolean } = {}): Promise<Setup> {
  const h = harness();
  const conn = options.connect === false ? undefined : await h.engine.connect(DCR, alice, h.oauth());
  if (conn) cleanup.push(() => conn.close());
  const tools = conn ? ((await conn.listTools()).tools as ToolLike[]) : undefined;
  const opened: string[] = [];
  const apps = { on: true };
  const host = new AppHost({
    tool: tools?.find((t) => t.name === 'show_dashboard') ?? { name: 'show_dashboard' },
    resourceUri: 'ui://mock/dashboard.html',
    recorder: h.engine.recorder,
    clock: h.engine.deps.clock,
    readOnly: false,
    appsEnabled: () => apps.on,
    ...(conn ? { connection: conn } : {}),
    tools: () => tools,
    hostContext: { theme: 'light', locale: 'en-GB', displayMode: 'inline', platform: 'web' },
    openLink: (url) => {
      opened.push(url);
      return true;
    },
    ...options,
  });
  const received: Setup['received'] = { context: [], teardown: 0 };
  const app = new App({ name: 'test-app', version: '1.0.0' }, {}, { autoResize: false });
  app.ontoolinput = (p) => {
    received.input = p.arguments;
  };
  app.ontoolresult = (p) => {
    received.result = p;
  };
  app.onhostcontextchanged = (p) => received.context.push(p);
  app.onteardown = async () => {
    received.teardown++;
    return {};
  };
  const [hostSide, appSide] = InMemoryTransport.createLinkedPair();
  await host.connect(hostSide);
  await app.connect(appSide);
  cleanup.push(async () => {
    await host.teardown();
    await app.close();
  });
  const appLane = () => h.engine.recorder.events.filter((e) => e.lane === 'app').map((e) => e.summary);
  return { host, app, conn, h, received, opened, appLane, apps };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
};

const textOf = (r: { content?: Array<{ type: string; text?: string }> }) =>
  r.content?.find((c) => c.type === 'text')?.text;

describe('the app host', () => {
  it('AH2 AH5: input and result arrive after initialized, and every bridge message is on the App lane', async () => {
    const { host, received, appLane, app } = await setup();
    const result = {
      content: [{ type: 'text', text: 'Dashboard "Q3"' }],
      structuredContent: { title: 'Q3' },
    };
    await host.deliver({ title: 'Q3' }, result);
    await until(() => received.result !== undefined);
    expect(received.input).toEqual({ title: 'Q3' });
    expect(received.result).toMatchObject(result);
    expect(app.getHostVersion()?.name).toBe('MCP Lab');
    const lane = appLane();
    const at = (re: RegExp) => lane.findIndex((s) => re.test(s));
    expect(at(/^App → host: ui\/initialize/)).toBeGreaterThanOrEqual(0);
    expect(at(/^Host → app: ui\/initialize \(#\d+\) answered/)).toBeGreaterThan(
      at(/App → host: ui\/initialize/),
    );
    expect(at(/Host → app: ui\/notifications\/tool-input/)).toBeGreaterThan(
      at(/App → host: ui\/notifications\/initialized/),
    );
    expect(at(/Host → app: ui\/notifications\/tool-result/)).toBeGreaterThan(
      at(/Host → app: ui\/notifications\/tool-input/),
    );
    // Delivered once, even when asked again.
    await host.deliver({ title: 'again' }, result);
    expect(lane.filter((s) => /tool-input/.test(s))).toHaveLength(1);
  });

  it('AH2: a result handed over before the view initialized waits for initialized', async () => {
    const h = harness();
    const host = new AppHost({
      tool: { name: 'show_card' },
      resourceUri: 'ui://mock/card.html',
      recorder: h.engine.recorder,
      clock: h.engine.deps.clock,
      readOnly: true,
      appsEnabled: () => true,
      tools: () => [],
      hostContext: {},
    });
    const [hostSide, appSide] = InMemoryTransport.createLinkedPair();
    await host.connect(hostSide);
    await host.deliver({ a: 1 }, { content: [{ type: 'text', text: 'early' }] });
    const app = new App({ name: 'late', version: '1' }, {}, { autoResize: false });
    let got: unknown;
    app.ontoolresult = (p) => {
      got = p;
    };
    await app.connect(appSide);
    await until(() => got !== undefined);
    expect(got).toMatchObject({ content: [{ text: 'early' }] });
    await host.teardown();
  });

  it('A3: the app calls an app-only tool through the engine; model-only and unknown tools are refused before the server', async () => {
    const { app, h, appLane } = await setup();
    const ok = await app.callServerTool({ name: 'dashboard_refresh', arguments: {} });
    expect(textOf(ok)).toBe('refreshed');
    await expect(app.callServerTool({ name: 'summarize_notes', arguments: {} })).rejects.toThrow(
      /Refused by the host \(A3\).*hidden from apps/,
    );
    await expect(app.callServerTool({ name: 'no_such_tool', arguments: {} })).rejects.toThrow(
      /Refused by the host \(A3\).*does not list/,
    );
    const calls = h.sent
      .filter((s) => s.body?.includes('"tools/call"'))
      .map((s) => JSON.parse(s.body ?? '{}'));
    expect(calls.map((c) => c.params.name)).toEqual(['dashboard_refresh']);
    expect(appLane().filter((s) => /^Refused the app's tools\/call/.test(s))).toHaveLength(2);
    expect(
      h.engine.recorder.events.filter((e) => e.kind === 'decision' && e.lane === 'app').map((e) => e.ruleIds),
    ).toEqual([['A3'], ['A3']]);
  });

  it('A4: the app reads advertised resources; traversal and unadvertised URIs are refused before the server', async () => {
    const { app, h } = await setup();
    expect(
      (await app.readServerResource({ uri: 'lab://notes/welcome' })).contents[0] as { text: string },
    ).toMatchObject({ text: expect.stringContaining('Welcome') });
    expect((await app.readServerResource({ uri: 'lab://docs/readme' })).contents).toHaveLength(1);
    for (const uri of [
      'lab://secrets/keys',
      'lab://notes/%2e%2e/secrets',
      'lab://notes/%252e%252e/secrets',
      'lab://notes/.%2e/%2E./secrets',
    ])
      await expect(app.readServerResource({ uri })).rejects.toThrow(/Refused by the host \(A4\)/);
    const reads = h.sent
      .filter((s) => s.body?.includes('"resources/read"'))
      .map((s) => JSON.parse(s.body ?? '{}').params.uri);
    expect(reads).toEqual(['lab://notes/welcome', 'lab://docs/readme']);
    // The lists were read once, for every read after.
    expect(h.sent.filter((s) => s.body?.includes('"resources/list"'))).toHaveLength(1);
  });

  it('A4: when the resource lists cannot be read, only ui:// reads pass (fail closed)', async () => {
    const { app } = await setup();
    world.setKnobs('dcr', { mcpServerErrorNext: 2 });
    await expect(app.readServerResource({ uri: 'lab://docs/readme' })).rejects.toThrow(/fail closed/);
  });

  it('A1: once apps are turned off, an open view can no longer call tools or read resources', async () => {
    const { app, apps, h } = await setup();
    apps.on = false;
    await expect(app.callServerTool({ name: 'dashboard_refresh', arguments: {} })).rejects.toThrow(
      /Refused by the host \(A1\)/,
    );
    await expect(app.readServerResource({ uri: 'lab://notes/welcome' })).rejects.toThrow(/\(A1\)/);
    await expect(app.openLink({ url: 'https://example.com/' })).rejects.toThrow(/\(A1\)/);
    expect(h.sent.filter((s) => /tools\/call|resources\//.test(s.body ?? ''))).toHaveLength(0);
  });

  it('A6: a read-only view gets the stored result but no capabilities, and every app request fails', async () => {
    const { app, host, received, h } = await setup({ readOnly: true, connect: false });
    expect(app.getHostCapabilities()).toEqual({});
    await host.deliver({ title: 'stored' }, { content: [{ type: 'text', text: 'stored result' }] });
    await until(() => received.result !== undefined);
    await expect(app.callServerTool({ name: 'dashboard_refresh', arguments: {} })).rejects.toThrow(
      /not found/i,
    );
    await expect(app.readServerResource({ uri: 'ui://mock/dashboard.html' })).rejects.toThrow(/not found/i);
    await expect(app.openLink({ url: 'https://example.com/' })).rejects.toThrow(/not found/i);
    await expect(app.sendMessage({ role: 'user', content: [{ type: 'text', text: 'hi' }] })).rejects.toThrow(
      /not found/i,
    );
    expect(h.sent).toHaveLength(0);
  });

  it('F11 A3: an app call that meets an expired token recovers through a silent refresh', async () => {
    const { app, h } = await setup();
    clock.advance(2 * 3600_000);
    expect(textOf(await app.callServerTool({ name: 'dashboard_refresh', arguments: {} }))).toBe('refreshed');
    expect(world.log.filter((l) => l.endpoint === 'token').map((l) => l.detail)).toEqual([
      'authorization_code',
      'refresh_token',
    ]);
    expect(h.hostStarted).toHaveLength(0);
  });

  it('AH1: ui/open-link opens http(s) only; javascript: and file: are refused', async () => {
    const { app, opened, appLane } = await setup();
    expect(await app.openLink({ url: 'https://modelcontextprotocol.io/' })).toEqual({});
    await expect(app.openLink({ url: 'javascript:alert(1)' })).rejects.toThrow(
      /\(AH1\).*not an http\(s\) link/,
    );
    await expect(app.openLink({ url: 'file:///etc/passwd' })).rejects.toThrow(/\(AH1\)/);
    expect(opened).toEqual(['https://modelcontextprotocol.io/']);
    expect(
      appLane().some((s) =>
        /Opened https:\/\/modelcontextprotocol.io\/ in a new tab without an opener/.test(s),
      ),
    ).toBe(true);
  });

  it('AH3: the host context is in ui/initialize, and changes are notified', async () => {
    const { app, host, received } = await setup();
    expect(app.getHostContext()).toMatchObject({ theme: 'light', locale: 'en-GB', displayMode: 'inline' });
    expect(app.getHostContext()?.toolInfo?.tool.name).toBe('show_dashboard');
    host.setHostContext({ theme: 'dark' });
    await until(() => received.context.length === 1);
    expect(received.context[0]).toEqual({ theme: 'dark' });
    host.setHostContext({ theme: 'dark' });
    host.setHostContext({ containerDimensions: { width: 500, maxHeight: 600 } });
    await until(() => received.context.length === 2);
    expect(received.context[1]).toEqual({ containerDimensions: { width: 500, maxHeight: 600 } });
  });

  it('AH4: teardown asks the view first, then closes the bridge; later requests are refused', async () => {
    const { app, host, received, appLane } = await setup();
    await host.teardown('replaced by a new result');
    expect(received.teardown).toBe(1);
    expect(
      appLane().some((s) => /View torn down \(replaced by a new result\); the app acknowledged/.test(s)),
    ).toBe(true);
    await expect(app.callServerTool({ name: 'dashboard_refresh', arguments: {} })).rejects.toThrow();
  });

  it('AH5: app logs are on the App lane, and secrets in bridge messages are redacted like everywhere else', async () => {
    const { app, conn, h } = await setup();
    const token = conn?.accessToken ?? '';
    expect(token.length).toBeGreaterThan(10);
    await app.sendLog({ level: 'warning', logger: 'dashboard', data: 'low on data' });
    await app.callServerTool({ name: 'echo', arguments: { text: token } });
    await until(() => h.engine.recorder.events.some((e) => /App log \(warning, dashboard\)/.test(e.summary)));
    const lane = h.engine.recorder.events.filter((e) => e.lane === 'app');
    expect(lane.find((e) => /App log/.test(e.summary))?.level).toBe('warn');
    expect(JSON.stringify(lane)).not.toContain(token);
    expect(JSON.stringify(lane)).toContain(token.slice(0, 6));
  });
});

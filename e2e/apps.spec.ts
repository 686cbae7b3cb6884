/**
 * MCP Apps in the playground (issue 5), in Chromium against the built app and the mock servers:
 * the sample apps (mocks/apps, real ext-apps `App` code) render through the sandbox proxy with the
 * AppBridge host (src/engine/apps/app-host.ts), and a hostile app's attempts are each refused.
 * Rule IDs: A1–A6 (spec), AH1–AH5 (app host), SBX3–SBX6 (sandbox proxy).
 */
import type { Frame, Page } from '@playwright/test';
import { BUDGET, expect, Lab, test } from './fixture';

async function openConnected(lab: Lab, serverId = 'dcr'): Promise<void> {
  await lab.open();
  await lab.connect(serverId, { via: 'auto' });
}

/** The view's frame (inside the proxy's frame), once the app finished ui/initialize. */
async function viewFrame(page: Page, model = 'opaque'): Promise<Frame> {
  await expect(page.getByTestId('app-view')).toHaveAttribute('data-state', 'initialized', {
    timeout: BUDGET.action,
  });
  const outer = await page
    .locator(`[data-testid="app-frame"][data-model="${model}"]:visible`)
    .elementHandle();
  const proxy = await outer?.contentFrame();
  if (!proxy) throw new Error('no proxy frame');
  await expect.poll(() => proxy.childFrames().length).toBeGreaterThan(0);
  const view = proxy.childFrames()[0];
  if (!view) throw new Error('no view frame');
  return view;
}

/** The view's document, for locators (the visible view: a replaced one is hidden while it tears down). */
const view = (page: Page) =>
  page.locator('[data-testid="app-frame"]:visible').contentFrame().locator('iframe').contentFrame();

/** Timeline events as the engine recorded them (already redacted). */
const events = (page: Page) =>
  page.evaluate(
    () =>
      window.mcpLab?.engine.recorder.events.map((e) => ({
        lane: e.lane,
        kind: e.kind,
        summary: e.summary,
        ruleIds: e.ruleIds,
        body: e.http?.request.body ?? '',
      })) ?? [],
  );

/** JSON-RPC requests that reached an MCP server (request bodies on the MCP lane). */
async function mcpBodies(page: Page): Promise<string[]> {
  return (await events(page))
    .filter((e) => e.kind === 'http' && e.body.includes('"jsonrpc"'))
    .map((e) => e.body);
}

test('A2 A5 AH2 AH5: a tool with a UI renders in the sandbox, gets its input and result, calls a server tool and reads a resource through the host, is sized to its content, and the timeline shows the App lane', async ({
  lab,
  page,
}) => {
  await openConnected(lab);
  await lab.call('show_dashboard', { title: 'Quarterly' });
  await viewFrame(page);
  const app = view(page);
  await expect(app.locator('#app-status')).toHaveText('initialized');
  await expect(app.locator('#tool-result')).toContainText('Dashboard "Quarterly"');
  await app.locator('#refresh').click();
  await expect(app.locator('#refresh-result')).toHaveAttribute('data-state', 'ok', {
    timeout: BUDGET.action,
  });
  await expect(app.locator('#refresh-result')).toContainText('refreshed');
  await app.locator('#read-note').click();
  await expect(app.locator('#note')).toContainText('Welcome to MCP Lab', { timeout: BUDGET.action });

  const bodies = await mcpBodies(page);
  expect(bodies.some((b) => b.includes('"tools/call"') && b.includes('dashboard_refresh'))).toBe(true);
  expect(bodies.some((b) => b.includes('"resources/read"') && b.includes('lab://notes/welcome'))).toBe(true);
  const lane = (await events(page)).filter((e) => e.lane === 'app').map((e) => e.summary);
  const at = (re: RegExp) => lane.findIndex((s) => re.test(s));
  expect(at(/App → host: ui\/initialize/)).toBeGreaterThanOrEqual(0);
  expect(at(/Host → app: ui\/notifications\/tool-result/)).toBeGreaterThan(
    at(/App → host: ui\/notifications\/initialized/),
  );
  expect(at(/App → host: tools\/call dashboard_refresh/)).toBeGreaterThan(0);
  expect(at(/Host → app: tools\/call \(#\d+\) answered/)).toBeGreaterThan(0);
  expect(at(/App log \(info, dashboard\): dashboard ready/)).toBeGreaterThan(0);
  // The view reports its size; the host sizes the frame to it (from 160 px at first).
  expect(at(/App → host: ui\/notifications\/size-changed/)).toBeGreaterThan(0);
  await expect
    .poll(() => page.getByTestId('app-frame').evaluate((f) => f.getBoundingClientRect().height))
    .toBeGreaterThan(300);
  // The App lane, as a person reads it.
  await page.getByTestId('timeline-search').fill('tools/call dashboard_refresh');
  await expect(page.getByTestId('timeline-row').first()).toContainText('App → host');
});

test('A5 SBX5: the view and the host have different origins, asserted from inside the frame; the sandbox switch says what each model allows', async ({
  lab,
  page,
}) => {
  await openConnected(lab);
  await lab.call('show_card', { title: 'Origins' });
  const frame = await viewFrame(page);
  const hostOrigin = new URL(page.url()).origin;
  const inside = await frame.evaluate(() => {
    const tryRead = (f: () => unknown) => {
      try {
        return String(f());
      } catch (e) {
        return `blocked: ${(e as Error).name}`;
      }
    };
    return {
      origin: self.origin,
      parent: tryRead(() => window.parent.location.href),
      top: tryRead(() => window.top?.document.title),
    };
  });
  expect(inside.origin).toBe('null');
  expect(inside.parent).toMatch(/^blocked/);
  expect(inside.top).toMatch(/^blocked/);
  await expect(view(page).locator('#app-origin')).toHaveText('null');
  await expect(page.getByTestId('sandbox-model')).toHaveValue('opaque');
  await expect(page.getByTestId('sandbox-model-explains')).toContainText('opaque origin');

  await page.getByTestId('sandbox-model').selectOption('same-origin');
  await expect(page.getByTestId('sandbox-model-explains')).toContainText("shares the sandbox proxy's origin");
  const again = await viewFrame(page, 'same-origin');
  const origin = await again.evaluate(() => self.origin);
  expect(origin).not.toBe('null');
  expect(origin).not.toBe(hostOrigin);
  expect(new URL(origin).port).toBe(new URL(hostOrigin).port);
  await expect(view(page).locator('#app-origin')).toHaveText(origin);
  expect(
    await again.evaluate(() => {
      try {
        return window.top?.document.title ?? 'none';
      } catch (e) {
        return `blocked: ${(e as Error).name}`;
      }
    }),
  ).toMatch(/^blocked/);
});

test('A5: permissions from _meta.ui.permissions become the allow attribute: clipboard-write is delegated, camera is not', async ({
  lab,
  page,
}) => {
  await openConnected(lab);
  await lab.call('show_card');
  const frame = await viewFrame(page);
  await expect(page.getByTestId('app-frame').last()).toHaveAttribute('allow', 'clipboard-write');
  const proxy = frame.parentFrame();
  expect(await proxy?.locator('iframe').getAttribute('allow')).toBe('clipboard-write');
  const allowed = await frame.evaluate(() => {
    const policy = (document as unknown as { featurePolicy?: { allowsFeature(f: string): boolean } })
      .featurePolicy;
    return policy
      ? { clipboard: policy.allowsFeature('clipboard-write'), camera: policy.allowsFeature('camera') }
      : null;
  });
  expect(allowed).toEqual({ clipboard: true, camera: false });
  await expect(view(page).locator('#app-permissions')).toContainText('camera: denied');
  // The panel shows the policy the view runs under.
  await page.getByText('Content-Security-Policy and permissions').click();
  await expect(page.getByTestId('app-csp')).toContainText("connect-src 'none'");
});

test('AH3: the host context reaches the view (theme, locale) and a theme change is notified', async ({
  lab,
  page,
}) => {
  await openConnected(lab);
  await lab.call('show_card');
  await viewFrame(page);
  const app = view(page);
  const locale = await page.evaluate(() => navigator.language);
  await expect(app.locator('#host-locale')).toHaveText(locale);
  await expect(app.locator('#host-display')).toHaveText('inline');
  const before = (await app.locator('#host-theme').textContent()) ?? '';
  await page.getByTestId('theme-toggle').click();
  await expect(app.locator('#host-theme')).toHaveText(before === 'dark' ? 'light' : 'dark');
  const lane = (await events(page)).filter((e) => e.lane === 'app').map((e) => e.summary);
  expect(lane.some((s) => /Host → app: ui\/notifications\/host-context-changed/.test(s))).toBe(true);
});

test('AH1: ui/open-link opens an https link in a new tab without an opener', async ({ lab, page }) => {
  await openConnected(lab);
  await lab.call('show_dashboard');
  await viewFrame(page);
  const requested: string[] = [];
  page.context().on('request', (r) => requested.push(r.url()));
  const opened = page.context().waitForEvent('page');
  await view(page).locator('#open-docs').click();
  const tab = await opened;
  // No network here: the tab shows an error page, but it was asked for the link, without an opener.
  await expect.poll(() => requested.some((u) => u.startsWith('https://modelcontextprotocol.io/'))).toBe(true);
  expect(await tab.evaluate(() => window.opener)).toBeNull();
  await tab.close();
  await expect(view(page).locator('#link-result')).toHaveAttribute('data-state', 'ok', {
    timeout: BUDGET.action,
  });
  const lane = (await events(page)).filter((e) => e.lane === 'app').map((e) => e.summary);
  expect(lane).toContain('Opened https://modelcontextprotocol.io/ in a new tab without an opener');
});

test('AH4: closing a view asks the app to tear down first, then removes it', async ({ lab, page }) => {
  await openConnected(lab);
  await lab.call('show_card');
  await viewFrame(page);
  await page.getByTestId('app-close').click();
  await expect(page.getByTestId('app-panel')).toHaveCount(0);
  await expect(page.getByTestId('app-frame')).toHaveCount(0);
  const lane = (await events(page)).filter((e) => e.lane === 'app').map((e) => e.summary);
  expect(lane.some((s) => /Host → app: ui\/resource-teardown/.test(s))).toBe(true);
  expect(lane.some((s) => /View torn down \(closed by the person\); the app acknowledged/.test(s))).toBe(
    true,
  );
});

test('A1: with MCP Apps off the initialize request has no io.modelcontextprotocol/ui capability, no view is fetched or rendered, and an open view is refused', async ({
  lab,
  page,
}) => {
  await openConnected(lab);
  const initializes = async () => (await mcpBodies(page)).filter((b) => b.includes('"method":"initialize"'));
  expect((await initializes()).at(-1)).toContain('io.modelcontextprotocol/ui');
  await lab.call('show_dashboard');
  await viewFrame(page);

  await page.getByTestId('apps-enabled').uncheck();
  await expect(page.getByTestId('connect-panel')).toHaveAttribute('data-state', 'disconnected');
  // The open view stays for inspection, but it can no longer act.
  await view(page).locator('#refresh').click();
  await expect(view(page).locator('#refresh-result')).toHaveAttribute('data-state', 'error', {
    timeout: BUDGET.action,
  });
  await expect(view(page).locator('#refresh-result')).toContainText('(A1)');

  const before = (await mcpBodies(page)).length;
  await lab.connect('dcr', { via: 'auto' });
  const init = (await initializes()).at(-1) ?? '';
  expect(init).toContain('"capabilities"');
  expect(init).not.toContain('io.modelcontextprotocol/ui');
  await lab.call('show_dashboard');
  await expect(page.getByTestId('app-notice')).toHaveAttribute('data-rule-ids', 'A1');
  await expect(page.getByTestId('app-notice')).toContainText('MCP Apps are off');
  await expect(page.getByTestId('app-frame')).toHaveCount(0);
  const after = (await mcpBodies(page)).slice(before);
  expect(after.some((b) => b.includes('"resources/read"'))).toBe(false);
});

test('A6: a read-only replay renders the stored view and every app request is refused, with no request sent', async ({
  lab,
  page,
  browser,
}) => {
  await openConnected(lab);
  await lab.call('show_dashboard', { title: 'Recorded' });
  await viewFrame(page);
  const download = page.waitForEvent('download');
  await page.getByTestId('timeline-export-json').click();
  const file = await (await download).path();

  const fresh = await browser.newContext();
  const viewer = await fresh.newPage();
  await new Lab(viewer).open();
  await viewer.getByTestId('timeline-import').setInputFiles(file);
  await expect(viewer.getByTestId('recording-view')).toHaveAttribute('data-state', 'read-only');
  await expect(viewer.getByTestId('app-read-only')).toBeVisible();
  await viewFrame(viewer);
  const app = view(viewer);
  await expect(app.locator('#tool-result')).toContainText('Dashboard "Recorded"');
  const requests = await viewer.evaluate(() => window.mcpLab?.world.log.length ?? 0);
  await app.locator('#refresh').click();
  await expect(app.locator('#refresh-result')).toHaveAttribute('data-state', 'error', {
    timeout: BUDGET.action,
  });
  await app.locator('#read-note').click();
  await expect(app.locator('#note')).toHaveAttribute('data-state', 'error', { timeout: BUDGET.action });
  await app.locator('#open-docs').click();
  await expect(app.locator('#link-result')).toHaveAttribute('data-state', 'error', {
    timeout: BUDGET.action,
  });
  await expect(viewer.getByTestId('replay-app-lane')).toContainText('tools/call (#');
  await expect(viewer.getByTestId('replay-app-lane')).toContainText('failed');
  expect(await viewer.evaluate(() => window.mcpLab?.world.log.length ?? 0)).toBe(requests);
  // Stepping back before the view was shown removes it.
  await viewer.getByTestId('replay-start').click();
  await expect(viewer.getByTestId('app-panel')).toHaveCount(0);
  await fresh.close();
});

test('SBX5: in the same-origin model the red-team app can read the proxy page (the cost of that model), and nothing else', async ({
  lab,
  page,
}) => {
  await openConnected(lab);
  await page.evaluate(() => localStorage.setItem('mcp-lab-sentinel', 'host secret'));
  await lab.call('show_card');
  await page.getByTestId('sandbox-model').selectOption('same-origin');
  await viewFrame(page, 'same-origin');
  await lab.call('hostile_app');
  await viewFrame(page, 'same-origin');
  const app = view(page);
  await expect(app.locator('#hostile-done')).toHaveAttribute('data-done', 'true', {
    timeout: BUDGET.scenario,
  });
  const allowed = await app
    .locator('[data-outcome="allowed"]')
    .evaluateAll((items) => items.map((i) => i.getAttribute('data-attempt')));
  expect(allowed).toEqual(['parent-dom']);
  await expect(app.locator('[data-attempt="parent-dom"]')).toContainText('MCP Lab sandbox proxy');
  for (const id of [
    'top-dom',
    'top-navigation',
    'local-storage',
    'cookies',
    'hidden-tool',
    'traversal-mixed',
  ])
    await expect(app.locator(`[data-attempt="${id}"]`)).toHaveAttribute('data-outcome', 'blocked');
});

/** The hostile app's attempts (mocks/apps/src/hostile.ts), the rules that stop them, and what else to check. */
const CORPUS: Array<{ id: string; rules: string; outcome: 'blocked' | 'sent' }> = [
  { id: 'parent-dom', rules: 'A5', outcome: 'blocked' },
  { id: 'top-dom', rules: 'A5', outcome: 'blocked' },
  { id: 'top-navigation', rules: 'A5', outcome: 'blocked' },
  { id: 'local-storage', rules: 'A5', outcome: 'blocked' },
  { id: 'indexeddb', rules: 'A5', outcome: 'blocked' },
  { id: 'cookies', rules: 'A5', outcome: 'blocked' },
  { id: 'hidden-tool', rules: 'A3', outcome: 'blocked' },
  { id: 'unknown-tool', rules: 'A3', outcome: 'blocked' },
  { id: 'unadvertised-resource', rules: 'A4', outcome: 'blocked' },
  { id: 'traversal-encoded', rules: 'A4', outcome: 'blocked' },
  { id: 'traversal-double-encoded', rules: 'A4', outcome: 'blocked' },
  { id: 'traversal-mixed', rules: 'A4', outcome: 'blocked' },
  { id: 'javascript-link', rules: 'AH1', outcome: 'blocked' },
  { id: 'file-link', rules: 'AH1', outcome: 'blocked' },
  { id: 'fake-proxy-message', rules: 'SBX3 SBX4', outcome: 'sent' },
  { id: 'fake-host-message', rules: 'SBX4', outcome: 'sent' },
  { id: 'flood', rules: 'SBX6', outcome: 'sent' },
  { id: 'popup', rules: 'A5', outcome: 'blocked' },
  { id: 'csp-script', rules: 'A5', outcome: 'blocked' },
  { id: 'csp-connect', rules: 'A5', outcome: 'blocked' },
];

test.describe('the hostile app', () => {
  test.describe.configure({ mode: 'serial' });
  let page: Page;
  let lab: Lab;
  let hostUrl: string;
  const pagesOpened: string[] = [];

  test.beforeAll(async ({ browser }) => {
    const context = await browser.newContext();
    context.on('page', (p) => pagesOpened.push(p.url()));
    page = await context.newPage();
    lab = new Lab(page);
    await openConnected(lab);
    pagesOpened.length = 0;
    // Host data the app must not read.
    await page.evaluate(() => localStorage.setItem('mcp-lab-sentinel', 'host secret'));
    await context.addCookies([{ name: 'mcp_lab_sentinel', value: 'host-secret', url: page.url() }]);
    hostUrl = page.url();
    await lab.call('hostile_app');
    await viewFrame(page);
    await expect(view(page).locator('#hostile-done')).toHaveAttribute('data-done', 'true', {
      timeout: BUDGET.scenario,
    });
  });
  test.afterAll(async () => {
    await page.context().close();
  });

  for (const attempt of CORPUS)
    test(`${attempt.rules}: hostile attempt "${attempt.id}" fails`, async () => {
      const item = view(page).locator(`[data-attempt="${attempt.id}"]`);
      await expect(item).toHaveAttribute(
        'data-outcome',
        attempt.outcome === 'blocked' ? 'blocked' : /blocked|sent/,
      );
      const text = (await item.textContent()) ?? '';
      const all = await events(page);
      const bodies = all.filter((e) => e.kind === 'http').map((e) => e.body);
      const refusals = all.filter((e) => e.lane === 'app' && e.kind === 'decision').map((e) => e.summary);
      switch (attempt.id) {
        case 'top-navigation':
          expect(page.url()).toBe(hostUrl);
          break;
        case 'local-storage':
        case 'cookies':
          expect(text).not.toContain('host secret');
          expect(text).not.toContain('host-secret');
          break;
        case 'hidden-tool':
          expect(bodies.some((b) => b.includes('summarize_notes'))).toBe(false);
          expect(refusals.some((s) => /tools\/call summarize_notes: .*hidden from apps/.test(s))).toBe(true);
          break;
        case 'unknown-tool':
          expect(bodies.some((b) => b.includes('no_such_tool'))).toBe(false);
          break;
        case 'unadvertised-resource':
        case 'traversal-encoded':
        case 'traversal-double-encoded':
        case 'traversal-mixed':
          expect(bodies.some((b) => b.includes('secrets'))).toBe(false);
          expect(refusals.some((s) => /resources\/read lab:\/\/(secrets|notes)/.test(s))).toBe(true);
          break;
        case 'javascript-link':
        case 'file-link':
        case 'popup':
          expect(pagesOpened).toEqual([]);
          break;
        case 'fake-proxy-message': {
          const proxy = (await viewFrame(page)).parentFrame();
          expect(proxy?.childFrames()).toHaveLength(1);
          for (const f of page.frames()) expect(await f.locator('#pwned').count()).toBe(0);
          break;
        }
        case 'fake-host-message':
          expect(bodies.some((b) => b.includes('forged-direct'))).toBe(false);
          expect(all.some((e) => e.summary.includes('forged-1'))).toBe(false);
          break;
        case 'flood': {
          expect(text).toContain('after-flood');
          const relayed = all.filter((e) => e.lane === 'app' && /App log \(debug, flood\)/.test(e.summary));
          expect(relayed.length).toBeGreaterThan(0);
          expect(relayed.length).toBeLessThan(5000);
          expect(all.some((e) => e.ruleIds.includes('SBX6'))).toBe(true);
          break;
        }
      }
    });

  test('SBX6 A5: after every attempt the host is responsive and counts no success', async () => {
    await expect(view(page).locator('#hostile-done')).toContainText('0 allowed');
    expect(await view(page).locator('[data-outcome="allowed"]').count()).toBe(0);
    expect(await view(page).locator('[data-attempt]').count()).toBe(CORPUS.length);
    await page.getByTestId('tab-tokens').click();
    await expect(page.getByTestId('tab-tokens')).toHaveAttribute('aria-selected', 'true');
    await page.getByTestId('tab-timeline').click();
    expect(await lab.call('echo', { message: 'still here' })).toContain('still here');
    expect(await page.evaluate(() => localStorage.getItem('mcp-lab-sentinel'))).toBe('host secret');
  });
});

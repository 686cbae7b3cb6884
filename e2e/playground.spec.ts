import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';

async function open(page: Page): Promise<Page> {
  await page.goto('/');
  await expect(page.getByTestId('mock-worker')).toHaveAttribute('data-state', 'intercepting');
  return page;
}

/** Filters the timeline by text and returns the rows left. */
async function rowsMatching(page: Page, text: string) {
  await page.getByTestId('tab-timeline').click();
  await page.getByTestId('timeline-search').fill(text);
  return page.getByTestId('timeline-row');
}

async function connectWithPopup(page: Page, serverId: string) {
  await page.getByTestId(`server-${serverId}`).click();
  const popup = page.waitForEvent('popup');
  await page.getByTestId('connect').click();
  const consent = await popup;
  await consent.getByTestId('consent-approve').click();
  await expect(page.getByTestId('connect-panel')).toHaveAttribute('data-state', 'connected');
}

test('UI2: a new user connects to the OAuth + DCR mock through the consent popup, sees tools, calls one, and reads the steps on the timeline', async ({
  page,
}) => {
  await open(page);
  await connectWithPopup(page, 'dcr');
  await expect(page.getByTestId('tool-echo')).toBeVisible();
  await page.getByTestId('tool-pick-echo').click();
  await page.getByTestId('call-args').fill('{"message":"hello lab"}');
  await page.getByTestId('call-run').click();
  await expect(page.getByTestId('call-result')).toContainText('hello lab');
  for (const [text, badge] of [
    ['oauth-protected-resource', ''],
    ['POST /register', ''],
    ['New OAuth flow', 'F14'],
    ['authorization_code', ''],
    ['initialize', ''],
    ['tools/call', ''],
  ] as const) {
    const rows = await rowsMatching(page, text);
    await expect(rows.first(), `a timeline row for ${text}`).toBeVisible();
    if (badge) await expect(rows.first()).toContainText(badge);
  }
  const withBadges = await page.evaluate(
    () => window.mcpLab?.engine.recorder.events.filter((e) => e.ruleIds.length > 0).length ?? 0,
  );
  expect(withBadges).toBeGreaterThan(5);
});

test('UI3: expiring the access token in the Tokens panel leads to a silent refresh; deleting the refresh token and revoking leads to re-authentication', async ({
  page,
}) => {
  await open(page);
  await connectWithPopup(page, 'dcr');
  await page.getByTestId('tool-pick-echo').click();
  await page.getByTestId('tab-tokens').click();
  await page.getByTestId('token-action-expire').first().click();
  await page.getByTestId('call-run').click();
  await expect(page.getByTestId('call-result')).toHaveAttribute('data-state', 'ok');
  const grants = () =>
    page.evaluate(() => window.mcpLab?.world.log.filter((l) => l.endpoint === 'token').map((l) => l.detail));
  expect(await grants()).toEqual(['authorization_code', 'refresh_token']);

  await page.getByTestId('tab-tokens').click();
  await page.getByTestId('token-action-delete-refresh').first().click();
  await page.getByTestId('token-action-revoke').first().click();
  const popup = page.waitForEvent('popup');
  await page.getByTestId('call-run').click();
  await (await popup).getByTestId('consent-approve').click();
  await expect.poll(grants).toEqual(['authorization_code', 'refresh_token', 'authorization_code']);
  await expect(page.getByTestId('call-result')).toHaveAttribute('data-state', 'ok');
});

test('UI4: the Tokens panel shows what IndexedDB holds', async ({ page }) => {
  await open(page);
  await connectWithPopup(page, 'dcr');
  await page.getByTestId('tab-tokens').click();
  const fromIdb = await page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const req = indexedDB.open('mcp-lab-tokens');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const keys = req.result.transaction('kv').objectStore('kv').getAllKeys();
          keys.onsuccess = () => resolve((keys.result as string[]).map(String).sort());
        };
      }),
  );
  expect(fromIdb.length).toBe(3);
  const set = page.getByTestId('token-set');
  await expect(set).toHaveCount(1);
  await expect(set).toHaveAttribute('data-server', 'dcr');
  await expect(set).toHaveAttribute('data-user', 'alice');
  await expect(set.getByTestId('token-access')).toBeVisible();
  await expect(set.getByTestId('token-refresh')).toBeVisible();
  await expect(set.getByTestId('token-client')).toBeVisible();
  expect(fromIdb.every((k) => k.includes('dcr'))).toBe(true);
});

test('UI5: step-through pauses before each request and Continue sends exactly one', async ({ page }) => {
  await open(page);
  await page.getByTestId('auto-approve').check();
  await page.getByTestId('step-through').check();
  await page.getByTestId('server-noauth').click();
  await page.getByTestId('connect').click();
  const requests = () =>
    page.evaluate(() => window.mcpLab?.world.log.filter((l) => l.endpoint === 'mcp').length ?? 0);
  await expect(page.getByTestId('step-banner')).toBeVisible();
  await expect(page.getByTestId('step-explanation')).not.toBeEmpty();
  expect(await requests()).toBe(0);
  await page.getByTestId('step-continue').click();
  await expect.poll(requests).toBe(1);
  await expect(page.getByTestId('step-banner')).toBeVisible();
  expect(await requests()).toBe(1);
  await page.getByTestId('step-run').click();
  await expect(page.getByTestId('connect-panel')).toHaveAttribute('data-state', 'connected');
});

test('UI6: export JSON then import shows the same events; a share link opens read-only in a fresh context', async ({
  page,
  browser,
}) => {
  await open(page);
  await page.getByTestId('auto-approve').check();
  await page.getByTestId('server-noauth').click();
  await page.getByTestId('connect').click();
  await expect(page.getByTestId('connect-panel')).toHaveAttribute('data-state', 'connected');
  const count = await page.evaluate(() => window.mcpLab?.engine.recorder.events.length ?? 0);
  const download = page.waitForEvent('download');
  await page.getByTestId('timeline-export-json').click();
  const file = await (await download).path();
  await page.getByTestId('timeline-import').setInputFiles(file);
  await expect(page.getByTestId('recording-view')).toHaveAttribute('data-state', 'read-only');
  await expect(page.getByTestId('timeline-count')).toContainText(`${count}`);
  await page.getByTestId('recording-close').click();

  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByTestId('timeline-share').click();
  await expect(page.getByTestId('timeline-share')).toHaveAttribute('data-state', /copied|manual/);
  const shown = page.getByTestId('timeline-share-url');
  const link = (await shown.count())
    ? await shown.inputValue()
    : await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toContain('#share=');
  const fresh = await browser.newContext();
  const viewer = await fresh.newPage();
  await viewer.goto(link);
  await expect(viewer.getByTestId('recording-view')).toHaveAttribute('data-state', 'read-only');
  await expect(viewer.getByTestId('timeline-row').first()).toBeVisible();
  await expect(viewer.getByTestId('connect')).toHaveCount(0);
  // Replay step by step.
  await viewer.getByTestId('replay-start').click();
  await expect(viewer.getByTestId('replay-position')).toHaveText(`0 / ${count}`);
  await viewer.getByTestId('replay-step').click();
  await viewer.getByTestId('replay-step').click();
  await expect(viewer.getByTestId('replay-position')).toHaveText(`2 / ${count}`);
  await expect(viewer.getByTestId('timeline-row')).toHaveCount(2);
  await fresh.close();
});

test('UI7: no serious or critical accessibility violations on the main views', async ({ page }) => {
  await open(page);
  await page.getByTestId('auto-approve').check();
  await page.getByTestId('server-dcr').click();
  await page.getByTestId('connect').click();
  await expect(page.getByTestId('connect-panel')).toHaveAttribute('data-state', 'connected');
  // An MCP App view is open throughout: the panel and the sample app's document are checked too.
  await page.getByTestId('tool-pick-show_dashboard').click();
  await page.getByTestId('call-run').click();
  await expect(page.getByTestId('app-view')).toHaveAttribute('data-state', 'initialized');
  for (const tab of ['timeline', 'tokens', 'knobs', 'scenarios']) {
    await page.getByTestId(`tab-${tab}`).click();
    await expect(page.getByTestId(`${tab}-panel`)).toBeVisible(); // the Scenarios panel loads on first open
    const result = await new AxeBuilder({ page }).analyze();
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(
      bad.map(
        (v) =>
          `${tab}: ${v.id} (${v.nodes.length}) ${v.nodes
            .slice(0, 3)
            .map((n) => n.target.join(' '))
            .join(' | ')}`,
      ),
    ).toEqual([]);
  }
});

test('UI8 F20: another user in the same browser gets their own consent and tokens', async ({ page }) => {
  await open(page);
  await connectWithPopup(page, 'dcr');
  await page.getByTestId('identity-user').fill('bob');
  await expect(page.getByTestId('connect-panel')).toHaveAttribute('data-state', 'idle');
  await connectWithPopup(page, 'dcr');
  await page.getByTestId('tab-tokens').click();
  await expect(page.getByTestId('token-set')).toHaveCount(2);
  await expect(page.locator('[data-testid="token-set"][data-user="bob"]')).toHaveCount(1);
  const codes = await page.evaluate(
    () => window.mcpLab?.world.log.filter((l) => l.detail === 'authorization_code').length,
  );
  expect(codes).toBe(2);
});

test('UI9 D8: a private host is refused before any request unless its server allow-lists it; bad input is refused inline', async ({
  page,
}) => {
  await open(page);
  await page.getByTestId('server-add').click();
  await page.getByTestId('server-form-url').fill('file:///etc/passwd');
  await page.getByTestId('server-form-save').click();
  await expect(page.getByTestId('server-form-error-url')).toContainText('cannot be an MCP server');
  await page.getByTestId('server-form-url').fill('http://127.0.0.1:9/mcp');
  await page.getByTestId('server-form-title').fill('Local');
  await page.getByTestId('server-form-save').click();
  await page.getByTestId('connect').click();
  await expect(page.getByTestId('connection-error')).toContainText(/127\.0\.0\.1/);
  const refusals = await page.evaluate(
    () => window.mcpLab?.engine.recorder.events.filter((e) => e.ruleIds.includes('D8')).length ?? 0,
  );
  expect(refusals).toBeGreaterThan(0);
  const sent = await page.evaluate(
    () =>
      window.mcpLab?.engine.recorder.events.filter(
        (e) => e.kind === 'http' && e.http?.request.url.includes('127.0.0.1'),
      ).length ?? 0,
  );
  expect(sent).toBe(0);
});

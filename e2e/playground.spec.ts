import AxeBuilder from '@axe-core/playwright';
import { BUDGET, expect, type Lab, test } from './fixture';

/** Filters the timeline by text and returns the rows left. */
async function rowsMatching(lab: Lab, text: string) {
  await lab.page.getByTestId('tab-timeline').click();
  await lab.page.getByTestId('timeline-search').fill(text);
  return lab.page.getByTestId('timeline-row');
}

test('UI2: a new user connects to the OAuth + DCR mock through the consent popup, sees tools, calls one, and reads the steps on the timeline', async ({
  lab,
  page,
}) => {
  await lab.open();
  expect((await lab.connect('dcr')).consent).toBe('popup');
  expect(lab.popupsOpened()).toBe(1);
  await expect(page.getByTestId('tool-echo')).toBeVisible();
  expect(await lab.call('echo', { message: 'hello lab' })).toContain('hello lab');
  for (const [text, badge] of [
    ['oauth-protected-resource', ''],
    ['POST /register', ''],
    ['New OAuth flow', 'F14'],
    ['authorization_code', ''],
    ['initialize', ''],
    ['tools/call', ''],
  ] as const) {
    const rows = await rowsMatching(lab, text);
    await expect(rows.first(), `a timeline row for ${text}`).toBeVisible();
    if (badge) await expect(rows.first()).toContainText(badge);
  }
  const withBadges = (await lab.timeline()).filter((e) => e.ruleIds.length > 0).length;
  expect(withBadges).toBeGreaterThan(5);
});

test('UI3: expiring the access token in the Tokens panel leads to a silent refresh; deleting the refresh token and revoking leads to re-authentication', async ({
  lab,
}) => {
  await lab.open();
  await lab.connect('dcr');
  await lab.expireToken();
  const refreshed = await lab.tryCall('echo', { message: 'after expiry' });
  expect(refreshed).toMatchObject({ state: 'ok', consent: '' });
  const grants = async () => (await lab.requests({ endpoint: 'token' })).map((l) => l.detail);
  expect(await grants()).toEqual(['authorization_code', 'refresh_token']);
  expect(lab.popupsOpened()).toBe(1);

  await lab.tokenAction('delete-refresh');
  await lab.tokenAction('revoke');
  const reauth = await lab.tryCall('echo', { message: 'after revocation' });
  expect(reauth).toMatchObject({ state: 'ok', consent: 'popup' });
  expect(reauth.text).toContain('after revocation');
  expect(await grants()).toEqual(['authorization_code', 'refresh_token', 'authorization_code']);
  expect(lab.popupsOpened()).toBe(2);
});

test('UI4: the Tokens panel shows what IndexedDB holds', async ({ lab, page }) => {
  await lab.open();
  await lab.connect('dcr');
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

test('UI5: step-through pauses before each request and Continue sends exactly one', async ({ lab, page }) => {
  await lab.open();
  await lab.setAutoApprove(true);
  await page.getByTestId('step-through').check();
  await lab.select('noauth');
  await page.getByTestId('connect').click();
  const requests = async () => (await lab.requests({ endpoint: 'mcp' })).length;
  await expect(page.getByTestId('step-banner')).toBeVisible({ timeout: BUDGET.action });
  await expect(page.getByTestId('step-explanation')).not.toBeEmpty();
  expect(await requests()).toBe(0);
  await page.getByTestId('step-continue').click();
  await expect.poll(requests, { timeout: BUDGET.action }).toBe(1);
  await expect(page.getByTestId('step-banner')).toBeVisible({ timeout: BUDGET.action });
  expect(await requests()).toBe(1);
  await page.getByTestId('step-run').click();
  await expect(page.getByTestId('connect-status')).toHaveAttribute('data-state', 'ok', {
    timeout: BUDGET.action,
  });
  await expect(page.getByTestId('connect-panel')).toHaveAttribute('data-state', 'connected');
});

test('UI6: export JSON then import shows the same events; a share link opens read-only in a fresh context', async ({
  lab,
  page,
  browser,
}) => {
  await lab.open();
  expect((await lab.connect('noauth')).consent).toBe('none');
  const count = (await lab.timeline()).length;
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

test('UI7: no serious or critical accessibility violations on the main views', async ({ lab, page }) => {
  await lab.open();
  await lab.connect('dcr', { via: 'auto' });
  // An MCP App view is open throughout: the panel and the sample app's document are checked too.
  await lab.call('show_dashboard');
  await expect(page.getByTestId('app-view')).toHaveAttribute('data-state', 'initialized', {
    timeout: BUDGET.action,
  });
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

test('UI8 F20: another user in the same browser gets their own consent and tokens', async ({ lab, page }) => {
  await lab.open();
  await lab.connect('dcr');
  await page.getByTestId('identity-user').fill('bob');
  await expect(page.getByTestId('connect-panel')).toHaveAttribute('data-state', 'idle');
  expect((await lab.connect('dcr')).consent).toBe('popup');
  await page.getByTestId('tab-tokens').click();
  await expect(page.getByTestId('token-set')).toHaveCount(2, { timeout: BUDGET.action });
  await expect(page.locator('[data-testid="token-set"][data-user="bob"]')).toHaveCount(1);
  expect(await lab.requests({ detail: 'authorization_code' })).toHaveLength(2);
});

test('UI9 D8: a private host is refused before any request unless its server allow-lists it; bad input is refused inline', async ({
  lab,
  page,
}) => {
  await lab.open();
  await expect(lab.addServer({ id: 'bad', url: 'file:///etc/passwd' })).rejects.toThrow(
    'cannot be an MCP server',
  );
  await expect(page.getByTestId('server-form-error-url')).toContainText('cannot be an MCP server');
  await page.getByTestId('server-form-url').fill('http://127.0.0.1:9/mcp');
  await page.getByTestId('server-form-id').fill('local');
  await page.getByTestId('server-form-title').fill('Local');
  await page.getByTestId('server-form-save').click();
  const refused = await lab.tryConnect('local');
  expect(refused.state).toBe('error');
  expect(refused.text).toMatch(/127\.0\.0\.1/);
  expect((await lab.timeline()).filter((e) => e.ruleIds.includes('D8')).length).toBeGreaterThan(0);
  expect(await lab.http({ url: '127.0.0.1' })).toHaveLength(0);
});

test('QA3: the fixture adds a server with the id it chooses, and lab.connect says when no consent was needed', async ({
  lab,
  page,
}) => {
  await lab.open();
  const url = await page.evaluate(() => window.mcpLab?.world.servers.find((s) => s.id === 'noauth')?.mcpUrl);
  await lab.addServer({ id: 'my-noauth', url: url ?? '', title: 'Mine', headers: { 'X-Team': 'qa' } });
  await expect(page.getByTestId('server-my-noauth')).toBeVisible();
  const outcome = await lab.connect('my-noauth');
  expect(outcome).toMatchObject({ state: 'ok', consent: 'none' });
  expect(outcome.id).toMatch(/^connect-\d+$/);
  expect(lab.popupsOpened()).toBe(0);
  const init = await lab.http({ label: 'initialize', url: url ?? '' });
  expect(init.length).toBeGreaterThan(0);
  expect(init[0]?.http?.request.headers['x-team']).toBe('qa');
});

test('QA4: a tool result with isError is an error: the call area says so and lab.call throws with the reason', async ({
  lab,
  page,
}) => {
  await lab.open();
  await lab.connect('noauth');
  // echo without a message answers with an input error: a result with isError: true.
  const failed = await lab.tryCall('echo', {});
  expect(failed.state).toBe('error');
  expect(failed.text).toContain('"isError": true');
  await expect(page.getByTestId('call-result')).toHaveAttribute('data-state', 'error');
  await expect(page.getByTestId('call-result')).toContainText('echo failed');
  await expect(lab.call('echo', {})).rejects.toThrow(/echo failed: .*Send the text to echo/s);
  // Each call has its own id; the next one starts pending and ends on its own result.
  const ok = await lab.tryCall('echo', { message: 'next' });
  expect(ok.id).not.toBe(failed.id);
  expect(ok).toMatchObject({ state: 'ok' });
  expect(ok.text).toContain('next');
});

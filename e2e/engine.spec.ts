import type { Page } from '@playwright/test';
import { expect, Lab, test } from './fixture';

async function open(page: Page): Promise<Page> {
  await new Lab(page).open();
  // These tests drive the engine directly: consent at the mocks is approved without the popup.
  await page.evaluate(() => window.mcpLab?.lab.setAutoApprove(true));
  return page;
}

const tokenRequests = (leader: Page) =>
  leader.evaluate(() =>
    window.mcpLab?.world.log.filter((l) => l.endpoint === 'token').map((l) => `${l.detail}:${l.status}`),
  );

test('T8 T7 F18: in Chromium on IndexedDB, a second tab reuses stored tokens and two tabs refresh once', async ({
  context,
}) => {
  const a = await open(await context.newPage());
  const b = await open(await context.newPage());
  expect(await a.evaluate(() => window.mcpLab?.isLeader())).toBe(true);
  expect(await b.evaluate(() => window.mcpLab?.isLeader())).toBe(false);

  await a.evaluate(() => window.mcpLab?.connect('dcr'));
  expect(await tokenRequests(a)).toEqual(['authorization_code:200']);

  // F18: the second tab finds the grant in IndexedDB; no OAuth request at all.
  await b.evaluate(() => window.mcpLab?.connect('dcr'));
  expect(await tokenRequests(a)).toEqual(['authorization_code:200']);
  expect(await b.evaluate(() => window.mcpLab?.call('dcr', 'whoami'))).toMatchObject({
    structuredContent: { subject: 'alice' },
  });

  // T7: IndexedDB holds ciphertext, never the token.
  const access = await a.evaluate(
    () =>
      [...(window.mcpLab?.world.authServer('dcr')?.state.tokens.values() ?? [])].find(
        (t) => t.kind === 'access',
      )?.token,
  );
  const raw = await b.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const req = indexedDB.open('mcp-lab-tokens');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const all = req.result.transaction('kv').objectStore('kv').getAll();
          all.onsuccess = () => resolve(JSON.stringify(all.result));
        };
      }),
  );
  expect(access).toBeTruthy();
  expect(raw.length).toBeGreaterThan(100);
  expect(raw).not.toContain(access ?? '');

  // T8: the token expires at the AS; both tabs meet a 401 at once, and the refresh token is redeemed once.
  await a.evaluate(() => window.mcpLab?.world.advanceClock(2 * 3600_000));
  const [ra, rb] = await Promise.all([
    a.evaluate(() => window.mcpLab?.call('dcr', 'echo', { message: 'from a' })),
    b.evaluate(() => window.mcpLab?.call('dcr', 'echo', { message: 'from b' })),
  ]);
  expect(ra).toMatchObject({ content: [{ text: 'from a' }] });
  expect(rb).toMatchObject({ content: [{ text: 'from b' }] });
  expect(await tokenRequests(a)).toEqual(['authorization_code:200', 'refresh_token:200']);
  // Both tabs did meet the 401: one redeemed, the other found the fresh grant under the lock.
  const calls = await a.evaluate(() =>
    window.mcpLab?.world.log.filter((l) => l.detail === 'tools/call').map((l) => l.status),
  );
  expect(calls?.filter((s) => s === 401)).toHaveLength(2);
});

test('O7: the popup authorizer gets code, state and iss back from the callback page over BroadcastChannel', async ({
  page,
}) => {
  await open(page);
  // An "authorization server" that redirects straight back: the popup lands on the callback page.
  const callback = await page.evaluate(() =>
    window.mcpLab?.authorizeInPopup(
      `${location.origin}/oauth-callback.html?code=code-123&state=state-abc&iss=https%3A%2F%2Fas.example`,
    ),
  );
  expect(callback).toEqual({ code: 'code-123', state: 'state-abc', iss: 'https://as.example' });
  // The popup closed itself after handing the result over.
  await expect.poll(() => page.context().pages().length).toBe(1);
});

import { expect, type Page, test } from '@playwright/test';

// REAL-UI1: the playground against the reference stack (oidc-provider + the SDK server), through
// its real login and consent pages. Access tokens live 4 s (playwright.config.ts).

async function signInAndConsent(popup: Page) {
  const username = popup.getByTestId('as-username');
  if (await username.isVisible({ timeout: 3000 }).catch(() => false)) {
    await username.fill('alice');
    await popup.getByTestId('as-password').fill('wonderland');
    await popup.getByTestId('as-login-submit').click();
  }
  await popup.getByTestId('as-approve').click();
}

/** Opens the playground and connects to the reference server through its login and consent popup. */
async function connectReference(page: Page) {
  await page.goto('/');
  await expect(page.getByTestId('mock-worker')).toHaveAttribute('data-state', 'intercepting');
  await page.getByTestId('server-reference').click();
  const popup = page.waitForEvent('popup');
  await page.getByTestId('connect').click();
  await signInAndConsent(await popup);
  await expect(page.getByTestId('connect-panel')).toHaveAttribute('data-state', 'connected');
}

test('REAL-UI1: real login and consent in the popup, a tool call, a silent refresh after expiry, a step-up with the union of scopes, and re-authentication after revocation', async ({
  page,
}) => {
  let popups = 0;
  page.on('popup', () => {
    popups++;
  });
  await connectReference(page);
  await page.getByTestId('tool-pick-echo').click();
  await page.getByTestId('call-args').fill('{"message":"real"}');
  await page.getByTestId('call-run').click();
  await expect(page.getByTestId('call-result')).toContainText('real');

  // The access token expires (4 s): the next call refreshes through real rotation, without a popup.
  await page.waitForTimeout(5000);
  await page.getByTestId('call-args').fill('{"message":"after expiry"}');
  await page.getByTestId('call-run').click();
  await expect(page.getByTestId('call-result')).toContainText('after expiry');
  const refreshes = await page.evaluate(
    () =>
      window.mcpLab?.engine.recorder.events.filter(
        (e) =>
          e.kind === 'http' && e.http?.label === 'token: refresh_token' && e.http.response?.status === 200,
      ).length ?? 0,
  );
  expect(refreshes).toBeGreaterThanOrEqual(1);
  expect(popups).toBe(1);

  // write_note needs notes:write: 403 → consent again, asking for the union of scopes.
  await page.getByTestId('tool-pick-write_note').click();
  await page.getByTestId('call-args').fill('{"id":"n1","text":"hello"}');
  const second = page.waitForEvent('popup');
  await page.getByTestId('call-run').click();
  const consent = await second;
  await expect(consent.getByTestId('as-scope-notes:write')).toBeVisible();
  await signInAndConsent(consent);
  await expect(page.getByTestId('call-result')).toContainText('Saved note n1');

  // Revoke at the AS (RFC 7009): the next call is refused, the refresh is refused, and the person is asked again.
  await page.getByTestId('tab-tokens').click();
  await page.getByTestId('token-action-revoke').first().click();
  await expect
    .poll(() =>
      page.evaluate(
        () =>
          window.mcpLab?.engine.recorder.events.filter(
            (e) => e.http?.label === 'revocation' && e.http.response?.status === 200,
          ).length ?? 0,
      ),
    )
    .toBeGreaterThan(0);
  await page.getByTestId('tool-pick-echo').click();
  await page.getByTestId('call-args').fill('{"message":"after revocation"}');
  const third = page.waitForEvent('popup');
  await page.getByTestId('call-run').click();
  await signInAndConsent(await third);
  await expect(page.getByTestId('call-result')).toContainText('after revocation');
});

test('REAL-UI2 A2 A5: the reference server serves the card app; it renders in the sandbox with the real result', async ({
  page,
}) => {
  await connectReference(page);
  await page.getByTestId('tool-pick-show_card').click();
  await page.getByTestId('call-args').fill('{"title":"From the real server"}');
  await page.getByTestId('call-run').click();
  await expect(page.getByTestId('app-view')).toHaveAttribute('data-state', 'initialized');
  const app = page.getByTestId('app-frame').contentFrame().locator('iframe').contentFrame();
  await expect(app.locator('#tool-result')).toContainText('From the real server');
  await expect(app.locator('#app-origin')).toHaveText('null');
  await expect(page.getByTestId('app-panel')).toContainText('ui://reference/card.html');
});

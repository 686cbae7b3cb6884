import { REFERENCE_TOKEN_TTL_S } from './budget';
import { BUDGET, expect, type Lab, test } from './fixture';

// REAL-UI1: the playground against the reference stack (oidc-provider + the SDK server), through
// its real login and consent pages. Access tokens live REFERENCE_TOKEN_TTL_S (e2e/budget.ts).

/** Opens the playground and connects to the reference server through its login and consent popup. */
async function connectReference(lab: Lab) {
  await lab.open();
  expect((await lab.connect('reference')).consent).toBe('popup');
}

test('REAL-UI1: real login and consent in the popup, a tool call, a silent refresh after expiry, a step-up with the union of scopes, and re-authentication after revocation', async ({
  lab,
  page,
}) => {
  await connectReference(lab);
  expect(await lab.call('echo', { message: 'real' })).toContain('real');

  // The access token expires: the next call refreshes through real rotation, without a popup.
  await page.waitForTimeout((REFERENCE_TOKEN_TTL_S + 1) * 1000);
  expect(await lab.call('echo', { message: 'after expiry' })).toContain('after expiry');
  expect((await lab.http({ label: 'token: refresh_token', status: 200 })).length).toBeGreaterThanOrEqual(1);
  expect(lab.popupsOpened()).toBe(1);

  // write_note needs notes:write: 403 → consent again, asking for the union of scopes.
  const stepUp = await lab.tryCall(
    'write_note',
    { id: 'n1', text: 'hello' },
    { inspect: (consent) => expect(consent.getByTestId('as-scope-notes:write')).toBeVisible() },
  );
  expect(stepUp).toMatchObject({ state: 'ok', consent: 'popup' });
  expect(stepUp.text).toContain('Saved note n1');
  expect(lab.popupsOpened()).toBe(2);

  // Revoke at the AS (RFC 7009): the next call is refused, the refresh is refused, and the person is asked again.
  await lab.tokenAction('revoke', 'reference');
  // RFC 7009: the refresh token and the access token are revoked, one request each.
  expect((await lab.http({ label: 'revocation', status: 200 })).length).toBeGreaterThan(0);
  const again = await lab.tryCall('echo', { message: 'after revocation' });
  expect(again).toMatchObject({ state: 'ok', consent: 'popup' });
  expect(again.text).toContain('after revocation');
  expect(lab.popupsOpened()).toBe(3);
});

test('REAL-UI2 A2 A5: the reference server serves the card app; it renders in the sandbox with the real result', async ({
  lab,
  page,
}) => {
  await connectReference(lab);
  await lab.call('show_card', { title: 'From the real server' });
  await expect(page.getByTestId('app-view')).toHaveAttribute('data-state', 'initialized', {
    timeout: BUDGET.action,
  });
  const app = page.getByTestId('app-frame').contentFrame().locator('iframe').contentFrame();
  await expect(app.locator('#tool-result')).toContainText('From the real server');
  await expect(app.locator('#app-origin')).toHaveText('null');
  await expect(page.getByTestId('app-panel')).toContainText('ui://reference/card.html');
});

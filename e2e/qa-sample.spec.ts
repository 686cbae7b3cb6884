/**
 * A sample of how a QA team tests its own server with the fixture, here the reference real server
 * (oidc-provider + the SDK server) that npm start runs. Point `server-reference` at yours by
 * building with VITE_LAB_REFERENCE_URL, or add it with `lab.addServer({ id, url })`.
 */
import { expect, test } from './fixture';

test('QA1: our server: first connect through real login and consent, a tool call, the OAuth steps on the timeline', async ({
  lab,
}) => {
  await lab.open();
  const connected = await lab.connect('reference', { username: 'alice', password: 'wonderland' });
  expect(connected.consent).toBe('popup');
  expect(await lab.call('add', { a: 20, b: 22 })).toContain('42');
  const labels = (await lab.http()).map((e) => e.http?.label ?? '');
  for (const step of [
    'PRM',
    'AS metadata',
    'register',
    'token: authorization_code',
    'initialize',
    'tools/call add',
  ])
    expect(labels).toContain(step);
  expect(await lab.ruleIdsSeen()).toEqual(expect.arrayContaining(['O1', 'O5', 'F14', 'F16']));
});

test('QA2: the fixture against a mock: expire the token, the next call refreshes silently', async ({
  lab,
}) => {
  await lab.open();
  await lab.connect('dcr');
  expect(await lab.call('echo', { message: 'first' })).toContain('first');
  await lab.expireToken();
  expect(await lab.call('echo', { message: 'still here' })).toContain('still here');
  await lab.expectRequests({ endpoint: 'token', detail: 'refresh_token', status: 200 }, 1);
  expect(lab.popupsOpened()).toBe(1);
});

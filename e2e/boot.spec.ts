import { expect, test } from './fixture';

test('UI1: the app boots, the MSW worker is active, and the mock servers are listed', async ({
  lab,
  page,
}) => {
  await lab.open();
  const controlled = await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.getRegistration();
    return reg?.active?.scriptURL ?? null;
  });
  expect(controlled).toMatch(/\/mockServiceWorker\.js$/);
  for (const id of ['noauth', 'dcr', 'prereg', 'cimd', 'apikey', 'legacy'])
    await expect(page.getByTestId(`server-${id}`)).toBeVisible();
  await expect(page.getByTestId('server-dcr')).toContainText('https://dcr.mock.test/mcp');
  await expect(page.getByTestId('mock-request-count')).toHaveText(/[1-9]/);
});

test('DISC-1: a fetch from the page to a mock MCP server returns a 401 whose WWW-Authenticate the page can read', async ({
  lab,
  page,
}) => {
  await lab.open();
  const result = await page.evaluate(async () => {
    const res = await fetch('https://dcr.mock.test/mcp', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    return { status: res.status, challenge: res.headers.get('www-authenticate') };
  });
  expect(result.status).toBe(401);
  expect(result.challenge).toContain(
    'resource_metadata="https://dcr.mock.test/.well-known/oauth-protected-resource/mcp"',
  );
});

test('M12: the mock OAuth flow runs in the page: DCR, decision API, PKCE exchange, then a protected call', async ({
  lab,
  page,
}) => {
  await lab.open();
  const outcome = await page.evaluate(async () => {
    const b64 = (bytes: ArrayBuffer) =>
      btoa(String.fromCharCode(...new Uint8Array(bytes)))
        .replace(/\+/g, '-')
        .replace(/\//g, '_')
        .replace(/=+$/, '');
    const as = 'https://auth.dcr.mock.test';
    const redirect = `${location.origin}/oauth/callback`;
    const reg = await (
      await fetch(`${as}/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          redirect_uris: [redirect],
          token_endpoint_auth_method: 'none',
          grant_types: ['authorization_code', 'refresh_token'],
        }),
      })
    ).json();
    const verifier = b64(crypto.getRandomValues(new Uint8Array(32)).buffer);
    const challenge = b64(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
    const authz = new URL(`${as}/authorize`);
    for (const [k, v] of Object.entries({
      response_type: 'code',
      client_id: reg.client_id,
      redirect_uri: redirect,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 's1',
      resource: 'https://dcr.mock.test/mcp',
    }))
      authz.searchParams.set(k, v);
    const decision = await (
      await fetch(`${as}/mock/decision`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ authorizationUrl: authz.href, decision: 'approve' }),
      })
    ).json();
    const code = new URL(decision.redirectTo).searchParams.get('code') ?? '';
    const tokens = await (
      await fetch(`${as}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          code_verifier: verifier,
          redirect_uri: redirect,
          client_id: reg.client_id,
          resource: 'https://dcr.mock.test/mcp',
        }),
      })
    ).json();
    const init = await fetch('https://dcr.mock.test/mcp', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${tokens.access_token}`,
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-11-25',
          capabilities: {},
          clientInfo: { name: 'page', version: '1' },
        },
      }),
    });
    return {
      status: init.status,
      session: init.headers.get('mcp-session-id'),
      type: init.headers.get('content-type'),
      iss: new URL(decision.redirectTo).searchParams.get('iss'),
    };
  });
  expect(outcome).toMatchObject({
    status: 200,
    type: 'text/event-stream',
    iss: 'https://auth.dcr.mock.test',
  });
  expect(outcome.session).toMatch(/^sess_/);
});

test('M13: the page reaches the mocks in the page by default and through the service worker when switched; both connect', async ({
  lab,
  page,
}) => {
  await lab.open();
  // Requests that went through the service worker show in the page's resource timing; in-page ones never touch the network stack.
  const viaNetwork = () =>
    page.evaluate(
      () =>
        performance.getEntriesByType('resource').filter((e) => e.name.startsWith('https://noauth.mock.test/'))
          .length,
    );
  expect((await lab.connect('noauth')).state).toBe('ok');
  expect(await viaNetwork()).toBe(0);
  await page.getByTestId('disconnect').click();
  await expect(page.getByTestId('connect-panel')).toHaveAttribute('data-state', 'disconnected');
  await page.getByTestId('mock-via-worker').check();
  expect((await lab.connect('noauth')).state).toBe('ok');
  expect(await viaNetwork()).toBeGreaterThan(0);
  await lab.expectRequests({ serverId: 'noauth', detail: 'initialize' }, 2);
});

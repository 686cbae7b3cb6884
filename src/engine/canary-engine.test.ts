import { afterAll, expect, it } from 'vitest';
import { startMockServer } from '../../mocks/node';
import type { AdjustableClock } from '../../mocks/world';
import { NodeSecretBox } from '../cli/node-secret-box';
import { mockConsentAuthorizer } from './connection/authorizers';
import { createEngine } from './engine';
import { serializeHar, toHar } from './timeline/export-har';
import { serializeRecording, toRecording } from './timeline/export-json';
import { toMermaid } from './timeline/export-mermaid';
import { toText } from './timeline/export-text';

const mocks = startMockServer();
afterAll(() => mocks.close());

it('T7: exports of a full engine run (connect, consent, exchange, refresh, calls) hold no token, code or secret', async () => {
  const world = mocks.world;
  world.setKnobs('prereg', { accessTokenTtlSec: 60 });
  const engine = createEngine({
    redirectUri: 'http://localhost:5173/oauth/callback',
    secretBox: new NodeSecretBox(),
  });
  const robot = mockConsentAuthorizer((i, init) => fetch(i, init), { decision: 'approve' });
  const server = {
    name: 'prereg',
    url: 'https://prereg.mock.test/mcp',
    oauth: {
      clientId: 'mcp-lab-post',
      clientSecret: 'lab-post-secret',
      tokenEndpointAuthMethod: 'client_secret_post' as const,
    },
  };
  const conn = await engine.connect(
    server,
    { tenant: 't', user: { id: 'u' } },
    {
      oauthStart: async (url) => void (await engine.completeAuthorization(await robot(url))),
    },
  );
  await conn.callTool('echo', { message: 'one' });
  (world.clock as AdjustableClock).advance(61_000);
  await conn.callTool('echo', { message: 'two' });
  await conn.close();

  const as = world.authServer('prereg');
  const secrets = [
    ...[...(as?.state.tokens.keys() ?? [])],
    ...[...(as?.state.codes.keys() ?? [])],
    'lab-post-secret',
  ];
  expect(secrets.length).toBeGreaterThanOrEqual(5); // 2 access, 2 refresh, 1 code, the client secret
  const events = engine.recorder.events;
  const exports = {
    json: serializeRecording(toRecording(events, 'canary')),
    har: serializeHar(toHar(events)),
    mermaid: toMermaid(events),
    text: toText(events),
  };
  for (const [name, text] of Object.entries(exports)) {
    for (const secret of secrets)
      expect(text.includes(secret), `${name} leaks ${secret.slice(0, 8)}…`).toBe(false);
  }
  // Not vacuous: the exchanges themselves are there.
  expect(exports.har).toContain('https://idp.mock.test/tenants/prereg/token');
  expect(exports.text).toMatch(/POST \/tenants\/prereg\/token → 200 \(token: refresh_token\)/);
});

import { afterAll, beforeEach, expect, it } from 'vitest';
import { startMockServer } from '../../mocks/node';
import { NodeSecretBox } from '../cli/node-secret-box';
import { mockConsentAuthorizer } from './connection/authorizers';
import { createEngine } from './engine';
import type { LabError } from './errors';
import { StepGate } from './net/step-gate';
import { UrlPolicy } from './net/url-policy';

const mocks = startMockServer();
afterAll(() => mocks.close());
beforeEach(() => mocks.world.reset());

const alice = { tenant: 't', user: { id: 'alice' } };
const base = { redirectUri: 'http://localhost:5173/oauth/callback', secretBox: new NodeSecretBox() };

it('D8: with SSRF protection the engine refuses a private server before any request, and says so on the timeline', async () => {
  const engine = createEngine({
    ...base,
    policy: new UrlPolicy({ ssrfProtection: true }),
    timings: { connectAttempts: 1 },
  });
  const e = (await engine
    .connect({ name: 'lan', url: 'http://192.168.1.20:8080/mcp' }, alice)
    .catch((x: unknown) => x)) as LabError;
  expect(e).toBeInstanceOf(Error);
  expect(JSON.stringify(e)).not.toContain('fetch failed');
  const refusal = engine.recorder.events.find((ev) => ev.ruleIds.includes('D8'));
  expect(refusal).toMatchObject({ kind: 'decision', level: 'warn' });
  expect(engine.recorder.events.some((ev) => ev.kind === 'http')).toBe(false);
  // Allow-listed, the same policy lets a mock through.
  const allowed = createEngine({
    ...base,
    policy: new UrlPolicy({ ssrfProtection: true, allowList: ['noauth.mock.test'] }),
  });
  const conn = await allowed.connect({ name: 'open', url: 'https://noauth.mock.test/mcp' }, alice);
  await conn.close();
});

it('GATE6: with the step gate on, every outgoing request of a connect waits for Continue', async () => {
  const gate = new StepGate({ enabled: true });
  const engine = createEngine({ ...base, gate });
  let connected = false;
  const pending = engine.connect({ name: 'open', url: 'https://noauth.mock.test/mcp' }, alice).then((c) => {
    connected = true;
    return c;
  });
  const released: string[] = [];
  while (!connected) {
    await new Promise((r) => setTimeout(r, 5));
    const step = gate.continue();
    if (step) released.push(`${step.method} ${step.label ?? step.url}`);
  }
  expect(released[0]).toMatch(/^POST .*initialize/);
  expect(mocks.world.log).toHaveLength(released.length);
  expect(engine.recorder.events.filter((e) => e.kind === 'gate').length).toBeGreaterThanOrEqual(
    released.length,
  );
  await (await pending).close();
});

it('O10: engine.revoke revokes the stored grant at the AS with the client authentication of the registration (RFC 7009)', async () => {
  const engine = createEngine({
    ...base,
    oauthStart: async (url) =>
      void (await engine.completeAuthorization(await mockConsentAuthorizer(fetch)(url))),
  });
  const server = {
    name: 'prereg',
    url: 'https://prereg.mock.test/mcp',
    oauth: {
      clientId: 'mcp-lab-basic',
      clientSecret: 'lab-basic-secret',
      tokenEndpointAuthMethod: 'client_secret_basic' as const,
    },
  };
  const conn = await engine.connect(server, alice, {});
  const key = { tenant: 't', user: 'alice', server: 'prereg' };
  expect(await engine.revoke(key)).toBe(true);
  const revokes = engine.recorder.events.filter((e) => e.kind === 'http' && e.http?.label === 'revocation');
  expect(revokes.map((e) => e.http?.response?.status)).toEqual([200, 200]);
  expect(revokes.every((e) => e.http?.request.headers.authorization?.startsWith('Basic '))).toBe(true);
  const grant = [...(mocks.world.authServer('prereg')?.state.grants.values() ?? [])][0];
  expect(grant?.revoked).toBe(true);
  // The client keeps its copies: the next call meets the consequence (401, refused refresh, consent).
  expect((await engine.tokenStore.list())[0]?.refresh).toBeDefined();
  await conn.close();
});

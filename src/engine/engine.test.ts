import { afterAll, beforeEach, expect, it } from 'vitest';
import { startMockServer } from '../../mocks/node';
import { NodeSecretBox } from '../cli/node-secret-box';
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

import { afterAll, describe, expect, it } from 'vitest';
import { startMockServer } from '../../mocks/node';
import { AdjustableClock } from '../../mocks/world';
import { NodeSecretBox } from '../cli/node-secret-box';
import { runInPage, scenarioHooks } from './browser';
import { ScenarioClock } from './clock';

// The page host, tried in Node: MSW answers this process's fetches from `world`, as the service
// worker answers the page's. Node 20's WebCrypto AES is unsafe here, so secrets go through node:crypto.
const mocks = startMockServer();
const world = mocks.world;
afterAll(() => mocks.close());
const options = { storage: 'memory', isLeader: () => true, secretBox: () => new NodeSecretBox() } as const;

describe('the browser host of the scenarios', () => {
  it('F11: runs a scaled-clock scenario on the page world, then gives the world its clock and default knobs back', async () => {
    const own = world.clock;
    expect(own).toBeInstanceOf(AdjustableClock);
    let during: unknown;
    const unsubscribe = world.subscribe(() => {
      during ??= world.clock;
    });
    const r = await runInPage('slow-token-timeout-fallback', world, options);
    unsubscribe();
    expect(r.failures).toEqual([]);
    expect(r.passed).toBe(true);
    expect(during).toBeInstanceOf(ScenarioClock);
    expect(world.clock).toBe(own);
    expect(world.knobs('dcr').tokenLatencyMs).toBe(0);
    // The result carries the recorder's events, not only their text.
    expect(r.events.length).toBeGreaterThan(10);
    expect(r.events.some((e) => e.ruleIds.includes('F11'))).toBe(true);
    expect(r.timeline.split('\n')).toHaveLength(r.events.length);
  });

  it('F11: runs started at once take turns on the shared world, and each passes', async () => {
    const [a, b] = await Promise.all([
      runInPage('concurrent-401-one-refresh', world, options),
      runInPage('dcr-first-oauth', world, options),
    ]);
    expect([a.failures, b.failures]).toEqual([[], []]);
  });

  it('a tab that does not host the mock world does not run, and says why', async () => {
    world.reset();
    const r = await runInPage('noauth-connect', world, { ...options, isLeader: () => false });
    expect(r.passed).toBe(false);
    expect(r.failures[0]).toMatch(/does not host the mock world/);
    expect(world.log).toHaveLength(0);
  });

  it('window.mcpLabScenarios lists the catalogue and returns results without events; unknown ids throw', async () => {
    const hooks = scenarioHooks(world, () => true);
    expect(hooks.list().map((s) => s.id)).toContain('two-tabs-refresh-once');
    await expect(hooks.run('no-such-scenario')).rejects.toThrow(/No scenario "no-such-scenario"/);
    const r = await hooks.run('noauth-connect', { storage: 'memory', secretBox: () => new NodeSecretBox() });
    expect(r.passed).toBe(true);
    expect('events' in r).toBe(false);
  });
});

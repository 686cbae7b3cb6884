import { afterAll, describe, expect, it } from 'vitest';
import { scenarioById } from './index';
import { closeNodeScenarioEnvironment, nodeScenarioEnvironment } from './node';
import { runScenario } from './runner';
import type { Scenario } from './types';

const env = nodeScenarioEnvironment();
afterAll(() => closeNodeScenarioEnvironment());

function scenario(id: string): Scenario {
  const s = scenarioById(id);
  if (!s) throw new Error(`no scenario ${id}`);
  return structuredClone(s);
}

/** The same scenario with a change to its world (a knob flipped, a rule switched off). */
function variant(id: string, change: (s: Scenario) => void): Scenario {
  const s = scenario(id);
  change(s);
  return s;
}

describe('the runner judges, it does not just replay', () => {
  it('F10: a wrong expectation fails the scenario with a sentence that says what was expected and seen', async () => {
    const s = variant('silent-refresh-on-401', (x) => {
      x.expect.after = { expired: { requests: { 'token:refresh_token': 0 }, consent: { asked: 2 } } };
    });
    const r = await runScenario(s, env);
    expect(r.passed).toBe(false);
    expect(r.failures).toEqual([
      'After "expired": expected exactly 0 request(s) matching "token:refresh_token", but the mocks answered 1 (dcr/token:refresh_token@200).',
      'After "expired": expected a person to be asked exactly 2 time(s), but it was 0 times.',
    ]);
    expect(r.timeline).toMatch(/Silent refresh succeeded.*\[F12\]/);
  });

  it('F16: a step that fails unexpectedly, a missing rule and a wrong final state are each reported', async () => {
    const r = await runScenario(
      {
        id: 'self-test',
        title: 'self test',
        teaching: '',
        ruleIds: ['F16'],
        world: {},
        steps: [{ do: 'connect', server: 'dcr', consent: 'deny' }],
        expect: { ruleIds: ['SCP-5'], connections: [{ server: 'dcr', state: 'connected' }] },
      },
      env,
    );
    expect(r.passed).toBe(false);
    expect(r.failures[0]).toMatch(/^step 1 \(connect on dcr\) failed: .*access_denied/);
    expect(r.failures).toContain('Whole run: expected rule SCP-5 on the timeline; it never appeared.');
    expect(r.failures).toContain('Expected dcr (tab 1, lab/alice) to end connected, but it is error.');
  });

  it('O7: requests out of order are named, with what the mocks saw', async () => {
    const s = variant('dcr-first-oauth', (x) => {
      x.expect.order = ['token:authorization_code', 'register'];
    });
    const r = await runScenario(s, env);
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]).toMatch(/"register" never came after "token:authorization_code"/);
  });

  it('F7: a scenario that cannot finish in time fails with where it was stuck', async () => {
    const r = await runScenario(
      {
        id: 'stuck',
        title: 'stuck',
        teaching: '',
        ruleIds: ['F7'],
        world: {},
        // Nobody answers the consent page of a blocking connect: it would wait 10 minutes.
        steps: [{ do: 'connect', server: 'dcr', consent: 'none' }],
        expect: {},
      },
      env,
      { timeoutMs: 300 },
    );
    expect(r.failures[0]).toBe('The scenario did not finish within 0.3 s: it was stuck at step 1 (connect).');
  });
});

describe('each scenario fails when its rule is broken or its knob flipped', () => {
  it.each<[string, string, (s: Scenario) => void, RegExp]>([
    [
      'T8',
      'two-tabs-refresh-once',
      (s) => {
        s.world.tabsShareLocks = false;
      },
      // Without the shared lock the second tab replays the rotated-out refresh token: reuse detection revokes the grant.
      /dcr\/token:refresh_token@400/,
    ],
    [
      'A1',
      'apps-disabled',
      (s) => {
        s.world.servers = {};
      },
      /not to advertise io\.modelcontextprotocol\/ui in every session/,
    ],
    [
      'SCP-4',
      'step-up-scope-union',
      (s) => {
        s.world.servers = { dcr: { config: { oauth: { revision: '2025-06-18' } } } };
      },
      /expected the last authorization request to ask for scope "mcp:resources mcp:tools notes:write", but it asked for "notes:write"/,
    ],
    [
      'O4',
      'no-s256-refused',
      (s) => {
        s.world.knobs = {};
      },
      /step 1 \(connect on dcr\) was expected to fail, but 1 of 1 operation\(s\) succeeded/,
    ],
    [
      'T5',
      'refresh-5xx-keeps-grant',
      (s) => {
        const knob = s.steps.find((x) => x.do === 'knob');
        if (knob?.do === 'knob')
          knob.patch = { tokenError: { kind: 'invalid_grant', grant: 'refresh_token', remaining: 1 } };
      },
      /expected a person to be asked exactly 1 time\(s\), but it was 2 times/,
    ],
    [
      'D6',
      'rate-limit-stops-reconnects',
      (s) => {
        s.world.knobs = { noauth: { mcpServerErrorNext: 1 } };
      },
      /was expected to fail, but 1 of 1 operation\(s\) succeeded/,
    ],
  ])('%s: scenario %s fails when its rule is switched off', async (_rule, id, change, failure) => {
    expect((await runScenario(scenario(id), env)).passed).toBe(true);
    const r = await runScenario(variant(id, change), env);
    expect(r.passed).toBe(false);
    expect(r.failures.join('\n')).toMatch(failure);
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { REQUIREMENTS } from '../engine/requirements';
import { SCENARIOS, scenarioById } from './index';
import { closeNodeScenarioEnvironment, nodeScenarioEnvironment } from './node';
import { runScenario } from './runner';

const env = nodeScenarioEnvironment();
afterAll(() => closeNodeScenarioEnvironment());

describe('the scenario catalogue', () => {
  it('holds at least 30 scenarios with unique ids, a teaching paragraph and known rule IDs', () => {
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(30);
    expect(new Set(SCENARIOS.map((s) => s.id)).size).toBe(SCENARIOS.length);
    for (const s of SCENARIOS) {
      expect(s.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(s.teaching.length, s.id).toBeGreaterThan(80);
      expect(s.ruleIds.length, s.id).toBeGreaterThan(0);
      const ids = [...s.ruleIds, ...(s.expect.ruleIds ?? []), ...(s.expect.absentRuleIds ?? [])];
      expect(
        ids.filter((id) => !(id in REQUIREMENTS)),
        s.id,
      ).toEqual([]);
      expect(scenarioById(s.id)).toBe(s);
    }
  });

  it('covers every rule family of the spec and the client requirements', () => {
    const families = new Set(SCENARIOS.flatMap((s) => s.ruleIds).map((id) => id.replace(/-?\d+$/, '')));
    for (const f of ['F', 'D', 'O', 'S', 'T', 'A', 'DISC', 'ASM', 'REG', 'PKCE', 'RES', 'SCP', 'TOK', 'AR'])
      expect(families, f).toContain(f);
  });

  it('is plain data: every scenario survives a JSON round trip unchanged', () => {
    expect(JSON.parse(JSON.stringify(SCENARIOS))).toEqual(SCENARIOS);
  });
});

describe('every scenario passes in Node against the mocks', () => {
  for (const s of SCENARIOS) {
    // A scenario that exposes a known engine bug must keep failing until the bug is fixed.
    const test = s.knownIssue ? it.fails : it;
    test(`${s.ruleIds[0]}: scenario ${s.id}`, async () => {
      const r = await runScenario(s, env);
      expect(r.failures, `${r.failures.join('\n')}\n\n${r.timeline}`).toEqual([]);
      expect(r.passed).toBe(true);
    });
  }
});

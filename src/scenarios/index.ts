/**
 * The scenario catalogue: plain data the Node CLI, the playground's Scenarios panel and Playwright
 * run alike. `runScenario` (runner.ts) plays one against a mock world; `node.ts` hosts it in Node.
 */
import { FIRST_CONNECT } from './catalogue/first-connect';
import { FLOWS } from './catalogue/flows';
import { LIFECYCLE } from './catalogue/lifecycle';
import { REAUTH } from './catalogue/reauth';
import { REFRESH } from './catalogue/refresh';
import { SECURITY } from './catalogue/security';
import type { Scenario } from './types';

export type { Expectations, Scenario, ScenarioResult, Step } from './types';

/** Every scenario, in the order a person would learn them. */
export const SCENARIOS: readonly Scenario[] = [
  ...FIRST_CONNECT,
  ...LIFECYCLE,
  ...REFRESH,
  ...REAUTH,
  ...FLOWS,
  ...SECURITY,
];

/** The scenario with this id, or undefined. */
export function scenarioById(id: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.id === id);
}

import { startMockServer } from '../../mocks/node';
import { NodeSecretBox } from '../cli/node-secret-box';
import { ScenarioClock } from './clock';
import type { ScenarioEnvironment } from './run-context';
import { type RunOptions, runScenario } from './runner';
import type { Scenario, ScenarioResult } from './types';

let started: { env: ScenarioEnvironment; close: () => void } | undefined;

/**
 * The Node host of the scenarios: the mock world answers every `*.mock.test` request of this
 * process (MSW `setupServer`), started once and reset per scenario, on the scenario clock.
 * Secrets are sealed with `node:crypto` (Node 20's WebCrypto AES can abort the process).
 */
export function nodeScenarioEnvironment(): ScenarioEnvironment {
  if (!started) {
    const clock = new ScenarioClock();
    const mocks = startMockServer({ clock });
    started = {
      env: { world: mocks.world, clock, secretBox: () => new NodeSecretBox() },
      close: mocks.close,
    };
  }
  return started.env;
}

/** Runs one scenario in this process. */
export function runScenarioInNode(scenario: Scenario, options?: RunOptions): Promise<ScenarioResult> {
  return runScenario(scenario, nodeScenarioEnvironment(), options);
}

/** Stops intercepting requests (the end of a CLI run or a test file). */
export function closeNodeScenarioEnvironment(): void {
  started?.close();
  started = undefined;
}

import { messageOf } from '../engine/errors';
import type { TimelineEvent } from '../engine/timeline/events';
import { toText } from '../engine/timeline/export-text';
import { TimelineModel } from '../engine/timeline/model';
import { evaluate } from './expectations';
import { RunContext, type ScenarioEnvironment } from './run-context';
import { runStep } from './steps';
import type { Scenario, ScenarioResult } from './types';

export type { ScenarioEnvironment } from './run-context';

export interface RunOptions {
  /** Give up on a scenario after this much real time (default 30 s). */
  timeoutMs?: number;
  /** Receives the run's timeline events when it ends (the playground's Scenarios panel shows them). */
  onEvents?: (events: TimelineEvent[]) => void;
}

/**
 * Runs one scenario: resets the mock world and applies its knobs, plays the steps on a fresh
 * engine (memory stores, a consent robot, a connection manager per tab), then checks every
 * expectation against the mocks' request log, the timeline, the consent desk and the stores.
 * Never throws: whatever goes wrong is a failure sentence in the result.
 */
export async function runScenario(
  scenario: Scenario,
  env: ScenarioEnvironment,
  options: RunOptions = {},
): Promise<ScenarioResult> {
  const started = Date.now();
  const failures: string[] = [];
  env.world.reset();
  env.clock.setScale(scenario.world.clockScale ?? 1);
  let ctx: RunContext | undefined;
  let position = 'setting up';
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    for (const [server, patch] of Object.entries(scenario.world.knobs ?? {}))
      env.world.setKnobs(server, patch);
    const run = new RunContext(scenario, env);
    ctx = run;
    const play = async () => {
      for (const [i, step] of scenario.steps.entries()) {
        position = `step ${i + 1} (${step.do})`;
        await runStep(run, step, String(i + 1));
      }
      position = 'waiting for background steps';
      await Promise.allSettled(run.background.splice(0));
      position = 'waiting for the mock world';
      await env.world.idle();
    };
    if ((await Promise.race([play(), timedOut])) === 'timeout')
      failures.push(`The scenario did not finish within ${timeoutMs / 1000} s: it was stuck at ${position}.`);
    failures.push(...run.failures);
    failures.push(...(await evaluate(run, scenario.expect)));
  } catch (e) {
    failures.push(`The scenario could not run (${position}): ${messageOf(e)}`);
  } finally {
    clearTimeout(timer);
    // What the mocks still answer belongs to this scenario; a stuck request must not hold up the next.
    await Promise.race([ctx?.close().catch(() => {}), new Promise((r) => setTimeout(r, 2_000))]);
    for (const t of ctx?.tabs ?? []) t.close();
    env.clock.setScale(1);
  }
  const events = ctx?.timeline ?? [];
  options.onEvents?.(events);
  return {
    id: scenario.id,
    title: scenario.title,
    passed: failures.length === 0,
    failures,
    durationMs: Date.now() - started,
    timeline: toText(new TimelineModel(events).events),
    ruleIdsSeen: new TimelineModel(events).ruleIdsSeen(),
    ...(scenario.knownIssue ? { knownIssue: scenario.knownIssue } : {}),
  };
}

import { useCallback, useEffect, useRef, useState } from 'react';
import type { MockWorld } from '../../../mocks/world';
import { type BrowserScenarioResult, runInPage } from '../../scenarios/browser';
import { SCENARIOS } from '../../scenarios/index';

/** A row's state: running now, else how its latest run ended, else idle. */
export type RowState = 'idle' | 'running' | 'passed' | 'failed';

export interface ScenarioRuns {
  /** The latest result of each scenario run in this page, by id. */
  results: Readonly<Record<string, BrowserScenarioResult>>;
  running?: string;
  /** Scenario ids waiting their turn, in order. */
  queued: readonly string[];
  stateOf(id: string): RowState;
  /** The id of the scenario's latest run in this page (`run-4`), from the moment it is queued. */
  runIdOf(id: string): string | undefined;
  isQueued(id: string): boolean;
  /** Queues one scenario (runs share the mock world, so they take turns). */
  run(id: string): void;
  /** Queues these scenarios (default: the whole catalogue), except the one running now. */
  runAll(ids?: readonly string[]): void;
  /** Drops what is queued; the scenario running now finishes. */
  stop(): void;
}

/** Runs catalogue scenarios one after another against `world`, keeping the latest result of each. */
let runSeq = 0;

export function useScenarioRuns(world: MockWorld): ScenarioRuns {
  const [runIds, setRunIds] = useState<Record<string, string>>({});
  const [results, setResults] = useState<Record<string, BrowserScenarioResult>>({});
  const [running, setRunning] = useState<string>();
  const [queued, setQueued] = useState<string[]>([]);
  const queue = useRef<string[]>([]);
  const draining = useRef(false);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const drain = useCallback(async () => {
    if (draining.current) return;
    draining.current = true;
    try {
      for (let id = queue.current.shift(); id !== undefined; id = queue.current.shift()) {
        if (!mounted.current) break;
        setQueued([...queue.current]);
        setRunning(id);
        let result: BrowserScenarioResult;
        try {
          result = await runInPage(id, world);
        } catch (e) {
          const s = SCENARIOS.find((x) => x.id === id);
          const message = e instanceof Error ? e.message : String(e);
          result = {
            id,
            title: s?.title ?? id,
            passed: false,
            failures: [`The scenario could not start: ${message}`],
            durationMs: 0,
            timeline: '',
            ruleIdsSeen: [],
            events: [],
          };
        }
        if (!mounted.current) break;
        setResults((r) => ({ ...r, [id]: result }));
      }
    } finally {
      draining.current = false;
      if (mounted.current) {
        setRunning(undefined);
        setQueued([]);
      }
    }
  }, [world]);

  const enqueue = useCallback(
    (ids: string[]) => {
      const fresh: Record<string, string> = {};
      for (const id of ids)
        if (!queue.current.includes(id)) {
          queue.current.push(id);
          runSeq += 1;
          fresh[id] = `run-${runSeq}`;
        }
      setRunIds((r) => ({ ...r, ...fresh }));
      setQueued([...queue.current]);
      void drain();
    },
    [drain],
  );

  const stateOf = (id: string): RowState => {
    if (running === id) return 'running';
    const r = results[id];
    return r ? (r.passed ? 'passed' : 'failed') : 'idle';
  };

  return {
    results,
    ...(running !== undefined ? { running } : {}),
    queued,
    stateOf,
    runIdOf: (id) => runIds[id],
    isQueued: (id) => queued.includes(id),
    run: (id) => enqueue([id]),
    runAll: (ids = SCENARIOS.map((s) => s.id)) => enqueue(ids.filter((id) => id !== running)),
    stop: () => {
      queue.current.length = 0;
      setQueued([]);
    },
  };
}

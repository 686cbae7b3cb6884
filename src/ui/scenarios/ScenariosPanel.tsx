import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { MockWorld } from '../../../mocks/world';
import { SCENARIOS, scenarioById } from '../../scenarios/index';
import { summarize, useDeepLinkScenario } from './deep-link';
import { ScenarioResults, ScenarioTimeline } from './ScenarioResults';
import { buttonClass, ScenarioRow } from './ScenarioRow';
import { useScenarioRuns } from './useScenarioRuns';

export { useDeepLinkScenario } from './deep-link';

const primaryClass =
  'rounded-md bg-sky-700 px-3 py-1 text-sm font-medium text-white hover:bg-sky-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 disabled:cursor-not-allowed disabled:opacity-50';

function matches(text: string, s: (typeof SCENARIOS)[number]): boolean {
  const q = text.trim().toLowerCase();
  if (!q) return true;
  return [s.id, s.title, ...s.ruleIds].some((x) => x.toLowerCase().includes(q));
}

/**
 * The scenario catalogue in the playground: every scenario with its rules and teaching paragraph,
 * Run one / Run all against the page's mock world, a results table, and each result's timeline.
 * `?scenario=ID` selects a scenario; `&autorun=1` also runs it.
 */
export function ScenariosPanel({ world }: { world: MockWorld }) {
  const runs = useScenarioRuns(world);
  const link = useDeepLinkScenario();
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const [selected, setSelected] = useState<string>();
  const [filter, setFilter] = useState('');
  const filterId = useId();
  const deepLinked = useRef(false);
  const unknownLink = link.id !== undefined && !scenarioById(link.id);

  useEffect(() => {
    if (deepLinked.current || !link.id || !scenarioById(link.id)) return;
    deepLinked.current = true;
    const id = link.id;
    setSelected(id);
    setExpanded((e) => new Set(e).add(id));
    if (link.autorun) runs.run(id);
    requestAnimationFrame(() =>
      document.getElementById(`scenario-row-${id}`)?.scrollIntoView({ block: 'nearest' }),
    );
  }, [link, runs]);

  const shown = useMemo(() => SCENARIOS.filter((s) => matches(filter, s)), [filter]);
  const results = SCENARIOS.flatMap((s) => {
    const r = runs.results[s.id];
    return r ? [r] : [];
  });
  const selectedResult = selected ? runs.results[selected] : undefined;
  const busy = runs.running !== undefined;

  const toggle = (id: string) =>
    setExpanded((e) => {
      const next = new Set(e);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  return (
    <section
      data-testid="scenarios-panel"
      aria-labelledby="scenarios-heading"
      className="@container flex flex-col gap-3 text-slate-900 dark:text-slate-100"
    >
      <header className="flex flex-wrap items-center gap-x-3 gap-y-2">
        <h2 id="scenarios-heading" className="text-lg font-semibold">
          Scenarios
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {SCENARIOS.length} ready-made runs against the mock servers, each checked against what the rules
          require. Running one resets the mock servers, so the playground's own connections lose their grants.
        </p>
      </header>
      <div className="flex flex-wrap items-center gap-2">
        <button
          type="button"
          data-testid="scenarios-run-all"
          onClick={() => runs.runAll(shown.map((s) => s.id))}
          disabled={shown.length === 0}
          className={primaryClass}
        >
          {shown.length === SCENARIOS.length ? 'Run all' : `Run all ${shown.length} shown`}
        </button>
        <button
          type="button"
          data-testid="scenarios-stop"
          onClick={runs.stop}
          disabled={runs.queued.length === 0}
          className={buttonClass}
        >
          Stop after this one
        </button>
        <label className="flex items-center gap-1 text-sm" htmlFor={filterId}>
          Filter
        </label>
        <input
          id={filterId}
          type="search"
          data-testid="scenarios-filter"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          placeholder="id, title or rule (F11)"
          className="w-56 rounded border border-slate-300 px-2 py-0.5 text-sm placeholder:text-slate-600 dark:border-slate-600 dark:bg-slate-900 dark:placeholder:text-slate-400"
        />
        <p data-testid="scenarios-summary" className="ml-auto text-sm font-medium">
          {summarize(results)}
        </p>
        <p
          role="status"
          data-testid="scenarios-status"
          // The summary beside it already shows the result; "Done" is only for screen readers.
          className={busy ? 'text-sm text-slate-600 dark:text-slate-400' : 'sr-only'}
        >
          {busy
            ? `Running ${runs.running}${runs.queued.length ? `; ${runs.queued.length} queued` : ''}…`
            : results.length
              ? `Done: ${summarize(results)}.`
              : ''}
        </p>
      </div>
      {unknownLink && (
        <p
          role="alert"
          className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-900 dark:bg-red-950 dark:text-red-100"
        >
          The link names scenario “{link.id}”, which the catalogue does not have.
        </p>
      )}
      <div className="grid gap-4 @2xl:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <div className="min-w-0">
          <h3 className="sr-only">Catalogue</h3>
          <ul aria-label="Scenario catalogue" className="flex max-h-[70vh] flex-col gap-2 overflow-auto pr-1">
            {shown.map((s) => (
              <ScenarioRow
                key={s.id}
                scenario={s}
                state={runs.stateOf(s.id)}
                runId={runs.runIdOf(s.id)}
                queued={runs.isQueued(s.id)}
                expanded={expanded.has(s.id)}
                selected={selected === s.id}
                onToggle={() => toggle(s.id)}
                onRun={() => {
                  setSelected(s.id);
                  runs.run(s.id);
                }}
              />
            ))}
            {shown.length === 0 && (
              <li className="text-sm text-slate-600 dark:text-slate-400">No scenario matches “{filter}”.</li>
            )}
          </ul>
        </div>
        <div className="min-w-0">
          <h3 className="mb-1 text-base font-semibold">Results</h3>
          <ScenarioResults results={results} {...(selected ? { selected } : {})} onSelect={setSelected} />
        </div>
      </div>
      {selectedResult && <ScenarioTimeline result={selectedResult} onClose={() => setSelected(undefined)} />}
    </section>
  );
}

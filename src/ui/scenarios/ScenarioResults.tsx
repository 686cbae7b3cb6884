import type { BrowserScenarioResult } from '../../scenarios/browser';
import { TimelinePanel } from '../timeline/TimelinePanel';
import { formatMs } from './deep-link';
import { buttonClass } from './ScenarioRow';

export interface ScenarioResultsProps {
  /** Results in the order to show them. */
  results: readonly BrowserScenarioResult[];
  selected?: string;
  onSelect(id: string | undefined): void;
}

/** The results table: ✓/✗, duration, failure sentences, and a button that opens each timeline. */
export function ScenarioResults({ results, selected, onSelect }: ScenarioResultsProps) {
  if (!results.length)
    return (
      <p data-testid="scenario-results-empty" className="text-sm text-slate-600 dark:text-slate-400">
        No results yet: run a scenario, or all of them.
      </p>
    );
  return (
    <table data-testid="scenario-results" className="w-full border-collapse text-left text-sm">
      <caption className="sr-only">Scenario results</caption>
      <thead>
        <tr className="border-b border-slate-200 text-xs text-slate-700 dark:border-slate-700 dark:text-slate-300">
          <th scope="col" className="py-1 pr-2 font-medium">
            Result
          </th>
          <th scope="col" className="py-1 pr-2 font-medium">
            Scenario
          </th>
          <th scope="col" className="py-1 pr-2 text-right font-medium">
            Duration
          </th>
          <th scope="col" className="py-1 pr-2 font-medium">
            Timeline
          </th>
        </tr>
      </thead>
      <tbody>
        {results.map((r) => (
          <tr
            key={r.id}
            data-testid="scenario-result"
            data-scenario-id={r.id}
            data-state={r.passed ? 'passed' : 'failed'}
            className="border-b border-slate-100 align-top dark:border-slate-800"
          >
            <td className="py-1.5 pr-2">
              <span
                aria-hidden
                className={
                  r.passed
                    ? 'font-bold text-emerald-800 dark:text-emerald-300'
                    : 'font-bold text-red-800 dark:text-red-300'
                }
              >
                {r.passed ? '✓' : '✗'}
              </span>
              <span className="sr-only">{r.passed ? 'passed' : 'failed'}</span>
            </td>
            <td className="py-1.5 pr-2">
              <code className="text-xs">{r.id}</code>
              {!r.passed && (
                <ul
                  data-testid="scenario-failures"
                  className="mt-1 list-disc space-y-1 pl-4 text-red-900 dark:text-red-200"
                >
                  {r.failures.map((f) => (
                    <li key={f}>{f}</li>
                  ))}
                </ul>
              )}
              {!r.passed && r.knownIssue && (
                <p className="mt-1 text-amber-900 dark:text-amber-200">Known engine bug: {r.knownIssue}</p>
              )}
            </td>
            <td className="whitespace-nowrap py-1.5 pr-2 text-right tabular-nums text-slate-700 dark:text-slate-300">
              {formatMs(r.durationMs)}
            </td>
            <td className="py-1.5 pr-2">
              <button
                type="button"
                data-testid={`scenario-open-timeline-${r.id}`}
                aria-pressed={selected === r.id}
                aria-label={`Timeline of ${r.id} (${r.events.length} events)`}
                onClick={() => onSelect(selected === r.id ? undefined : r.id)}
                className={`${buttonClass} whitespace-nowrap`}
              >
                {selected === r.id ? 'Hide' : 'Open'}
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The timeline of one result, read-only, with everything the live timeline offers (filters, exports). */
export function ScenarioTimeline({ result, onClose }: { result: BrowserScenarioResult; onClose(): void }) {
  return (
    <section
      data-testid="scenario-timeline"
      data-scenario-id={result.id}
      aria-label={`Timeline of scenario ${result.id}`}
      className="space-y-2"
    >
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="text-base font-semibold">
          {result.passed ? '✓' : '✗'} {result.title}
        </h3>
        <span className="text-sm text-slate-600 dark:text-slate-400">
          {result.events.length} events · {formatMs(result.durationMs)}
        </span>
        <button type="button" onClick={onClose} className={`${buttonClass} ml-auto`}>
          Close timeline
        </button>
      </div>
      <TimelinePanel key={result.id} events={result.events} readOnly title={`Scenario ${result.id}`} />
    </section>
  );
}

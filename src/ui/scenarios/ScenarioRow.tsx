import type { Scenario } from '../../scenarios/types';
import { scenarioLink } from './deep-link';
import type { RowState } from './useScenarioRuns';

export const buttonClass =
  'rounded-md border border-slate-300 px-2.5 py-1 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-sky-600 disabled:cursor-not-allowed disabled:opacity-50 dark:border-slate-600 dark:hover:bg-slate-800';

/** Badge colours: dark text on light fills, light text on dark fills (contrast ≥ 4.5:1 both ways). */
const STATE_STYLE: Record<RowState | 'queued', { label: string; className: string }> = {
  idle: { label: 'not run', className: 'text-slate-600 dark:text-slate-400' },
  queued: {
    label: 'queued',
    className: 'bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-200',
  },
  running: { label: 'running…', className: 'bg-sky-100 text-sky-900 dark:bg-sky-900 dark:text-sky-100' },
  passed: {
    label: '✓ passed',
    className: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100',
  },
  failed: { label: '✗ failed', className: 'bg-red-100 text-red-900 dark:bg-red-900 dark:text-red-100' },
};

export function StateBadge({ state, queued }: { state: RowState; queued?: boolean }) {
  const style = STATE_STYLE[queued && state !== 'running' ? 'queued' : state];
  return (
    <span
      data-testid="scenario-state"
      className={`shrink-0 rounded px-1.5 py-0.5 text-xs ${style.className}`}
    >
      {style.label}
    </span>
  );
}

export function RuleBadges({ ids }: { ids: readonly string[] }) {
  return (
    <ul aria-label="Rules exercised" className="flex flex-wrap gap-1">
      {ids.map((id) => (
        <li
          key={id}
          data-testid="scenario-rule"
          className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-800 dark:bg-slate-800 dark:text-slate-200"
        >
          {id}
        </li>
      ))}
    </ul>
  );
}

export interface ScenarioRowProps {
  scenario: Scenario;
  state: RowState;
  /** The latest run's id, once the scenario was run in this page. */
  runId?: string | undefined;
  queued: boolean;
  expanded: boolean;
  selected: boolean;
  onToggle(): void;
  onRun(): void;
}

/** A run's state in the words every action uses (pending → ok / error). */
function runState(state: RowState, queued: boolean): 'pending' | 'ok' | 'error' {
  if (queued || state === 'running' || state === 'idle') return 'pending';
  return state === 'passed' ? 'ok' : 'error';
}

/** One catalogue entry: title (expands to the teaching paragraph), id, rule badges, state and Run. */
export function ScenarioRow({
  scenario: s,
  state,
  runId,
  queued,
  expanded,
  selected,
  onToggle,
  onRun,
}: ScenarioRowProps) {
  const teachingId = `scenario-teaching-${s.id}`;
  return (
    <li
      id={`scenario-row-${s.id}`}
      data-testid="scenario-row"
      data-scenario-id={s.id}
      data-state={state}
      data-run-id={runId}
      data-run-state={runId === undefined ? undefined : runState(state, queued)}
      aria-current={selected ? 'true' : undefined}
      className={`rounded-md border px-3 py-2 ${
        selected
          ? 'border-sky-600 bg-sky-50 dark:border-sky-400 dark:bg-sky-950'
          : 'border-slate-200 dark:border-slate-700'
      }`}
    >
      <div className="flex items-start gap-2">
        <button
          type="button"
          data-testid={`scenario-toggle-${s.id}`}
          aria-expanded={expanded}
          aria-controls={teachingId}
          onClick={onToggle}
          className="min-w-0 flex-1 rounded text-left text-sm font-medium hover:underline focus-visible:outline-2 focus-visible:outline-sky-600"
        >
          <span aria-hidden className="mr-1 inline-block w-3 text-slate-600 dark:text-slate-400">
            {expanded ? '▾' : '▸'}
          </span>
          {s.title}
        </button>
        <StateBadge state={state} queued={queued} />
        <button
          type="button"
          data-testid={`scenario-run-${s.id}`}
          aria-label={`Run scenario ${s.id}`}
          disabled={state === 'running' || queued}
          onClick={onRun}
          className={buttonClass}
        >
          Run
        </button>
      </div>
      <div className="mt-1 flex flex-wrap items-center gap-2 pl-4">
        <code className="text-xs text-slate-700 dark:text-slate-300">{s.id}</code>
        <RuleBadges ids={s.ruleIds} />
      </div>
      <div id={teachingId} hidden={!expanded} className="mt-2 space-y-2 pl-4 text-sm">
        <p data-testid="scenario-teaching" className="text-slate-700 dark:text-slate-300">
          {s.teaching}
        </p>
        {s.knownIssue && (
          <p className="text-amber-900 dark:text-amber-200">Known engine bug: {s.knownIssue}</p>
        )}
        <p className="text-xs text-slate-600 dark:text-slate-400">
          Link:{' '}
          <a
            className="text-sky-800 underline dark:text-sky-300"
            href={scenarioLink(s.id, true)}
            data-testid={`scenario-link-${s.id}`}
          >
            run this scenario on opening
          </a>
        </p>
      </div>
    </li>
  );
}

import { type EventKind, LANE_TITLES, type Lane } from '../../engine/timeline/events';
import { type TimelineFilterState, toggled } from './filter';
import { countLabel } from './format';
import { KIND_HINTS, LANE_HINTS, LANE_STYLES } from './lane-style';

/** Row heights of the zoom control: more rows on screen, or more air. */
export const DENSITIES = { compact: 22, normal: 28, roomy: 36 } as const;
export type Density = keyof typeof DENSITIES;

/** The time column: since the first event, or since the previous row (to spot slow steps). */
export type TimeMode = 'since-start' | 'since-previous';

export interface TimelineToolbarProps {
  lanes: readonly Lane[];
  kinds: readonly EventKind[];
  filter: TimelineFilterState;
  onFilter(next: TimelineFilterState): void;
  density: Density;
  onDensity(next: Density): void;
  timeMode: TimeMode;
  onTimeMode(next: TimeMode): void;
  shown: number;
  total: number;
  /** Live only: keep the newest event in view. */
  follow?: boolean;
  onFollow?(next: boolean): void;
}

const chip =
  'rounded-full border px-2 py-0.5 text-xs focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-blue-500';
const chipOff =
  'border-slate-300 bg-transparent text-slate-400 line-through dark:border-slate-600 dark:text-slate-500';
const control =
  'rounded border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-600 dark:bg-slate-900 focus-visible:outline-2 focus-visible:outline-blue-500';

/** How to read a row, for people who have never seen a sequence diagram. */
function Legend() {
  return (
    <p data-testid="timeline-legend" className="text-xs text-slate-500 dark:text-slate-400">
      How to read it: <span aria-hidden="true">● </span>something happened in a lane ·{' '}
      <span aria-hidden="true">◆ </span>a decision · <span aria-hidden="true">┌ └ </span>a longer step starts
      or ends (shaded while it runs) · <span aria-hidden="true">──▶ </span>an HTTP request, coloured by who
      answers; <span className="text-amber-700 dark:text-amber-400">amber</span> means a 4xx answer (a 401 is
      how a server asks for sign-in), <span className="text-red-700 dark:text-red-400">red ✕</span> a failure.
      Badges like <span className="font-mono">O8</span> name the rule that made it happen: select a row to
      read it.
    </p>
  );
}

export function TimelineToolbar(props: TimelineToolbarProps) {
  const { lanes, kinds, filter, onFilter } = props;
  return (
    <div className="space-y-2 border-b border-slate-200 p-2 dark:border-slate-700">
      <div className="flex flex-wrap items-center gap-2">
        <input
          type="search"
          data-testid="timeline-search"
          aria-label="Search events"
          placeholder="Search summary, rule ID, URL, method…"
          value={filter.text}
          onChange={(e) => onFilter({ ...filter, text: e.currentTarget.value })}
          className={`min-w-48 flex-1 ${control}`}
        />
        <label className="flex items-center gap-1.5 text-sm">
          Row density
          <select
            data-testid="timeline-zoom"
            value={props.density}
            onChange={(e) => props.onDensity(e.currentTarget.value as Density)}
            className={control}
          >
            <option value="compact">Compact</option>
            <option value="normal">Normal</option>
            <option value="roomy">Roomy</option>
          </select>
        </label>
        <label className="flex items-center gap-1.5 text-sm">
          Time
          <select
            data-testid="timeline-time-mode"
            value={props.timeMode}
            onChange={(e) => props.onTimeMode(e.currentTarget.value as TimeMode)}
            className={control}
          >
            <option value="since-start">since start</option>
            <option value="since-previous">since previous event</option>
          </select>
        </label>
        <label className="flex items-center gap-1.5 text-sm">
          <input
            type="checkbox"
            data-testid="timeline-problems-only"
            checked={filter.problemsOnly}
            onChange={(e) => onFilter({ ...filter, problemsOnly: e.currentTarget.checked })}
          />
          Warnings and errors only
        </label>
        {props.onFollow && (
          <label className="flex items-center gap-1.5 text-sm">
            <input
              type="checkbox"
              data-testid="timeline-follow"
              checked={props.follow ?? false}
              onChange={(e) => props.onFollow?.(e.currentTarget.checked)}
            />
            Follow new events
          </label>
        )}
        <output
          data-testid="timeline-count"
          data-shown={props.shown}
          data-total={props.total}
          className="ml-auto text-sm text-slate-600 tabular-nums dark:text-slate-300"
        >
          {countLabel(props.shown, props.total)}
        </output>
      </div>
      <fieldset className="flex flex-wrap items-center gap-1.5">
        <legend className="float-left mr-1 text-xs text-slate-500 dark:text-slate-400">Lanes</legend>
        {lanes.map((lane) => {
          const on = !filter.hiddenLanes.has(lane);
          return (
            <button
              key={lane}
              type="button"
              data-testid={`timeline-filter-lane-${lane}`}
              aria-pressed={on}
              title={`${on ? 'Hide' : 'Show'} events of this lane. ${LANE_HINTS[lane]}`}
              onClick={() => onFilter({ ...filter, hiddenLanes: toggled(filter.hiddenLanes, lane) })}
              className={`${chip} ${on ? LANE_STYLES[lane].chip : chipOff}`}
            >
              {LANE_TITLES[lane]}
            </button>
          );
        })}
      </fieldset>
      <fieldset className="flex flex-wrap items-center gap-1.5">
        <legend className="float-left mr-1 text-xs text-slate-500 dark:text-slate-400">Kinds</legend>
        {kinds.map((kind) => {
          const on = !filter.hiddenKinds.has(kind);
          return (
            <button
              key={kind}
              type="button"
              data-testid={`timeline-filter-kind-${kind}`}
              aria-pressed={on}
              title={`${on ? 'Hide' : 'Show'} ${kind} events. ${KIND_HINTS[kind]}`}
              onClick={() => onFilter({ ...filter, hiddenKinds: toggled(filter.hiddenKinds, kind) })}
              className={`${chip} ${
                on
                  ? 'border-slate-400 bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-100'
                  : chipOff
              }`}
            >
              {kind}
            </button>
          );
        })}
      </fieldset>
      <Legend />
    </div>
  );
}

import type { CSSProperties } from 'react';
import { LANE_TITLES, type Lane, type TimelineEvent } from '../../engine/timeline/events';
import { arrowGeometry, effectiveLevel, httpOutcome, laneCentre, type Outcome } from './format';
import { LANE_HINTS, LANE_SHORT, LANE_STYLES } from './lane-style';
import { explainRule } from './rules';

/**
 * Column widths shared by the header and every row, so lanes line up; the minimum width makes the
 * list scroll sideways on narrow screens instead of clipping the summary.
 */
export function gridStyle(lanes: readonly Lane[]): CSSProperties {
  const n = Math.max(1, lanes.length);
  return {
    // Lanes grow to 5rem each when there is room; the summary takes what is left, at least 16rem.
    gridTemplateColumns: `5.5rem minmax(${n * 4}rem, ${n * 5}rem) minmax(16rem, 1fr)`,
    minWidth: `${21.5 + n * 4}rem`,
  };
}

const pct = (fraction: number) => `${(fraction * 100).toFixed(3)}%`;

/** Height of the sticky lane header, in pixels: the virtualizer's scroll margin. */
export const HEADER_HEIGHT = 40;

export function LaneHeader({ lanes }: { lanes: readonly Lane[] }) {
  return (
    <div
      role="presentation"
      style={{ ...gridStyle(lanes), height: HEADER_HEIGHT }}
      className="sticky top-0 z-10 grid items-center border-b border-slate-300 bg-slate-50 text-xs font-semibold text-slate-700 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-200"
    >
      <div className="px-2">Time</div>
      <div className="grid" style={{ gridTemplateColumns: `repeat(${Math.max(1, lanes.length)}, 1fr)` }}>
        {lanes.map((lane) => (
          <div
            key={lane}
            title={`${LANE_TITLES[lane]}: ${LANE_HINTS[lane]}`}
            data-testid={`timeline-lane-${lane}`}
            className={`line-clamp-2 px-0.5 text-center text-[10px] leading-tight ${LANE_STYLES[lane].text}`}
          >
            <span className="hidden @5xl/list:inline">{LANE_TITLES[lane]}</span>
            <span className="@5xl/list:hidden">{LANE_SHORT[lane]}</span>
          </div>
        ))}
      </div>
      <div className="px-2">What happened</div>
    </div>
  );
}

const ARROW_COLOUR: Record<Outcome, string> = {
  ok: '',
  redirect: 'border-cyan-500 text-cyan-500',
  pending: 'border-slate-400 text-slate-400',
  'client-error': 'border-amber-500 text-amber-500',
  'server-error': 'border-red-600 text-red-600',
  failed: 'border-red-600 text-red-600',
};

function HttpArrow({ event, lanes }: { event: TimelineEvent; lanes: readonly Lane[] }) {
  const h = event.http;
  const outcome = httpOutcome(event);
  const g = h ? arrowGeometry(h.from, h.to, lanes) : undefined;
  if (!h || !g || !outcome) return null;
  const colour =
    outcome === 'ok' ? `${LANE_STYLES[h.to].line} ${LANE_STYLES[h.to].text}` : ARROW_COLOUR[outcome];
  const failed = outcome === 'failed';
  if (g.direction === 'self')
    return (
      <span className={`absolute top-1/2 -translate-y-1/2 text-sm ${colour}`} style={{ left: pct(g.left) }}>
        {failed ? '✕' : '↻'}
      </span>
    );
  const headAt = g.direction === 'right' ? g.left + g.width : g.left;
  return (
    <>
      <span
        className={`absolute top-1/2 h-0 border-t-2 ${failed ? 'border-dashed' : ''} ${colour}`}
        style={{ left: pct(g.left), width: pct(g.width) }}
      />
      <span
        className={`absolute top-1/2 -translate-y-1/2 text-[10px] leading-none ${colour} ${
          g.direction === 'right' ? '-translate-x-full' : ''
        } ${failed ? 'text-sm font-bold' : ''}`}
        style={{ left: pct(headAt) }}
      >
        {failed ? '✕' : g.direction === 'right' ? '▶' : '◀'}
      </span>
    </>
  );
}

function LaneMarker({ event, lanes }: { event: TimelineEvent; lanes: readonly Lane[] }) {
  const x = laneCentre(event.lane, lanes);
  if (x === undefined) return null;
  const style = LANE_STYLES[event.lane];
  const level = effectiveLevel(event);
  const ring = level === 'error' ? 'ring-2 ring-red-500' : level === 'warn' ? 'ring-2 ring-amber-400' : '';
  if (event.kind === 'span')
    return (
      <span
        className={`absolute h-1/2 w-2 border-l-2 ${style.line} ${
          event.phase === 'end' ? 'top-0 border-b-2' : 'bottom-0 border-t-2'
        }`}
        style={{ left: pct(x) }}
      />
    );
  const shape = event.kind === 'decision' ? 'rotate-45 rounded-[1px]' : 'rounded-full';
  const colour = event.kind === 'error' ? 'bg-red-600' : style.dot;
  return (
    <span
      className={`absolute top-1/2 size-2.5 -translate-x-1/2 -translate-y-1/2 ${shape} ${colour} ${ring}`}
      style={{ left: pct(x) }}
    />
  );
}

export function RuleBadge({ id }: { id: string }) {
  const rule = explainRule(id);
  return (
    <span
      title={`${id}: ${rule.title}`}
      className="shrink-0 rounded-full border border-slate-300 bg-white px-1.5 font-mono text-[10px] leading-4 text-slate-700 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-200"
    >
      {id}
    </span>
  );
}

export function LevelIcon({ level }: { level: 'info' | 'warn' | 'error' }) {
  if (level === 'info') return null;
  return level === 'error' ? (
    <span className="shrink-0 font-bold text-red-600 dark:text-red-400">
      <span aria-hidden="true">✕</span>
      <span className="sr-only">Error: </span>
    </span>
  ) : (
    <span className="shrink-0 font-bold text-amber-600 dark:text-amber-400">
      <span aria-hidden="true">⚠</span>
      <span className="sr-only">Warning: </span>
    </span>
  );
}

const LEVEL_ROW: Record<'info' | 'warn' | 'error', string> = {
  info: '',
  warn: 'bg-amber-50/70 dark:bg-amber-950/30',
  error: 'bg-red-50 dark:bg-red-950/40',
};

export interface TimelineRowProps {
  event: TimelineEvent;
  lanes: readonly Lane[];
  /** The time column's text (`+0.123 s` or `Δ 12 ms`). */
  time: string;
  /** Lanes with a span open at this moment: drawn as activation bars. */
  openLanes: readonly Lane[];
  selected: boolean;
  top: number;
  height: number;
  /** 1-based position and list size, for screen readers (only some rows are in the DOM). */
  position: number;
  setSize: number;
  onSelect(): void;
}

/** One event as a row of the swimlane view. */
export function TimelineRow(props: TimelineRowProps) {
  const { event, lanes, openLanes, selected, height } = props;
  const level = effectiveLevel(event);
  const spanMark = event.kind === 'span' ? (event.phase === 'end' ? '└ ' : '┌ ') : '';
  const shown = event.ruleIds.slice(0, 4);
  return (
    <div
      role="option"
      id={`timeline-row-${event.id}`}
      aria-selected={selected}
      aria-posinset={props.position}
      aria-setsize={props.setSize}
      data-testid="timeline-row"
      data-event-id={event.id}
      data-lane={event.lane}
      data-kind={event.kind}
      data-level={level}
      tabIndex={-1}
      onClick={props.onSelect}
      onKeyDown={(e) => {
        if (e.key !== 'Enter' && e.key !== ' ') return;
        e.preventDefault();
        e.stopPropagation();
        props.onSelect();
      }}
      style={{ ...gridStyle(lanes), height, transform: `translateY(${props.top}px)` }}
      className={`absolute top-0 left-0 grid w-full cursor-pointer items-center border-b border-slate-100 text-sm dark:border-slate-800 ${
        selected
          ? 'bg-blue-100 outline-2 -outline-offset-2 outline-blue-500 dark:bg-blue-900/50'
          : `${LEVEL_ROW[level]} hover:bg-slate-100 dark:hover:bg-slate-800`
      }`}
    >
      <span className="px-2 font-mono text-xs text-slate-500 tabular-nums dark:text-slate-400">
        {props.time}
      </span>
      <div className="relative h-full" aria-hidden="true">
        {lanes.map((lane) => {
          const x = laneCentre(lane, lanes) ?? 0;
          const active = openLanes.includes(lane);
          return (
            <span
              key={lane}
              className={`absolute inset-y-0 -translate-x-1/2 ${
                active ? `w-1.5 opacity-30 ${LANE_STYLES[lane].dot}` : 'w-px bg-slate-200 dark:bg-slate-700'
              }`}
              style={{ left: pct(x) }}
            />
          );
        })}
        {event.kind === 'http' ? (
          <HttpArrow event={event} lanes={lanes} />
        ) : (
          <LaneMarker event={event} lanes={lanes} />
        )}
      </div>
      <div className="flex min-w-0 items-center gap-1.5 px-2">
        <LevelIcon level={level} />
        <span className="min-w-0 flex-1 truncate text-slate-900 dark:text-slate-100" title={event.summary}>
          {spanMark}
          {event.summary}
        </span>
        {shown.map((id) => (
          <RuleBadge key={id} id={id} />
        ))}
        {event.ruleIds.length > shown.length && (
          <span className="shrink-0 text-[10px] text-slate-500">+{event.ruleIds.length - shown.length}</span>
        )}
      </div>
    </div>
  );
}

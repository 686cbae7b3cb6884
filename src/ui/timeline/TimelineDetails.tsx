import { type ReactNode, type Ref, useMemo } from 'react';
import { LANE_TITLES, type TimelineEvent } from '../../engine/timeline/events';
import { effectiveLevel, formatDuration, formatOffset } from './format';
import { HttpDetails, JwtDetails } from './HttpDetails';
import { findJwts } from './jwt';
import { KIND_HINTS, LANE_HINTS, LANE_STYLES } from './lane-style';
import { explainRule } from './rules';
import { LevelIcon } from './TimelineRow';

export interface TimelineDetailsProps {
  event: TimelineEvent | undefined;
  /** Time of the first event, for the `+0.123 s` offset. */
  start: number;
  /** How long the span this event closes lasted, when it closes one. */
  spanDurationMs?: number;
  /** The section, so the panel can move focus here on Enter. */
  ref?: Ref<HTMLElement>;
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </>
  );
}

function Rules({ ids }: { ids: readonly string[] }) {
  if (!ids.length) return null;
  return (
    <section aria-label="Rules" className="space-y-1">
      <h4 className="text-sm font-semibold">Why: the rules behind this event</h4>
      <ul className="space-y-1.5">
        {ids.map((id) => {
          const rule = explainRule(id);
          return (
            <li key={id} data-testid="timeline-details-rule" data-rule-id={id} className="text-sm">
              <span className="mr-1.5 rounded-full border border-slate-300 px-1.5 font-mono text-xs dark:border-slate-600">
                {id}
              </span>
              {rule.title}
              <span className="block text-xs text-slate-500 dark:text-slate-400">
                {rule.family}
                {rule.ref && ' · '}
                {rule.ref &&
                  (rule.href ? (
                    <a
                      href={rule.href}
                      target="_blank"
                      rel="noreferrer"
                      className="text-blue-700 underline dark:text-blue-300"
                    >
                      {rule.ref}
                    </a>
                  ) : (
                    rule.ref
                  ))}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** Everything about the selected event: what, when, where, why (rules), the HTTP exchange and data. */
export function TimelineDetails({ event, start, spanDurationMs, ref }: TimelineDetailsProps) {
  const jwts = useMemo(() => (event ? findJwts(event) : []), [event]);
  if (!event)
    return (
      <section
        ref={ref}
        tabIndex={-1}
        aria-label="Event details"
        data-testid="timeline-details"
        data-state="empty"
        className="p-4 text-sm text-slate-500 dark:text-slate-400"
      >
        Select an event (click it, or use ↑ ↓ in the list) to see what happened, which rule made it happen,
        and the HTTP request and response.
      </section>
    );
  const level = effectiveLevel(event);
  return (
    <section
      ref={ref}
      tabIndex={-1}
      aria-labelledby="timeline-details-heading"
      data-testid="timeline-details"
      data-state="selected"
      data-event-id={event.id}
      className="space-y-4 p-4 text-sm outline-none"
    >
      <h3 id="timeline-details-heading" className="flex items-start gap-1.5 text-base font-semibold">
        <LevelIcon level={level} />
        <span className="break-words">{event.summary}</span>
      </h3>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-3 gap-y-1">
        <Field label="Time">
          <span className="font-mono">{formatOffset(event.t, start)}</span>{' '}
          <span className="text-slate-500 dark:text-slate-400">({new Date(event.t).toISOString()})</span>
        </Field>
        <Field label="Lane">
          <span className={`font-medium ${LANE_STYLES[event.lane].text}`}>{LANE_TITLES[event.lane]}</span>
          <span className="block text-xs text-slate-500 dark:text-slate-400">{LANE_HINTS[event.lane]}</span>
        </Field>
        <Field label="Kind">
          {event.kind}
          {event.phase ? ` (${event.phase})` : ''}
          <span className="block text-xs text-slate-500 dark:text-slate-400">{KIND_HINTS[event.kind]}</span>
        </Field>
        {level !== 'info' && <Field label="Level">{level === 'error' ? 'Error' : 'Warning'}</Field>}
        {event.spanId && (
          <Field label="Span">
            <span className="font-mono">{event.spanId}</span>
            {spanDurationMs !== undefined && ` · lasted ${formatDuration(spanDurationMs)}`}
          </Field>
        )}
        {event.parentSpanId && (
          <Field label="Inside span">
            <span className="font-mono">{event.parentSpanId}</span>
          </Field>
        )}
        {event.who && (
          <Field label="Who">
            {Object.entries(event.who)
              .map(([k, v]) => `${k} ${v}`)
              .join(' · ')}
          </Field>
        )}
        <Field label="Event id">
          <span className="font-mono">{event.id}</span>
        </Field>
      </dl>
      <Rules ids={event.ruleIds} />
      {event.http && <HttpDetails http={event.http} />}
      <JwtDetails jwts={jwts} />
      {event.data && Object.keys(event.data).length > 0 && (
        <section aria-label="Data">
          <h4 className="text-sm font-semibold">Data</h4>
          <pre className="mt-1 max-h-72 overflow-auto rounded bg-slate-100 p-2 font-mono text-xs whitespace-pre-wrap break-all dark:bg-slate-800">
            {JSON.stringify(event.data, null, 2)}
          </pre>
        </section>
      )}
    </section>
  );
}

import { type EventKind, LANES, type Lane, type TimelineEvent } from './events';

/**
 * The timeline as data a view asks questions of, with no React: filtered lists, spans with their
 * durations, counts for assertions, and pure time↔pixel functions for drawing.
 * @see DESIGN.md (Playwright trace viewer: a model with no React, views on top, pure time↔pixel functions)
 */

export interface TimelineFilter {
  lanes?: readonly Lane[];
  kinds?: readonly EventKind[];
  /** Case-insensitive text found in the summary, rule IDs, HTTP method, URL or label. */
  text?: string;
}

export interface TimelineSpan {
  id: string;
  lane: Lane;
  summary: string;
  start: number;
  /** Undefined while the span is still open. */
  end?: number;
  durationMs?: number;
  endSummary?: string;
  parentSpanId?: string;
  ruleIds: string[];
}

export interface HttpQuery {
  lane?: Lane;
  method?: string;
  /** Exact pathname, or a pattern. */
  pathname?: string | RegExp;
  /** Exact label, or a pattern. */
  label?: string | RegExp;
  status?: number;
}

export interface TimeAxis {
  start: number;
  end: number;
  /** Width of the drawing, in pixels. */
  width: number;
}

/**
 * x in pixels for time `t` on an axis; a zero-length range maps everything to x = 0.
 * @see DESIGN.md (pure time↔pixel functions)
 */
export function timeToX(t: number, axis: TimeAxis): number {
  const span = axis.end - axis.start;
  return span <= 0 ? 0 : ((t - axis.start) / span) * axis.width;
}

/**
 * Time at pixel `x`: the inverse of `timeToX`.
 * @see DESIGN.md (pure time↔pixel functions)
 */
export function xToTime(x: number, axis: TimeAxis): number {
  return axis.width <= 0 ? axis.start : axis.start + (x / axis.width) * (axis.end - axis.start);
}

const matches = (value: string | undefined, want: string | RegExp | undefined) =>
  want === undefined ||
  (value !== undefined && (typeof want === 'string' ? value === want : want.test(value)));

function pathnameOf(url: string): string | undefined {
  try {
    return new URL(url).pathname;
  } catch {
    return undefined;
  }
}

function searchable(e: TimelineEvent): string {
  const h = e.http;
  return [e.summary, e.lane, e.kind, ...e.ruleIds, h?.request.method, h?.request.url, h?.label]
    .filter((x): x is string => typeof x === 'string')
    .join('\n')
    .toLowerCase();
}

/**
 * Read-only queries over a list of timeline events, kept in time order (ties keep their order).
 * @see DESIGN.md (Playwright trace viewer: a model with no React)
 */
export class TimelineModel {
  readonly events: readonly TimelineEvent[];

  constructor(events: readonly TimelineEvent[]) {
    this.events = [...events].sort((a, b) => a.t - b.t);
  }

  byLane(lane: Lane): TimelineEvent[] {
    return this.events.filter((e) => e.lane === lane);
  }

  filter(f: TimelineFilter): TimelineEvent[] {
    const text = f.text?.trim().toLowerCase();
    return this.events.filter(
      (e) =>
        (!f.lanes || f.lanes.includes(e.lane)) &&
        (!f.kinds || f.kinds.includes(e.kind)) &&
        (!text || searchable(e).includes(text)),
    );
  }

  /** Span start/end pairs (kind 'span'), in order of start; open spans have no end. */
  spans(): TimelineSpan[] {
    const open = new Map<string, TimelineSpan>();
    const out: TimelineSpan[] = [];
    for (const e of this.events) {
      if (e.kind !== 'span' || !e.spanId) continue;
      if (e.phase === 'start') {
        const span: TimelineSpan = {
          id: e.spanId,
          lane: e.lane,
          summary: e.summary,
          start: e.t,
          ruleIds: [...e.ruleIds],
          ...(e.parentSpanId ? { parentSpanId: e.parentSpanId } : {}),
        };
        open.set(e.spanId, span);
        out.push(span);
      } else if (e.phase === 'end') {
        const span = open.get(e.spanId);
        if (!span) continue;
        open.delete(e.spanId);
        span.end = e.t;
        span.durationMs = e.t - span.start;
        span.endSummary = e.summary;
        for (const r of e.ruleIds) if (!span.ruleIds.includes(r)) span.ruleIds.push(r);
      }
    }
    return out;
  }

  /** How many HTTP exchanges match: a predicate, or lane/method/pathname/label/status. */
  httpCount(query: HttpQuery | ((e: TimelineEvent) => boolean) = {}): number {
    const test =
      typeof query === 'function'
        ? query
        : (e: TimelineEvent) =>
            (query.lane === undefined || e.lane === query.lane) &&
            (query.method === undefined ||
              e.http?.request.method.toUpperCase() === query.method.toUpperCase()) &&
            matches(e.http ? pathnameOf(e.http.request.url) : undefined, query.pathname) &&
            matches(e.http?.label, query.label) &&
            (query.status === undefined || e.http?.response?.status === query.status);
    return this.events.filter((e) => e.kind === 'http' && e.http && test(e)).length;
  }

  /** Every rule ID the events cite, in order of first appearance. */
  ruleIdsSeen(): string[] {
    const seen = new Set<string>();
    for (const e of this.events) for (const r of e.ruleIds) seen.add(r);
    return [...seen];
  }

  /** First and last event time (an HTTP event counts from when its request left); undefined when empty. */
  timeRange(): { start: number; end: number; durationMs: number } | undefined {
    if (!this.events.length) return undefined;
    let start = Number.POSITIVE_INFINITY;
    let end = Number.NEGATIVE_INFINITY;
    for (const e of this.events) {
      start = Math.min(start, e.t - (e.http?.durationMs ?? 0));
      end = Math.max(end, e.t);
    }
    return { start, end, durationMs: end - start };
  }

  /** Lanes that have events, left to right as LANES orders them. */
  lanesUsed(): Lane[] {
    const used = new Set(this.events.map((e) => e.lane));
    return LANES.filter((l) => used.has(l));
  }
}

import { LANES, type Lane, type TimelineEvent } from '../../engine/timeline/events';

/**
 * Pure helpers the timeline views draw with: time labels, which lane columns to show, where an
 * arrow starts and ends, and how a body reads best. No React, so they are tested in Node.
 */

/** `+0.123 s`: time since `start`, in seconds with milliseconds. */
export function formatOffset(t: number, start: number): string {
  const s = (t - start) / 1000;
  return `${s < 0 ? '−' : '+'}${Math.abs(s).toFixed(3)} s`;
}

/** `Δ 12 ms` / `Δ 1.50 s`: the gap since the previous event (for the time-scale toggle). */
export function formatDelta(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 1000) return `Δ ${Math.round(ms)} ms`;
  if (abs < 60_000) return `Δ ${(ms / 1000).toFixed(2)} s`;
  return `Δ ${(ms / 60_000).toFixed(1)} min`;
}

/** `123 ms`, `4.2 s`: a duration. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** "N of M events": the counter under the toolbar. */
export function countLabel(shown: number, total: number): string {
  return `${shown.toLocaleString('en')} of ${total.toLocaleString('en')} ${total === 1 ? 'event' : 'events'}`;
}

/**
 * The lane columns to draw: every lane an event sits in or an HTTP arrow touches, in LANES order.
 * (The model's `lanesUsed` counts event lanes only; an arrow from `host` needs the host column.)
 */
export function lanesInUse(events: readonly TimelineEvent[]): Lane[] {
  const used = new Set<Lane>();
  for (const e of events) {
    used.add(e.lane);
    if (e.http) {
      used.add(e.http.from);
      used.add(e.http.to);
    }
  }
  return LANES.filter((l) => used.has(l));
}

/** Centre of a lane column, as a fraction of the swimlane area's width. */
export function laneCentre(lane: Lane, lanes: readonly Lane[]): number | undefined {
  const i = lanes.indexOf(lane);
  return i < 0 || lanes.length === 0 ? undefined : (i + 0.5) / lanes.length;
}

export interface ArrowGeometry {
  /** Left end, as a fraction of the swimlane width. */
  left: number;
  /** Length, as a fraction of the swimlane width (0 for a call to the same lane). */
  width: number;
  /** Which way the head points. */
  direction: 'right' | 'left' | 'self';
}

/** Where an HTTP arrow goes between the `from` and `to` lane centres; undefined if a lane is hidden. */
export function arrowGeometry(from: Lane, to: Lane, lanes: readonly Lane[]): ArrowGeometry | undefined {
  const a = laneCentre(from, lanes);
  const b = laneCentre(to, lanes);
  if (a === undefined || b === undefined) return undefined;
  if (a === b) return { left: a, width: 0, direction: 'self' };
  return { left: Math.min(a, b), width: Math.abs(b - a), direction: b > a ? 'right' : 'left' };
}

export type Outcome = 'ok' | 'redirect' | 'client-error' | 'server-error' | 'failed' | 'pending';

/** How an HTTP exchange ended, for its colour and its label. */
export function httpOutcome(e: TimelineEvent): Outcome | undefined {
  const h = e.http;
  if (!h) return undefined;
  if (h.failure) return 'failed';
  const status = h.response?.status;
  if (status === undefined) return 'pending';
  if (status >= 500) return 'server-error';
  if (status >= 400) return 'client-error';
  if (status >= 300) return 'redirect';
  return 'ok';
}

/** The level an event is drawn with: its own, else error for error kinds and failed requests. */
export function effectiveLevel(e: TimelineEvent): 'info' | 'warn' | 'error' {
  if (e.level) return e.level;
  if (e.kind === 'error' || e.http?.failure) return 'error';
  return 'info';
}

/** A header by name, ignoring case. */
export function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === want) return v;
  return undefined;
}

export interface PrettyBody {
  text: string;
  /** What the body turned out to be. */
  format: 'json' | 'form' | 'text';
}

/**
 * A body as a person reads it best: JSON indented, a form one field per line, else as is.
 * SSE bodies (`data: {…}` lines) keep their framing with each JSON payload indented.
 */
export function prettyBody(body: string, contentType = ''): PrettyBody {
  const type = contentType.toLowerCase();
  const trimmed = body.trim();
  if (type.includes('json') || /^[[{]/.test(trimmed)) {
    try {
      return { text: JSON.stringify(JSON.parse(trimmed), null, 2), format: 'json' };
    } catch {
      /* not JSON after all */
    }
  }
  if (type.includes('text/event-stream')) {
    const lines = body.split(/\r?\n/).map((line) => {
      const m = /^data:\s?(.*)$/.exec(line);
      if (!m?.[1]) return line;
      try {
        return `data: ${JSON.stringify(JSON.parse(m[1]), null, 2)}`;
      } catch {
        return line;
      }
    });
    return { text: lines.join('\n'), format: 'text' };
  }
  // The recorder keeps form bodies decoded (spaces and all), so split on `&` rather than parse.
  if (type.includes('application/x-www-form-urlencoded'))
    return { text: trimmed.split('&').join('\n'), format: 'form' };
  return { text: body, format: 'text' };
}

import type { Clock } from '../clock';
import type { EventInput, HttpExchange, Lane, TimelineEvent } from './events';
import { Redactor } from './redact';

let counter = 0;
const newId = (prefix: string) =>
  `${prefix}${(++counter).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

export interface Span {
  readonly id: string;
  /** Records the span's end with a closing summary. */
  end(summary: string, extra?: Partial<EventInput>): void;
}

/**
 * Collects timeline events. Redaction happens here, when an event is created (T7), so nothing
 * that reaches subscribers, the UI or an export ever held a secret.
 */
export class TimelineRecorder {
  readonly events: TimelineEvent[] = [];
  readonly redactor = new Redactor();
  readonly #listeners = new Set<(e: TimelineEvent) => void>();

  constructor(readonly clock: Clock) {}

  record(input: EventInput): TimelineEvent {
    const { ruleIds, t, ...rest } = input;
    const event: TimelineEvent = {
      ...rest,
      v: 1,
      id: newId('e'),
      t: t ?? this.clock.now(),
      ruleIds: ruleIds ?? [],
      summary: this.redactor.text(input.summary),
      ...(input.http ? { http: this.#redactHttp(input.http) } : {}),
      ...(input.data ? { data: this.redactor.value(input.data) as Record<string, unknown> } : {}),
    };
    this.events.push(event);
    for (const fn of this.#listeners) fn(event);
    return event;
  }

  /** Opens a span (a flow, a refresh, a connect) and returns a handle that closes it. */
  span(lane: Lane, summary: string, extra: Partial<EventInput> = {}): Span {
    const id = newId('s');
    this.record({ lane, kind: 'span', phase: 'start', summary, spanId: id, ...extra });
    return {
      id,
      end: (endSummary, more = {}) =>
        this.record({ lane, kind: 'span', phase: 'end', summary: endSummary, spanId: id, ...extra, ...more }),
    };
  }

  subscribe(fn: (e: TimelineEvent) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  clear(): void {
    this.events.length = 0;
  }

  #redactHttp(h: HttpExchange): HttpExchange {
    const r = this.redactor;
    const reqType = h.request.headers['content-type'] ?? '';
    const resType = h.response?.headers['content-type'] ?? '';
    return {
      ...h,
      request: {
        ...h.request,
        url: r.url(h.request.url),
        headers: r.headers(h.request.headers),
        ...(h.request.body !== undefined ? { body: r.body(h.request.body, reqType) } : {}),
      },
      ...(h.response
        ? {
            response: {
              ...h.response,
              headers: r.headers(h.response.headers),
              ...(h.response.body !== undefined ? { body: r.body(h.response.body, resType) } : {}),
            },
          }
        : {}),
      ...(h.failure ? { failure: r.text(h.failure) } : {}),
    };
  }
}

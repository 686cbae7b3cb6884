import type { TimelineEvent } from './events';
import { printable } from './printable';

const LANE_TAGS: Record<TimelineEvent['lane'], string> = {
  user: 'user',
  host: 'host',
  app: 'app',
  factory: 'factory',
  flows: 'flows',
  tokens: 'tokens',
  mcp: 'mcp',
  as: 'auth',
};

/**
 * One readable line per event, for terminals and logs: time since the first event, the lane, the
 * summary, and the rule IDs that produced it.
 *   +0.412s  auth     POST /token → 200 (token: authorization_code)          [O8]
 */
export function formatEventLine(event: TimelineEvent, start: number): string {
  const t = `+${((event.t - start) / 1000).toFixed(3)}s`.padEnd(10);
  const lane = LANE_TAGS[event.lane].padEnd(8);
  const mark = event.level === 'error' ? '✗ ' : event.level === 'warn' ? '! ' : '';
  const phase = event.kind === 'span' ? (event.phase === 'start' ? '┌ ' : '└ ') : '';
  const rules = event.ruleIds.length ? `  [${event.ruleIds.join(' ')}]` : '';
  // HX5: summaries quote servers; a terminal must not interpret what they chose.
  return `${t}${lane}${mark}${phase}${printable(event.summary)}${rules}`;
}

/** The whole timeline as text lines (TL7). */
export function toText(events: readonly TimelineEvent[]): string {
  const start = events[0]?.t ?? 0;
  return events.map((e) => formatEventLine(e, start)).join('\n');
}

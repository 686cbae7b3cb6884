import type { EventKind, Lane, TimelineEvent } from '../../engine/timeline/events';
import type { TimelineModel } from '../../engine/timeline/model';
import { effectiveLevel } from './format';

/**
 * What the person filtered. Lanes and kinds are kept as what is *hidden*, so a lane that first
 * appears in a live stream shows up instead of being silently filtered out.
 */
export interface TimelineFilterState {
  hiddenLanes: ReadonlySet<Lane>;
  hiddenKinds: ReadonlySet<EventKind>;
  text: string;
  /** Only warnings and errors. */
  problemsOnly: boolean;
}

export const NO_FILTER: TimelineFilterState = {
  hiddenLanes: new Set(),
  hiddenKinds: new Set(),
  text: '',
  problemsOnly: false,
};

/** A copy of `set` with `item` added or removed. */
export function toggled<T>(set: ReadonlySet<T>, item: T): ReadonlySet<T> {
  const next = new Set(set);
  if (!next.delete(item)) next.add(item);
  return next;
}

/** The events the view shows, in time order, through the model's own filter. */
export function applyFilter(
  model: TimelineModel,
  state: TimelineFilterState,
  allLanes: readonly Lane[],
  allKinds: readonly EventKind[],
): TimelineEvent[] {
  const filtered = model.filter({
    ...(state.hiddenLanes.size ? { lanes: allLanes.filter((l) => !state.hiddenLanes.has(l)) } : {}),
    ...(state.hiddenKinds.size ? { kinds: allKinds.filter((k) => !state.hiddenKinds.has(k)) } : {}),
    ...(state.text.trim() ? { text: state.text } : {}),
  });
  return state.problemsOnly ? filtered.filter((e) => effectiveLevel(e) !== 'info') : filtered;
}

/** The kinds present, in a stable order. */
export function kindsInUse(events: readonly TimelineEvent[], order: readonly EventKind[]): EventKind[] {
  const used = new Set(events.map((e) => e.kind));
  return order.filter((k) => used.has(k));
}

/**
 * For each event, the lanes with a span open at that moment (activation bars in a sequence
 * diagram), computed over the whole timeline so filtering does not change them.
 */
export function openSpanLanes(events: readonly TimelineEvent[]): Map<string, readonly Lane[]> {
  const open = new Map<string, Lane>();
  const out = new Map<string, readonly Lane[]>();
  let current: readonly Lane[] = [];
  for (const e of events) {
    if (e.kind === 'span' && e.spanId) {
      if (e.phase === 'start') open.set(e.spanId, e.lane);
      const lanes = new Set(open.values());
      current = [...lanes];
      if (e.phase === 'end') open.delete(e.spanId);
      out.set(e.id, current);
      current = [...new Set(open.values())];
      continue;
    }
    out.set(e.id, current);
  }
  return out;
}

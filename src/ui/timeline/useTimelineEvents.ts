import { useEffect, useState } from 'react';
import type { TimelineEvent } from '../../engine/timeline/events';
import type { TimelineRecorder } from '../../engine/timeline/recorder';
import { createFrameBatcher } from './frame-batcher';

const EMPTY: readonly TimelineEvent[] = [];

/** At most this often does the live timeline re-render while events stream in (~7 per second). */
export const LIVE_REFRESH_MS = 150;

/**
 * The events to show: a snapshot of the recorder's events, refreshed at most once per animation
 * frame and every LIVE_REFRESH_MS while it records, or the fixed `events` of a replay.
 */
export function useTimelineEvents(
  recorder: TimelineRecorder | undefined,
  events: readonly TimelineEvent[] | undefined,
): readonly TimelineEvent[] {
  const [live, setLive] = useState<readonly TimelineEvent[]>(() => recorder?.events.slice() ?? EMPTY);

  useEffect(() => {
    if (!recorder) return;
    const batcher = createFrameBatcher(() => setLive(recorder.events.slice()), undefined, LIVE_REFRESH_MS);
    const unsubscribe = recorder.subscribe(() => batcher.notify());
    // Events recorded between the first render and this subscription (and a `clear()`, which does
    // not notify) are picked up here.
    setLive(recorder.events.slice());
    return () => {
      unsubscribe();
      batcher.dispose();
    };
  }, [recorder]);

  return recorder ? live : (events ?? EMPTY);
}

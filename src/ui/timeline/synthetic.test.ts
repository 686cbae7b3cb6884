// Test IDs of the timeline panel's synthetic timelines (no spec rule covers the UI):
// UI-TL5  syntheticEvents(n) gives exactly n valid, time-ordered, deterministic events with a realistic
//         mix (every lane and kind, HTTP with 2xx/4xx and failures, warnings, errors, paired spans).
import { describe, expect, it } from 'vitest';
import { LANES } from '../../engine/timeline/events';
import { parseRecording, serializeRecording, toRecording } from '../../engine/timeline/export-json';
import { TimelineModel } from '../../engine/timeline/model';
import { findJwts } from './jwt';
import { KIND_ORDER } from './lane-style';
import { syntheticEvents } from './synthetic';

describe('synthetic events', () => {
  it('UI-TL5: exactly n events with unique ids, in time order, the same on every call', () => {
    for (const n of [0, 1, 7, 1000]) {
      const events = syntheticEvents(n);
      expect(events).toHaveLength(n);
      expect(new Set(events.map((e) => e.id)).size).toBe(n);
      for (let i = 1; i < n; i++) expect(events[i]?.t).toBeGreaterThan(events[i - 1]?.t ?? 0);
    }
    expect(syntheticEvents(300)).toEqual(syntheticEvents(300));
  });

  it('UI-TL5: 10,000 events are a valid recording (they survive export and import)', () => {
    const recording = toRecording(syntheticEvents(10_000));
    expect(parseRecording(serializeRecording(recording))).toEqual(recording);
  });

  it('UI-TL5: the mix covers every lane and kind, outcomes, levels, spans and a decodable JWT', () => {
    const events = syntheticEvents(200);
    const model = new TimelineModel(events);
    expect(new Set(events.map((e) => e.lane))).toEqual(new Set(LANES));
    expect(new Set(events.map((e) => e.kind))).toEqual(new Set(KIND_ORDER));
    expect(model.httpCount({ status: 200 })).toBeGreaterThan(5);
    expect(model.httpCount({ status: 401 })).toBeGreaterThan(1);
    expect(model.httpCount({ status: 403 })).toBeGreaterThan(0);
    expect(model.httpCount((e) => e.http?.failure !== undefined)).toBeGreaterThan(0);
    expect(events.some((e) => e.level === 'warn')).toBe(true);
    expect(events.some((e) => e.level === 'error')).toBe(true);
    expect(model.spans().filter((s) => s.end !== undefined).length).toBeGreaterThan(5);
    expect(events.flatMap(findJwts).length).toBeGreaterThan(0);
    expect(events.filter((e) => e.ruleIds.length > 0).length / events.length).toBeGreaterThan(0.7);
  });

  it('UI-TL5: an HTTP exchange never started before the previous event', () => {
    const events = syntheticEvents(500);
    for (let i = 1; i < events.length; i++) {
      const e = events[i];
      if (e?.http?.durationMs !== undefined)
        expect(e.t - e.http.durationMs).toBeGreaterThanOrEqual(events[i - 1]?.t ?? 0);
    }
  });
});

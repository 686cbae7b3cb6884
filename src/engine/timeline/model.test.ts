// TL6: requirement ID of the timeline model (DESIGN.md: a model with no React and pure time↔pixel functions).
import { describe, expect, it } from 'vitest';
import { TimelineModel, timeToX, xToTime } from './model';
import { SAMPLE_T0, sampleEvents } from './testing';

const model = () => new TimelineModel([...sampleEvents()].reverse());

describe('TimelineModel', () => {
  it('TL6: events are kept in time order whatever order they came in', () => {
    const ts = model().events.map((e) => e.t);
    expect(ts).toEqual([...ts].sort((a, b) => a - b));
    expect(ts[0]).toBe(SAMPLE_T0);
  });

  it('TL6: byLane and filter select by lane, kind and text', () => {
    const m = model();
    expect(m.byLane('as').map((e) => e.summary)).toEqual([
      'GET /.well-known/oauth-authorization-server → 200 (AS metadata)',
      'POST /token → 302 (token: refresh_token)',
    ]);
    expect(m.filter({ kinds: ['http'], lanes: ['mcp'] })).toHaveLength(2);
    expect(m.filter({ text: 'REFRESH' }).map((e) => e.lane)).toEqual(['as', 'tokens']);
    expect(m.filter({ text: 'd3' }).map((e) => e.kind)).toEqual(['decision']);
    expect(m.filter({ text: 'oauth-authorization-server' })).toHaveLength(1);
    expect(m.filter({})).toHaveLength(m.events.length);
  });

  it('TL6: spans pair start and end with a duration; an open span has no end', () => {
    expect(model().spans()).toEqual([
      {
        id: 'connect1',
        lane: 'factory',
        summary: 'Connect to dcr',
        start: SAMPLE_T0,
        end: SAMPLE_T0 + 500,
        durationMs: 500,
        endSummary: 'Connected',
        ruleIds: ['D2'],
      },
      { id: 'flow1', lane: 'flows', summary: 'Flow PENDING', start: SAMPLE_T0 + 510, ruleIds: ['S2'] },
    ]);
  });

  it('TL6: httpCount counts by lane, method, pathname, label and status, or by predicate', () => {
    const m = model();
    expect(m.httpCount()).toBe(4);
    expect(m.httpCount({ lane: 'mcp' })).toBe(2);
    expect(m.httpCount({ method: 'post', pathname: '/token' })).toBe(1);
    expect(m.httpCount({ label: /^token: / })).toBe(1);
    expect(m.httpCount({ label: 'initialize', status: 401 })).toBe(1);
    expect(m.httpCount({ pathname: /well-known/ })).toBe(1);
    expect(m.httpCount((e) => e.http?.failure !== undefined)).toBe(1);
    expect(m.httpCount({ lane: 'tokens' })).toBe(0);
  });

  it('TL6: ruleIdsSeen lists each rule once in order of first appearance; timeRange spans all events', () => {
    const m = model();
    expect(m.ruleIdsSeen()).toEqual(['F8', 'D3', 'T5', 'D2', 'S2']);
    expect(m.timeRange()).toEqual({ start: SAMPLE_T0, end: SAMPLE_T0 + 510, durationMs: 510 });
    expect(new TimelineModel([]).timeRange()).toBeUndefined();
    expect(m.lanesUsed()).toEqual(['host', 'factory', 'flows', 'tokens', 'mcp', 'as']);
  });

  it('TL6: an HTTP event counts in the time range from when its request left', () => {
    const [first] = sampleEvents().filter((e) => e.kind === 'http');
    expect(first && new TimelineModel([first]).timeRange()).toEqual({
      start: SAMPLE_T0 + 5,
      end: SAMPLE_T0 + 20,
      durationMs: 15,
    });
  });
});

describe('time ↔ pixels', () => {
  const axis = { start: 1000, end: 3000, width: 400 };

  it('TL6: timeToX maps the range onto the width, and xToTime is its inverse', () => {
    expect(timeToX(1000, axis)).toBe(0);
    expect(timeToX(2000, axis)).toBe(200);
    expect(timeToX(3000, axis)).toBe(400);
    expect(timeToX(3500, axis)).toBe(500);
    for (const t of [1000, 1234, 2999.5]) expect(xToTime(timeToX(t, axis), axis)).toBeCloseTo(t, 9);
  });

  it('TL6: degenerate axes do not divide by zero', () => {
    expect(timeToX(5, { start: 5, end: 5, width: 100 })).toBe(0);
    expect(xToTime(50, { start: 5, end: 9, width: 0 })).toBe(5);
  });
});

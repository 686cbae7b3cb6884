// Test IDs of the timeline panel's pure helpers (no spec rule covers the UI):
// UI-TL1  time labels: "+0.123 s" since the first event, "Δ …" since the previous one, durations, the counter.
// UI-TL6  swimlane geometry: which lane columns show, where an HTTP arrow starts and ends, outcome and level.
// UI-TL8  bodies read well: JSON indented, form fields one per line, SSE payloads indented, other text as is.
import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../engine/timeline/events';
import { sampleEvents } from '../../engine/timeline/testing';
import {
  arrowGeometry,
  countLabel,
  effectiveLevel,
  formatDelta,
  formatDuration,
  formatOffset,
  httpOutcome,
  laneCentre,
  lanesInUse,
  prettyBody,
} from './format';

const base: TimelineEvent = {
  v: 1,
  id: 'x',
  t: 0,
  lane: 'factory',
  kind: 'event',
  summary: 's',
  ruleIds: [],
};

describe('time labels', () => {
  it('UI-TL1: offsets since start are seconds with milliseconds and a sign', () => {
    expect(formatOffset(1123, 1000)).toBe('+0.123 s');
    expect(formatOffset(1000, 1000)).toBe('+0.000 s');
    expect(formatOffset(62_500, 0)).toBe('+62.500 s');
    expect(formatOffset(900, 1000)).toBe('−0.100 s');
  });

  it('UI-TL1: gaps since the previous event switch unit with size', () => {
    expect(formatDelta(12.4)).toBe('Δ 12 ms');
    expect(formatDelta(1500)).toBe('Δ 1.50 s');
    expect(formatDelta(90_000)).toBe('Δ 1.5 min');
    expect(formatDuration(999)).toBe('999 ms');
    expect(formatDuration(4200)).toBe('4.20 s');
    expect(formatDuration(42_000)).toBe('42.0 s');
  });

  it('UI-TL1: the counter says "N of M events" with thousands separators', () => {
    expect(countLabel(3, 10)).toBe('3 of 10 events');
    expect(countLabel(10_000, 10_000)).toBe('10,000 of 10,000 events');
    expect(countLabel(1, 1)).toBe('1 of 1 event');
  });
});

describe('swimlane geometry', () => {
  it('UI-TL6: lanes in use include both ends of every HTTP arrow, in LANES order', () => {
    const events = sampleEvents();
    // The sample's HTTP events sit in mcp/as lanes but are sent from host.
    expect(lanesInUse(events)).toEqual(['host', 'factory', 'flows', 'tokens', 'mcp', 'as']);
    expect(lanesInUse([])).toEqual([]);
  });

  it('UI-TL6: lane centres split the swimlane width evenly; a hidden lane has none', () => {
    const lanes = ['host', 'mcp', 'as'] as const;
    expect(laneCentre('host', lanes)).toBeCloseTo(1 / 6);
    expect(laneCentre('as', lanes)).toBeCloseTo(5 / 6);
    expect(laneCentre('user', lanes)).toBeUndefined();
  });

  it('UI-TL6: an arrow spans from one centre to the other and points at the receiver', () => {
    const lanes = ['user', 'host', 'mcp', 'as'] as const;
    const right = arrowGeometry('host', 'as', lanes);
    expect(right?.direction).toBe('right');
    expect(right?.left).toBeCloseTo(3 / 8);
    expect(right?.width).toBeCloseTo(4 / 8);
    const left = arrowGeometry('as', 'user', lanes);
    expect(left?.direction).toBe('left');
    expect(left?.left).toBeCloseTo(1 / 8);
    expect(left?.width).toBeCloseTo(6 / 8);
    expect(arrowGeometry('mcp', 'mcp', lanes)).toEqual({ left: 5 / 8, width: 0, direction: 'self' });
    expect(arrowGeometry('host', 'tokens', lanes)).toBeUndefined();
  });

  it('UI-TL6: outcomes and levels: failures and error kinds are errors even without a level', () => {
    const [, unauthorized, decision, , redirect, error, , failed] = sampleEvents();
    expect(unauthorized && httpOutcome(unauthorized)).toBe('client-error');
    expect(redirect && httpOutcome(redirect)).toBe('redirect');
    expect(failed && httpOutcome(failed)).toBe('failed');
    expect(decision && httpOutcome(decision)).toBeUndefined();
    expect(error && effectiveLevel(error)).toBe('error');
    expect(effectiveLevel({ ...base, kind: 'error' })).toBe('error');
    expect(
      effectiveLevel({
        ...base,
        kind: 'http',
        http: { from: 'host', to: 'mcp', request: { method: 'GET', url: 'x', headers: {} }, failure: 'cors' },
      }),
    ).toBe('error');
    expect(effectiveLevel({ ...base, level: 'warn' })).toBe('warn');
    expect(effectiveLevel(base)).toBe('info');
  });
});

describe('bodies', () => {
  it('UI-TL8: JSON is indented, by content type or by shape', () => {
    expect(prettyBody('{"a":1,"b":[2]}', 'application/json')).toEqual({
      text: '{\n  "a": 1,\n  "b": [\n    2\n  ]\n}',
      format: 'json',
    });
    expect(prettyBody(' [1] ').format).toBe('json');
    expect(prettyBody('{not json', 'application/json')).toEqual({ text: '{not json', format: 'text' });
  });

  it('UI-TL8: a form body shows one field per line, as recorded (already decoded, redacted)', () => {
    const body = 'grant_type=refresh_token&refresh_token=rt_9f2…#5b6c7d&scope=a b';
    expect(prettyBody(body, 'application/x-www-form-urlencoded; charset=utf-8')).toEqual({
      text: 'grant_type=refresh_token\nrefresh_token=rt_9f2…#5b6c7d\nscope=a b',
      format: 'form',
    });
  });

  it('UI-TL8: SSE keeps its framing with each JSON payload indented; plain text is untouched', () => {
    const sse = 'event: message\ndata: {"jsonrpc":"2.0","id":1}\n\n';
    expect(prettyBody(sse, 'text/event-stream').text).toBe(
      'event: message\ndata: {\n  "jsonrpc": "2.0",\n  "id": 1\n}\n\n',
    );
    expect(prettyBody('hello', 'text/plain')).toEqual({ text: 'hello', format: 'text' });
  });
});

// TL1–TL3: requirement IDs of the timeline file format (DESIGN.md: "a versioned event union (old
// exports still open)"); no spec/behaviour.md rule covers exporters.
import { describe, expect, it } from 'vitest';
import { isLabError } from '../errors';
import { RECORDING_FORMAT } from './events';
import { parseRecording, serializeRecording, toRecording, upgradeRecording } from './export-json';
import { sampleEvents } from './testing';

const good = () => toRecording(sampleEvents(), 'Sample', new Date('2026-01-02T03:04:05.000Z'));

function message(text: string): string {
  try {
    parseRecording(text);
  } catch (e) {
    expect(isLabError(e, 'invalid_input')).toBe(true);
    return (e as Error).message;
  }
  throw new Error('parseRecording accepted it');
}

const withEvent = (patch: Record<string, unknown>, index = 1) => {
  const rec = JSON.parse(serializeRecording(good())) as { events: Record<string, unknown>[] };
  rec.events[index] = { ...rec.events[index], ...patch };
  return JSON.stringify(rec);
};

describe('recordings', () => {
  it('TL1: a recording round-trips through JSON unchanged', () => {
    const rec = good();
    expect(rec).toMatchObject({
      format: RECORDING_FORMAT,
      version: 1,
      createdAt: '2026-01-02T03:04:05.000Z',
      title: 'Sample',
    });
    expect(parseRecording(serializeRecording(rec))).toEqual(rec);
  });

  it.each([
    ['{not json', /^Failed to open the recording: it is not JSON \(/],
    ['[1,2]', /expected a JSON object, got an array/],
    ['"text"', /expected a JSON object, got string/],
    ['{"format":"har","version":1,"events":[]}', /"format" is "har", expected "mcp-lab-timeline"/],
    [
      `{"format":"${RECORDING_FORMAT}","version":"1","createdAt":"2026-01-01T00:00:00Z","events":[]}`,
      /"version" must be a positive whole number, got "1"/,
    ],
    [
      `{"format":"${RECORDING_FORMAT}","version":7,"createdAt":"2026-01-01T00:00:00Z","events":[]}`,
      /version 7, newer than this lab understands \(1\)/,
    ],
    [
      `{"format":"${RECORDING_FORMAT}","version":1,"createdAt":"yesterday","events":[]}`,
      /"createdAt" must be an ISO date/,
    ],
    [
      `{"format":"${RECORDING_FORMAT}","version":1,"createdAt":"2026-01-01T00:00:00Z","events":{}}`,
      /"events" must be an array/,
    ],
  ])('TL2: parseRecording rejects malformed input with a precise message: %s', (text, why) => {
    expect(message(text)).toMatch(why);
  });

  it.each([
    [{ lane: 'moon' }, /events\[1\]\.lane is "moon", not a lane \(user, host/],
    [{ kind: 'telepathy' }, /events\[1\]\.kind is "telepathy", not an event kind/],
    [{ t: 'noon' }, /events\[1\]\.t must be a finite number/],
    [{ v: 2 }, /events\[1\]\.v must be 1, got 2/],
    [{ ruleIds: ['F8', 3] }, /events\[1\]\.ruleIds must be an array of strings/],
    [{ level: 'fatal' }, /events\[1\]\.level must be one of info, warn, error/],
    [
      { http: { from: 'host', to: 'mcp', request: { method: 'GET', url: 'x', headers: { a: 1 } } } },
      /events\[1\]\.http\.request\.headers\.a must be a string/,
    ],
    [
      {
        http: {
          from: 'host',
          to: 'mcp',
          request: { method: 'GET', url: 'x', headers: {} },
          response: { status: '200', headers: {} },
        },
      },
      /events\[1\]\.http\.response\.status must be a whole number/,
    ],
  ])('TL2: parseRecording names the event and field that is wrong: %j', (patch, why) => {
    expect(message(withEvent(patch))).toMatch(why);
  });

  it('TL2: every message says how to get a good file', () => {
    expect(message('nope')).toContain('Open a file exported by MCP Lab');
  });
});

describe('upgraders', () => {
  it('TL3: older versions are lifted one step at a time through the upgrader table', () => {
    const seen: number[] = [];
    const table = {
      1: (r: Record<string, unknown>) => {
        seen.push(1);
        return { ...r, version: 2, upgradedFrom1: true };
      },
      2: (r: Record<string, unknown>) => {
        seen.push(2);
        return { ...r, version: 3 };
      },
    };
    const out = upgradeRecording({ format: RECORDING_FORMAT, version: 1 }, table, 3);
    expect(out).toEqual({ format: RECORDING_FORMAT, version: 3, upgradedFrom1: true });
    expect(seen).toEqual([1, 2]);
    expect(upgradeRecording({ version: 2 }, table, 3)).toEqual({ version: 3 });
  });

  it('TL3: a missing or broken upgrader is an invalid_input error, not a silent pass', () => {
    expect(() => upgradeRecording({ version: 1 }, {}, 2)).toThrowError(/no upgrader from version 1/);
    expect(() => upgradeRecording({ version: 1 }, { 1: (r) => ({ ...r, version: 1 }) }, 2)).toThrowError(
      /the upgrader from version 1 produced version 1/,
    );
  });
});

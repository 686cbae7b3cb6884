import { expect, it } from 'vitest';
import type { TimelineEvent } from './events';
import { formatEventLine, toText } from './export-text';

// TL7: the text export used by the command line: one line per event, time, lane, summary, rule IDs.
const e = (over: Partial<TimelineEvent>): TimelineEvent => ({
  v: 1,
  id: 'x',
  t: 1000,
  lane: 'as',
  kind: 'http',
  summary: 's',
  ruleIds: [],
  ...over,
});

it('TL7: a line shows the time since the start, the lane, warnings, spans and rule IDs', () => {
  expect(formatEventLine(e({ t: 1412, summary: 'POST /token → 200', ruleIds: ['O8'] }), 1000)).toBe(
    '+0.412s   auth    POST /token → 200  [O8]',
  );
  expect(
    formatEventLine(e({ lane: 'factory', kind: 'decision', level: 'warn', summary: 'refused' }), 1000),
  ).toBe('+0.000s   factory ! refused');
  expect(formatEventLine(e({ kind: 'span', phase: 'start', summary: 'flow' }), 1000)).toContain('┌ flow');
  expect(toText([e({ t: 5 }), e({ t: 1005, summary: 'b' })]).split('\n')).toEqual([
    '+0.000s   auth    s',
    '+1.000s   auth    b',
  ]);
});

// GATE*: requirement IDs of the step-through gate (DESIGN.md, educators step through a flow); no spec rule covers it.
import { describe, expect, it } from 'vitest';
import { flushMicrotasks } from '../clock';
import { type GateSnapshot, StepGate } from './step-gate';

const step = (url: string) => ({
  method: 'POST',
  url,
  lane: 'as' as const,
  label: 'token: authorization_code',
});

/** Tracks whether a promise has settled, without awaiting it. */
function track(p: Promise<void>) {
  const state = { settled: false, error: undefined as unknown };
  p.then(
    () => {
      state.settled = true;
    },
    (e: unknown) => {
      state.settled = true;
      state.error = e;
    },
  );
  return state;
}

describe('StepGate', () => {
  it('GATE1: when enabled, a request waits until continue(), which releases the oldest first', async () => {
    const gate = new StepGate({ enabled: true, now: () => 42 });
    const a = track(gate.pause(step('https://as/a')));
    const b = track(gate.pause(step('https://as/b')));
    await flushMicrotasks();
    expect(a.settled || b.settled).toBe(false);
    expect(gate.pending.map((p) => [p.url, p.since])).toEqual([
      ['https://as/a', 42],
      ['https://as/b', 42],
    ]);
    expect(gate.continue()?.url).toBe('https://as/a');
    await flushMicrotasks();
    expect([a.settled, b.settled]).toEqual([true, false]);
    expect(gate.continue()?.url).toBe('https://as/b');
    await flushMicrotasks();
    expect(b.settled).toBe(true);
    expect(gate.continue()).toBeUndefined();
  });

  it('GATE2: runToEnd() turns the gate off and releases every waiting request', async () => {
    const gate = new StepGate({ enabled: true });
    const waits = [track(gate.pause(step('https://as/1'))), track(gate.pause(step('https://as/2')))];
    gate.runToEnd();
    await flushMicrotasks();
    expect(waits.every((w) => w.settled && w.error === undefined)).toBe(true);
    expect(gate.enabled).toBe(false);
    expect(gate.pending).toEqual([]);
    const later = track(gate.pause(step('https://as/3')));
    await flushMicrotasks();
    expect(later.settled).toBe(true);
  });

  it('GATE3: a disabled gate lets requests through; enable() starts holding them', async () => {
    const gate = new StepGate();
    const free = track(gate.pause(step('https://as/free')));
    await flushMicrotasks();
    expect(free.settled).toBe(true);
    gate.enable();
    const held = track(gate.pause(step('https://as/held')));
    await flushMicrotasks();
    expect(held.settled).toBe(false);
    gate.continue();
    await flushMicrotasks();
    expect(held.settled).toBe(true);
  });

  it('GATE4: aborting a waiting request rejects it with the abort reason and takes it off the queue', async () => {
    const gate = new StepGate({ enabled: true });
    const ac = new AbortController();
    const waiting = track(gate.pause(step('https://as/x'), ac.signal));
    const other = track(gate.pause(step('https://as/y')));
    ac.abort();
    await flushMicrotasks();
    expect(waiting.settled).toBe(true);
    expect((waiting.error as Error).name).toBe('AbortError');
    expect(gate.pending.map((p) => p.url)).toEqual(['https://as/y']);
    expect(other.settled).toBe(false);
    await expect(gate.pause(step('https://as/z'), ac.signal)).rejects.toThrow();
    expect(gate.pending).toHaveLength(1);
  });

  it('GATE5: subscribers see every change as a snapshot, until they unsubscribe', async () => {
    const gate = new StepGate();
    const seen: GateSnapshot[] = [];
    const off = gate.subscribe((s) => seen.push(s));
    gate.enable();
    void gate.pause({ ...step('https://as/s'), explanation: 'Exchange the code' });
    gate.continue();
    off();
    gate.runToEnd();
    expect(seen.map((s) => [s.enabled, s.pending.length])).toEqual([
      [true, 0],
      [true, 1],
      [true, 0],
    ]);
    expect(seen[1]?.pending[0]?.explanation).toBe('Exchange the code');
  });
});

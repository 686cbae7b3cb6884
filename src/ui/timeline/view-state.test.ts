// Test IDs of the timeline panel's view state (no spec rule covers the UI):
// UI-TL7  live updates are batched: any number of recorded events costs one flush per animation frame,
//         and nothing flushes after the panel unmounts; with a minimum interval, flushes are spaced
//         at least that far apart however many frames pass.
// UI-TL9  filters: lane and kind toggles hide what they name (new lanes show by default), text search
//         and "warnings and errors only" narrow further; activation bars follow open spans.
// UI-TL10 keyboard movement in the list: ↑ ↓, Page Up/Down, Home, End, with nothing selected yet.
import { describe, expect, it } from 'vitest';
import { LANES, type TimelineEvent } from '../../engine/timeline/events';
import { TimelineModel } from '../../engine/timeline/model';
import { sampleEvents } from '../../engine/timeline/testing';
import { applyFilter, kindsInUse, NO_FILTER, openSpanLanes, toggled } from './filter';
import { createFrameBatcher, type FrameScheduler } from './frame-batcher';
import { KIND_ORDER } from './lane-style';
import { nextIndex } from './list-keys';

function manualFrames() {
  const pending = new Map<number, () => void>();
  let next = 1;
  const scheduler: FrameScheduler = {
    request: (fn) => {
      pending.set(next, fn);
      return next++;
    },
    cancel: (h) => {
      pending.delete(h);
    },
  };
  const frame = () => {
    const fns = [...pending.values()];
    pending.clear();
    for (const fn of fns) fn();
  };
  return { scheduler, frame, pending };
}

describe('frame batching', () => {
  it('UI-TL7: 10,000 notifications in one frame give one flush; the next frame starts a new batch', () => {
    const { scheduler, frame } = manualFrames();
    let flushes = 0;
    const batcher = createFrameBatcher(() => flushes++, scheduler);
    for (let i = 0; i < 10_000; i++) batcher.notify();
    expect(flushes).toBe(0);
    frame();
    expect(flushes).toBe(1);
    frame();
    expect(flushes).toBe(1);
    batcher.notify();
    frame();
    expect(flushes).toBe(2);
  });

  it('UI-TL7: dispose cancels a pending flush and ignores later notifications', () => {
    const { scheduler, frame, pending } = manualFrames();
    let flushes = 0;
    const batcher = createFrameBatcher(() => flushes++, scheduler);
    batcher.notify();
    batcher.dispose();
    expect(pending.size).toBe(0);
    batcher.notify();
    frame();
    expect(flushes).toBe(0);
  });

  it('UI-TL7: with a minimum interval, a stream of events flushes at most once per interval, and the last one is never lost', () => {
    const { scheduler: frames, frame } = manualFrames();
    let time = 0;
    const timers = new Map<number, { at: number; fn: () => void }>();
    let nextTimer = 1;
    const scheduler: FrameScheduler = {
      ...frames,
      now: () => time,
      later: (fn, ms) => {
        timers.set(nextTimer, { at: time + ms, fn });
        return nextTimer++;
      },
      cancelLater: (h) => {
        timers.delete(h);
      },
    };
    const advance = (ms: number) => {
      time += ms;
      for (const [h, t] of [...timers])
        if (t.at <= time) {
          timers.delete(h);
          t.fn();
        }
      frame();
    };
    let flushes = 0;
    const batcher = createFrameBatcher(() => flushes++, scheduler, 150);
    batcher.notify();
    frame();
    expect(flushes).toBe(1);
    // One event every 16 ms frame for one second: at most one flush per 150 ms.
    for (let i = 0; i < 60; i++) {
      batcher.notify();
      advance(16);
    }
    expect(flushes).toBeGreaterThanOrEqual(6);
    expect(flushes).toBeLessThanOrEqual(8);
    // The burst ends: the last notification still flushes once its interval has passed.
    const before = flushes;
    batcher.notify();
    advance(200);
    expect(flushes).toBe(before + 1);
    batcher.notify();
    batcher.dispose();
    expect(timers.size).toBe(0);
    advance(500);
    expect(flushes).toBe(before + 1);
  });
});

describe('filters', () => {
  const model = new TimelineModel(sampleEvents());
  const ids = (events: readonly TimelineEvent[]) => events.map((e) => e.summary);

  it('UI-TL9: no filter shows everything; toggling adds then removes', () => {
    expect(applyFilter(model, NO_FILTER, LANES, KIND_ORDER)).toHaveLength(model.events.length);
    const once = toggled(new Set(['mcp'] as const), 'as');
    expect([...once]).toEqual(['mcp', 'as']);
    expect([...toggled(once, 'mcp')]).toEqual(['as']);
  });

  it('UI-TL9: hidden lanes and kinds are left out; everything else stays', () => {
    const noMcp = applyFilter(model, { ...NO_FILTER, hiddenLanes: new Set(['mcp']) }, LANES, KIND_ORDER);
    expect(noMcp.some((e) => e.lane === 'mcp')).toBe(false);
    expect(noMcp).toHaveLength(model.events.length - model.byLane('mcp').length);
    const noSpans = applyFilter(model, { ...NO_FILTER, hiddenKinds: new Set(['span']) }, LANES, KIND_ORDER);
    expect(noSpans.some((e) => e.kind === 'span')).toBe(false);
    expect(noSpans).toHaveLength(model.events.length - 3);
  });

  it('UI-TL9: text search (rule IDs, URLs, summaries) and problems-only narrow further', () => {
    expect(ids(applyFilter(model, { ...NO_FILTER, text: 't5' }, LANES, KIND_ORDER))).toEqual([
      'Refresh failed; credentials kept <T5>; see #2',
    ]);
    expect(
      applyFilter(model, { ...NO_FILTER, text: 'oauth-authorization-server' }, LANES, KIND_ORDER),
    ).toHaveLength(1);
    expect(ids(applyFilter(model, { ...NO_FILTER, problemsOnly: true }, LANES, KIND_ORDER))).toEqual([
      'POST /mcp → 401 (initialize)',
      'Refresh failed; credentials kept <T5>; see #2',
      'POST /mcp → network error (tools/call)',
    ]);
    expect(kindsInUse(model.events, KIND_ORDER)).toEqual(['http', 'decision', 'error', 'span', 'gate']);
  });

  it('UI-TL9: a lane carries an activation bar from its span start to its span end, inclusive', () => {
    const events = model.events;
    const open = openSpanLanes(events);
    const lanesAt = (summary: string) => open.get(events.find((e) => e.summary === summary)?.id ?? '');
    expect(lanesAt('Connect to dcr')).toEqual(['factory']);
    expect(lanesAt('Paused before POST /mcp')).toEqual(['factory']);
    expect(lanesAt('Connected')).toEqual(['factory']);
    expect(lanesAt('Flow PENDING')).toEqual(['flows']);
  });
});

describe('keyboard', () => {
  it('UI-TL10: arrows move one row and stop at the ends; with nothing selected they pick the first or last', () => {
    expect(nextIndex('ArrowDown', 3, 10, 5)).toBe(4);
    expect(nextIndex('ArrowDown', 9, 10, 5)).toBe(9);
    expect(nextIndex('ArrowUp', 0, 10, 5)).toBe(0);
    expect(nextIndex('ArrowDown', -1, 10, 5)).toBe(0);
    expect(nextIndex('ArrowUp', -1, 10, 5)).toBe(9);
  });

  it('UI-TL10: Page Up/Down move a page, Home/End jump; other keys and empty lists do nothing', () => {
    expect(nextIndex('PageDown', 2, 10, 5)).toBe(7);
    expect(nextIndex('PageDown', 7, 10, 5)).toBe(9);
    expect(nextIndex('PageUp', 7, 10, 5)).toBe(2);
    expect(nextIndex('PageUp', 2, 10, 5)).toBe(0);
    expect(nextIndex('Home', 5, 10, 5)).toBe(0);
    expect(nextIndex('End', 5, 10, 5)).toBe(9);
    expect(nextIndex('a', 5, 10, 5)).toBeUndefined();
    expect(nextIndex('ArrowDown', -1, 0, 5)).toBeUndefined();
  });
});

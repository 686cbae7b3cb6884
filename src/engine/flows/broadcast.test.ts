import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../clock';
import { MemoryStore } from '../store/memory';
import { FlowStore } from './flow-store';
import { advance, flush, track } from './test-support';
import type { FlowChannel } from './types';

let channelCounter = 0;
const cleanups: Array<() => void> = [];

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  vi.unstubAllGlobals();
});

/** Two tabs: two FlowStores over one store, each with its own channel handle of the same name. */
function twoTabs(channel: 'name' | 'object' | 'none') {
  const clock = new ManualClock();
  const store = new MemoryStore();
  const name = `mcp-lab-flows-test-${++channelCounter}`;
  const open = (): FlowChannel | string | undefined => {
    if (channel === 'none') return undefined;
    if (channel === 'name') return name;
    const handle = new BroadcastChannel(name);
    cleanups.push(() => handle.close());
    return handle;
  };
  const tabA = new FlowStore({ store, clock, channel: open() });
  const tabB = new FlowStore({ store, clock, channel: open() });
  cleanups.push(
    () => tabA.close(),
    () => tabB.close(),
  );
  return { clock, store, tabA, tabB };
}

/** Waits in real time (the manual clock stays put) until `check` holds or `ms` pass. */
async function realWait(check: () => boolean, ms = 1000): Promise<void> {
  const until = performance.now() + ms;
  while (!check() && performance.now() < until) await new Promise((r) => setTimeout(r, 5));
}

describe('S7 — cross-tab wake-up', () => {
  it('S7: a completion in another tab wakes the watcher through the channel before its poll', async () => {
    const { clock, tabA, tabB } = twoTabs('name');
    expect(tabA.broadcasting).toBe(true);
    const waiting = track(tabA.createFlow('f1', 'oauth'));
    await flush();
    const t0 = clock.now();
    await tabB.completeFlow('f1', 'oauth', 'tokens');
    await realWait(() => waiting.state !== 'pending');
    expect(waiting.state).toBe('fulfilled');
    await expect(waiting.promise).resolves.toBe('tokens');
    expect(clock.now()).toBe(t0);
  });

  it('S7: without a channel the same completion waits for the next poll', async () => {
    const { clock, tabA, tabB } = twoTabs('none');
    expect(tabA.broadcasting).toBe(false);
    const waiting = track(tabA.createFlow('f1', 'oauth'));
    await flush();
    await tabB.completeFlow('f1', 'oauth', 'tokens');
    await realWait(() => waiting.state !== 'pending', 200);
    expect(waiting.state).toBe('pending');
    await advance(clock, 2000);
    await expect(waiting.promise).resolves.toBe('tokens');
  });

  it('S7: an injected BroadcastChannel works and stays open after close() (its owner closes it)', async () => {
    const clock = new ManualClock();
    const store = new MemoryStore();
    const name = `mcp-lab-flows-test-${++channelCounter}`;
    const injected = new BroadcastChannel(name);
    const peer = new BroadcastChannel(name);
    cleanups.push(
      () => injected.close(),
      () => peer.close(),
    );
    const tabA = new FlowStore({ store, clock, channel: injected });
    const tabB = new FlowStore({ store, clock, channel: peer });
    const waiting = track(tabA.createFlow('f1', 'oauth'));
    await flush();
    await tabB.failFlow('f1', 'oauth', 'access_denied');
    await realWait(() => waiting.state !== 'pending');
    await expect(waiting.promise).rejects.toMatchObject({ code: 'flow_failed' });
    tabA.close();
    // Detached: a change announced by the other tab reaches the channel but no longer tabA's watcher.
    await tabA.initFlow('f2', 'oauth');
    const detached = track(tabA.watch('f2', 'oauth'));
    await flush();
    const received: unknown[] = [];
    injected.addEventListener('message', (e) => received.push(e.data));
    await tabB.completeFlow('f2', 'oauth', 'tokens');
    await realWait(() => received.length > 0);
    await realWait(() => false, 50);
    expect(received).toHaveLength(1);
    expect(detached.state).toBe('pending');
    await advance(clock, 2000);
    await expect(detached.promise).resolves.toBe('tokens');
  });

  it('S7: a delete in another tab wakes watchers at once and they reject as removed', async () => {
    const { tabA, tabB } = twoTabs('object');
    const waiting = track(tabA.createFlow('f1', 'oauth'));
    await flush();
    await tabB.deleteFlow('f1', 'oauth');
    await realWait(() => waiting.state !== 'pending');
    await expect(waiting.promise).rejects.toThrow(/removed/);
  });

  it('S7: messages that are not flow notifications wake nobody', async () => {
    const { store, tabA } = twoTabs('name');
    const waiting = track(tabA.createFlow('f1', 'oauth'));
    await flush();
    const reads = vi.spyOn(store, 'get');
    const stranger = new BroadcastChannel(`mcp-lab-flows-test-${channelCounter}`);
    cleanups.push(() => stranger.close());
    const junk = [null, 'hello', { kind: 'other', key: 'flow:oauth:f1' }, { kind: 'mcp-lab/flow-changed' }];
    for (const message of junk) stranger.postMessage(message);
    // A real notification last: once it has caused its read, the junk before it has been handled.
    stranger.postMessage({ kind: 'mcp-lab/flow-changed', key: 'flow:oauth:f1', status: 'PENDING' });
    await realWait(() => reads.mock.calls.length > 0);
    await realWait(() => false, 50);
    expect(reads).toHaveBeenCalledTimes(1);
    expect(waiting.state).toBe('pending');
  });

  it('S7: a forged COMPLETED notification only causes a re-read: the store decides', async () => {
    const { store, tabA } = twoTabs('name');
    const waiting = track(tabA.createFlow('f1', 'oauth'));
    await flush();
    const reads = vi.spyOn(store, 'get');
    const forger = new BroadcastChannel(`mcp-lab-flows-test-${channelCounter}`);
    cleanups.push(() => forger.close());
    forger.postMessage({ kind: 'mcp-lab/flow-changed', key: 'flow:oauth:f1', status: 'COMPLETED' });
    await realWait(() => reads.mock.calls.length > 0);
    await flush();
    expect(reads).toHaveBeenCalledTimes(1);
    expect(waiting.state).toBe('pending');
    expect((await tabA.getFlow('f1', 'oauth'))?.status).toBe('PENDING');
  });

  it('S7: when the host has no BroadcastChannel, a channel name falls back to polling', async () => {
    vi.stubGlobal('BroadcastChannel', undefined);
    const { clock, tabA, tabB } = twoTabs('name');
    expect(tabA.broadcasting).toBe(false);
    const waiting = track(tabA.createFlow('f1', 'oauth'));
    await flush();
    await tabB.completeFlow('f1', 'oauth', 'tokens');
    await advance(clock, 1999);
    expect(waiting.state).toBe('pending');
    await advance(clock, 1);
    await expect(waiting.promise).resolves.toBe('tokens');
  });

  it('S7: after close() a tab gets no more wake-ups but still polls', async () => {
    const { clock, tabA, tabB } = twoTabs('name');
    const waiting = track(tabA.createFlow('f1', 'oauth'));
    await flush();
    tabA.close();
    await tabB.completeFlow('f1', 'oauth', 'tokens');
    await realWait(() => waiting.state !== 'pending', 200);
    expect(waiting.state).toBe('pending');
    await advance(clock, 2000);
    await expect(waiting.promise).resolves.toBe('tokens');
  });
});

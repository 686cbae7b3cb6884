import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../clock';
import { IndexedDbStore } from '../store/indexeddb';
import { FlowStore } from './flow-store';
import { flowKey } from './records';
import { advance, BACKENDS, deferred, flush, track } from './test-support';

const MIN = 60_000;

describe.each(BACKENDS)('on $name', ({ make }) => {
  function setup() {
    const clock = new ManualClock();
    const store = make();
    const flows = new FlowStore({ store, clock });
    /** A second tab: another FlowStore over the same store, no channel. */
    const otherTab = new FlowStore({ store, clock });
    return { clock, store, flows, otherTab };
  }

  it('S2: createFlow writes PENDING, then resolves when another tab completes it (next poll)', async () => {
    const { clock, flows, otherTab } = setup();
    const waiting = track(flows.createFlow('f1', 'oauth', { state: 's1' }));
    await flush();
    expect(await otherTab.getFlow('f1', 'oauth')).toMatchObject({
      status: 'PENDING',
      metadata: { state: 's1' },
    });
    expect(await otherTab.completeFlow('f1', 'oauth', { access_token: 'a' })).toBe(true);
    await flush();
    expect(waiting.state).toBe('pending');
    await advance(clock, 2000);
    await expect(waiting.promise).resolves.toEqual({ access_token: 'a' });
  });

  it('S2: a local completion wakes the watcher without clock time', async () => {
    const { flows } = setup();
    const waiting = track(flows.createFlow('f1', 'oauth'));
    await flush();
    await flows.completeFlow('f1', 'oauth', 'tokens');
    await expect(waiting.promise).resolves.toBe('tokens');
  });

  it('S2: FAILED rejects with flow_failed', async () => {
    const { clock, flows, otherTab } = setup();
    const waiting = track(flows.createFlow('f1', 'oauth'));
    await flush();
    await otherTab.failFlow('f1', 'oauth', 'access_denied');
    await advance(clock, 2000);
    await expect(waiting.promise).rejects.toMatchObject({ code: 'flow_failed' });
  });

  it('S2: the 10-minute handling timeout runs on the manual clock and rejects with flow_timeout', async () => {
    const { clock, flows } = setup();
    const started = performance.now();
    const waiting = track(flows.createFlow('f1', 'oauth'));
    await advance(clock, 10 * MIN - 1);
    expect(waiting.state).toBe('pending');
    await advance(clock, 1);
    await expect(waiting.promise).rejects.toMatchObject({ code: 'flow_timeout' });
    expect((await flows.getFlow('f1', 'oauth'))?.status).toBe('FAILED');
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('S2: abort rejects with aborted and deletes the flow from the store', async () => {
    const { flows, store } = setup();
    const controller = new AbortController();
    const waiting = track(flows.createFlow('f1', 'oauth', {}, { signal: controller.signal }));
    await flush();
    controller.abort();
    await expect(waiting.promise).rejects.toMatchObject({ code: 'aborted' });
    expect(await store.get(flowKey('f1', 'oauth'))).toBeUndefined();
  });

  it('S4: completeFlow is false for a missing flow and never overwrites COMPLETED', async () => {
    const { flows, otherTab, store } = setup();
    expect(await flows.completeFlow('f1', 'oauth', 'x')).toBe(false);
    expect(await store.keys()).toEqual([]);
    await flows.initFlow('f1', 'oauth');
    expect(await flows.completeFlow('f1', 'oauth', 'first')).toBe(true);
    expect(await otherTab.completeFlow('f1', 'oauth', 'second')).toBe(true);
    expect(await otherTab.failFlow('f1', 'oauth', 'late')).toBe(false);
    expect(await flows.getFlow('f1', 'oauth')).toMatchObject({ status: 'COMPLETED', result: 'first' });
  });

  it('S4: two tabs completing at the same moment leave exactly one result, the first written', async () => {
    const { flows, otherTab } = setup();
    await flows.initFlow('f1', 'oauth');
    const results = await Promise.all([
      flows.completeFlow('f1', 'oauth', 'from tab A'),
      otherTab.completeFlow('f1', 'oauth', 'from tab B'),
      otherTab.failFlow('f1', 'oauth', 'from tab B'),
    ]);
    expect(results).toEqual([true, true, false]);
    expect(await flows.getFlow('f1', 'oauth')).toMatchObject({ status: 'COMPLETED', result: 'from tab A' });
  });

  it('S2: two tabs creating the same flow at the same moment write one PENDING record', async () => {
    const { clock, flows, otherTab } = setup();
    const a = flows.createFlow('f1', 'oauth', { state: 'a' });
    const b = otherTab.createFlow('f1', 'oauth', { state: 'b' });
    await flush();
    expect((await flows.getFlow('f1', 'oauth'))?.metadata).toEqual({ state: 'a' });
    await flows.completeFlow('f1', 'oauth', 'tokens');
    await otherTab.completeFlow('f1', 'oauth', 'ignored');
    await advance(clock, 2000);
    await expect(Promise.all([a, b])).resolves.toEqual(['tokens', 'tokens']);
  });

  it('S5: runs the handler once, stores the result, and a later caller joins it', async () => {
    const { flows } = setup();
    const gate = deferred<{ access_token: string }>();
    const handler = vi.fn(() => gate.promise);
    const calls = [1, 2].map(() => flows.createFlowWithHandler('u1', 'get_tokens', handler));
    await flush();
    gate.resolve({ access_token: 'a' });
    await expect(Promise.all(calls)).resolves.toEqual([{ access_token: 'a' }, { access_token: 'a' }]);
    const later = vi.fn(async () => ({ access_token: 'b' }));
    await expect(flows.createFlowWithHandler('u1', 'get_tokens', later)).resolves.toEqual({
      access_token: 'a',
    });
    expect(handler).toHaveBeenCalledTimes(1);
    expect(later).not.toHaveBeenCalled();
  });

  it('S5: two tabs racing createFlowWithHandler run exactly one handler; the other tab joins', async () => {
    const { clock, flows, otherTab } = setup();
    const ours = vi.fn(async () => 'ours');
    const theirs = vi.fn(async () => 'theirs');
    const a = track(flows.createFlowWithHandler('u1', 'get_tokens', ours));
    const b = track(otherTab.createFlowWithHandler('u1', 'get_tokens', theirs));
    await flush();
    await advance(clock, 2000);
    const [ra, rb] = await Promise.all([a.promise, b.promise]);
    expect(ours.mock.calls.length + theirs.mock.calls.length).toBe(1);
    expect(ra).toBe(rb);
  });

  it('S5: a handler error marks the flow FAILED and is rethrown; the next call runs again', async () => {
    const { flows } = setup();
    const boom = new Error('invalid_grant');
    await expect(
      flows.createFlowWithHandler('u1', 'get_tokens', async () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await flows.getFlow('u1', 'get_tokens')).toMatchObject({
      status: 'FAILED',
      error: 'invalid_grant',
    });
    await expect(flows.createFlowWithHandler('u1', 'get_tokens', async () => 'ok')).resolves.toBe('ok');
  });
});

describe('IndexedDbStore specifics', () => {
  it('S4: two tabs on two handles of one IndexedDB database share a flow; COMPLETED stays', async () => {
    const clock = new ManualClock();
    const tabA = new FlowStore({ store: new IndexedDbStore('flows-shared-db'), clock });
    const tabB = new FlowStore({ store: new IndexedDbStore('flows-shared-db'), clock });
    await tabA.initFlow('f1', 'oauth', { state: 's' }, 't1');
    expect(await tabB.getFlow('f1', 'oauth')).toMatchObject({ status: 'PENDING', tenant: 't1' });
    expect(await tabB.completeFlow('f1', 'oauth', 'tokens')).toBe(true);
    expect(await tabA.failFlow('f1', 'oauth', 'late')).toBe(false);
    expect(await tabA.getFlow('f1', 'oauth')).toMatchObject({ status: 'COMPLETED', result: 'tokens' });
  });
});

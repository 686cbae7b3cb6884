import { describe, expect, it } from 'vitest';
import { isLabError } from '../errors';
import { flowKey } from './records';
import { advance, flowStoreSetup, flush, MIN, track } from './test-support';
import { FLOW_POLL_INTERVAL_MS, FLOW_TTL_MS, OAUTH_HANDLING_TIMEOUT_MS } from './types';

const setup = flowStoreSetup;

describe('S6 — expiry and timestamps', () => {
  it('S6: the defaults are a 10 min handling timeout, a 15 min TTL and a 2 s poll', () => {
    const { flows } = setup();
    expect(OAUTH_HANDLING_TIMEOUT_MS).toBe(10 * MIN);
    expect(FLOW_TTL_MS).toBe(15 * MIN);
    expect(FLOW_POLL_INTERVAL_MS).toBe(2000);
    expect([flows.handlingTimeoutMs, flows.ttlMs, flows.pollIntervalMs]).toEqual([10 * MIN, 15 * MIN, 2000]);
  });

  it('S6: FLOW_TTL is never less than the handling timeout + 60 s', async () => {
    const { clock, flows } = setup({ ttlMs: MIN, handlingTimeoutMs: 10 * MIN });
    expect(flows.ttlMs).toBe(11 * MIN);
    expect(setup({ ttlMs: 20 * MIN }).flows.ttlMs).toBe(20 * MIN);
    await flows.initFlow('f1', 'oauth');
    await advance(clock, 11 * MIN - 1);
    expect(await flows.getFlow('f1', 'oauth')).toBeDefined();
  });

  it('S6: durations that are not positive are refused with invalid_input', () => {
    for (const bad of [{ ttlMs: 0 }, { pollIntervalMs: -1 }, { handlingTimeoutMs: Number.NaN }]) {
      let error: unknown;
      try {
        setup(bad);
      } catch (e) {
        error = e;
      }
      expect(isLabError(error, 'invalid_input')).toBe(true);
    }
  });

  it('S6: a record expires FLOW_TTL after its last transition; getFlow then removes it', async () => {
    const { clock, flows, store, recorder } = setup();
    await flows.initFlow('f1', 'oauth');
    await advance(clock, 5 * MIN);
    await flows.completeFlow('f1', 'oauth', 'tokens');
    await advance(clock, 15 * MIN - 1);
    expect((await flows.getFlow('f1', 'oauth'))?.status).toBe('COMPLETED');
    await advance(clock, 1);
    expect(await store.get(flowKey('f1', 'oauth'))).toBeDefined();
    expect(await flows.getFlow('f1', 'oauth')).toBeUndefined();
    expect(await store.get(flowKey('f1', 'oauth'))).toBeUndefined();
    expect(recorder.events.at(-1)).toMatchObject({
      summary: 'flow oauth:f1 COMPLETED → expired (unchanged for 15 min)',
      ruleIds: ['S6'],
    });
  });

  it('S6: an expired flow cannot be completed, failed or joined', async () => {
    const { clock, flows } = setup();
    await flows.initFlow('f1', 'oauth', { state: 'old' });
    await advance(clock, 15 * MIN);
    expect(await flows.completeFlow('f1', 'oauth', 'late')).toBe(false);
    expect(await flows.failFlow('f1', 'oauth', 'late')).toBe(false);
    // createFlow replaces it with a fresh PENDING flow instead of joining the dead one.
    const waiting = track(flows.createFlow('f1', 'oauth', { state: 'new' }));
    await flush();
    expect(await flows.getFlow('f1', 'oauth')).toMatchObject({
      status: 'PENDING',
      createdAt: clock.now(),
      metadata: { state: 'new' },
    });
    expect(waiting.state).toBe('pending');
    await flows.completeFlow('f1', 'oauth', 'tokens');
    await expect(waiting.promise).resolves.toBe('tokens');
  });

  it('S6: timestamps stored in seconds are read as ms, so a fresh record is not taken for expired', async () => {
    const { clock, flows, store } = setup();
    const nowSeconds = Math.floor(clock.now() / 1000);
    await store.set(flowKey('f1', 'oauth'), {
      id: 'f1',
      type: 'oauth',
      status: 'COMPLETED',
      createdAt: nowSeconds - 60,
      completedAt: nowSeconds - 30,
      result: 'tokens',
    });
    expect(await flows.getFlow('f1', 'oauth')).toMatchObject({
      createdAt: (nowSeconds - 60) * 1000,
      completedAt: (nowSeconds - 30) * 1000,
    });
    await expect(flows.createFlow('f1', 'oauth')).resolves.toBe('tokens');
    await advance(clock, 15 * MIN);
    expect(await flows.getFlow('f1', 'oauth')).toBeUndefined();
  });

  it('S6: a PENDING flow in seconds keeps its handling timeout counted from createdAt', async () => {
    const { clock, flows, store } = setup();
    const createdAt = Math.floor(clock.now() / 1000) - 9 * 60;
    await store.set(flowKey('f1', 'oauth'), { id: 'f1', type: 'oauth', status: 'PENDING', createdAt });
    const waiting = track(flows.watch('f1', 'oauth'));
    await advance(clock, MIN - 1);
    expect(waiting.state).toBe('pending');
    await advance(clock, 1);
    await expect(waiting.promise).rejects.toMatchObject({ code: 'flow_timeout' });
  });

  it('S6: list leaves out and removes expired flows', async () => {
    const { clock, flows, store } = setup();
    await flows.initFlow('old', 'oauth');
    await advance(clock, 10 * MIN);
    await flows.initFlow('new', 'oauth');
    await advance(clock, 5 * MIN);
    expect((await flows.list()).map((r) => r.id)).toEqual(['new']);
    expect(await store.keys()).toEqual([flowKey('new', 'oauth')]);
  });

  it('S6: a watcher of a flow removed by expiry is told it was removed', async () => {
    const { clock, flows } = setup({ handlingTimeoutMs: 20 * MIN, ttlMs: 25 * MIN });
    await flows.initFlow('f1', 'oauth');
    await advance(clock, 24 * MIN);
    const waiting = track(flows.watch('f1', 'oauth', { timeoutMs: 60 * MIN }));
    await advance(clock, MIN);
    await expect(waiting.promise).rejects.toMatchObject({ code: 'flow_failed' });
  });

  it('S6: state mappings resolve to their flow id, can be deleted and expire after FLOW_TTL', async () => {
    const { clock, flows, store } = setup();
    await flows.setStateMapping('state-a', 'flow-a');
    await flows.setStateMapping('state-b', 'flow-b');
    expect(await flows.getFlowIdByState('state-a')).toBe('flow-a');
    expect(await flows.getFlowIdByState('unknown')).toBeUndefined();
    expect(await flows.deleteStateMapping('state-b')).toBe(true);
    expect(await flows.deleteStateMapping('state-b')).toBe(false);
    expect(await flows.getFlowIdByState('state-b')).toBeUndefined();
    await advance(clock, 15 * MIN - 1);
    expect(await flows.getFlowIdByState('state-a')).toBe('flow-a');
    await advance(clock, 1);
    expect(await flows.getFlowIdByState('state-a')).toBeUndefined();
    expect(await store.keys()).toEqual([]);
  });
});

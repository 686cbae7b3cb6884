import { describe, expect, it } from 'vitest';
import { isLabError, type LabError } from '../errors';
import { advance, flowStoreSetup, flush, MIN, track } from './test-support';

const setup = flowStoreSetup;

async function rejection(promise: Promise<unknown>): Promise<LabError> {
  try {
    await promise;
  } catch (e) {
    return e as LabError;
  }
  throw new Error('expected a rejection');
}

describe('S2 — createFlow watches until a terminal state', () => {
  it('S2: writes PENDING before waiting and resolves with the result once COMPLETED', async () => {
    const { flows } = setup();
    const waiting = track(flows.createFlow('f1', 'oauth', { serverUrl: 'https://mcp' }, { tenant: 't1' }));
    await flush();
    expect(await flows.getFlow('f1', 'oauth')).toMatchObject({
      status: 'PENDING',
      tenant: 't1',
      metadata: { serverUrl: 'https://mcp' },
    });
    expect(waiting.state).toBe('pending');
    // A completion in this process wakes the watcher without any clock time passing.
    await flows.completeFlow('f1', 'oauth', { token: 'x' });
    await expect(waiting.promise).resolves.toEqual({ token: 'x' });
  });

  it('S2: a completion elsewhere is seen on the next poll, every pollIntervalMs of clock time', async () => {
    const { clock, flows, otherTab } = setup({ pollIntervalMs: 2000 });
    const waiting = track(flows.createFlow('f1', 'oauth'));
    await advance(clock, 2000);
    await otherTab.completeFlow('f1', 'oauth', 'tokens');
    await advance(clock, 1999);
    expect(waiting.state).toBe('pending');
    await advance(clock, 1);
    await expect(waiting.promise).resolves.toBe('tokens');
  });

  it('S2: FAILED rejects with flow_failed carrying the error', async () => {
    const { clock, flows, otherTab } = setup();
    const waiting = track(flows.createFlow('f1', 'oauth'));
    await flush();
    await otherTab.failFlow('f1', 'oauth', 'access_denied');
    await advance(clock, 2000);
    const error = await rejection(waiting.promise);
    expect(isLabError(error, 'flow_failed')).toBe(true);
    expect(error.message).toContain('access_denied');
  });

  it('S2: OAUTH_HANDLING_TIMEOUT (10 min) from createdAt rejects with flow_timeout and marks FAILED', async () => {
    const { clock, flows, recorder } = setup();
    const started = performance.now();
    const waiting = track(flows.createFlow('f1', 'oauth'));
    await advance(clock, 10 * MIN - 1);
    expect(waiting.state).toBe('pending');
    await advance(clock, 1);
    const error = await rejection(waiting.promise);
    expect(isLabError(error, 'flow_timeout')).toBe(true);
    expect(error.message).toContain('10 min');
    expect(await flows.getFlow('f1', 'oauth')).toMatchObject({
      status: 'FAILED',
      timedOut: true,
      failedAt: clock.now(),
    });
    expect(recorder.events.at(-1)?.summary).toBe('flow oauth:f1 PENDING → FAILED (timed out after 10 min)');
    // Ten minutes of clock time, not of real time.
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('S2: the timeout counts from createdAt, so joining a 9-minute-old flow leaves 1 minute', async () => {
    const { clock, flows } = setup();
    await flows.initFlow('f1', 'oauth');
    await advance(clock, 9 * MIN);
    const waiting = track(flows.createFlow('f1', 'oauth'));
    await advance(clock, MIN - 1);
    expect(waiting.state).toBe('pending');
    await advance(clock, 1);
    expect(isLabError(await rejection(waiting.promise), 'flow_timeout')).toBe(true);
  });

  it('S2: a configured handling timeout and a per-call timeoutMs are honoured', async () => {
    const { clock, flows } = setup({ handlingTimeoutMs: 30_000 });
    const byStore = track(flows.createFlow('a', 'oauth'));
    const byCall = track(flows.createFlow('b', 'oauth', {}, { timeoutMs: 5000 }));
    await advance(clock, 5000);
    expect(byCall.state).toBe('rejected');
    expect(byStore.state).toBe('pending');
    await advance(clock, 25_000);
    expect(isLabError(await rejection(byStore.promise), 'flow_timeout')).toBe(true);
  });

  it('S2: abort rejects with aborted and deletes the flow', async () => {
    const { flows } = setup();
    const controller = new AbortController();
    const waiting = track(flows.createFlow('f1', 'oauth', {}, { signal: controller.signal }));
    await flush();
    expect(await flows.getFlow('f1', 'oauth')).toBeDefined();
    controller.abort(new Error('user closed the dialog'));
    const error = await rejection(waiting.promise);
    expect(isLabError(error, 'aborted')).toBe(true);
    expect((error.cause as Error).message).toBe('user closed the dialog');
    expect(await flows.getFlow('f1', 'oauth')).toBeUndefined();
  });

  it('S2: an already aborted signal rejects without writing a flow', async () => {
    const { flows, store } = setup();
    const error = await rejection(flows.createFlow('f1', 'oauth', {}, { signal: AbortSignal.abort() }));
    expect(isLabError(error, 'aborted')).toBe(true);
    expect(await store.keys()).toEqual([]);
  });

  it('S2: abort keeps a flow that COMPLETED in the meantime (its result still serves others)', async () => {
    const { flows, otherTab } = setup();
    const controller = new AbortController();
    const waiting = track(flows.createFlow('f1', 'oauth', {}, { signal: controller.signal }));
    await flush();
    await otherTab.completeFlow('f1', 'oauth', 'tokens'); // not seen yet: no poll has run
    controller.abort();
    expect(isLabError(await rejection(waiting.promise), 'aborted')).toBe(true);
    expect(await flows.getFlow('f1', 'oauth')).toMatchObject({ status: 'COMPLETED', result: 'tokens' });
  });

  it('S2: createFlow joins a live flow: one record, its metadata kept, both callers resolve', async () => {
    const { flows, recorder } = setup();
    const first = flows.createFlow('f1', 'oauth', { state: 'one' });
    const second = flows.createFlow('f1', 'oauth', { state: 'two' });
    await flush();
    expect((await flows.getFlow('f1', 'oauth'))?.metadata).toEqual({ state: 'one' });
    expect(recorder.events.map((e) => e.summary)).toEqual([
      'flow oauth:f1 new → PENDING',
      'flow oauth:f1: joined, it is PENDING',
    ]);
    await flows.completeFlow('f1', 'oauth', 'tokens');
    await expect(Promise.all([first, second])).resolves.toEqual(['tokens', 'tokens']);
  });

  it('S2: createFlow on a COMPLETED flow resolves with its result at once', async () => {
    const { clock, flows } = setup();
    await flows.initFlow('f1', 'oauth');
    await flows.completeFlow('f1', 'oauth', 'tokens');
    const waiting = track(flows.createFlow('f1', 'oauth'));
    await flush();
    expect(waiting.state).toBe('fulfilled');
    expect(clock.pending).toBe(0);
    await expect(waiting.promise).resolves.toBe('tokens');
  });

  it('S2: watch waits for an existing flow and, unlike createFlow, its abort leaves the flow alone', async () => {
    const { flows } = setup();
    await flows.initFlow('f1', 'oauth');
    const controller = new AbortController();
    const aborted = track(flows.watch('f1', 'oauth', { signal: controller.signal }));
    const waiting = track(flows.watch('f1', 'oauth'));
    await flush();
    controller.abort();
    expect(isLabError(await rejection(aborted.promise), 'aborted')).toBe(true);
    expect((await flows.getFlow('f1', 'oauth'))?.status).toBe('PENDING');
    await flows.completeFlow('f1', 'oauth', 'tokens');
    await expect(waiting.promise).resolves.toBe('tokens');
  });

  it('S2: watching a flow that does not exist rejects with flow_failed', async () => {
    const { flows } = setup();
    expect(isLabError(await rejection(flows.watch('ghost', 'oauth')), 'flow_failed')).toBe(true);
  });

  it('S2: a watcher stops its timers once settled', async () => {
    const { clock, flows } = setup();
    const waiting = flows.createFlow('f1', 'oauth');
    await flush();
    expect(clock.pending).toBe(1);
    await flows.completeFlow('f1', 'oauth', 'tokens');
    await waiting;
    expect(clock.pending).toBe(0);
  });
});

import { describe, expect, it, vi } from 'vitest';
import { isLabError } from '../errors';
import { advance, deferred, flowStoreSetup, flush, MIN, track } from './test-support';

const setup = flowStoreSetup;

describe('S5 — createFlowWithHandler', () => {
  it('S5: runs the handler once and stores its result as COMPLETED', async () => {
    const { flows } = setup();
    const handler = vi.fn(async () => ({ access_token: 'a' }));
    await expect(flows.createFlowWithHandler('u1', 'get_tokens', handler)).resolves.toEqual({
      access_token: 'a',
    });
    expect(handler).toHaveBeenCalledTimes(1);
    expect(await flows.getFlow('u1', 'get_tokens')).toMatchObject({
      status: 'COMPLETED',
      result: { access_token: 'a' },
    });
  });

  it('S5: the flow is PENDING while the handler runs', async () => {
    const { flows } = setup();
    const gate = deferred<string>();
    const running = flows.createFlowWithHandler('u1', 'get_tokens', () => gate.promise, { tenant: 't1' });
    await flush();
    expect(await flows.getFlow('u1', 'get_tokens')).toMatchObject({ status: 'PENDING', tenant: 't1' });
    gate.resolve('tokens');
    await expect(running).resolves.toBe('tokens');
  });

  it('S5: concurrent callers in the same process share one handler run', async () => {
    const { flows, store } = setup();
    const writes = vi.spyOn(store, 'update');
    const gate = deferred<{ token: string }>();
    const handler = vi.fn(() => gate.promise);
    const calls = [1, 2, 3].map(() => flows.createFlowWithHandler('u1', 'get_tokens', handler));
    await flush();
    gate.resolve({ token: 't' });
    const results = await Promise.all(calls);
    expect(handler).toHaveBeenCalledTimes(1);
    // One shared promise, not three store round trips: the very same object, one claim, one completion.
    expect(results[1]).toBe(results[0]);
    expect(results[2]).toBe(results[0]);
    expect(writes).toHaveBeenCalledTimes(2);
  });

  it('S5: a later caller joins the COMPLETED flow instead of running its handler', async () => {
    const { clock, flows } = setup();
    await flows.createFlowWithHandler('u1', 'get_tokens', async () => 'first');
    await advance(clock, 5 * MIN);
    const second = vi.fn(async () => 'second');
    await expect(flows.createFlowWithHandler('u1', 'get_tokens', second)).resolves.toBe('first');
    expect(second).not.toHaveBeenCalled();
  });

  it('S5: a result whose expires_at (seconds) has passed is not shared: the handler runs again', async () => {
    const { clock, flows } = setup();
    const expiresAt = Math.floor(clock.now() / 1000) + 60;
    await flows.createFlowWithHandler('u1', 'get_tokens', async () => ({ v: 1, expires_at: expiresAt }));
    await advance(clock, 30_000);
    const early = vi.fn(async () => ({ v: 2 }));
    await expect(flows.createFlowWithHandler('u1', 'get_tokens', early)).resolves.toMatchObject({ v: 1 });
    expect(early).not.toHaveBeenCalled();
    await advance(clock, 30_000);
    const late = vi.fn(async () => ({ v: 3 }));
    await expect(flows.createFlowWithHandler('u1', 'get_tokens', late)).resolves.toEqual({ v: 3 });
    expect(late).toHaveBeenCalledTimes(1);
    expect((await flows.getFlow('u1', 'get_tokens'))?.result).toEqual({ v: 3 });
  });

  it('S5: a custom isResultExpired decides what may be shared', async () => {
    const { flows } = setup({ isResultExpired: (result) => result === 'stale' });
    await flows.createFlowWithHandler('u1', 'get_tokens', async () => 'stale');
    await expect(flows.createFlowWithHandler('u1', 'get_tokens', async () => 'fresh')).resolves.toBe('fresh');
    await expect(flows.createFlowWithHandler('u1', 'get_tokens', async () => 'never')).resolves.toBe('fresh');
  });

  it('S5: a handler error marks the flow FAILED and is rethrown as is', async () => {
    const { flows } = setup();
    const boom = new Error('refresh failed: invalid_grant');
    await expect(
      flows.createFlowWithHandler('u1', 'get_tokens', async () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await flows.getFlow('u1', 'get_tokens')).toMatchObject({
      status: 'FAILED',
      error: 'refresh failed: invalid_grant',
    });
  });

  it('S5: every caller sharing a failing run gets the error; the next caller runs again', async () => {
    const { flows } = setup();
    const gate = deferred<string>();
    const handler = vi.fn(() => gate.promise);
    const calls = [1, 2].map(() => track(flows.createFlowWithHandler('u1', 'get_tokens', handler)));
    await flush();
    gate.reject(new Error('nope'));
    for (const call of calls) await expect(call.promise).rejects.toThrow('nope');
    expect(handler).toHaveBeenCalledTimes(1);
    await expect(flows.createFlowWithHandler('u1', 'get_tokens', async () => 'ok')).resolves.toBe('ok');
  });

  it('S5: a caller in another tab joins the PENDING flow and gets its result without running', async () => {
    const { clock, flows, otherTab } = setup();
    const gate = deferred<string>();
    const running = flows.createFlowWithHandler('u1', 'get_tokens', () => gate.promise);
    await flush();
    const theirs = vi.fn(async () => 'theirs');
    const joined = track(otherTab.createFlowWithHandler('u1', 'get_tokens', theirs));
    await flush();
    gate.resolve('ours');
    await expect(running).resolves.toBe('ours');
    expect(joined.state).toBe('pending'); // no channel: it learns on its next poll
    await advance(clock, 2000);
    await expect(joined.promise).resolves.toBe('ours');
    expect(theirs).not.toHaveBeenCalled();
  });

  it('S5: a PENDING flow past the handling timeout (its tab died) is replaced and the handler runs', async () => {
    const { clock, flows, recorder } = setup();
    await flows.initFlow('u1', 'get_tokens');
    await advance(clock, 10 * MIN);
    const handler = vi.fn(async () => 'fresh');
    await expect(flows.createFlowWithHandler('u1', 'get_tokens', handler)).resolves.toBe('fresh');
    expect(handler).toHaveBeenCalledTimes(1);
    expect(recorder.events.map((e) => e.summary)).toContain(
      'flow get_tokens:u1 PENDING → PENDING (replaced a PENDING flow past its handling timeout, running the handler)',
    );
  });

  it('S5: aborting one caller stops only its wait; the shared run completes for the others', async () => {
    const { flows } = setup();
    const gate = deferred<string>();
    const handler = vi.fn(() => gate.promise);
    const controller = new AbortController();
    const leaving = track(
      flows.createFlowWithHandler('u1', 'get_tokens', handler, { signal: controller.signal }),
    );
    const staying = flows.createFlowWithHandler('u1', 'get_tokens', handler);
    await flush();
    controller.abort();
    await flush();
    expect(leaving.state).toBe('rejected');
    expect(isLabError(await leaving.promise.catch((e: unknown) => e), 'aborted')).toBe(true);
    gate.resolve('tokens');
    await expect(staying).resolves.toBe('tokens');
    expect(handler).toHaveBeenCalledTimes(1);
    expect((await flows.getFlow('u1', 'get_tokens'))?.status).toBe('COMPLETED');
  });

  it('S5: the handler result stays off the timeline', async () => {
    const { flows, recorder } = setup();
    await flows.createFlowWithHandler('u1', 'get_tokens', async () => ({ refresh: 'rt-SECRET-0123456789' }));
    expect(recorder.events.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(recorder.events)).not.toContain('SECRET');
  });
});

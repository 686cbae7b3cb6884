import { describe, expect, it } from 'vitest';
import { isLabError, type LabError } from '../errors';
import { advance, flowStoreSetup, flush, track } from './test-support';

const setup = flowStoreSetup;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

describe('S1 — states and timestamps', () => {
  it('S1: PENDING → COMPLETED stamps createdAt then completedAt from the clock', async () => {
    const { clock, flows } = setup();
    const t0 = clock.now();
    await flows.initFlow('f1', 'oauth', { serverUrl: 'https://mcp.example' });
    await advance(clock, 5000);
    expect(await flows.completeFlow('f1', 'oauth', { ok: 1 })).toBe(true);
    expect(await flows.getFlow('f1', 'oauth')).toMatchObject({
      status: 'COMPLETED',
      createdAt: t0,
      completedAt: t0 + 5000,
      result: { ok: 1 },
      metadata: { serverUrl: 'https://mcp.example' },
    });
  });

  it('S1: PENDING → FAILED stamps failedAt and keeps the error message', async () => {
    const { clock, flows } = setup();
    await flows.initFlow('f1', 'oauth');
    await advance(clock, 3000);
    expect(await flows.failFlow('f1', 'oauth', new Error('access_denied'))).toBe(true);
    const record = await flows.getFlow('f1', 'oauth');
    expect(record).toMatchObject({ status: 'FAILED', failedAt: clock.now(), error: 'access_denied' });
    expect(record?.completedAt).toBeUndefined();
  });

  it('S1: flows are kept per (type, id): the same id as oauth and get_tokens are two flows', async () => {
    const { flows } = setup();
    await flows.initFlow('u1', 'oauth');
    await flows.initFlow('u1', 'get_tokens');
    await flows.completeFlow('u1', 'get_tokens', 'tokens');
    expect((await flows.getFlow('u1', 'oauth'))?.status).toBe('PENDING');
    expect((await flows.getFlow('u1', 'get_tokens'))?.status).toBe('COMPLETED');
  });

  it('S1: an empty id or a type with ":" is refused with invalid_input', async () => {
    const { flows } = setup();
    expect(isLabError(await rejection(flows.initFlow('', 'oauth')), 'invalid_input')).toBe(true);
    expect(isLabError(await rejection(flows.createFlow('x', 'a:b')), 'invalid_input')).toBe(true);
    expect(isLabError(await rejection(flows.watch('x', '')), 'invalid_input')).toBe(true);
  });

  it('S1: transitions are on the timeline in words, with no metadata or result in them', async () => {
    const { flows, recorder } = setup();
    const verifier = 'verifier-0123456789-abcdefghijklmnopqrstuvwxyz';
    const token = 'access-token-ZYXWVUTSRQPONMLKJIHGFEDCBA';
    await flows.initFlow('f1', 'oauth', { codeVerifier: verifier, state: 'st-1' }, 'tenant-a');
    await flows.completeFlow('f1', 'oauth', { accessToken: token });
    await flows.initFlow('f2', 'oauth');
    await flows.failFlow('f2', 'oauth', 'denied by user');
    await flows.deleteFlow('f2', 'oauth');
    expect(recorder.events.map((e) => e.summary)).toEqual([
      'flow oauth:f1 new → PENDING',
      'flow oauth:f1 PENDING → COMPLETED',
      'flow oauth:f2 new → PENDING',
      'flow oauth:f2 PENDING → FAILED',
      'flow oauth:f2 FAILED → deleted',
    ]);
    for (const e of recorder.events) {
      expect(e).toMatchObject({ lane: 'flows', kind: 'flow' });
      expect(e.ruleIds.length).toBeGreaterThan(0);
    }
    expect(recorder.events[0]?.ruleIds).toEqual(['S1', 'S3']);
    expect(recorder.events[0]?.who).toEqual({ tenant: 'tenant-a' });
    expect(recorder.events[1]?.data).toEqual({
      flowId: 'f1',
      type: 'oauth',
      from: 'PENDING',
      to: 'COMPLETED',
      tenant: 'tenant-a',
    });
    expect(recorder.events[3]?.data?.error).toBe('denied by user');
    const all = JSON.stringify(recorder.events);
    expect(all).not.toContain(verifier.slice(0, 12));
    expect(all).not.toContain(token.slice(0, 12));
    expect(all).not.toContain('st-1');
  });

  it('S1: deleteFlow removes a flow (true), a missing one is false, and its watcher rejects', async () => {
    const { flows } = setup();
    const watching = track(flows.createFlow('f1', 'oauth'));
    await flush();
    expect(await flows.deleteFlow('f1', 'oauth')).toBe(true);
    expect(await flows.deleteFlow('f1', 'oauth')).toBe(false);
    expect(await flows.getFlow('f1', 'oauth')).toBeUndefined();
    const error = await rejection(watching.promise);
    expect(isLabError(error, 'flow_failed')).toBe(true);
    expect((error as LabError).message).toMatch(/removed/);
  });

  it('S1: list returns live flows newest first and leaves state mappings out', async () => {
    const { clock, flows } = setup();
    await flows.initFlow('old', 'oauth');
    await advance(clock, 1000);
    await flows.initFlow('new', 'get_tokens');
    await flows.setStateMapping('state-1', 'old');
    const listed = await flows.list();
    expect(listed.map((r) => `${r.type}:${r.id}`)).toEqual(['get_tokens:new', 'oauth:old']);
  });
});

describe('S3 — initFlow', () => {
  it('S3: initFlow writes PENDING with metadata and tenant and arms no watcher', async () => {
    const { clock, flows } = setup();
    const record = await flows.initFlow('f1', 'oauth', { authorizationUrl: 'https://as/authorize' }, 't1');
    expect(record).toMatchObject({ status: 'PENDING', tenant: 't1' });
    expect(await flows.getFlow('f1', 'oauth')).toEqual(record);
    expect(clock.pending).toBe(0);
  });

  it('S3: initFlow starts a fresh attempt over an older flow of the same id', async () => {
    const { clock, flows } = setup();
    await flows.initFlow('f1', 'oauth', { state: 'one' });
    await flows.completeFlow('f1', 'oauth', 'old tokens');
    await advance(clock, 1000);
    await flows.initFlow('f1', 'oauth', { state: 'two' });
    const record = await flows.getFlow('f1', 'oauth');
    expect(record).toMatchObject({ status: 'PENDING', createdAt: clock.now(), metadata: { state: 'two' } });
    expect(record?.result).toBeUndefined();
  });

  it('S3: a flow written by initFlow is joined by createFlow and completes it', async () => {
    const { flows } = setup();
    await flows.initFlow('f1', 'oauth', { state: 's' });
    const waiting = track(flows.createFlow('f1', 'oauth', { state: 'ignored' }));
    await flush();
    expect((await flows.getFlow('f1', 'oauth'))?.metadata).toEqual({ state: 's' });
    expect(waiting.state).toBe('pending');
    await flows.completeFlow('f1', 'oauth', 'tokens');
    await expect(waiting.promise).resolves.toBe('tokens');
  });
});

describe('S4 — completeFlow and failFlow', () => {
  it('S4: completeFlow returns false for a missing flow and creates nothing', async () => {
    const { flows, store } = setup();
    expect(await flows.completeFlow('nope', 'oauth', 'x')).toBe(false);
    expect(await store.keys()).toEqual([]);
  });

  it('S4: completeFlow never overwrites COMPLETED: the first result and completedAt stay', async () => {
    const { clock, flows } = setup();
    await flows.initFlow('f1', 'oauth');
    await flows.completeFlow('f1', 'oauth', 'first');
    const completedAt = clock.now();
    await advance(clock, 1000);
    expect(await flows.completeFlow('f1', 'oauth', 'second')).toBe(true);
    expect(await flows.getFlow('f1', 'oauth')).toMatchObject({ result: 'first', completedAt });
  });

  it('S4: failFlow never overwrites COMPLETED and says so with false', async () => {
    const { flows } = setup();
    await flows.initFlow('f1', 'oauth');
    await flows.completeFlow('f1', 'oauth', 'tokens');
    expect(await flows.failFlow('f1', 'oauth', 'late error')).toBe(false);
    const record = await flows.getFlow('f1', 'oauth');
    expect(record).toMatchObject({ status: 'COMPLETED', result: 'tokens' });
    expect(record?.error).toBeUndefined();
  });

  it('S4: failFlow returns false for a missing flow and creates nothing', async () => {
    const { flows, store } = setup();
    expect(await flows.failFlow('nope', 'oauth', 'x')).toBe(false);
    expect(await store.keys()).toEqual([]);
  });

  it('S4: a FAILED flow can still be completed by a late callback, which clears the error', async () => {
    const { flows } = setup();
    await flows.initFlow('f1', 'oauth');
    await flows.failFlow('f1', 'oauth', 'popup closed');
    expect(await flows.completeFlow('f1', 'oauth', 'tokens')).toBe(true);
    const record = await flows.getFlow('f1', 'oauth');
    expect(record).toMatchObject({ status: 'COMPLETED', result: 'tokens' });
    expect(record?.error).toBeUndefined();
  });
});

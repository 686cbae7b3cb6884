import { describe, expect, it } from 'vitest';
import { isLabError } from '../errors';
import {
  defaultIsResultExpired,
  flowKey,
  isRecordExpired,
  parseFlowRecord,
  parseStateMapping,
  stateKey,
  toMillis,
} from './records';
import type { FlowRecord } from './types';

const T0 = Date.UTC(2026, 0, 1);

describe('flow records', () => {
  it('S6: timestamps below 1e10 are seconds and become ms; larger ones are kept', () => {
    expect(toMillis(1_767_225_600)).toBe(1_767_225_600_000);
    expect(toMillis(9_999_999_999)).toBe(9_999_999_999_000);
    expect(toMillis(10_000_000_000)).toBe(10_000_000_000);
    expect(toMillis(T0)).toBe(T0);
  });

  it('S6: parseFlowRecord normalizes createdAt, completedAt and failedAt given in seconds', () => {
    const record = parseFlowRecord({
      id: 'a',
      type: 'oauth',
      status: 'COMPLETED',
      createdAt: T0 / 1000,
      completedAt: T0 / 1000 + 5,
      failedAt: T0 / 1000 + 2,
    });
    expect(record).toMatchObject({ createdAt: T0, completedAt: T0 + 5000, failedAt: T0 + 2000 });
  });

  it('S1: parseFlowRecord keeps every field of a valid record', () => {
    const stored = {
      id: 'tenant:user:server:8080',
      type: 'oauth',
      status: 'FAILED',
      createdAt: T0,
      failedAt: T0 + 1,
      tenant: 't1',
      metadata: { state: 's' },
      error: 'denied',
      timedOut: true,
    };
    expect(parseFlowRecord(stored)).toEqual(stored);
  });

  it('S1: values that are not flow records read as absent', () => {
    const valid = { id: 'a', type: 'oauth', status: 'PENDING', createdAt: T0 };
    expect(parseFlowRecord(valid)).toBeDefined();
    for (const bad of [
      undefined,
      null,
      'PENDING',
      [valid],
      { ...valid, status: 'DONE' },
      { ...valid, createdAt: undefined },
      { ...valid, createdAt: Number.NaN },
      { ...valid, createdAt: '2026-01-01' },
      { ...valid, id: 7 },
      { ...valid, type: undefined },
    ])
      expect(parseFlowRecord(bad)).toBeUndefined();
  });

  it('S1: ids may contain ":" without two (type, id) pairs sharing a key; types may not', () => {
    expect(flowKey('tenant:user:https://mcp.example:8443', 'oauth')).toBe(
      'flow:oauth:tenant:user:https://mcp.example:8443',
    );
    expect(flowKey('x', 'oauth')).not.toBe(flowKey('x', 'get_tokens'));
    const attempts = [() => flowKey('b:c', 'a:b'), () => flowKey('', 'oauth'), () => flowKey('x', '')];
    for (const attempt of attempts) {
      let error: unknown;
      try {
        attempt();
      } catch (e) {
        error = e;
      }
      expect(isLabError(error, 'invalid_input')).toBe(true);
    }
  });

  it('S6: state mapping keys are separate from flow keys and empty states are refused', () => {
    expect(stateKey('abc')).toBe('state:abc');
    expect(() => stateKey('')).toThrow(/state is empty/);
    expect(parseStateMapping({ state: 's', flowId: 'f', createdAt: T0 / 1000 })).toEqual({
      state: 's',
      flowId: 'f',
      createdAt: T0,
    });
    expect(parseStateMapping({ state: 's', createdAt: T0 })).toBeUndefined();
  });

  it('S6: a record expires FLOW_TTL after its last transition, not after its creation', () => {
    const ttl = 15 * 60_000;
    const pending: FlowRecord = { id: 'a', type: 'oauth', status: 'PENDING', createdAt: T0 };
    expect(isRecordExpired(pending, ttl, T0 + ttl - 1)).toBe(false);
    expect(isRecordExpired(pending, ttl, T0 + ttl)).toBe(true);
    const completed: FlowRecord = { ...pending, status: 'COMPLETED', completedAt: T0 + 60_000 };
    expect(isRecordExpired(completed, ttl, T0 + ttl)).toBe(false);
    expect(isRecordExpired(completed, ttl, T0 + 60_000 + ttl)).toBe(true);
  });

  it('S5: a result expires by its expires_at (seconds) or expiresAt (ms); without one it does not', () => {
    const now = T0;
    expect(defaultIsResultExpired({ expires_at: now / 1000 - 1 }, now)).toBe(true);
    expect(defaultIsResultExpired({ expires_at: now / 1000 + 60 }, now)).toBe(false);
    expect(defaultIsResultExpired({ expiresAt: now - 1 }, now)).toBe(true);
    expect(defaultIsResultExpired({ expiresAt: now + 1 }, now)).toBe(false);
    expect(defaultIsResultExpired({ access_token: 'x' }, now)).toBe(false);
    expect(defaultIsResultExpired({ expires_at: 'soon' }, now)).toBe(false);
    expect(defaultIsResultExpired(undefined, now)).toBe(false);
  });
});

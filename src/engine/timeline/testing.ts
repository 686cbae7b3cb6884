import { ManualClock } from '../clock';
import type { TimelineEvent } from './events';
import { TimelineRecorder } from './recorder';

/** 2026-01-01T00:00:00.000Z, the start of every sample timeline. */
export const SAMPLE_T0 = Date.UTC(2026, 0, 1);

/**
 * A small, fixed timeline for exporter and model tests: a connect span with a 401, discovery, a
 * token request, a decision, an error, a failed request and a gate pause.
 */
export function sampleEvents(): TimelineEvent[] {
  const r = new TimelineRecorder(new ManualClock(SAMPLE_T0));
  const at = (ms: number) => SAMPLE_T0 + ms;
  r.record({
    t: at(0),
    lane: 'factory',
    kind: 'span',
    phase: 'start',
    spanId: 'connect1',
    summary: 'Connect to dcr',
  });
  r.record({
    t: at(20),
    lane: 'mcp',
    kind: 'http',
    summary: 'POST /mcp → 401 (initialize)',
    level: 'warn',
    http: {
      from: 'host',
      to: 'mcp',
      label: 'initialize',
      durationMs: 15,
      request: {
        method: 'POST',
        url: 'https://dcr.mock.test/mcp',
        headers: { 'content-type': 'application/json' },
        body: '{"jsonrpc":"2.0","id":1,"method":"initialize"}',
      },
      response: {
        status: 401,
        headers: {
          'www-authenticate':
            'Bearer resource_metadata="https://dcr.mock.test/.well-known/oauth-protected-resource/mcp"',
        },
      },
    },
  });
  r.record({
    t: at(25),
    lane: 'factory',
    kind: 'decision',
    summary: 'Auth error; emit oauthRequired',
    ruleIds: ['F8', 'D3'],
  });
  r.record({
    t: at(60),
    lane: 'as',
    kind: 'http',
    summary: 'GET /.well-known/oauth-authorization-server → 200 (AS metadata)',
    http: {
      from: 'host',
      to: 'as',
      label: 'AS metadata',
      durationMs: 30,
      request: {
        method: 'GET',
        url: 'https://auth.dcr.mock.test/.well-known/oauth-authorization-server?x=1&y=two',
        headers: {},
      },
      response: {
        status: 200,
        statusText: 'OK',
        headers: { 'content-type': 'application/json' },
        body: '{"issuer":"https://auth.dcr.mock.test"}',
      },
    },
  });
  r.record({
    t: at(120),
    lane: 'as',
    kind: 'http',
    summary: 'POST /token → 302 (token: refresh_token)',
    http: {
      from: 'host',
      to: 'as',
      label: 'token: refresh_token',
      durationMs: 40,
      request: {
        method: 'POST',
        url: 'https://auth.dcr.mock.test/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=refresh_token&scope=mcp:tools',
      },
      response: { status: 302, headers: { location: '/elsewhere' }, body: 'é' },
    },
  });
  r.record({
    t: at(130),
    lane: 'tokens',
    kind: 'error',
    level: 'error',
    summary: 'Refresh failed; credentials kept <T5>; see #2',
    ruleIds: ['T5'],
  });
  r.record({
    t: at(140),
    lane: 'host',
    kind: 'gate',
    summary: 'Paused before POST /mcp',
    data: { phase: 'paused' },
  });
  r.record({
    t: at(200),
    lane: 'mcp',
    kind: 'http',
    level: 'error',
    summary: 'POST /mcp → network error (tools/call)',
    http: {
      from: 'host',
      to: 'mcp',
      label: 'tools/call',
      durationMs: 50,
      request: { method: 'POST', url: 'https://dcr.mock.test/mcp', headers: {} },
      failure: 'network: Failed to reach https://dcr.mock.test/mcp: the connection was dropped.',
    },
  });
  r.record({
    t: at(500),
    lane: 'factory',
    kind: 'span',
    phase: 'end',
    spanId: 'connect1',
    summary: 'Connected',
    ruleIds: ['D2'],
  });
  r.record({
    t: at(510),
    lane: 'flows',
    kind: 'span',
    phase: 'start',
    spanId: 'flow1',
    summary: 'Flow PENDING',
    ruleIds: ['S2'],
  });
  return r.events;
}

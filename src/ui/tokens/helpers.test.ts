/**
 * Pure helpers of the tokens panel. Test IDs (UI requirements of this panel, not spec rules):
 * - UI-TK1: expiry countdowns read "expires in 3 m 12 s" / "expired 20 s ago", two units at most.
 * - UI-TK2: JWT claims are decoded from base64url when a full JWT is at hand; masked values,
 *   opaque tokens and garbage give `undefined`, never an exception.
 * - UI-TK3: credentials and flows are grouped per identity (tenant, user, server), and a flow
 *   row never carries the sealed secret of its metadata (T7).
 */
import { describe, expect, it } from 'vitest';
import type { FlowRecord } from '../../engine/flows/types';
import type { CredentialSummary } from '../../engine/tokens';
import { formatAge, formatCountdown, formatDuration } from './countdown';
import { flowIdentity, flowView, groupByIdentity } from './grouping';
import { decodeJwtClaims, formatClaim } from './jwt';

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const jwt = (payload: unknown, header: unknown = { alg: 'RS256', typ: 'at+jwt' }) =>
  `${b64url(header)}.${b64url(payload)}.c2lnbmF0dXJl`;

describe('countdown formatting', () => {
  it('UI-TK1: a future expiry counts down in the two largest units', () => {
    const now = 1_000_000;
    expect(formatCountdown(now + 192_000, now)).toBe('expires in 3 m 12 s');
    expect(formatCountdown(now + 192_999, now)).toBe('expires in 3 m 12 s');
    expect(formatCountdown(now + 3_600_000 + 5 * 60_000 + 7_000, now)).toBe('expires in 1 h 5 m');
    expect(formatCountdown(now + 2 * 86_400_000 + 3 * 3_600_000, now)).toBe('expires in 2 d 3 h');
    expect(formatCountdown(now + 500, now)).toBe('expires in 0 s');
  });

  it('UI-TK1: a past expiry says how long ago; expiresAt = now is already expired', () => {
    const now = 5_000_000;
    expect(formatCountdown(now - 20_000, now)).toBe('expired 20 s ago');
    expect(formatCountdown(now, now)).toBe('expired just now');
    expect(formatCountdown(now - 999, now)).toBe('expired just now');
    expect(formatCountdown(now - 2 * 3_600_000, now)).toBe('expired 2 h ago');
  });

  it('UI-TK1: a zero second unit is left out, and sub-second durations read "0 s"', () => {
    expect(formatDuration(3_600_000 + 5_000)).toBe('1 h');
    expect(formatDuration(60_000)).toBe('1 m');
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(-45_000)).toBe('45 s');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('∞');
  });

  it('UI-TK1: ages read "… ago", and "just now" below a second or for a time ahead of now', () => {
    expect(formatAge(10_000, 22_000)).toBe('12 s ago');
    expect(formatAge(10_000, 10_400)).toBe('just now');
    expect(formatAge(20_000, 10_000)).toBe('just now');
  });
});

describe('JWT claim decoding', () => {
  it('UI-TK2: decodes the payload of a JWS-compact JWT, including non-ASCII text', () => {
    const claims = {
      sub: 'alice',
      aud: ['https://mcp.example'],
      scope: 'mcp:tools',
      exp: 1_700_000_000,
      name: 'Zoë',
    };
    expect(decodeJwtClaims(jwt(claims))).toEqual(claims);
  });

  it('UI-TK2: masked values, opaque tokens and garbage give undefined', () => {
    const bad: unknown[] = [
      'eyJhbG…#3fa91c',
      'opaque-token-value',
      'a.b.c',
      `${b64url({ alg: 'none' })}.not*base64.sig`,
      `${b64url({ alg: 'none' })}.${b64url([1, 2])}.sig`,
      `${b64url('header')}.${b64url({ sub: 'x' })}.sig`,
      `${b64url({ alg: 'none' })}.${Buffer.from([0xff, 0xfe]).toString('base64url')}.sig`,
      `${b64url({ alg: 'RSA-OAEP' })}.x.y.z.w`,
      '',
      42,
      undefined,
    ];
    for (const v of bad) expect(decodeJwtClaims(v), String(v)).toBeUndefined();
  });

  it('UI-TK2: time claims are shown with their ISO time, lists and objects as text', () => {
    expect(formatClaim('exp', 1_700_000_000)).toBe('1700000000 (2023-11-14T22:13:20.000Z)');
    expect(formatClaim('aud', ['a', 'b'])).toBe('a b');
    expect(formatClaim('cnf', { jkt: 'x' })).toBe('{"jkt":"x"}');
    expect(formatClaim('sub', 'alice')).toBe('alice');
  });
});

const summary = (tenant: string, user: string, server: string): CredentialSummary => ({
  key: { tenant, user, server },
  ignored: [],
});
const flow = (id: string, createdAt: number, extra: Partial<FlowRecord> = {}): FlowRecord => ({
  id,
  type: 'mcp_oauth',
  status: 'PENDING',
  createdAt,
  ...extra,
});

describe('grouping per identity', () => {
  it('UI-TK3: one group per identity, sorted; flows join their credentials, newest first', () => {
    const meta = { tenant: 't1', userId: 'alice', serverName: 'notes:v2', authorizationUrl: 'https://as/a' };
    const { groups, otherFlows } = groupByIdentity(
      [summary('t2', 'alice', 'notes'), summary('t1', 'bob', 'notes'), summary('t1', 'alice', 'notes:v2')],
      [
        flow('x', 1, { metadata: meta, tenant: 't1' }),
        flow('tokens:t1:alice:notes%3Av2', 5, { type: 'mcp_get_tokens', status: 'COMPLETED' }),
        flow('t3:carol:oauth', 3, { tenant: 't3' }),
        flow('free-form', 2),
      ],
    );
    expect(groups.map((g) => [g.key.tenant, g.key.user, g.key.server])).toEqual([
      ['t1', 'alice', 'notes:v2'],
      ['t1', 'bob', 'notes'],
      ['t2', 'alice', 'notes'],
      ['t3', 'carol', 'oauth'],
    ]);
    expect(groups[0]?.flows.map((f) => f.id)).toEqual(['tokens:t1:alice:notes%3Av2', 'x']);
    expect(groups[0]?.credential?.key.server).toBe('notes:v2');
    expect(groups[3]?.credential).toBeUndefined();
    expect(otherFlows.map((f) => f.id)).toEqual(['free-form']);
  });

  it('UI-TK3: tenants with the same user never share a group (F20), and a tenant mismatch is not guessed', () => {
    const { groups } = groupByIdentity([summary('a', 'u', 's'), summary('b', 'u', 's')], []);
    expect(groups).toHaveLength(2);
    expect(new Set(groups.map((g) => g.id)).size).toBe(2);
    expect(flowIdentity(flow('a:u:s', 1, { tenant: 'b' }))).toBeUndefined();
    expect(flowIdentity(flow('a:u:%E0%A4%A', 1))).toBeUndefined();
  });

  it('UI-TK3: a flow view keeps what a row shows and drops sealed secrets and results', () => {
    const f = flow('t:u:s', 10, {
      status: 'FAILED',
      failedAt: 30,
      tenant: 't',
      error: 'nobody finished it',
      timedOut: true,
      result: { access_token: 'secret-access' },
      metadata: { authorizationUrl: 'https://as.example/authorize?x=1', sealed: 'SEALED-SECRET' },
    });
    const v = flowView(f);
    expect(v).toEqual({
      id: 't:u:s',
      type: 'mcp_oauth',
      status: 'FAILED',
      createdAt: 10,
      endedAt: 30,
      tenant: 't',
      authorizationUrl: 'https://as.example/authorize?x=1',
      error: 'nobody finished it',
      timedOut: true,
    });
    expect(JSON.stringify(v)).not.toMatch(/SEALED|secret-access/);
    expect(
      flowView(flow('i', 1, { metadata: { authorizationUrl: 'javascript:alert(1)' } })),
    ).not.toHaveProperty('authorizationUrl');
  });
});

import type { Scenario } from '../types';

const ELEVEN_MINUTES = 11 * 60_000;

/** The flow store across tabs, reloads and identities: joining, replacing, resuming, reusing, isolating. */
export const FLOWS: Scenario[] = [
  {
    id: 'pending-flow-joined',
    title: 'Two tabs connect while consent is open: the second joins the PENDING flow, one exchange',
    teaching:
      'The person has the consent page open from the first tab when a second tab connects to the same server. Starting another flow would open a second consent page and make the first one fail. The second tab finds the PENDING flow in the shared flow store, re-issues the same authorization URL, and waits; one approval completes both.',
    ruleIds: ['F15', 'S2', 'S3', 'O8'],
    world: {},
    steps: [
      { do: 'connect', server: 'dcr', consent: 'none', background: true },
      { do: 'secondTab' },
      { do: 'connect', server: 'dcr', tab: 2, consent: 'none', background: true },
      { do: 'consent', decision: 'approve' },
      { do: 'settle' },
      { do: 'call', server: 'dcr', tool: 'echo', args: { message: 'tab 2' }, tab: 2 },
    ],
    expect: {
      requests: { 'token:authorization_code@200': 1, register: 1 },
      consent: { asked: 1, approved: 1 },
      timeline: [
        { text: 'A recent PENDING flow exists: re-issuing its authorization URL', ruleId: 'F15', count: 1 },
      ],
      connections: [
        { server: 'dcr', state: 'connected', tab: 1 },
        { server: 'dcr', state: 'connected', tab: 2 },
      ],
    },
  },
  {
    id: 'stale-pending-replaced',
    title: 'A PENDING flow older than PENDING_STALE_MS is replaced, not re-issued',
    teaching:
      'A consent page opened eleven minutes ago and never answered is as good as abandoned: its code would expire and its watcher has given up. Re-issuing its URL would send the person to a dead request. After PENDING_STALE_MS the factory deletes the old flow and its state mapping and starts a new one with a fresh state.',
    ruleIds: ['F15', 'F14', 'O7', 'S1'],
    world: {},
    steps: [
      {
        do: 'connect',
        server: 'dcr',
        mode: 'returnEarly',
        consent: 'none',
        expect: 'error',
        error: 'return early',
      },
      { do: 'advanceClock', ms: ELEVEN_MINUTES },
      { do: 'mark', name: 'stale' },
      { do: 'connect', server: 'dcr' },
    ],
    expect: {
      consent: { asked: 2, approved: 1 },
      requests: { 'token:authorization_code@200': 1 },
      after: {
        stale: {
          timeline: [
            { text: 'A recent PENDING flow exists', count: 0 },
            { text: 'New OAuth flow', count: 1 },
          ],
        },
      },
      connections: [{ server: 'dcr', state: 'connected' }],
    },
  },
  {
    id: 'reload-mid-oauth',
    title:
      'The page reloads while the consent popup is open: the callback completes the flow, no new consent',
    teaching:
      'OAuth state lives in the flow store, written before the redirect: the PENDING flow with its state, PKCE verifier and client. When the page reloads mid-OAuth and the person then approves, the callback lands in the new page, which finds the flow by its state and exchanges the code. Connecting afterwards uses the stored tokens; nobody is asked twice.',
    ruleIds: ['F14', 'S3', 'O7', 'O8', 'F18'],
    world: {},
    steps: [
      {
        do: 'connect',
        server: 'dcr',
        mode: 'returnEarly',
        consent: 'none',
        expect: 'error',
        error: 'return early',
      },
      { do: 'reload' },
      { do: 'consent', decision: 'approve' },
      { do: 'mark', name: 'resumed' },
      { do: 'connect', server: 'dcr' },
      { do: 'call', server: 'dcr', tool: 'echo', args: { message: 'resumed' } },
    ],
    expect: {
      requests: { 'token:authorization_code@200': 1, register: 1 },
      consent: { asked: 1, approved: 1 },
      after: { resumed: { consent: { asked: 0 }, requests: { 'token:authorization_code': 0, register: 0 } } },
      connections: [{ server: 'dcr', state: 'connected' }],
    },
  },
  {
    id: 'reload-resume-uses-stored-tokens',
    title: 'After a reload mid-OAuth, the resumed grant is used as stored: no 401, no second consent',
    teaching:
      'The same reload as above, against an authorization server that issues no refresh token. Once the callback has stored the grant, connecting must use it: the token load may not answer "no tokens" from a cache written before the grant existed. Otherwise the first request goes out without a token, the 401 finds nothing to refresh, and the person is asked a second time for a grant they just gave.',
    ruleIds: ['F18', 'F16', 'F12', 'S5'],
    world: { knobs: { dcr: { issueRefreshTokens: false } } },
    steps: [
      {
        do: 'connect',
        server: 'dcr',
        mode: 'returnEarly',
        consent: 'none',
        expect: 'error',
        error: 'return early',
      },
      { do: 'reload' },
      { do: 'consent', decision: 'approve' },
      { do: 'mark', name: 'resumed' },
      { do: 'connect', server: 'dcr' },
    ],
    expect: {
      after: {
        resumed: {
          requests: { 'mcp@401': 0, token: 0 },
          consent: { asked: 0 },
          timeline: [{ text: 'Using stored tokens', ruleId: 'F18' }],
        },
      },
      connections: [{ server: 'dcr', state: 'connected' }],
    },
  },
  {
    id: 'completed-flow-reuse-then-invalidated',
    title:
      'A grant completed in another tab is reused from the store; after a 401 whose refresh fails the COMPLETED flow is deleted, not reused',
    teaching:
      'A tab that needs OAuth right after another completed it should not ask the person again: a COMPLETED flow younger than PENDING_STALE_MS with unexpired tokens is reused. But once those tokens are refused and the refresh fails, the completed flow must be deleted, or the next attempt would reuse the very tokens the server just rejected instead of asking the person.',
    ruleIds: ['F18', 'F13', 'F5', 'F12'],
    world: { servers: { dcr: { config: { requiresOAuth: true } } } },
    steps: [
      {
        do: 'connect',
        server: 'dcr',
        mode: 'returnEarly',
        consent: 'none',
        expect: 'error',
        error: 'return early',
      },
      { do: 'reload' },
      { do: 'consent', decision: 'approve' },
      { do: 'mark', name: 'reused' },
      { do: 'connect', server: 'dcr' },
      { do: 'revoke', server: 'dcr' },
      { do: 'mark', name: 'rejected' },
      { do: 'call', server: 'dcr', tool: 'echo', args: { message: 'after revocation' } },
    ],
    expect: {
      after: {
        reused: {
          consent: { asked: 0 },
          // The callback stored the grant and cleared the token-load cache, so the stored tokens are used.
          timeline: [{ text: 'Using stored tokens', ruleId: 'F18', count: 1 }],
        },
        rejected: {
          order: [
            'mcp:tools/call@401',
            'token:refresh_token@400',
            'token:authorization_code@200',
            'mcp:tools/call@200',
          ],
          consent: { asked: 1, approved: 1 },
          timeline: [
            { text: 'Deleted the COMPLETED OAuth flow', ruleId: 'F13', count: 1 },
            { text: 'COMPLETED moments ago', count: 0 },
          ],
        },
      },
      connections: [{ server: 'dcr', state: 'connected' }],
    },
  },
  {
    id: 'tenant-isolation',
    title: 'Two tenants, the same user id: separate consent, registration, tokens and flows',
    teaching:
      'A host serving several tenants may see the same user id in two of them. They are different people: the tenant is part of every flow id, token key and refresh key, so one tenant never joins, reuses or refreshes the other tenant\u2019s flow or tokens, and each is asked for consent.',
    ruleIds: ['F20', 'F21', 'T1'],
    world: {},
    steps: [
      { do: 'switchUser', user: 'sam', tenant: 'acme' },
      { do: 'connect', server: 'dcr' },
      { do: 'call', server: 'dcr', tool: 'whoami', resultIncludes: 'sam' },
      { do: 'switchUser', user: 'sam', tenant: 'globex' },
      { do: 'connect', server: 'dcr' },
      { do: 'call', server: 'dcr', tool: 'whoami', resultIncludes: 'sam' },
    ],
    expect: {
      requests: { register: 2, 'token:authorization_code@200': 2 },
      consent: { asked: 2, approved: 2 },
      timeline: [
        { text: 'A recent PENDING flow exists', count: 0 },
        { text: 'COMPLETED moments ago', count: 0 },
      ],
      connections: [
        { server: 'dcr', state: 'connected', tenant: 'acme', user: 'sam' },
        { server: 'dcr', state: 'connected', tenant: 'globex', user: 'sam' },
      ],
      stored: [
        { server: 'dcr', tenant: 'acme', user: 'sam', access: true },
        { server: 'dcr', tenant: 'globex', user: 'sam', access: true },
      ],
    },
  },
];

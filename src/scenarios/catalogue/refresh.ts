import type { Scenario } from '../types';

const TWO_HOURS = 2 * 3600_000;

/** Stored tokens and silent refresh: reconnects, expiry, 401s, concurrency, rotation, slow and failing token endpoints. */
export const REFRESH: Scenario[] = [
  {
    id: 'reconnect-stored-tokens',
    title: 'Reconnect after a reload with stored tokens: no OAuth request at all',
    teaching:
      'Tokens outlive the page. After a reload the factory loads them from the token store (inside a shared token-load flow) and the first request already carries a valid token: no 401, no metadata, no registration, no token request, and nobody is asked again.',
    ruleIds: ['F18', 'T3', 'F2'],
    world: {},
    steps: [
      { do: 'connect', server: 'dcr' },
      { do: 'reload' },
      { do: 'mark', name: 'reload' },
      { do: 'connect', server: 'dcr' },
      { do: 'call', server: 'dcr', tool: 'echo', args: { message: 'again' } },
    ],
    expect: {
      after: {
        reload: {
          requests: {
            prm: 0,
            'as-metadata': 0,
            register: 0,
            token: 0,
            'mcp@401': 0,
            'mcp:initialize@200': 1,
          },
          consent: { asked: 0 },
          timeline: [{ text: 'Using stored tokens', ruleId: 'F18' }],
        },
      },
      connections: [{ server: 'dcr', state: 'connected' }],
    },
  },
  {
    id: 'expired-at-start-refresh',
    title: 'Tokens expired while the page was closed: refreshed before the first request',
    teaching:
      'Two hours later the stored access token has expired, but the refresh token still works. The token load notices the expiry and refreshes first, so the first MCP request carries a fresh token: no 401, no consent, one refresh_token request.',
    ruleIds: ['T2', 'T3', 'F18', 'O9'],
    world: {},
    steps: [
      { do: 'connect', server: 'dcr' },
      { do: 'reload' },
      { do: 'advanceClock', ms: TWO_HOURS },
      { do: 'mark', name: 'later' },
      { do: 'connect', server: 'dcr' },
    ],
    expect: {
      after: {
        later: {
          order: ['token:refresh_token@200', 'mcp:initialize@200'],
          requests: { 'token:refresh_token': 1, 'token:authorization_code': 0, 'mcp@401': 0 },
          consent: { asked: 0 },
          timeline: [{ text: 'access token expired; refreshing', ruleId: 'T3' }],
        },
      },
      connections: [{ server: 'dcr', state: 'connected' }],
    },
  },
  {
    id: 'silent-refresh-on-401',
    title: 'A 401 mid-session: silent refresh, then the call goes through',
    teaching:
      'The authorization server expired the token early (the client still thought it valid). The call gets a 401 invalid_token; the factory tries a silent refresh with the stored refresh token before bothering anyone, sets the new token on the connection and retries the call once.',
    ruleIds: ['F10', 'F12', 'D3', 'F8'],
    world: {},
    steps: [
      { do: 'connect', server: 'dcr' },
      { do: 'expireToken', server: 'dcr', at: 'server' },
      { do: 'mark', name: 'expired' },
      { do: 'call', server: 'dcr', tool: 'echo', args: { message: 'after' }, resultIncludes: 'after' },
    ],
    expect: {
      after: {
        expired: {
          order: ['mcp:tools/call@401', 'token:refresh_token@200', 'mcp:tools/call@200'],
          requests: { token: 1 },
          consent: { asked: 0 },
          ruleIds: ['F10', 'F12'],
        },
      },
    },
  },
  {
    id: 'corrupt-token-refresh',
    title: 'A corrupted stored token after a reload: one 401, a silent refresh, connected',
    teaching:
      'The stored access token is garbage (a person corrupted it in the Tokens panel). After a reload the first initialize carries it and gets a 401; the refresh token is still good, so a silent refresh repairs the connection without a person, and the token-load cache is fixed so the bad token is never served again.',
    ruleIds: ['F10', 'F12', 'D3', 'T6'],
    world: {},
    steps: [
      { do: 'connect', server: 'dcr' },
      { do: 'corruptToken', server: 'dcr' },
      { do: 'reload' },
      { do: 'mark', name: 'reload' },
      { do: 'connect', server: 'dcr' },
      { do: 'call', server: 'dcr', tool: 'echo', args: { message: 'fixed' } },
    ],
    expect: {
      after: {
        reload: {
          order: ['mcp:initialize@401', 'token:refresh_token@200', 'mcp:initialize@200'],
          requests: { 'mcp@401': 1, token: 1 },
          consent: { asked: 0 },
          ruleIds: ['F12'],
        },
      },
      connections: [{ server: 'dcr', state: 'connected' }],
    },
  },
  {
    id: 'concurrent-401-one-refresh',
    title: '100 calls at once all meet a 401: exactly one refresh',
    teaching:
      'A busy client fires many requests at once; when the token expires they all get 401 together. If each started its own refresh, a rotating refresh token would be redeemed a hundred times and the reuse detection would revoke the grant. Concurrent silent refreshes for the same user and server share one in-flight redemption.',
    ruleIds: ['F11', 'T4', 'F10'],
    world: {},
    steps: [
      { do: 'connect', server: 'dcr' },
      { do: 'advanceClock', ms: TWO_HOURS },
      { do: 'mark', name: 'burst' },
      { do: 'call', server: 'dcr', tool: 'echo', args: { message: 'many' }, times: 100 },
    ],
    expect: {
      after: {
        burst: {
          requests: { 'token:refresh_token@200': 1, token: 1, 'mcp:tools/call@200': 100 },
          consent: { asked: 0 },
          timeline: [
            { text: 'Joining the silent refresh already in flight', ruleId: 'F11', count: { min: 1 } },
          ],
        },
      },
    },
  },
  {
    id: 'rotating-refresh-no-reuse',
    title: 'Rotating refresh tokens with reuse detection: three refreshes, never a replay',
    teaching:
      'Each refresh returns a new refresh token and retires the old one; presenting a retired one again makes the authorization server revoke the whole grant. The client must always redeem the newest token, read from the store when the refresh runs. Three refreshes in a row succeed and nobody is asked to log in again.',
    ruleIds: ['TOK-5', 'O9', 'T4', 'T6'],
    world: { knobs: { dcr: { refreshRotation: true, reuseDetection: true } } },
    steps: [
      { do: 'connect', server: 'dcr' },
      { do: 'mark', name: 'rotations' },
      { do: 'advanceClock', ms: TWO_HOURS },
      { do: 'call', server: 'dcr', tool: 'echo', args: { message: 'one' } },
      { do: 'advanceClock', ms: TWO_HOURS },
      { do: 'call', server: 'dcr', tool: 'echo', args: { message: 'two' } },
      { do: 'advanceClock', ms: TWO_HOURS },
      { do: 'call', server: 'dcr', tool: 'echo', args: { message: 'three' } },
    ],
    expect: {
      after: {
        rotations: {
          requests: { 'token:refresh_token@200': 3, 'token@400': 0, 'token:authorization_code': 0 },
          consent: { asked: 0 },
          timeline: [{ text: 'redeeming refresh token', ruleId: 'O9', count: 3 }],
        },
      },
      stored: [{ server: 'dcr', access: true, refresh: true }],
    },
  },
  {
    id: 'refresh-5xx-keeps-grant',
    title: 'A 500 from the token endpoint on refresh keeps the grant: the next call refreshes fine',
    teaching:
      'A transient failure (500, network, timeout) during refresh says nothing about the grant. The failed silent refresh still hands the request over to re-authentication (F13), but the person may dismiss it: the stored refresh token was never deleted, so the next call refreshes silently with it, no new consent needed. Deleting it on a 500 would have forced a new login for nothing.',
    ruleIds: ['T5', 'F13', 'F11'],
    world: {},
    steps: [
      { do: 'connect', server: 'dcr' },
      { do: 'advanceClock', ms: TWO_HOURS },
      {
        do: 'knob',
        server: 'dcr',
        patch: { tokenError: { kind: 'server_error', grant: 'refresh_token', remaining: 1 } },
      },
      { do: 'mark', name: 'outage' },
      { do: 'call', server: 'dcr', tool: 'echo', args: { message: 'x' }, consent: 'deny', expect: 'error' },
      { do: 'call', server: 'dcr', tool: 'echo', args: { message: 'y' }, resultIncludes: '"y"' },
    ],
    expect: {
      after: {
        outage: {
          order: ['token:refresh_token@500', 'token:refresh_token@200', 'mcp:tools/call@200'],
          requests: { 'token:authorization_code': 0 },
          consent: { asked: 1, denied: 1, approved: 0 },
          timeline: [{ text: 'stored credentials kept', ruleId: 'T5', count: 1 }],
          ruleIds: ['F13'],
        },
      },
      stored: [{ server: 'dcr', access: true, refresh: true, client: true }],
    },
  },
  {
    id: 'slow-token-timeout-fallback',
    title: 'A slow token endpoint: the silent refresh times out and a person is asked instead',
    teaching:
      'A silent refresh may take at most SILENT_REFRESH_TIMEOUT (at most 5 s). Here the token endpoint takes 6 s, so the refresh is abandoned (its lock released shortly after) and counted as failed: the factory falls back to interactive OAuth rather than leave the request hanging. The clock runs 20 times faster, so this takes well under a second.',
    ruleIds: ['F11', 'F13', 'T5'],
    world: { clockScale: 0.05 },
    steps: [
      { do: 'connect', server: 'dcr' },
      { do: 'advanceClock', ms: TWO_HOURS },
      { do: 'knob', server: 'dcr', patch: { tokenLatencyMs: 6_000 } },
      { do: 'mark', name: 'slow' },
      { do: 'call', server: 'dcr', tool: 'echo', args: { message: 'patience' } },
    ],
    expect: {
      after: {
        slow: {
          requests: { 'token:authorization_code@200': 1 },
          consent: { asked: 1, approved: 1 },
          timeline: [{ text: 'Silent refresh failed', ruleId: 'F11' }],
        },
      },
    },
  },
  {
    id: 'two-tabs-refresh-once',
    title: 'Two tabs meet an expired token at the same moment: the refresh token is redeemed once',
    teaching:
      'Two tabs of the same app share one token store. When both see a 401 at once, each tab coalesces its own requests, but only a lock shared by the tabs (Web Locks in the browser) stops them both redeeming the rotating refresh token. The second tab waits, then finds the fresh token the first stored and does not redeem.',
    ruleIds: ['T8', 'T4', 'F11'],
    world: { knobs: { dcr: { tokenLatencyMs: 150 } } },
    steps: [
      { do: 'connect', server: 'dcr' },
      { do: 'secondTab' },
      { do: 'connect', server: 'dcr', tab: 2 },
      { do: 'advanceClock', ms: TWO_HOURS },
      { do: 'mark', name: 'both' },
      {
        do: 'parallel',
        steps: [
          { do: 'call', server: 'dcr', tool: 'echo', args: { message: 'tab 1' }, tab: 1 },
          { do: 'call', server: 'dcr', tool: 'echo', args: { message: 'tab 2' }, tab: 2 },
        ],
      },
    ],
    expect: {
      after: {
        both: {
          requests: { 'token:refresh_token@200': 1, token: 1, 'mcp:tools/call@200': 2 },
          consent: { asked: 0 },
          ruleIds: ['T8'],
        },
      },
      connections: [
        { server: 'dcr', state: 'connected', tab: 1 },
        { server: 'dcr', state: 'connected', tab: 2 },
      ],
    },
  },
  {
    id: 'two-tabs-late-401',
    title:
      'A tab meets its 401 after another tab already refreshed: it takes the stored token, no second redemption',
    teaching:
      'On a busy machine the two tabs do not meet the expired token at the same moment: the first tab refreshes and stores a new token before the second tab even sends its call. The second tab still holds the old token, gets its 401, and must not redeem the refresh token again (a rotating refresh token was already spent, and a second redemption looks like theft to the authorization server). It names the token the server refused; the store holds a newer one, so it uses that.',
    ruleIds: ['T8', 'T4', 'F11'],
    world: {},
    steps: [
      { do: 'connect', server: 'dcr' },
      { do: 'secondTab' },
      { do: 'connect', server: 'dcr', tab: 2 },
      { do: 'advanceClock', ms: TWO_HOURS },
      { do: 'mark', name: 'first' },
      { do: 'call', server: 'dcr', tool: 'echo', args: { message: 'tab 1' }, tab: 1 },
      { do: 'mark', name: 'late' },
      { do: 'call', server: 'dcr', tool: 'echo', args: { message: 'tab 2' }, tab: 2 },
    ],
    expect: {
      after: {
        first: { requests: { 'token:refresh_token@200': 1, token: 1 }, consent: { asked: 0 } },
        late: {
          requests: { token: 0, 'mcp:tools/call@401': 1, 'mcp:tools/call@200': 1 },
          consent: { asked: 0 },
          ruleIds: ['T8'],
        },
      },
      connections: [
        { server: 'dcr', state: 'connected', tab: 1 },
        { server: 'dcr', state: 'connected', tab: 2 },
      ],
    },
  },
];

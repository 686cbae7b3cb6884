import type { Scenario } from '../types';

const TWO_HOURS = 2 * 3600_000;

/** When a refresh cannot help: re-authentication, stale clients, migrations, step-up. */
export const REAUTH: Scenario[] = [
  {
    id: 'refresh-invalid-grant-reauth',
    title: 'Refresh answered invalid_grant: the request hands over to interactive re-authentication',
    teaching:
      'invalid_grant means the grant is gone (revoked, expired, reused): no retry can fix it. The factory deletes the COMPLETED flow so its tokens are not served again, and hands re-authentication to the current request; the host asks the person, and the call that met the 401 then succeeds with the new token.',
    ruleIds: ['F13', 'T5', 'F10', 'F16'],
    world: {},
    steps: [
      { do: 'connect', server: 'dcr' },
      { do: 'advanceClock', ms: TWO_HOURS },
      {
        do: 'knob',
        server: 'dcr',
        patch: { tokenError: { kind: 'invalid_grant', grant: 'refresh_token', remaining: 1 } },
      },
      { do: 'mark', name: 'rejected' },
      { do: 'call', server: 'dcr', tool: 'echo', args: { message: 'back' }, resultIncludes: 'back' },
    ],
    expect: {
      after: {
        rejected: {
          order: [
            'mcp:tools/call@401',
            'token:refresh_token@400',
            'token:authorization_code@200',
            'mcp:tools/call@200',
          ],
          consent: { asked: 1, approved: 1 },
          timeline: [{ text: 'handed to the current request', ruleId: 'F13' }],
        },
      },
      connections: [{ server: 'dcr', state: 'connected' }],
    },
  },
  {
    id: 'revoked-grant-reauth',
    title: 'Every token revoked at the authorization server: one new consent, then back to work',
    teaching:
      'An administrator revoked the grant. The access token now gets 401 and the refresh token invalid_grant, so the only way back is a person. They are asked once; the stored registration is reused (it is still valid), so no new registration is made.',
    ruleIds: ['F13', 'F10', 'O5', 'REG-6'],
    world: {},
    steps: [
      { do: 'connect', server: 'dcr' },
      { do: 'revoke', server: 'dcr' },
      { do: 'mark', name: 'revoked' },
      { do: 'call', server: 'dcr', tool: 'echo', args: { message: 'again' } },
    ],
    expect: {
      after: {
        revoked: {
          requests: { 'token:refresh_token@400': 1, 'token:authorization_code@200': 1, register: 0 },
          consent: { asked: 1, approved: 1 },
          ruleIds: ['F13'],
        },
      },
    },
  },
  {
    id: 'no-refresh-token-consent',
    title: 'An authorization server that issues no refresh token: expiry means a new consent, not a refresh',
    teaching:
      'Clients must not assume a refresh token. Registration still asks for the refresh_token grant, but this server never issues one; when the access token expires there is nothing to redeem, so no refresh request is sent and the person is asked again.',
    ruleIds: ['SCP-6', 'T3', 'F13'],
    world: { knobs: { dcr: { issueRefreshTokens: false } } },
    steps: [
      { do: 'connect', server: 'dcr' },
      { do: 'advanceClock', ms: TWO_HOURS },
      { do: 'mark', name: 'expired' },
      { do: 'call', server: 'dcr', tool: 'echo', args: { message: 'again' } },
    ],
    expect: {
      requests: { 'token:refresh_token': 0 },
      after: {
        expired: {
          requests: { 'token:authorization_code@200': 1 },
          consent: { asked: 1 },
          timeline: [{ text: 'no refresh token', ruleId: 'T3' }],
        },
      },
    },
  },
  {
    id: 'deleted-refresh-consent',
    title: 'The refresh token was deleted: after expiry a person is asked, and nothing is redeemed',
    teaching:
      'Someone deleted the stored refresh token (the Tokens panel can). When the access token expires the silent refresh finds nothing to redeem and says so; interactive OAuth follows. No token request is made with a token the client does not have.',
    ruleIds: ['T3', 'F10', 'F13'],
    world: {},
    steps: [
      { do: 'connect', server: 'dcr' },
      { do: 'deleteRefresh', server: 'dcr' },
      { do: 'advanceClock', ms: TWO_HOURS },
      { do: 'mark', name: 'expired' },
      { do: 'call', server: 'dcr', tool: 'echo', args: { message: 'again' } },
    ],
    expect: {
      after: {
        expired: {
          requests: { 'token:refresh_token': 0, 'token:authorization_code@200': 1 },
          consent: { asked: 1 },
          timeline: [{ text: 'No usable refresh token: a person must authorize', ruleId: 'F13' }],
        },
      },
    },
  },
  {
    id: 'stale-client-reregister',
    title:
      'A stored client the authorization server no longer knows: invalid_client, then a fresh registration',
    teaching:
      'Registrations are kept so the client need not register on every login. When the authorization server refuses a reused registration with invalid_client, the client deletes it (and its refresh token) so the next attempt registers again, instead of failing forever with a dead client id.',
    ruleIds: ['F17', 'O5', 'REG-4'],
    world: {},
    steps: [
      { do: 'connect', server: 'dcr' },
      { do: 'revoke', server: 'dcr' },
      {
        do: 'knob',
        server: 'dcr',
        patch: { tokenError: { kind: 'invalid_client', grant: 'authorization_code', remaining: 1 } },
      },
      { do: 'reload' },
      { do: 'mark', name: 'stale' },
      { do: 'connect', server: 'dcr', expect: 'error' },
      { do: 'connect', server: 'dcr' },
      { do: 'call', server: 'dcr', tool: 'echo', args: { message: 'new client' } },
    ],
    expect: {
      requests: { register: 2 },
      after: {
        stale: {
          order: ['token:authorization_code@401', 'register@201', 'token:authorization_code@200'],
          consent: { asked: 2 },
          ruleIds: ['F17'],
        },
      },
      connections: [{ server: 'dcr', state: 'connected' }],
      stored: [{ server: 'dcr', client: true, refresh: true }],
    },
  },
  {
    id: 'as-migration-reregister',
    title:
      'The server moves to another authorization server: the client registers there, never reusing the old id',
    teaching:
      'After the first successful call, the protected resource metadata names a new authorization server. Tokens of the old one no longer work here, and the old one refuses the refresh. A registration belongs to the issuer that made it, so the client discovers the new issuer, registers with it and asks the person once.',
    ruleIds: ['REG-6', 'O5', 'DISC-6', 'O1', 'F13'],
    world: {},
    steps: [
      { do: 'connect', server: 'dcr' },
      { do: 'knob', server: 'dcr', patch: { migrateAsAfterFirstCall: true } },
      { do: 'call', server: 'dcr', tool: 'echo', args: { message: 'last call at the old one' } },
      {
        do: 'knob',
        server: 'dcr',
        patch: { tokenError: { kind: 'invalid_grant', grant: 'refresh_token', remaining: 1 } },
      },
      { do: 'mark', name: 'moved' },
      { do: 'call', server: 'dcr', tool: 'echo', args: { message: 'moved' } },
    ],
    expect: {
      requests: { register: 2 },
      after: {
        moved: {
          order: ['mcp:tools/call@401', 'register@201', 'token:authorization_code@200', 'mcp:tools/call@200'],
          consent: { asked: 1 },
          timeline: [
            { text: 'not reusing it', ruleId: 'REG-6', count: 1 },
            { text: 'Registered dynamically with https://auth2.dcr.mock.test', count: 1 },
          ],
        },
      },
    },
  },
  {
    id: 'as-migration-old-as-still-refreshes',
    title:
      'The server moves to another authorization server while the old one still refreshes: the client must move too',
    teaching:
      'Here the old authorization server keeps answering refresh requests, but its tokens are worthless at this server now. A client that only ever refreshes is stuck: every call meets a 401, refreshes at the old server (correctly: the refresh token never leaves the AS that issued it), and meets a 401 again. Once the challenge points at metadata that names another issuer, refreshing cannot help; the client must discover, register with the new issuer and ask the person.',
    ruleIds: ['REG-6', 'DISC-6', 'O9', 'F10'],
    world: {},
    steps: [
      { do: 'connect', server: 'dcr' },
      { do: 'knob', server: 'dcr', patch: { migrateAsAfterFirstCall: true } },
      { do: 'call', server: 'dcr', tool: 'echo', args: { message: 'last call at the old one' } },
      { do: 'mark', name: 'moved' },
      { do: 'call', server: 'dcr', tool: 'echo', args: { message: 'moved' } },
    ],
    expect: {
      requests: { register: 2 },
      after: {
        moved: {
          order: ['mcp:tools/call@401', 'register@201', 'token:authorization_code@200', 'mcp:tools/call@200'],
          consent: { asked: 1 },
          timeline: [{ text: 'Registered dynamically with https://auth2.dcr.mock.test', count: 1 }],
        },
      },
    },
  },
  {
    id: 'step-up-scope-union',
    title: '403 insufficient_scope: no silent refresh, step-up asking for the union of scopes',
    teaching:
      'A 403 insufficient_scope is not an expired token: refreshing would return the same scopes. The factory skips the silent refresh and asks the person for more, requesting what was already granted plus what the challenge names, so the new token does not lose the scopes the client had.',
    ruleIds: ['SCP-3', 'SCP-4', 'O6', 'F10'],
    world: {},
    steps: [
      { do: 'connect', server: 'dcr', consent: { scopes: ['mcp:tools', 'mcp:resources'] } },
      { do: 'mark', name: 'write' },
      {
        do: 'call',
        server: 'dcr',
        tool: 'write_note',
        args: { id: 'a', text: 'b' },
        resultIncludes: 'Saved note a',
      },
    ],
    expect: {
      after: {
        write: {
          order: ['mcp:tools/call@403', 'token:authorization_code@200', 'mcp:tools/call@200'],
          requests: { 'token:refresh_token': 0 },
          consent: { asked: 1, lastScope: ['mcp:tools', 'mcp:resources', 'notes:write'] },
          ruleIds: ['SCP-3', 'SCP-4'],
          timeline: [{ text: 'skipping silent refresh', ruleId: 'F10' }],
        },
      },
    },
  },
  {
    id: 'step-up-retry-limit',
    title: 'A person who never grants the scope: at most three step-ups, then a clear error',
    teaching:
      'If the person keeps approving without the extra scope, asking forever would trap them in a consent loop. After three step-up attempts for the same scope the client stops asking and fails the call with an error that says why.',
    ruleIds: ['SCP-5', 'O6', 'SCP-3'],
    world: { consent: { scopes: ['mcp:tools', 'mcp:resources'] } },
    steps: [
      { do: 'connect', server: 'dcr' },
      { do: 'mark', name: 'write' },
      {
        do: 'call',
        server: 'dcr',
        tool: 'write_note',
        args: { id: 'a', text: 'b' },
        repeat: 5,
        expect: 'error',
      },
    ],
    expect: {
      after: {
        write: {
          requests: { 'mcp:tools/call@403': { min: 5 }, 'mcp:tools/call@200': 0 },
          consent: { asked: 3 },
          ruleIds: ['SCP-5'],
          timeline: [{ text: 'Step-up limit reached', ruleId: 'SCP-5', count: 2 }],
        },
      },
    },
  },
];

import type { EventKind, HttpExchange, Lane, TimelineEvent } from '../../engine/timeline/events';
import { bytesToBase64Url } from './jwt';

/**
 * Made-up but realistic timelines for benchmarks, tests and the empty-state demo: each cycle is a
 * connect that meets a 401, discovers, registers, asks for consent, exchanges the code, connects,
 * runs an app, then refreshes an expired token (sometimes failing, sometimes stepping up scope).
 * Secrets look the way the recorder leaves them: redacted (T7). Deterministic for a given n.
 */

export const SYNTHETIC_T0 = Date.UTC(2026, 0, 1, 9, 0, 0);

type Template = Omit<TimelineEvent, 'v' | 'id' | 't' | 'ruleIds'> & { ruleIds?: string[]; gap: number };

const MCP = 'https://weather.mock.test/mcp';
const AS = 'https://auth.weather.mock.test';
const json = (v: unknown) => JSON.stringify(v);
const enc = (v: unknown) => bytesToBase64Url(new TextEncoder().encode(json(v)));

/** A software statement (RFC 7591 §2.3) is public, so it stays whole and the details pane decodes it. */
const SOFTWARE_STATEMENT = `${enc({ alg: 'RS256', typ: 'JWT', kid: 'lab-1' })}.${enc({
  iss: 'https://mcp-lab.example',
  software_id: 'mcp-lab',
  client_name: 'MCP Lab',
  iat: 1767258000,
  exp: 1798794000,
})}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk`;

/** Seeded PRNG (mulberry32), so every run draws the same timeline. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function http(
  from: Lane,
  to: Lane,
  method: string,
  url: string,
  label: string,
  status: number | string,
  extra: {
    reqBody?: string;
    reqHeaders?: Record<string, string>;
    resBody?: string;
    resHeaders?: Record<string, string>;
  } = {},
): HttpExchange {
  const type = extra.reqBody?.startsWith('{') ? 'application/json' : 'application/x-www-form-urlencoded';
  return {
    from,
    to,
    label,
    durationMs: 20,
    request: {
      method,
      url,
      headers: { ...(extra.reqBody ? { 'content-type': type } : {}), ...extra.reqHeaders },
      ...(extra.reqBody ? { body: extra.reqBody } : {}),
    },
    ...(typeof status === 'string'
      ? { failure: status }
      : {
          response: {
            status,
            headers: { 'content-type': 'application/json', ...extra.resHeaders },
            ...(extra.resBody ? { body: extra.resBody } : {}),
          },
        }),
  };
}

function ev(
  lane: Lane,
  kind: EventKind,
  summary: string,
  ruleIds: string[],
  gap: number,
  more: Partial<Template> = {},
): Template {
  return { lane, kind, summary, ruleIds, gap, ...more };
}

const rpc = (method: string, id: number) => json({ jsonrpc: '2.0', id, method });
const bearer = { authorization: 'Bearer eyJhbG…#3fa91c' };

function cycle(k: number): Template[] {
  const c = `c${k}`;
  const f = `f${k}`;
  const r = `r${k}`;
  const refreshFails = k % 3 === 2;
  const out: Template[] = [
    ev('factory', 'span', `Connect to weather (session ${k + 1})`, ['F1'], 40, { phase: 'start', spanId: c }),
    ev('mcp', 'http', 'POST /mcp → 401 (initialize)', ['DISC-1'], 5, {
      level: 'warn',
      parentSpanId: c,
      http: http('host', 'mcp', 'POST', MCP, 'initialize', 401, {
        reqBody: rpc('initialize', 1),
        resHeaders: {
          'www-authenticate': `Bearer resource_metadata="https://weather.mock.test/.well-known/oauth-protected-resource/mcp", scope="weather:read"`,
        },
      }),
    }),
    ev('factory', 'decision', 'Auth error (401): emit oauthRequired', ['F8', 'D3'], 2),
    ev('factory', 'event', 'oauthRequired', ['D2'], 1, { data: { serverName: 'weather', status: 401 } }),
    ev('mcp', 'http', 'GET /.well-known/oauth-protected-resource/mcp → 200 (PRM)', ['O1', 'DISC-3'], 8, {
      http: http(
        'host',
        'mcp',
        'GET',
        'https://weather.mock.test/.well-known/oauth-protected-resource/mcp',
        'PRM',
        200,
        {
          resBody: json({ resource: MCP, authorization_servers: [AS], scopes_supported: ['weather:read'] }),
        },
      ),
    }),
    ev(
      'as',
      'http',
      'GET /.well-known/oauth-authorization-server → 200 (AS metadata)',
      ['O1', 'ASM-2', 'O3'],
      12,
      {
        http: http('host', 'as', 'GET', `${AS}/.well-known/oauth-authorization-server`, 'AS metadata', 200, {
          resBody: json({
            issuer: AS,
            authorization_endpoint: `${AS}/authorize`,
            token_endpoint: `${AS}/token`,
            registration_endpoint: `${AS}/register`,
            code_challenge_methods_supported: ['S256'],
          }),
        }),
      },
    ),
    ev('as', 'http', 'POST /register → 201 (dynamic registration)', ['O5', 'REG-4', 'REG-5'], 15, {
      http: http('host', 'as', 'POST', `${AS}/register`, 'register', 201, {
        reqBody: json({
          client_name: 'MCP Lab',
          application_type: 'web',
          software_statement: SOFTWARE_STATEMENT,
        }),
        resBody: json({ client_id: `lab-client-${k}`, token_endpoint_auth_method: 'none' }),
      }),
    }),
    ev('flows', 'span', 'Flow PENDING', ['S2'], 3, { phase: 'start', spanId: f, parentSpanId: c }),
    ev('flows', 'flow', 'Flow written PENDING with its state, before the redirect', ['S3', 'O7'], 2),
    ev('as', 'http', 'GET /authorize → 200 (consent page)', ['O4', 'PKCE-2', 'RES-1'], 30, {
      http: http(
        'user',
        'as',
        'GET',
        `${AS}/authorize?response_type=code&client_id=lab-client-${k}&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&state=Zk3q…#a1b2c3&resource=${encodeURIComponent(MCP)}`,
        'authorize',
        200,
      ),
    }),
    ev('user', 'event', 'The person approved access to weather:read', [], 900),
    ev('host', 'event', 'Callback received; state matches the flow', ['O7', 'AR-1'], 40, {
      data: { url: 'https://lab.example/oauth/callback?code=SplxlO…#9c0d1e&state=Zk3q…#a1b2c3' },
    }),
    ev('as', 'http', 'POST /token → 200 (token: authorization_code)', ['O8', 'RES-1'], 25, {
      http: http('host', 'as', 'POST', `${AS}/token`, 'token: authorization_code', 200, {
        reqBody: `grant_type=authorization_code&code=SplxlO…#9c0d1e&code_verifier=dBjftJ…#77e0aa&resource=${MCP}`,
        resBody: json({
          access_token: 'eyJhbG…#3fa91c',
          token_type: 'Bearer',
          expires_in: 3600,
          refresh_token: 'rt_9f2…#5b6c7d',
        }),
      }),
    }),
    ev(
      'tokens',
      'token',
      'Stored access token, refresh token and client registration',
      ['T1', 'T6', 'T7'],
      4,
    ),
    ev('flows', 'flow', 'Flow COMPLETED', ['S1', 'S4', 'O8'], 2),
    ev('flows', 'span', 'Flow COMPLETED', ['S1'], 1, { phase: 'end', spanId: f }),
    ev('mcp', 'http', 'POST /mcp → 200 (initialize)', ['TOK-1', 'D1'], 10, {
      http: http('host', 'mcp', 'POST', MCP, 'initialize', 200, {
        reqBody: rpc('initialize', 2),
        reqHeaders: bearer,
      }),
    }),
    ev('mcp', 'http', 'POST /mcp → 200 (tools/list)', ['D7'], 10, {
      http: http('host', 'mcp', 'POST', MCP, 'tools/list', 200, {
        reqBody: rpc('tools/list', 3),
        reqHeaders: bearer,
      }),
    }),
    ev('factory', 'span', 'Connected', ['D2', 'F9'], 2, { phase: 'end', spanId: c }),
    ev('host', 'app', 'App view loaded from ui://weather/forecast in the sandbox', ['A2', 'A5'], 60),
    ev('app', 'app', 'App asked to call tools/call get_forecast', ['A3'], 300),
    ev('mcp', 'http', 'POST /mcp → 401 (tools/call): invalid_token, expired', [], 12, {
      level: 'warn',
      http: http('host', 'mcp', 'POST', MCP, 'tools/call', 401, {
        reqBody: rpc('tools/call', 4),
        reqHeaders: bearer,
        resHeaders: { 'www-authenticate': 'Bearer error="invalid_token", error_description="expired"' },
      }),
    }),
    ev('factory', 'decision', 'Token expired: try a silent refresh first', ['F10', 'T3'], 2),
    ev('tokens', 'span', 'Refresh', ['T4'], 1, { phase: 'start', spanId: r }),
  ];
  if (refreshFails)
    out.push(
      ev('as', 'http', 'POST /token → network error (token: refresh_token)', ['O9'], 30, {
        level: 'error',
        http: http(
          'host',
          'as',
          'POST',
          `${AS}/token`,
          'token: refresh_token',
          'network: Failed to reach the token endpoint: the connection was dropped.',
          {
            reqBody: `grant_type=refresh_token&refresh_token=rt_9f2…#5b6c7d&resource=${MCP}`,
          },
        ),
      }),
      ev('tokens', 'error', 'Refresh failed (network); stored credentials kept', ['T5'], 2, {
        level: 'error',
      }),
      ev('tokens', 'span', 'Refresh failed', ['F13'], 1, { phase: 'end', spanId: r, level: 'error' }),
    );
  else
    out.push(
      ev('as', 'http', 'POST /token → 200 (token: refresh_token)', ['O9', 'RES-1'], 30, {
        http: http('host', 'as', 'POST', `${AS}/token`, 'token: refresh_token', 200, {
          reqBody: `grant_type=refresh_token&refresh_token=rt_9f2…#5b6c7d&resource=${MCP}`,
          resBody: json({
            access_token: 'eyJhbG…#8e1f20',
            token_type: 'Bearer',
            expires_in: 3600,
            refresh_token: 'rt_c41…#0a9b8c',
          }),
        }),
      }),
      ev('tokens', 'token', 'Rotated refresh token stored; the old one is dead', ['T6', 'TOK-5'], 3),
      ev('tokens', 'span', 'Refreshed', ['F12'], 1, { phase: 'end', spanId: r }),
      ev('host', 'gate', 'Step gate paused before POST /mcp (tools/call)', [], 5, {
        data: { phase: 'paused' },
      }),
      ev('mcp', 'http', 'POST /mcp → 200 (tools/call)', ['TOK-1'], 400, {
        http: http('host', 'mcp', 'POST', MCP, 'tools/call', 200, {
          reqBody: rpc('tools/call', 5),
          reqHeaders: bearer,
        }),
      }),
    );
  if (k % 4 === 3)
    out.push(
      ev('mcp', 'http', 'POST /mcp → 403 (tools/call): insufficient_scope', ['F10', 'O6', 'SCP-3'], 50, {
        level: 'warn',
        http: http('host', 'mcp', 'POST', MCP, 'tools/call', 403, {
          reqHeaders: bearer,
          resHeaders: {
            'www-authenticate': 'Bearer error="insufficient_scope", scope="weather:read weather:write"',
          },
        }),
      }),
      ev('factory', 'decision', 'Step up: ask for weather:read weather:write', ['O6', 'SCP-4'], 2),
      ev('host', 'decision', 'Refused http://169.254.169.254/ (link-local address)', ['D8'], 5, {
        level: 'warn',
      }),
    );
  return out;
}

/** `n` events of a realistic mix of lanes, kinds, HTTP exchanges, spans, warnings and errors. */
export function syntheticEvents(n: number): TimelineEvent[] {
  const rand = random(0x5eed);
  const out: TimelineEvent[] = [];
  let t = SYNTHETIC_T0;
  for (let k = 0; out.length < n; k++) {
    for (const tpl of cycle(k)) {
      if (out.length >= n) break;
      const { gap, ruleIds, http: exchange, ...rest } = tpl;
      const jitter = Math.round(gap * (0.5 + rand()));
      t += jitter;
      const event: TimelineEvent = { v: 1, id: `syn-${out.length + 1}`, t, ruleIds: ruleIds ?? [], ...rest };
      if (exchange)
        event.http = { ...exchange, durationMs: Math.max(1, Math.min(jitter, 5 + Math.round(rand() * 80))) };
      out.push(event);
    }
    t += 500;
  }
  return out;
}

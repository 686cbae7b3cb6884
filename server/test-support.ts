/** Helpers for the reference-stack tests: a token-recording fetch, the engine, and a "person" at the pages. */
import { NodeSecretBox } from '../src/cli/node-secret-box';
import { headlessAuthorizer } from '../src/engine/connection/authorizers';
import { ConnectionManager } from '../src/engine/connection/manager';
import { createEngine, type Engine } from '../src/engine/engine';
import type { AuthorizationCallback, FetchLike } from '../src/engine/oauth/types';
import type { ReferenceStack } from './stack';

export const REDIRECT_URI = 'http://127.0.0.1:33418/oauth/callback';
export const KEY = { tenant: 't', user: 'alice', server: 'ref' };

/** One request to the token endpoint as the engine sent it, and what the AS answered. */
export interface TokenExchange {
  grantType: string;
  sentRefreshToken?: string;
  status: number;
  body: { access_token?: string; refresh_token?: string; error?: string };
}

/** Passes every request to `fetch`, recording token endpoint exchanges (secrets included: tests only). */
export function recordingFetch(log: TokenExchange[]): FetchLike {
  return async (input, init) => {
    const request = new Request(input, init);
    if (!new URL(request.url).pathname.endsWith('/token')) return fetch(input, init);
    const form = new URLSearchParams(await request.clone().text());
    const res = await fetch(request);
    log.push({
      grantType: form.get('grant_type') ?? '',
      ...(form.get('refresh_token') ? { sentRefreshToken: form.get('refresh_token') ?? '' } : {}),
      status: res.status,
      body: await res
        .clone()
        .json()
        .catch(() => ({})),
    });
    return res;
  };
}

export function callbackOf(location: string): AuthorizationCallback {
  const params = new URL(location).searchParams;
  const out: AuthorizationCallback = {};
  for (const k of ['code', 'state', 'iss', 'error', 'error_description'] as const) {
    const v = params.get(k);
    if (v !== null) out[k] = v;
  }
  return out;
}

export interface LabRun {
  engine: Engine;
  /** Token endpoint exchanges, in order. */
  tokens: TokenExchange[];
  /** Authorization URLs the engine opened (one per interactive OAuth). */
  starts: string[];
  /** Connects through the connection manager: the host that answers re-authentication (F13). */
  connect(): ReturnType<Engine['connect']>;
}

/** The engine as the CLI builds it, against the stack, approving with `authorize` (headless by default). */
export function labEngine(
  stack: ReferenceStack,
  authorize: (url: string) => Promise<AuthorizationCallback> = headlessAuthorizer(fetch),
): LabRun {
  const tokens: TokenExchange[] = [];
  const starts: string[] = [];
  const engine: Engine = createEngine({
    redirectUri: REDIRECT_URI,
    secretBox: new NodeSecretBox(),
    fetch: recordingFetch(tokens),
    timings: { connectAttempts: 1 },
    oauthStart: async (url) => {
      starts.push(url);
      await engine.completeAuthorization(await authorize(url));
    },
  });
  const manager = new ConnectionManager(engine.deps);
  return {
    engine,
    tokens,
    starts,
    connect: () =>
      manager.get({ name: 'ref', url: stack.mcpUrl }, { tenant: 't', user: { id: 'alice' } }, {}),
  };
}

/**
 * A person at the reference AS's pages, with a cookie jar: follows redirects on the AS, signs in
 * (first with `wrongPassword` when given), then approves or denies, and returns the redirect back.
 * Every page it saw is pushed to `pages`.
 */
export function personAuthorizer(o: {
  password: string;
  wrongPassword?: string;
  decision: 'approve' | 'deny';
  pages: string[];
}): (url: string) => Promise<AuthorizationCallback> {
  return async (start) => {
    const jar = new Map<string, string>();
    const origin = new URL(start).origin;
    const go = async (url: string, form?: URLSearchParams) => {
      const r = await fetch(url, {
        redirect: 'manual',
        method: form ? 'POST' : 'GET',
        headers: {
          cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
          ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        ...(form ? { body: form } : {}),
      });
      for (const c of r.headers.getSetCookie()) {
        const [pair = ''] = c.split(';');
        jar.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
      }
      return r;
    };
    let wrongTried = false;
    let r = await go(start);
    for (let hop = 0; hop < 12; hop++) {
      const location = r.headers.get('location');
      if (location) {
        const target = new URL(location, origin);
        if (target.origin !== origin) return callbackOf(target.href);
        r = await go(target.href);
        continue;
      }
      const html = await r.text();
      o.pages.push(html);
      const action = new URL(/<form method="post" action="([^"]+)"/.exec(html)?.[1] ?? '/missing', origin)
        .href;
      if (html.includes('data-testid="as-login-form"')) {
        const password = o.wrongPassword && !wrongTried ? o.wrongPassword : o.password;
        wrongTried = true;
        r = await go(action, new URLSearchParams({ username: 'alice', password }));
      } else if (html.includes('data-testid="as-consent"')) {
        const form = new URLSearchParams({ decision: o.decision });
        for (const m of html.matchAll(/name="scope" value="([^"]+)"/g)) form.append('scope', m[1] ?? '');
        r = await go(action, form);
      } else throw new Error(`Unexpected page (HTTP ${r.status}): ${html.slice(0, 200)}`);
    }
    throw new Error('Too many hops at the authorization server.');
  };
}

/** RFC 7009 revocation by the engine's own (public) client. */
export async function revokeAtAs(stack: ReferenceStack, clientId: string, token: string): Promise<Response> {
  return fetch(`${stack.asUrl}/token/revocation`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, client_id: clientId }),
  });
}

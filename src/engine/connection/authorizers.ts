import { LabError } from '../errors';
import type { AuthorizationCallback, FetchLike } from '../oauth/types';
import type { TimelineRecorder } from '../timeline/recorder';

/** Something that gets a person's (or a robot's) decision for an authorization URL and returns the redirect's parameters. */
export type Authorizer = (authorizationUrl: string) => Promise<AuthorizationCallback>;

function callbackOf(redirect: string): AuthorizationCallback {
  const params = new URL(redirect).searchParams;
  const out: AuthorizationCallback = {};
  for (const k of ['code', 'state', 'iss', 'error', 'error_description'] as const) {
    const v = params.get(k);
    if (v !== null) out[k] = v;
  }
  return out;
}

/**
 * Headless: fetches the authorization URL without following redirects and reads `Location`, for
 * Node and automated runs against servers that redirect straight back (e.g. the mock with
 * `autoApprove`, or a test AS that approves a fixed account).
 */
export function headlessAuthorizer(fetchFn: FetchLike, recorder?: TimelineRecorder): Authorizer {
  return async (url) => {
    recorder?.record({
      lane: 'user',
      kind: 'event',
      summary: 'Headless: opening the authorization URL without a person',
      ruleIds: [],
    });
    const res = await fetchFn(url, { redirect: 'manual' });
    const location = res.headers.get('location');
    await res.body?.cancel();
    if (res.status < 300 || res.status >= 400 || !location)
      throw new LabError(
        'oauth_failed',
        `Failed to authorize headlessly: the authorization endpoint answered HTTP ${res.status} instead of redirecting back.`,
        {
          hint: 'It shows a login or consent page; use an authorization server that approves automatically, or authorize interactively.',
        },
      );
    return callbackOf(new URL(location, url).href);
  };
}

/**
 * Mock consent: answers the mock authorization server's decision API (what the playground's consent
 * page does): approve, approve fewer scopes, or deny.
 */
export function mockConsentAuthorizer(
  fetchFn: FetchLike,
  decision: { decision: 'approve' | 'deny'; scopes?: string[]; subject?: string } = { decision: 'approve' },
  recorder?: TimelineRecorder,
): Authorizer {
  return async (url) => {
    const endpoint = url.split('?')[0]?.replace(/\/authorize$/, '/mock/decision') ?? '';
    recorder?.record({
      lane: 'user',
      kind: 'event',
      summary:
        decision.decision === 'approve'
          ? `User approves${decision.scopes ? ` only ${decision.scopes.join(' ')}` : ''}`
          : 'User denies the request',
      ruleIds: [],
    });
    const res = await fetchFn(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ authorizationUrl: url, ...decision }),
    });
    const body = (await res.json()) as { redirectTo?: string; error?: string; error_description?: string };
    if (!body.redirectTo)
      throw new LabError(
        'oauth_failed',
        `Failed to authorize at the mock: ${body.error ?? `HTTP ${res.status}`}: ${body.error_description ?? ''}`.trim(),
      );
    return callbackOf(body.redirectTo);
  };
}

import { mockConsentAuthorizer } from '../engine/connection/authorizers';
import { createEngine, type Engine } from '../engine/engine';
import type { StepGate } from '../engine/net/step-gate';
import type { UrlPolicy } from '../engine/net/url-policy';
import { indexedDbStores } from '../engine/store/indexeddb';
import { callbackUrl, popupAuthorizer } from './oauth/popup';

/** The query parameter that turns the app into the mock consent page (a popup of its own origin). */
export const CONSENT_PARAM = 'consent';

/** Whether an authorization URL belongs to a mock authorization server (a service worker answers it; a popup cannot navigate there). */
export function isMockAuthorization(url: string): boolean {
  return new URL(url).hostname.endsWith('.mock.test');
}

/**
 * The engine as the playground hosts it: IndexedDB stores shared by every tab, cross-tab flow
 * wake-ups, the callback page on this origin. Consent: for a mock authorization server, either
 * auto-approve (the decision API) or the playground's own consent page in a popup; for a real one,
 * its own pages in a popup.
 */
/** The dev server's proxy route for servers without CORS (server/dev-proxy.ts). */
export const PROXY_PATH = '/__lab_proxy';

export function createBrowserEngine(
  options: {
    gate?: StepGate;
    autoApprove?: () => boolean;
    policy?: Pick<UrlPolicy, 'check'>;
    devProxy?: () => boolean;
    /** The in-page mock transport, when it is on (else mock hosts go through the service worker). */
    mockFetch?: () => typeof fetch | undefined;
    /** Told when the consent step of a flow starts and ends, and how the person is asked. */
    onConsent?: (phase: 'start' | 'end', via: 'popup' | 'auto', flowId: string) => void;
  } = {},
): Engine {
  // With the dev proxy on, requests to other origins (not the mocks) go through `npm start`'s proxy route.
  const wire = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input), location.href);
    const inPage = url.hostname.endsWith('.mock.test') ? options.mockFetch?.() : undefined;
    if (inPage) return inPage(input, init);
    if (!options.devProxy?.() || url.origin === location.origin || url.hostname.endsWith('.mock.test'))
      return fetch(input, init);
    engine.recorder.record({
      lane: 'host',
      kind: 'decision',
      summary: `Proxied through the dev server: ${url.origin}${url.pathname}`,
      ruleIds: ['D8'],
    });
    const headers = new Headers(init?.headers);
    headers.set('x-lab-proxy-target', url.href);
    return fetch(new URL(PROXY_PATH, location.origin), { ...init, headers });
  };
  const engine = createEngine({
    fetch: wire,
    stores: indexedDbStores('mcp-lab'),
    redirectUri: callbackUrl(),
    flowChannel: 'mcp-lab-flows',
    ...(options.gate ? { gate: options.gate } : {}),
    ...(options.policy ? { policy: options.policy } : {}),
    oauthStart: async (url, info) => {
      const mock = isMockAuthorization(url);
      const auto = options.autoApprove?.() ?? true;
      const via = mock && auto ? 'auto' : 'popup';
      const authorizer =
        mock && auto
          ? mockConsentAuthorizer(wire, { decision: 'approve' }, engine.recorder)
          : mock
            ? (u: string) =>
                popupAuthorizer()(
                  new URL(`?${new URLSearchParams({ [CONSENT_PARAM]: u })}`, document.baseURI).href,
                )
            : popupAuthorizer();
      options.onConsent?.('start', via, info.flowId);
      let callback: Awaited<ReturnType<typeof authorizer>>;
      try {
        callback = await authorizer(url);
      } finally {
        options.onConsent?.('end', via, info.flowId);
      }
      engine.recorder.record({
        lane: 'user',
        kind: 'event',
        summary: callback.error
          ? `The person (or the AS) refused: ${callback.error}`
          : 'The person approved; the browser brings the code back to the callback page',
        ruleIds: [],
      });
      await engine.completeAuthorization(callback);
    },
  });
  return engine;
}

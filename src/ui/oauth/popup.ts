import type { Authorizer } from '../../engine/connection/authorizers';
import { LabError } from '../../engine/errors';
import type { AuthorizationCallback } from '../../engine/oauth/types';

/** The channel the callback page (`public/oauth-callback.html`) posts the redirect's parameters on. */
export const CALLBACK_CHANNEL = 'mcp-lab-oauth-callback';

/** The redirect URI: a static file beside the app, so any static host serves it. */
export function callbackUrl(base: string = document.baseURI): string {
  return new URL('oauth-callback.html', base).href;
}

/** Opens the authorization URL in a popup and resolves with the parameters the callback page posts back. */
export function popupAuthorizer(timeoutMs = 10 * 60_000): Authorizer {
  return (url) =>
    new Promise((resolve, reject) => {
      const channel = new BroadcastChannel(CALLBACK_CHANNEL);
      const done = (fn: () => void) => {
        clearTimeout(timer);
        channel.close();
        fn();
      };
      const timer = setTimeout(
        () =>
          done(() =>
            reject(
              new LabError('timeout', 'Failed to authorize: the consent window was not completed in time.'),
            ),
          ),
        timeoutMs,
      );
      // The first callback is handed on as it came: the engine checks its state (O7) and says on the
      // timeline why it refuses a forged or stale one. Only one consent window is open at a time.
      channel.onmessage = (e: MessageEvent<AuthorizationCallback>) => {
        if (e.data && typeof e.data === 'object') done(() => resolve(e.data));
      };
      const popup = window.open(url, 'mcp-lab-consent', 'popup,width=520,height=680');
      if (!popup)
        done(() =>
          reject(
            new LabError(
              'oauth_failed',
              'Failed to open the consent window: the browser blocked the popup.',
              { hint: 'Allow popups for this page and try again.' },
            ),
          ),
        );
    });
}

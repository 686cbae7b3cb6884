import { createEngine, type Engine } from '../engine/engine';
import { type Authorizer, mockConsentAuthorizer } from '../engine/factory/authorizers';
import { indexedDbStores } from '../engine/store/indexeddb';
import { CALLBACK_PATH, popupAuthorizer } from './oauth/popup';

/**
 * The engine as the playground hosts it: IndexedDB stores shared by every tab, cross-tab flow
 * wake-ups, the callback page on this origin, and consent through the mock decision API for mock
 * authorization servers (auto-approve) or a popup for real ones.
 */
export function createBrowserEngine(options: { autoApproveMocks?: boolean } = {}): Engine {
  const engine = createEngine({
    stores: indexedDbStores('mcp-lab'),
    redirectUri: `${location.origin}${CALLBACK_PATH}`,
    flowChannel: 'mcp-lab-flows',
    oauthStart: async (url) => {
      const isMock = new URL(url).hostname.endsWith('.mock.test');
      const authorizer: Authorizer =
        isMock && options.autoApproveMocks !== false
          ? mockConsentAuthorizer((i, init) => fetch(i, init), { decision: 'approve' }, engine.recorder)
          : popupAuthorizer();
      await engine.completeAuthorization(await authorizer(url));
    },
  });
  return engine;
}

import { HttpResponse, http } from 'msw';
import { isNetworkError } from './http';
import type { WorldHandler } from './shared-world';
import { MockWorld } from './world';

/**
 * The one network definition of the mock world: a single MSW handler for every `*.mock.test` host.
 * `setupWorker` (browser.ts) and `setupServer` (node.ts) both use it, so every environment runs the
 * same servers.
 */
export function mockHandlers(world: WorldHandler) {
  return [
    http.all(
      ({ request }) => MockWorld.owns(request.url),
      async ({ request }) => {
        const response = await world.handle(request);
        if (!response) return undefined;
        return isNetworkError(response) ? HttpResponse.error() : response;
      },
    ),
  ];
}

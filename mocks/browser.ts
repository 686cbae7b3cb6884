import { getResponse } from 'msw';
import { setupWorker } from 'msw/browser';
import { corsFiltered } from './cors-filter';
import { mockHandlers } from './handlers';
import { shareWorld } from './shared-world';
import { MockWorld, type MockWorldOptions } from './world';

/** How the page's own requests reach the mock servers (the service worker stays registered either way). */
export type MockTransport = 'in-page' | 'service-worker';

/**
 * Starts the mock world in the browser through the service worker at `/mockServiceWorker.js`.
 * Requests to `*.mock.test` hosts are answered in this page; everything else goes to the network.
 *
 * `fetchInPage` answers a request with the same handlers without the service worker's round trip
 * (MSW's `getResponse`), then applies the browser's CORS response filter so a page reads exactly the
 * headers it could read over the network. Measured on 2 cores: a mocked fetch costs ~20 ms through
 * the worker when idle and seconds under CPU contention, because every request and answer crosses
 * two threads twice; a first OAuth connect makes 18 of them.
 */
export async function startMockWorker(
  options: MockWorldOptions & { workerUrl?: string; shared?: boolean } = {},
) {
  const world = new MockWorld(options);
  // One world for every tab of this origin (the leader tab hosts it), unless asked otherwise.
  const shared = options.shared === false ? undefined : shareWorld(world);
  const handlers = mockHandlers(shared ?? world);
  const worker = setupWorker(...handlers);
  await worker.start({
    serviceWorker: { url: options.workerUrl ?? `${import.meta.env.BASE_URL}mockServiceWorker.js` },
    onUnhandledFrame: 'bypass',
    quiet: true,
  });
  return {
    world,
    worker,
    /** Whether this tab hosts the shared world (other tabs relay to it). */
    isLeader: () => shared?.isLeader ?? true,
    /** A `fetch` for mock hosts that skips the service worker; rejects like fetch on a network error. */
    async fetchInPage(input: string | URL | Request, init?: RequestInit): Promise<Response> {
      const request = new Request(input, init);
      const response = await getResponse(handlers, request);
      if (!response || response.type === 'error') throw new TypeError('Failed to fetch');
      return corsFiltered(response, location.origin, request);
    },
    stop: () => {
      worker.stop();
      shared?.close();
    },
  };
}

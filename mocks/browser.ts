import { setupWorker } from 'msw/browser';
import { mockHandlers } from './handlers';
import { MockWorld, type MockWorldOptions } from './world';

/**
 * Starts the mock world in the browser through the service worker at `/mockServiceWorker.js`.
 * Requests to `*.mock.test` hosts are answered in this page; everything else goes to the network.
 */
export async function startMockWorker(options: MockWorldOptions & { workerUrl?: string } = {}) {
  const world = new MockWorld(options);
  const worker = setupWorker(...mockHandlers(world));
  await worker.start({
    serviceWorker: { url: options.workerUrl ?? `${import.meta.env.BASE_URL}mockServiceWorker.js` },
    onUnhandledFrame: 'bypass',
    quiet: true,
  });
  return { world, worker, stop: () => worker.stop() };
}

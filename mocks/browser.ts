import { setupWorker } from 'msw/browser';
import { mockHandlers } from './handlers';
import { shareWorld } from './shared-world';
import { MockWorld, type MockWorldOptions } from './world';

/**
 * Starts the mock world in the browser through the service worker at `/mockServiceWorker.js`.
 * Requests to `*.mock.test` hosts are answered in this page; everything else goes to the network.
 */
export async function startMockWorker(
  options: MockWorldOptions & { workerUrl?: string; shared?: boolean } = {},
) {
  const world = new MockWorld(options);
  // One world for every tab of this origin (the leader tab hosts it), unless asked otherwise.
  const shared = options.shared === false ? undefined : shareWorld(world);
  const worker = setupWorker(...mockHandlers(shared ?? world));
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
    stop: () => {
      worker.stop();
      shared?.close();
    },
  };
}

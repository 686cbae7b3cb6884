import { setupServer } from 'msw/node';
import { mockHandlers } from './handlers';
import { MockWorld, type MockWorldOptions } from './world';

// msw 3 uses Promise.withResolvers, which Node 20 lacks.
if (!('withResolvers' in Promise)) {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

/**
 * Starts the mock world in Node (CLI, vitest): every `fetch` to a `*.mock.test` host is answered by
 * the mocks; other requests go to the network. Returns the world and a `close` function.
 */
export function startMockServer(options: MockWorldOptions = {}) {
  const world = new MockWorld(options);
  const server = setupServer(...mockHandlers(world));
  server.listen({ onUnhandledFrame: 'bypass' });
  return { world, server, close: () => server.close() };
}

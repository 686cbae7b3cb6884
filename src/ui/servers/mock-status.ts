import { HEALTH_URL, type MockWorld } from '../../../mocks/world';

export type MockStatus = { state: 'intercepting'; world: MockWorld } | { state: 'failed'; reason: string };

/**
 * Proves the service worker really answers: a cross-origin fetch to the mock world's health URL
 * must come back from the mocks, not from the network (where `*.mock.test` does not exist).
 */
export async function probeMocks(world: MockWorld): Promise<MockStatus> {
  try {
    const res = await fetch(HEALTH_URL, { cache: 'no-store' });
    const body = (await res.json()) as { ok?: boolean };
    if (res.ok && body.ok) return { state: 'intercepting', world };
    return { state: 'failed', reason: `The health check answered HTTP ${res.status}.` };
  } catch (e) {
    return {
      state: 'failed',
      reason: `Failed to reach the mock servers: ${(e as Error).message}. The service worker may be blocked (private window, or a browser without service workers).`,
    };
  }
}

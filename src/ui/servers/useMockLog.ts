import { useSyncExternalStore } from 'react';
import type { MockWorld } from '../../../mocks/world';

/** The number of requests the mock world has answered, live. */
export function useMockRequestCount(world: MockWorld | undefined): number {
  return useSyncExternalStore(
    (notify) => world?.subscribe(notify) ?? (() => {}),
    () => world?.log.length ?? 0,
  );
}

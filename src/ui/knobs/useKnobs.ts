import { useCallback, useSyncExternalStore } from 'react';
import type { MockKnobs } from '../../../mocks/knobs';
import type { MockWorld } from '../../../mocks/world';

/** The parts of the mock world the knobs panel uses. */
export type KnobsWorld = Pick<
  MockWorld,
  'knobs' | 'setKnobs' | 'resetKnobs' | 'revokeAllTokens' | 'advanceClock' | 'subscribe' | 'servers' | 'clock'
>;

/**
 * A server's knobs, live: `MockWorld` replaces the knobs object on every change, so the snapshot
 * is stable between changes and requests (which also notify) cause no re-render.
 */
export function useKnobs(world: KnobsWorld, serverId: string): Readonly<MockKnobs> | undefined {
  const subscribe = useCallback((fn: () => void) => world.subscribe(fn), [world]);
  const read = () => (world.servers.some((s) => s.id === serverId) ? world.knobs(serverId) : undefined);
  return useSyncExternalStore(subscribe, read, read);
}

/** How far the mock clock runs ahead of real time, live; `undefined` for a clock without an offset. */
export function useClockOffset(world: KnobsWorld): number | undefined {
  const subscribe = useCallback((fn: () => void) => world.subscribe(fn), [world]);
  const read = () => {
    const offset: unknown = (world.clock as { offsetMs?: unknown }).offsetMs;
    return typeof offset === 'number' ? offset : undefined;
  };
  return useSyncExternalStore(subscribe, read, read);
}

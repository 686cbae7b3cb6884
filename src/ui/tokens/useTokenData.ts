import { useCallback, useEffect, useRef, useState } from 'react';
import type { Engine } from '../../engine/engine';
import type { FlowRecord } from '../../engine/flows/types';
import type { CredentialSummary } from '../../engine/tokens';

/** The parts of the engine the tokens panel reads. */
export type TokensEngine = Pick<Engine, 'tokenStore' | 'flowStore' | 'recorder' | 'clock'>;

export interface TokenData {
  credentials: CredentialSummary[];
  flows: FlowRecord[];
}

const WATCHED_LANES = new Set(['tokens', 'flows']);
/** Events come in bursts (a refresh writes access and refresh records): one reload per burst. */
const DEBOUNCE_MS = 50;

/**
 * What the token and flow stores hold, reloaded when the recorder reports an event on the `tokens`
 * or `flows` lane. Reading records itself records events (ignored records, T1/T7; expired flows,
 * S6), so events that arrive during a load trigger at most one follow-up load, never a loop.
 */
export function useTokenData(engine: TokensEngine): {
  data: TokenData | undefined;
  error: string | undefined;
  reload: () => void;
} {
  const [data, setData] = useState<TokenData>();
  const [error, setError] = useState<string>();
  const reloadRef = useRef<() => void>(() => {});

  useEffect(() => {
    let alive = true;
    let running = false;
    let followUp = false;
    let dirty = false;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const load = async (isFollowUp: boolean): Promise<void> => {
      running = true;
      followUp = isFollowUp;
      dirty = false;
      try {
        const [credentials, flows] = await Promise.all([engine.tokenStore.list(), engine.flowStore.list()]);
        if (alive) {
          setData({ credentials, flows });
          setError(undefined);
        }
      } catch (e) {
        if (alive) setError(`Failed to read the stores: ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        running = false;
        if (alive && dirty) void load(true);
      }
    };
    // `explicit`: a person's action asked, so it is never mistaken for an echo of our own read.
    const schedule = (explicit = false): void => {
      if (!alive) return;
      if (running) {
        if (!followUp || explicit) dirty = true;
        return;
      }
      if (timer === undefined)
        timer = setTimeout(() => {
          timer = undefined;
          void load(false);
        }, DEBOUNCE_MS);
    };

    reloadRef.current = () => schedule(true);
    void load(false);
    const unsubscribe = engine.recorder.subscribe((event) => {
      if (WATCHED_LANES.has(event.lane)) schedule(false);
    });
    return () => {
      alive = false;
      if (timer !== undefined) clearTimeout(timer);
      unsubscribe();
    };
  }, [engine]);

  const reload = useCallback(() => reloadRef.current(), []);
  return { data, error, reload };
}

/** The engine clock's time, re-read every second so countdowns tick. */
export function useNow(now: () => number, intervalMs = 1000): number {
  const [, setTick] = useState(0);
  useEffect(() => {
    const id = setInterval(() => setTick((t) => t + 1), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now();
}

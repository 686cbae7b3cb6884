import { completeAuthorization } from '../engine/connection/authorization-step';
import { ConnectionFactory } from '../engine/connection/factory';
import type { FactoryTimings } from '../engine/connection/factory-constants';
import type { FactoryDeps, FactoryOAuthOptions } from '../engine/connection/factory-types';
import { ConnectionManager } from '../engine/connection/manager';
import { createEngine, type Engine, engineRefresher } from '../engine/engine';
import type { FetchLike } from '../engine/oauth/types';
import type { EngineStores, KeyValueStore } from '../engine/store/types';
import type { TimelineEvent } from '../engine/timeline/events';
import { TimelineRecorder } from '../engine/timeline/recorder';
import { type LockManagerLike, type SecretBox, TokenStore } from '../engine/tokens';
import { type ScenarioClock, TabClock } from './clock';

export const SCENARIO_REDIRECT_URI = 'http://localhost:5173/oauth/callback';

/** What every tab of one scenario shares: the browser profile (stores, key, locks) and the clock. */
export interface TabShared {
  clock: ScenarioClock;
  stores: EngineStores;
  secretBox: SecretBox;
  /** The cross-tab refresh lock (T8); null: none, each tab on its own. */
  locks: LockManagerLike | null;
  timings: Partial<FactoryTimings>;
  /** Where every tab's timeline events go while the tab lives. */
  timeline: TimelineEvent[];
  /** The host's `oauthStart` (step-up and re-authentication on ready connections). */
  hostOAuthStart(tab: number): NonNullable<FactoryOAuthOptions['oauthStart']>;
}

/** One tab: an engine with its connection manager, over the shared stores. */
export interface Tab {
  n: number;
  engine: Engine;
  manager: ConnectionManager;
  /** Whether the tab still lives (a reload ends it). */
  readonly alive: boolean;
  /** Ends the tab: its timers stop, its store and network calls never return, its events are no longer kept. */
  close(): void;
}

const never = <T>() => new Promise<T>(() => {});

/** A store whose operations never return once the tab is gone (a page that unloaded does nothing more). */
function tabStore<T>(inner: KeyValueStore<T>, alive: () => boolean): KeyValueStore<T> {
  const guard =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      alive() ? fn(...args) : never<R>();
  return {
    get: guard((k: string) => inner.get(k)),
    set: guard((k: string, v: T) => inner.set(k, v)),
    delete: guard((k: string) => inner.delete(k)),
    update: guard((k: string, u: (old: T | undefined) => T | undefined) => inner.update(k, u)),
    keys: guard(() => inner.keys()),
    entries: guard(() => inner.entries()),
    clear: guard(() => inner.clear()),
  };
}

/**
 * Builds a tab like the playground does, on memory stores shared with the other tabs. The token
 * store gets the scenario's lock manager (T8: refresh is single-flight across tabs, as Web Locks
 * make it in the browser); `createEngine` has no option for it, so the token store is rebuilt here.
 */
export function openTab(n: number, shared: TabShared): Tab {
  let alive = true;
  const isAlive = () => alive;
  const clock = new TabClock(shared.clock);
  const recorder = new TimelineRecorder(clock);
  const unsubscribe = recorder.subscribe((e) => shared.timeline.push(e));
  const stores: EngineStores = {
    flows: tabStore(shared.stores.flows, isAlive),
    tokens: tabStore(shared.stores.tokens, isAlive),
    settings: tabStore(shared.stores.settings, isAlive),
  };
  const wire: FetchLike = (input, init) => (alive ? globalThis.fetch(input, init) : never<Response>());
  const base = createEngine({
    clock,
    stores,
    recorder,
    fetch: wire,
    redirectUri: SCENARIO_REDIRECT_URI,
    secretBox: shared.secretBox,
    pollIntervalMs: 20,
    timings: { connectBackoffMs: 20, ...shared.timings },
    oauthStart: shared.hostOAuthStart(n),
  });
  const tokenStore = new TokenStore({
    store: stores.tokens,
    box: shared.secretBox,
    clock,
    recorder,
    refresher: engineRefresher(base.deps.fetchFor, recorder),
    locks: shared.locks,
  });
  const deps: FactoryDeps = { ...base.deps, tokenStore };
  const engine: Engine = {
    ...base,
    deps,
    tokenStore,
    connect: (server, identity, oauth) => ConnectionFactory.create(deps, { server, identity }, oauth),
    factory: (server, identity, oauth) => new ConnectionFactory(deps, server, identity, oauth),
    completeAuthorization: (callback) => completeAuthorization(deps, callback),
  };
  return {
    n,
    engine,
    manager: new ConnectionManager(deps),
    get alive() {
      return alive;
    },
    close() {
      alive = false;
      unsubscribe();
      clock.stop();
    },
  };
}

import { MOCK_CLIENT_METADATA_URL } from '../../mocks/presets';
import type { MockWorld } from '../../mocks/world';
import type { Connection } from '../engine/connection/connection';
import type { FactoryIdentity, McpServerConfig } from '../engine/connection/factory-types';
import { memoryStores } from '../engine/store/memory';
import type { EngineStores } from '../engine/store/types';
import type { TimelineEvent } from '../engine/timeline/events';
import { InProcessLockManager, type SecretBox } from '../engine/tokens';
import type { ScenarioClock } from './clock';
import { ConsentDesk } from './consent-desk';
import { openTab, type Tab, type TabShared } from './tab';
import type { ConsentChoice, Scenario } from './types';

/** What a runner needs from its host: the mock world (reset per scenario), its clock, and a secret box. */
export interface ScenarioEnvironment {
  world: MockWorld;
  clock: ScenarioClock;
  secretBox(): SecretBox;
  /** The stores every tab of a run shares (default: fresh memory stores). */
  stores?(): EngineStores;
}

/** Config the runner gives a mock server unless the scenario says otherwise. */
const DEFAULT_CONFIG: Record<string, Partial<McpServerConfig>> = {
  prereg: { oauth: { clientId: 'mcp-lab-public', tokenEndpointAuthMethod: 'none' } },
  cimd: { oauth: { clientMetadataUrl: MOCK_CLIENT_METADATA_URL } },
};

export const DEFAULT_IDENTITY: FactoryIdentity = { tenant: 'lab', user: { id: 'alice' } };

/** A point in the run a `mark` step named. */
export interface Mark {
  log: number;
  events: number;
  presentations: number;
  decisions: number;
}

export type ConnectionRecord = Connection | 'error';

/** The state of one scenario run: its tabs, identity, connections, consent desk and step errors. */
export class RunContext {
  readonly shared: TabShared;
  readonly tabs: Tab[] = [];
  readonly desk: ConsentDesk;
  readonly timeline: TimelineEvent[] = [];
  readonly marks = new Map<string, Mark>();
  /** Last connection each (tab, tenant, user, server) obtained. */
  readonly connections = new Map<string, ConnectionRecord>();
  /** Messages of steps that failed (expected or not). */
  readonly stepErrors: string[] = [];
  /** Sentences for expectations that did not hold. */
  readonly failures: string[] = [];
  readonly background: Array<Promise<unknown>> = [];
  identity: FactoryIdentity = DEFAULT_IDENTITY;
  consent: ConsentChoice;

  constructor(
    readonly scenario: Scenario,
    readonly env: ScenarioEnvironment,
  ) {
    this.consent = scenario.world.consent ?? 'approve';
    this.desk = new ConsentDesk((n) => this.tab(n).engine);
    this.shared = {
      clock: env.clock,
      stores: env.stores?.() ?? memoryStores(),
      secretBox: env.secretBox(),
      locks: scenario.world.tabsShareLocks === false ? null : new InProcessLockManager(),
      timings: scenario.world.timings ?? {},
      timeline: this.timeline,
      hostOAuthStart: (n) => (url, info) => this.desk.present(url, n, this.consent, info),
    };
    this.tabs.push(openTab(1, this.shared));
  }

  get world(): MockWorld {
    return this.env.world;
  }

  tab(n = 1): Tab {
    const t = this.tabs[n - 1];
    if (!t) throw new Error(`Tab ${n} is not open: open it with a "secondTab" step first.`);
    return t;
  }

  /** A page reload: the tab's engine goes away, a new one over the same stores takes its place. */
  reload(n = 1): void {
    this.tab(n).close();
    this.tabs[n - 1] = openTab(n, this.shared);
    for (const key of [...this.connections.keys()]) if (key.startsWith(`${n}|`)) this.connections.delete(key);
  }

  openTab(): Tab {
    const tab = openTab(this.tabs.length + 1, this.shared);
    this.tabs.push(tab);
    return tab;
  }

  /** The mock server id and the engine config of a server name. */
  server(name: string): { mock: string; config: McpServerConfig } {
    const spec = this.scenario.world.servers?.[name] ?? {};
    const mock = spec.mock ?? name;
    const def = this.world.servers.find((s) => s.id === mock);
    if (!def)
      throw new Error(
        `Unknown server "${name}": no mock server "${mock}" (known: ${this.world.servers.map((s) => s.id).join(', ')}).`,
      );
    const defaults = DEFAULT_CONFIG[mock] ?? {};
    return { mock, config: { ...defaults, ...spec.config, name, url: def.mcpUrl } };
  }

  identityOf(who: { user?: string; tenant?: string }): FactoryIdentity {
    return {
      tenant: who.tenant ?? this.identity.tenant,
      user: who.user ? { id: who.user } : this.identity.user,
    };
  }

  connectionKey(tab: number, identity: FactoryIdentity, server: string): string {
    return `${tab}|${identity.tenant}|${identity.user.id}|${server}`;
  }

  /** Runs `fn` with `choice` as the answer to authorization requests raised meanwhile (step-up, re-auth). */
  async withConsent<T>(choice: ConsentChoice | undefined, fn: () => Promise<T>): Promise<T> {
    if (!choice) return fn();
    const before = this.consent;
    this.consent = choice;
    try {
      return await fn();
    } finally {
      this.consent = before;
    }
  }

  mark(name: string): void {
    this.marks.set(name, {
      log: this.world.log.length,
      events: this.timeline.length,
      presentations: this.desk.presentations.length,
      decisions: this.desk.decisions.length,
    });
  }

  /** Ends every tab (their timers stop), after the mock world has answered what was in flight. */
  async close(): Promise<void> {
    await this.world.idle();
    for (const t of this.tabs) t.close();
  }
}

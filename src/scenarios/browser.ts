/**
 * The browser host of the scenarios, sibling of node.ts: the same runner over the page's mock world
 * (the one MSW's service worker answers `*.mock.test` requests from), with the engine's AES-GCM
 * secret box and stores in IndexedDB (or memory). The playground's Scenarios panel and Playwright
 * (through `window.mcpLabScenarios`) run the catalogue through here.
 */
import type { MockClock, MockWorld } from '../../mocks/world';
import { indexedDbStores } from '../engine/store/indexeddb';
import { memoryStores } from '../engine/store/memory';
import type { EngineStores } from '../engine/store/types';
import type { TimelineEvent } from '../engine/timeline/events';
import { AesGcmSecretBox, type SecretBox } from '../engine/tokens';
import { ScenarioClock } from './clock';
import { SCENARIOS, scenarioById } from './index';
import type { ScenarioEnvironment } from './run-context';
import { type RunOptions, runScenario } from './runner';
import type { Scenario, ScenarioResult } from './types';

/** A result with the run's timeline events, for the panel's timeline view. */
export interface BrowserScenarioResult extends ScenarioResult {
  events: TimelineEvent[];
}

export interface BrowserRunOptions extends Omit<RunOptions, 'onEvents'> {
  /** Where the run's tabs keep flows and tokens: IndexedDB (default, when the page has it) or memory. */
  storage?: 'indexeddb' | 'memory';
  /** Whether this tab hosts the mock world (default: `window.mcpLab.isLeader`, else true). */
  isLeader?: () => boolean;
  /** Seals secrets (default: the engine's AES-GCM box on WebCrypto, a fresh key per run). */
  secretBox?: () => SecretBox;
}

/** The IndexedDB namespace scenario runs use, cleared before and after each run. */
export const SCENARIO_DB_NAMESPACE = 'mcp-lab-scenarios';

/** What `window.mcpLabScenarios` offers automation (Playwright, QA scripts). */
export interface ScenarioHooks {
  list(): Array<{ id: string; title: string; ruleIds: string[]; knownIssue?: string }>;
  /** Runs one scenario in this page; the result without its events (timeline as text). */
  run(id: string, options?: BrowserRunOptions): Promise<ScenarioResult>;
}

declare global {
  interface Window {
    /** The scenario catalogue in this page (issue 7); installed by main.tsx once the mocks run. */
    mcpLabScenarios?: ScenarioHooks;
  }
}

interface Host {
  clock: ScenarioClock;
  /** The run in progress: runs share the world, so they take turns. */
  queue: Promise<unknown>;
}

const hosts = new WeakMap<MockWorld, Host>();

function hostOf(world: MockWorld): Host {
  let host = hosts.get(world);
  if (!host) {
    host = { clock: new ScenarioClock(), queue: Promise.resolve() };
    hosts.set(world, host);
  }
  return host;
}

/**
 * The page's world runs on its own adjustable clock; a scenario needs the world and its engines on
 * one scaled clock, so the world reads the scenario clock for the run (its `clock` is read on every
 * use). Returns the function that gives the world its own clock back.
 */
function lendClock(world: MockWorld, clock: MockClock): () => void {
  const holder = world as { clock: MockClock };
  const own = holder.clock;
  holder.clock = clock;
  return () => {
    holder.clock = own;
  };
}

async function clearStores(stores: EngineStores): Promise<void> {
  await Promise.all([stores.flows.clear(), stores.tokens.clear(), stores.settings.clear()]);
}

function defaultIsLeader(): boolean {
  const lab = (globalThis as { mcpLab?: { isLeader?: () => boolean } }).mcpLab;
  return lab?.isLeader?.() ?? true;
}

function notRun(scenario: Scenario, failure: string): BrowserScenarioResult {
  return {
    id: scenario.id,
    title: scenario.title,
    passed: false,
    failures: [failure],
    durationMs: 0,
    timeline: '',
    ruleIdsSeen: [],
    events: [],
    ...(scenario.knownIssue ? { knownIssue: scenario.knownIssue } : {}),
  };
}

async function runNow(
  scenario: Scenario,
  world: MockWorld,
  host: Host,
  options: BrowserRunOptions,
): Promise<BrowserScenarioResult> {
  if (!(options.isLeader ?? defaultIsLeader)())
    return notRun(
      scenario,
      'This tab does not host the mock world (another tab of the playground does): run scenarios in the first tab, or close the others and reload.',
    );
  const useIdb = (options.storage ?? 'indexeddb') === 'indexeddb' && typeof indexedDB !== 'undefined';
  const stores = useIdb ? indexedDbStores(SCENARIO_DB_NAMESPACE) : memoryStores();
  if (useIdb) await clearStores(stores);
  const env: ScenarioEnvironment = {
    world,
    clock: host.clock,
    secretBox: options.secretBox ?? (() => new AesGcmSecretBox()),
    stores: () => stores,
  };
  let events: TimelineEvent[] = [];
  const giveBack = lendClock(world, host.clock);
  try {
    const result = await runScenario(scenario, env, {
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      onEvents: (e) => {
        events = [...e];
      },
    });
    return { ...result, events };
  } finally {
    giveBack();
    // The playground goes on with sane mock servers; the run's clients, tokens and log stay to look at.
    for (const s of world.servers) world.resetKnobs(s.id);
    if (useIdb) await clearStores(stores).catch(() => {});
  }
}

/**
 * Runs one scenario against the page's mock world. Never throws; runs on the same world take turns.
 * The world is reset at the start (as in Node), so the playground's own connections lose their grants.
 */
export function runScenarioInBrowser(
  scenario: Scenario,
  world: MockWorld,
  options: BrowserRunOptions = {},
): Promise<BrowserScenarioResult> {
  const host = hostOf(world);
  const run = host.queue.then(() => runNow(scenario, world, host, options));
  host.queue = run.catch(() => {});
  return run;
}

/** The mock world of this page (main.tsx puts it on `window.mcpLab`). */
function pageWorld(): MockWorld {
  const world = (globalThis as { mcpLab?: { world?: MockWorld } }).mcpLab?.world;
  if (!world) throw new Error('No mock world in this page: the mock service worker did not start.');
  return world;
}

/** Runs the catalogue scenario `id` in this page; throws only for an unknown id or a page without mocks. */
export async function runInPage(
  id: string,
  world: MockWorld = pageWorld(),
  options?: BrowserRunOptions,
): Promise<BrowserScenarioResult> {
  const scenario = scenarioById(id);
  if (!scenario) throw new Error(`No scenario "${id}". Known: ${SCENARIOS.map((s) => s.id).join(', ')}.`);
  return runScenarioInBrowser(scenario, world, options);
}

/** What main.tsx installs as `window.mcpLabScenarios`. */
export function scenarioHooks(world: MockWorld, isLeader?: () => boolean): ScenarioHooks {
  return {
    list: () =>
      SCENARIOS.map((s) => ({
        id: s.id,
        title: s.title,
        ruleIds: [...s.ruleIds],
        ...(s.knownIssue ? { knownIssue: s.knownIssue } : {}),
      })),
    async run(id, options) {
      const { events: _events, ...result } = await runInPage(id, world, {
        ...(isLeader ? { isLeader } : {}),
        ...options,
      });
      return result;
    },
  };
}

/**
 * The scenario format: plain data (no functions, no classes), so the Node runner, the playground's
 * Scenarios panel and Playwright can all run the same catalogue. A scenario sets up the mock world,
 * plays steps a person (or a browser) would do, and states what the timeline and the mock servers
 * must show afterwards.
 */

import type { MockKnobs } from '../../mocks/knobs';
import type { FactoryTimings } from '../engine/connection/factory-constants';
import type { McpServerConfig } from '../engine/connection/factory-types';
import type { ConnectionState } from '../engine/connection/types';
import type { Lane } from '../engine/timeline/events';

/** How the consent robot answers an authorization request. `none`: the page stays open, nobody answers (a later `consent` step may). */
export type ConsentChoice = 'approve' | 'deny' | 'none' | { scopes: string[] };

/** A count that must match exactly, or lie within bounds. */
export type Count = number | { min?: number; max?: number };

/** A server as a scenario names it: a mock server (by id) plus config on top of the runner's defaults. */
export interface ScenarioServer {
  /** The mock server behind it (default: the scenario's name for it). */
  mock?: string;
  config?: Partial<Omit<McpServerConfig, 'name' | 'url'>>;
}

export interface ScenarioWorld {
  /** Fault knobs per mock server id, set after the world is reset. */
  knobs?: Record<string, Partial<MockKnobs>>;
  /** Time scale: 0.05 runs a 6 s token latency in 300 ms of real time; 1 (default) is real time. */
  clockScale?: number;
  /** Servers by the name steps use; unnamed mock ids work too, with the runner's defaults. */
  servers?: Record<string, ScenarioServer>;
  /** Factory timings (connect backoff, OAuth handling timeout…); the runner defaults the backoff to 20 ms. */
  timings?: Partial<FactoryTimings>;
  /** How the person answers authorization requests raised outside a connect step (step-up, re-auth). Default approve. */
  consent?: ConsentChoice;
  /**
   * Whether tabs share one lock manager, as Web Locks make them in a browser (default true). False
   * shows what T8 prevents: two tabs redeeming one refresh token.
   */
  tabsShareLocks?: boolean;
}

/** Who a step acts as, and in which tab (default: the current identity, tab 1). */
interface Who {
  user?: string;
  tenant?: string;
  tab?: number;
}

/** What a step must end with. `withinMs` is measured on the scenario clock. */
interface StepOutcome {
  expect?: 'ok' | 'error';
  /** For `expect: 'error'`: text the error message must contain (case-insensitive). */
  error?: string;
  withinMs?: number;
}

export type Step =
  | ({
      do: 'connect';
      server: string;
      consent?: ConsentChoice;
      /** Whether the host passes OAuth options (default true); false is a plain connection (F4). */
      oauth?: boolean;
      /** `returnEarly`: never block on a person (F14), as discovery and background reconnects do. */
      mode?: 'blocking' | 'returnEarly';
      /** Go on with the next step once the connect settles or puts an authorization request in front of a person. */
      background?: boolean;
    } & Who &
      StepOutcome)
  | ({
      do: 'call';
      server: string;
      tool: string;
      args?: Record<string, unknown>;
      /** Calls made at once (default 1). */
      times?: number;
      /** Calls made one after another (default 1). */
      repeat?: number;
      /** How a person answers authorization requests this call raises (step-up, re-auth). */
      consent?: ConsentChoice;
      /** Text every successful result must contain (JSON of the result). */
      resultIncludes?: string;
    } & Who &
      StepOutcome)
  | ({ do: 'listTools'; server: string; tools?: Count } & Who & StepOutcome)
  | ({ do: 'discover'; server: string; tools?: Count; oauthRequired?: boolean } & Who & StepOutcome)
  | ({ do: 'disconnect'; server: string } & Who)
  | { do: 'advanceClock'; ms: number }
  /** `at`: where the access token expires: at the authorization server, in the token store, or both (default). */
  | ({ do: 'expireToken'; server: string; at?: 'server' | 'store' | 'both' } & Who)
  /** The token store's access token becomes garbage (the Tokens panel's "corrupt"); live connections keep theirs. */
  | ({ do: 'corruptToken'; server: string } & Who)
  | ({ do: 'deleteRefresh'; server: string } & Who)
  /** Every grant at the server's authorization servers is revoked. */
  | { do: 'revoke'; server: string }
  | { do: 'knob'; server: string; patch: Partial<MockKnobs> }
  /** A new engine over the same stores replaces the tab's engine (a page reload). */
  | { do: 'reload'; tab?: number }
  /** Another engine over the same stores, with the shared lock manager (a second tab). */
  | { do: 'secondTab' }
  | { do: 'switchUser'; user: string; tenant?: string }
  /** The person answers the oldest authorization request still open. */
  | { do: 'consent'; decision?: 'approve' | 'deny'; scopes?: string[] }
  /** Waits for every background connect to settle. */
  | { do: 'settle' }
  | { do: 'parallel'; steps: Step[] }
  /** Names a point in the run; `expect.after[name]` looks only at what happened from here to the next mark (or the end). */
  | { do: 'mark'; name: string };

/** What must be true of a stretch of the run (the whole run, or from a mark on). */
export interface PhaseExpectations {
  /**
   * Requests the mock servers answered, by label `[server/]endpoint[:detail][@status]`:
   * `token:refresh_token`, `dcr/mcp:tools/call@401`, `register`, `mcp@429`. Endpoints: mcp, prm,
   * as-metadata, register, authorize, decision, token, revoke, cimd. Detail: JSON-RPC method or grant type.
   */
  requests?: Record<string, Count>;
  /** Labels (same syntax) that must appear in this order, not necessarily adjacent. */
  order?: string[];
  /** Whether a person was asked: distinct authorization requests put in front of them, and their answers. */
  consent?: {
    asked?: Count;
    approved?: Count;
    denied?: Count;
    /** Authorization URLs handed out without asking anyone (discovery, F19). */
    offered?: Count;
    /** The scopes of the last authorization request a person was asked, as a set. */
    lastScope?: string[];
    /** Query parameters the last authorization request a person was asked must carry, exactly. */
    lastParams?: Record<string, string>;
  };
  /** Rule and requirement IDs that must appear on the timeline. */
  ruleIds?: string[];
  /** Rule IDs that must not appear. */
  absentRuleIds?: string[];
  /** Timeline events whose summary contains `text` (case-insensitive); default count: at least one. */
  timeline?: Array<{ text: string; lane?: Lane; ruleId?: string; count?: Count }>;
}

export interface Expectations extends PhaseExpectations {
  /** Expectations on what happened between a `mark` step of that name and the next mark (or the end). */
  after?: Record<string, PhaseExpectations>;
  /** Final state of connections the steps made (`none`: never obtained). */
  connections?: Array<{ server: string; state: ConnectionState | 'none' } & Who>;
  /** What the token store holds at the end. */
  stored?: Array<
    { server: string; access?: boolean; refresh?: boolean; client?: boolean; clientVia?: string } & Omit<
      Who,
      'tab'
    >
  >;
  /** Whether the client advertised an extension in every MCP session the mock server saw (A1). */
  sessions?: Array<{ server: string; extension: string; advertised: boolean }>;
  /** Substrings that must each appear in the message of some failed step. */
  errors?: string[];
}

export interface Scenario {
  id: string;
  title: string;
  /** A paragraph for educators: what happens, and why the rule exists. */
  teaching: string;
  /** Rule and requirement IDs the scenario exercises (spec/behaviour.md, mcp-auth-requirements.md). */
  ruleIds: string[];
  world: ScenarioWorld;
  steps: Step[];
  expect: Expectations;
  /**
   * An engine bug this scenario exposes, described precisely. The expectations stay as they should
   * be; the scenario is expected to fail until the engine is fixed (then this marker goes).
   */
  knownIssue?: string;
}

export interface ScenarioResult {
  id: string;
  title: string;
  passed: boolean;
  /** Each a sentence a person can read. */
  failures: string[];
  durationMs: number;
  /** The timeline as text (one line per event). */
  timeline: string;
  ruleIdsSeen: string[];
  /** The scenario's known engine bug, when it has one. */
  knownIssue?: string;
}

/**
 * Timeline events: everything the engine does, as a versioned, serializable union. Old recordings
 * keep opening: exports carry `version`, and `upgradeRecording` (exporters) lifts older ones.
 */

/** Swimlanes, left to right as a sequence diagram shows them. */
export const LANES = ['user', 'host', 'app', 'factory', 'flows', 'tokens', 'mcp', 'as'] as const;
export type Lane = (typeof LANES)[number];

export const LANE_TITLES: Record<Lane, string> = {
  user: 'User (consent)',
  host: 'Host',
  app: 'MCP App',
  factory: 'Connection factory',
  flows: 'Flow store',
  tokens: 'Token store',
  mcp: 'MCP server',
  as: 'Authorization server',
};

export type EventKind =
  /** An HTTP exchange from one lane to another (request, response or failure). */
  | 'http'
  /** A flow store transition (S rules). */
  | 'flow'
  /** A token store read or write (T rules). */
  | 'token'
  /** A connection or factory event (D2 events, `oauthRequired`, …). */
  | 'event'
  /** A decision the engine took, with the rule that made it. */
  | 'decision'
  /** Something went wrong. */
  | 'error'
  /** A span opens or closes (a flow, a refresh, a connect). */
  | 'span'
  /** A message between host and an MCP App. */
  | 'app'
  /** The step gate paused or released a request. */
  | 'gate';

export interface HttpExchange {
  from: Lane;
  to: Lane;
  request: { method: string; url: string; headers: Record<string, string>; body?: string };
  response?: { status: number; statusText?: string; headers: Record<string, string>; body?: string };
  /** Set when no response came: network error, CORS, abort, refused by the URL policy. */
  failure?: string;
  durationMs?: number;
  /** A short label: the JSON-RPC method(s) or the OAuth step ("token: refresh_token"). */
  label?: string;
}

export interface TimelineEvent {
  /** Schema version of this event. */
  v: 1;
  id: string;
  /** Time on the engine's clock (ms since the epoch). */
  t: number;
  lane: Lane;
  kind: EventKind;
  /** One line a person can read. */
  summary: string;
  level?: 'info' | 'warn' | 'error';
  /** Rule and requirement IDs that produced this event (spec/behaviour.md, mcp-auth-requirements.md). */
  ruleIds: string[];
  spanId?: string;
  parentSpanId?: string;
  /** For kind 'span': whether it opens or closes. */
  phase?: 'start' | 'end';
  http?: HttpExchange;
  /** Anything else worth showing, already redacted. */
  data?: Record<string, unknown>;
  /** Identity the event belongs to, when it is per user. */
  who?: { tenant?: string; user?: string; server?: string };
}

/** What a caller gives the recorder; id, time and version are filled in. */
export type EventInput = Omit<TimelineEvent, 'v' | 'id' | 't' | 'ruleIds'> & {
  ruleIds?: string[];
  t?: number;
};

export const RECORDING_FORMAT = 'mcp-lab-timeline';
export const RECORDING_VERSION = 1;

export interface Recording {
  format: typeof RECORDING_FORMAT;
  version: typeof RECORDING_VERSION;
  createdAt: string;
  title?: string;
  events: TimelineEvent[];
}

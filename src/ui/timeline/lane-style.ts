import type { EventKind, Lane } from '../../engine/timeline/events';

/**
 * One colour per lane, written out in full so Tailwind finds the class names. Colour is never the
 * only signal: lanes also have a column and a title, levels an icon and a word.
 */
export interface LaneStyle {
  /** Dot and arrow fill. */
  dot: string;
  /** Text in the lane's colour, readable on light and dark backgrounds. */
  text: string;
  /** Chip when the lane filter is on. */
  chip: string;
  /** Arrow line colour (border). */
  line: string;
}

export const LANE_STYLES: Record<Lane, LaneStyle> = {
  user: {
    dot: 'bg-fuchsia-500',
    text: 'text-fuchsia-700 dark:text-fuchsia-300',
    chip: 'border-fuchsia-400 bg-fuchsia-50 text-fuchsia-800 dark:bg-fuchsia-950 dark:text-fuchsia-200',
    line: 'border-fuchsia-500',
  },
  host: {
    dot: 'bg-slate-500',
    text: 'text-slate-700 dark:text-slate-300',
    chip: 'border-slate-400 bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-200',
    line: 'border-slate-500',
  },
  app: {
    dot: 'bg-pink-500',
    text: 'text-pink-700 dark:text-pink-300',
    chip: 'border-pink-400 bg-pink-50 text-pink-800 dark:bg-pink-950 dark:text-pink-200',
    line: 'border-pink-500',
  },
  factory: {
    dot: 'bg-indigo-500',
    text: 'text-indigo-700 dark:text-indigo-300',
    chip: 'border-indigo-400 bg-indigo-50 text-indigo-800 dark:bg-indigo-950 dark:text-indigo-200',
    line: 'border-indigo-500',
  },
  flows: {
    dot: 'bg-amber-500',
    text: 'text-amber-700 dark:text-amber-300',
    chip: 'border-amber-400 bg-amber-50 text-amber-800 dark:bg-amber-950 dark:text-amber-200',
    line: 'border-amber-500',
  },
  tokens: {
    dot: 'bg-emerald-500',
    text: 'text-emerald-700 dark:text-emerald-300',
    chip: 'border-emerald-400 bg-emerald-50 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200',
    line: 'border-emerald-500',
  },
  mcp: {
    dot: 'bg-sky-500',
    text: 'text-sky-700 dark:text-sky-300',
    chip: 'border-sky-400 bg-sky-50 text-sky-800 dark:bg-sky-950 dark:text-sky-200',
    line: 'border-sky-500',
  },
  as: {
    dot: 'bg-violet-500',
    text: 'text-violet-700 dark:text-violet-300',
    chip: 'border-violet-400 bg-violet-50 text-violet-800 dark:bg-violet-950 dark:text-violet-200',
    line: 'border-violet-500',
  },
};

/** Lane names for a narrow list; the header shows LANE_TITLES when each column has room. */
export const LANE_SHORT: Record<Lane, string> = {
  user: 'User',
  host: 'Host',
  app: 'App',
  factory: 'Factory',
  flows: 'Flows',
  tokens: 'Tokens',
  mcp: 'MCP',
  as: 'Auth server',
};

/** Plain-words description of each lane, for the header tooltips (for readers new to OAuth). */
export const LANE_HINTS: Record<Lane, string> = {
  user: 'The person who signs in and approves access (consent).',
  host: 'This playground: the app that connects to MCP servers on the person’s behalf.',
  app: 'An MCP App: a small UI from the server, running sandboxed inside the host.',
  factory: 'Builds connections and decides when OAuth, refresh or retry is needed.',
  flows: 'Remembers sign-in flows in progress (PENDING, COMPLETED, FAILED).',
  tokens: 'Keeps access tokens, refresh tokens and client registrations, encrypted.',
  mcp: 'The MCP server (the protected resource) that offers tools.',
  as: 'The authorization server: issues tokens after the person consents.',
};

/** Event kinds in the order the filter shows them, with what each means in plain words. */
export const KIND_HINTS: Record<EventKind, string> = {
  http: 'An HTTP request from one part to another, with its response or failure.',
  flow: 'The flow store changed a sign-in flow (S rules).',
  token: 'The token store read or wrote credentials (T rules).',
  event: 'A connection event, such as oauthRequired or connectionChange.',
  decision: 'A choice the engine made, with the rule that made it.',
  error: 'Something went wrong.',
  span: 'The start or end of a longer step: a connect, a flow, a refresh.',
  app: 'A message between the host and an MCP App.',
  gate: 'The step gate paused or released a request.',
};

export const KIND_ORDER = Object.keys(KIND_HINTS) as EventKind[];

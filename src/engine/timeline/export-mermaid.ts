import { type EventKind, LANE_TITLES, LANES, type Lane, type TimelineEvent } from './events';

/**
 * The timeline as a Mermaid sequence diagram: one participant per lane used, an arrow per HTTP
 * request (`->>`) and response (`-->>`), notes for decisions and errors with their rule IDs.
 * Paste it into a Markdown file, an issue or mermaid.live.
 * @see https://mermaid.js.org/syntax/sequenceDiagram.html
 */

export interface MermaidOptions {
  title?: string;
  /** Event kinds shown besides HTTP exchanges (default: everything but spans). */
  kinds?: readonly EventKind[];
  /** Number the arrows (Mermaid `autonumber`). */
  autonumber?: boolean;
}

/** Participant ids: fixed words that are no Mermaid keyword (`as`, `end`, `note` would break the parser). */
export const MERMAID_IDS: Record<Lane, string> = {
  user: 'User',
  host: 'Host',
  app: 'App',
  factory: 'Factory',
  flows: 'FlowStore',
  tokens: 'TokenStore',
  mcp: 'MCP',
  as: 'AuthServer',
};

const DEFAULT_KINDS: readonly EventKind[] = ['flow', 'token', 'event', 'decision', 'error', 'app', 'gate'];

const ENTITIES: Record<string, string> = {
  ';': '#59;',
  '#': '#35;',
  '<': '#lt;',
  '>': '#gt;',
  '"': '#quot;',
  '%': '#37;',
  '{': '#123;',
  '}': '#125;',
};

/**
 * Makes text safe inside a Mermaid message or note: `;` would end the statement, `#` starts an
 * entity, `<`/`>` read as HTML, `%%` as a comment, line breaks end the line.
 * @see https://mermaid.js.org/syntax/sequenceDiagram.html#entity-codes-to-escape-characters
 */
export function escapeMermaid(text: string): string {
  const short = text.length > 300 ? `${text.slice(0, 299)}…` : text;
  return short
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .trim()
    .replace(/[;#<>"%{}]/g, (c) => ENTITIES[c] ?? c);
}

const rules = (e: TimelineEvent) => (e.ruleIds.length ? `[${e.ruleIds.join(' ')}] ` : '');

function noteMarker(e: TimelineEvent): string {
  if (e.kind === 'error' || e.level === 'error') return '✖ ';
  if (e.kind === 'decision') return '⚖ ';
  if (e.level === 'warn') return '⚠ ';
  return '';
}

/** Lines for one HTTP exchange: the request arrow, then the response arrow or a failure. */
function httpLines(e: TimelineEvent): string[] {
  const h = e.http;
  if (!h) return [];
  const from = MERMAID_IDS[h.from];
  const to = MERMAID_IDS[h.to];
  let path = h.request.url;
  try {
    path = new URL(h.request.url).pathname;
  } catch {
    /* keep the text */
  }
  const label = h.label ? ` (${h.label})` : '';
  const lines = [`  ${from}->>${to}: ${escapeMermaid(`${rules(e)}${h.request.method} ${path}${label}`)}`];
  if (h.response) {
    const status = `${h.response.status}${h.response.statusText ? ` ${h.response.statusText}` : ''}`;
    const ms = h.durationMs !== undefined ? ` · ${Math.round(h.durationMs)} ms` : '';
    lines.push(`  ${to}-->>${from}: ${escapeMermaid(`${status}${ms}`)}`);
  } else {
    lines.push(`  ${to}--x${from}: ${escapeMermaid(`✖ ${h.failure ?? 'no response'}`)}`);
  }
  return lines;
}

/** The lanes the events touch, in the left-to-right order of LANES. */
function lanesUsed(events: readonly TimelineEvent[], kinds: ReadonlySet<EventKind>): Lane[] {
  const used = new Set<Lane>();
  for (const e of events) {
    if (e.kind === 'http' && e.http) {
      used.add(e.http.from);
      used.add(e.http.to);
    } else if (kinds.has(e.kind)) used.add(e.lane);
  }
  return LANES.filter((l) => used.has(l));
}

/**
 * Writes a Mermaid `sequenceDiagram` of the events (HTTP exchanges always; other kinds as notes
 * over their lane, with rule IDs). Redaction already happened at the source (T7).
 * @see https://mermaid.js.org/syntax/sequenceDiagram.html
 */
export function toMermaid(events: readonly TimelineEvent[], options: MermaidOptions = {}): string {
  const kinds = new Set(options.kinds ?? DEFAULT_KINDS);
  const sorted = [...events].sort((a, b) => a.t - b.t);
  const lines = ['sequenceDiagram'];
  if (options.title) lines.push(`  title ${escapeMermaid(options.title)}`);
  if (options.autonumber) lines.push('  autonumber');
  for (const lane of lanesUsed(sorted, kinds)) {
    const keyword = lane === 'user' ? 'actor' : 'participant';
    lines.push(`  ${keyword} ${MERMAID_IDS[lane]} as ${escapeMermaid(LANE_TITLES[lane])}`);
  }
  for (const e of sorted) {
    if (e.kind === 'http' && e.http) lines.push(...httpLines(e));
    else if (kinds.has(e.kind))
      lines.push(
        `  Note over ${MERMAID_IDS[e.lane]}: ${escapeMermaid(`${noteMarker(e)}${rules(e)}${e.summary}`)}`,
      );
  }
  return `${lines.join('\n')}\n`;
}

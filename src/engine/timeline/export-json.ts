import { LabError } from '../errors';
import {
  type EventKind,
  LANES,
  type Lane,
  RECORDING_FORMAT,
  RECORDING_VERSION,
  type Recording,
  type TimelineEvent,
} from './events';

/**
 * The timeline as a file: a versioned recording that a person can save, share and open again.
 * Old recordings keep opening: `parseRecording` lifts them through the upgrader table.
 * @see DESIGN.md (Playwright trace viewer: a versioned trace format with an upgrader for old traces)
 */

/** Lifts a recording of version `n` (the key) to version `n + 1`. */
export type RecordingUpgrader = (old: Record<string, unknown>) => Record<string, unknown>;

/**
 * One entry per older version. Version 1 is the first, so the table is empty; when version 2
 * arrives, add `1: (r) => ({ ...r, version: 2, events: … })` here and bump RECORDING_VERSION.
 */
export const RECORDING_UPGRADERS: Readonly<Record<number, RecordingUpgrader>> = {};

const EVENT_KINDS: readonly EventKind[] = [
  'http',
  'flow',
  'token',
  'event',
  'decision',
  'error',
  'span',
  'app',
  'gate',
];
const LEVELS = ['info', 'warn', 'error'];
const PHASES = ['start', 'end'];

/**
 * Wraps events as a recording. `createdAt` defaults to now.
 * @see events.ts (Recording, RECORDING_VERSION)
 */
export function toRecording(
  events: readonly TimelineEvent[],
  title?: string,
  createdAt: Date = new Date(),
): Recording {
  return {
    format: RECORDING_FORMAT,
    version: RECORDING_VERSION,
    createdAt: createdAt.toISOString(),
    ...(title !== undefined ? { title } : {}),
    events: [...events],
  };
}

/**
 * The recording as JSON text (indented, so a person can read and diff it).
 * @see https://www.rfc-editor.org/rfc/rfc8259
 */
export function serializeRecording(recording: Recording): string {
  return `${JSON.stringify(recording, null, 2)}\n`;
}

const fail = (why: string) =>
  new LabError('invalid_input', `Failed to open the recording: ${why}.`, {
    hint: 'Open a file exported by MCP Lab (Export → JSON).',
  });

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Lifts a parsed recording of any known version to `target`, one version at a time.
 * @throws LabError `invalid_input` for a version that is newer than `target` or has no upgrader.
 */
export function upgradeRecording(
  raw: Record<string, unknown>,
  upgraders: Readonly<Record<number, RecordingUpgrader>> = RECORDING_UPGRADERS,
  target: number = RECORDING_VERSION,
): Record<string, unknown> {
  let current = raw;
  for (;;) {
    const version = current.version;
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
      throw fail(`"version" must be a positive whole number, got ${JSON.stringify(version)}`);
    if (version === target) return current;
    if (version > target)
      throw fail(
        `it has version ${version}, newer than this lab understands (${target}); update MCP Lab to open it`,
      );
    const upgrade = upgraders[version];
    if (!upgrade) throw fail(`there is no upgrader from version ${version}`);
    current = upgrade(current);
    if (current.version !== version + 1)
      throw fail(`the upgrader from version ${version} produced version ${JSON.stringify(current.version)}`);
  }
}

function checkStringRecord(v: unknown, where: string): void {
  if (!isObject(v)) throw fail(`${where} must be an object of strings`);
  for (const [k, x] of Object.entries(v))
    if (typeof x !== 'string') throw fail(`${where}.${k} must be a string`);
}

function checkLane(v: unknown, where: string): void {
  if (!LANES.includes(v as Lane))
    throw fail(`${where} is ${JSON.stringify(v)}, not a lane (${LANES.join(', ')})`);
}

function checkHttp(v: unknown, at: string): void {
  if (!isObject(v)) throw fail(`${at} must be an object`);
  checkLane(v.from, `${at}.from`);
  checkLane(v.to, `${at}.to`);
  const req = v.request;
  if (!isObject(req)) throw fail(`${at}.request must be an object`);
  if (typeof req.method !== 'string') throw fail(`${at}.request.method must be a string`);
  if (typeof req.url !== 'string') throw fail(`${at}.request.url must be a string`);
  checkStringRecord(req.headers, `${at}.request.headers`);
  if (req.body !== undefined && typeof req.body !== 'string')
    throw fail(`${at}.request.body must be a string`);
  if (v.response !== undefined) {
    const res = v.response;
    if (!isObject(res)) throw fail(`${at}.response must be an object`);
    if (typeof res.status !== 'number' || !Number.isInteger(res.status))
      throw fail(`${at}.response.status must be a whole number`);
    checkStringRecord(res.headers, `${at}.response.headers`);
    if (res.body !== undefined && typeof res.body !== 'string')
      throw fail(`${at}.response.body must be a string`);
  }
  for (const k of ['failure', 'label'] as const)
    if (v[k] !== undefined && typeof v[k] !== 'string') throw fail(`${at}.${k} must be a string`);
  if (v.durationMs !== undefined && typeof v.durationMs !== 'number')
    throw fail(`${at}.durationMs must be a number`);
}

function checkEvent(e: unknown, i: number): void {
  const at = `events[${i}]`;
  if (!isObject(e)) throw fail(`${at} must be an object`);
  if (e.v !== 1) throw fail(`${at}.v must be 1, got ${JSON.stringify(e.v)}`);
  if (typeof e.id !== 'string' || !e.id) throw fail(`${at}.id must be a non-empty string`);
  if (typeof e.t !== 'number' || !Number.isFinite(e.t))
    throw fail(`${at}.t must be a finite number (ms since the epoch)`);
  checkLane(e.lane, `${at}.lane`);
  if (!EVENT_KINDS.includes(e.kind as EventKind))
    throw fail(`${at}.kind is ${JSON.stringify(e.kind)}, not an event kind (${EVENT_KINDS.join(', ')})`);
  if (typeof e.summary !== 'string') throw fail(`${at}.summary must be a string`);
  if (!Array.isArray(e.ruleIds) || e.ruleIds.some((r) => typeof r !== 'string'))
    throw fail(`${at}.ruleIds must be an array of strings`);
  if (e.level !== undefined && !LEVELS.includes(e.level as string))
    throw fail(`${at}.level must be one of ${LEVELS.join(', ')}`);
  if (e.phase !== undefined && !PHASES.includes(e.phase as string))
    throw fail(`${at}.phase must be start or end`);
  for (const k of ['spanId', 'parentSpanId'] as const)
    if (e[k] !== undefined && typeof e[k] !== 'string') throw fail(`${at}.${k} must be a string`);
  if (e.http !== undefined) checkHttp(e.http, `${at}.http`);
  if (e.data !== undefined && !isObject(e.data)) throw fail(`${at}.data must be an object`);
  if (e.who !== undefined) checkStringRecord(e.who, `${at}.who`);
}

/**
 * Opens a recording: parses JSON, checks format and version, lifts older versions through the
 * upgrader table, and validates every event.
 * @throws LabError `invalid_input` saying exactly what is wrong and where (`events[3].lane …`).
 */
export function parseRecording(text: string): Recording {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw fail(`it is not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!isObject(raw))
    throw fail(`expected a JSON object, got ${Array.isArray(raw) ? 'an array' : typeof raw}`);
  if (raw.format !== RECORDING_FORMAT)
    throw fail(`"format" is ${JSON.stringify(raw.format)}, expected "${RECORDING_FORMAT}"`);
  const current = upgradeRecording(raw);
  if (typeof current.createdAt !== 'string' || Number.isNaN(Date.parse(current.createdAt)))
    throw fail('"createdAt" must be an ISO date');
  if (current.title !== undefined && typeof current.title !== 'string')
    throw fail('"title" must be a string');
  if (!Array.isArray(current.events)) throw fail('"events" must be an array');
  current.events.forEach(checkEvent);
  return current as unknown as Recording;
}

import type { TimelineEvent } from './events';

/**
 * The HTTP exchanges of a timeline as a HAR 1.2 file, for browser DevTools, proxies and HAR
 * viewers. Only `http` events become entries; bodies and headers are the redacted ones the
 * recorder kept (T7).
 * @see http://www.softwareishard.com/blog/har-12-spec/
 * @see https://w3c.github.io/web-performance/specs/HAR/Overview.html
 */

export interface HarNameValue {
  name: string;
  value: string;
}

export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    cookies: HarNameValue[];
    headers: HarNameValue[];
    queryString: HarNameValue[];
    postData?: { mimeType: string; text: string };
    headersSize: -1;
    bodySize: number;
  };
  response: {
    status: number;
    statusText: string;
    httpVersion: string;
    cookies: HarNameValue[];
    headers: HarNameValue[];
    content: { size: number; mimeType: string; text?: string };
    redirectURL: string;
    headersSize: -1;
    bodySize: number;
    /** Why no response came (custom field, as Chrome writes it). */
    _error?: string;
  };
  cache: Record<string, never>;
  timings: { send: number; wait: number; receive: number };
  comment?: string;
  _lane: string;
  _ruleIds: string[];
}

export interface Har {
  log: {
    version: '1.2';
    creator: { name: string; version: string };
    entries: HarEntry[];
    comment?: string;
  };
}

export interface HarOptions {
  /** The creator version written into the file (default '0.1.0'). */
  version?: string;
  comment?: string;
}

const byteLength = (text: string | undefined) =>
  text === undefined ? 0 : new TextEncoder().encode(text).byteLength;

const pairs = (record: Record<string, string>): HarNameValue[] =>
  Object.entries(record).map(([name, value]) => ({ name, value }));

function header(record: Record<string, string>, name: string): string | undefined {
  for (const [k, v] of Object.entries(record)) if (k.toLowerCase() === name) return v;
  return undefined;
}

function resolve(location: string, base: string): string {
  try {
    return new URL(location, base).href;
  } catch {
    return location;
  }
}

function queryString(url: string): HarNameValue[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

/** One HAR entry from an `http` event; its time is when the response arrived, so it started `durationMs` earlier. */
function toEntry(e: TimelineEvent): HarEntry | undefined {
  const h = e.http;
  if (e.kind !== 'http' || !h) return undefined;
  const time = Math.max(0, h.durationMs ?? 0);
  const reqBody = h.request.body;
  const res = h.response;
  const location = res ? header(res.headers, 'location') : undefined;
  const mimeType = (res && header(res.headers, 'content-type')) ?? 'x-unknown';
  return {
    startedDateTime: new Date(e.t - time).toISOString(),
    time,
    request: {
      method: h.request.method,
      url: h.request.url,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: pairs(h.request.headers),
      queryString: queryString(h.request.url),
      ...(reqBody !== undefined
        ? { postData: { mimeType: header(h.request.headers, 'content-type') ?? '', text: reqBody } }
        : {}),
      headersSize: -1,
      bodySize: byteLength(reqBody),
    },
    response: {
      status: res?.status ?? 0,
      statusText: res?.statusText ?? '',
      httpVersion: res ? 'HTTP/1.1' : '',
      cookies: [],
      headers: res ? pairs(res.headers) : [],
      content: {
        size: byteLength(res?.body),
        mimeType,
        ...(res?.body !== undefined ? { text: res.body } : {}),
      },
      redirectURL: location ? resolve(location, h.request.url) : '',
      headersSize: -1,
      bodySize: res ? byteLength(res.body) : 0,
      ...(h.failure ? { _error: h.failure } : {}),
    },
    cache: {},
    timings: { send: 0, wait: time, receive: 0 },
    comment: e.summary,
    _lane: `${h.from} → ${h.to}`,
    _ruleIds: [...e.ruleIds],
  };
}

/**
 * Builds a HAR 1.2 document from the `http` events, in time order.
 * @see http://www.softwareishard.com/blog/har-12-spec/#log
 */
export function toHar(events: readonly TimelineEvent[], options: HarOptions = {}): Har {
  const entries = events
    .map(toEntry)
    .filter((x): x is HarEntry => x !== undefined)
    .sort((a, b) => Date.parse(a.startedDateTime) - Date.parse(b.startedDateTime));
  return {
    log: {
      version: '1.2',
      creator: { name: 'MCP Lab', version: options.version ?? '0.1.0' },
      entries,
      ...(options.comment ? { comment: options.comment } : {}),
    },
  };
}

/**
 * The HAR document as JSON text.
 * @see http://www.softwareishard.com/blog/har-12-spec/
 */
export function serializeHar(har: Har): string {
  return `${JSON.stringify(har, null, 2)}\n`;
}

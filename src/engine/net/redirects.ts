import { LabError } from '../errors';
import { safeLocation } from './describe';

/** One request on the way to an answer: the first, or one a redirect led to. */
export interface Hop {
  url: string;
  method: string;
  headers: Headers;
  bodyText: string | undefined;
  signal: AbortSignal | undefined;
}

export interface RedirectStep {
  /** The request to send next. */
  next: Hop;
  /** The redirect turned the request into a GET: do not send the body again. */
  dropBody: boolean;
  /** Credential headers removed because the origin changed (D8). */
  droppedHeaders: string[];
  fromOrigin: string;
  toOrigin: string;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Fetch standard: "If request's redirect count is 20, return a network error." */
export const MAX_REDIRECTS = 20;
/** Headers that must not follow a redirect to another origin (D8; Fetch standard, HTTP-redirect fetch). */
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie'];
const BODY_HEADERS = [
  'content-type',
  'content-length',
  'content-encoding',
  'content-language',
  'content-location',
];

/**
 * What to send after a response, following the Fetch standard's HTTP-redirect fetch: undefined
 * when the response is final; otherwise the next hop, as GET without a body after a 303 (or a
 * 301/302 to a POST), and without credentials when the origin changes (D8).
 * @see https://fetch.spec.whatwg.org/#http-redirect-fetch
 * @see spec/behaviour.md D8
 */
export function redirectStep(status: number, location: string | null, hop: Hop): RedirectStep | undefined {
  if (!REDIRECT_STATUSES.has(status) || location === null) return undefined;
  let target: URL;
  try {
    target = new URL(location, hop.url);
  } catch (e) {
    throw new LabError(
      'protocol',
      `Failed to follow the redirect from ${safeLocation(hop.url)}: its Location is not a URL.`,
      {
        cause: e,
        ruleIds: ['D8'],
      },
    );
  }
  const headers = new Headers(hop.headers);
  const dropBody =
    (status === 303 && hop.method !== 'GET' && hop.method !== 'HEAD') ||
    (status <= 302 && hop.method === 'POST');
  if (dropBody) for (const h of BODY_HEADERS) headers.delete(h);
  const fromOrigin = new URL(hop.url).origin;
  const droppedHeaders = target.origin === fromOrigin ? [] : CREDENTIAL_HEADERS.filter((h) => headers.has(h));
  for (const h of droppedHeaders) headers.delete(h);
  return {
    next: {
      url: target.href,
      method: dropBody ? 'GET' : hop.method,
      headers,
      bodyText: dropBody ? undefined : hop.bodyText,
      signal: hop.signal,
    },
    dropBody,
    droppedHeaders,
    fromOrigin,
    toOrigin: target.origin,
  };
}

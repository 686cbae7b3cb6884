import { LabError } from '../errors';
import { LANE_TITLES, type Lane } from '../timeline/events';
import type { TimelineRecorder } from '../timeline/recorder';
import {
  formatBytes,
  JSON_RPC_RESPONSE_LIMIT,
  limitBody,
  OAUTH_RESPONSE_LIMIT,
  type ParsedResponseKind,
  parsedResponseKind,
  type ResponseLimits,
  tooLargeError,
} from './body-limit';
import {
  BODY_CAPTURE_LIMIT,
  deriveLabel,
  explain,
  headersRecord,
  implicitContentType,
  requestBodyText,
  responseBodyText,
  safeLocation,
  summarize,
} from './describe';
import { asFetchError, diagnoseFetchFailure } from './fetch-errors';
import { type Hop, MAX_REDIRECTS, redirectStep } from './redirects';
import type { StepGate } from './step-gate';
import type { UrlPolicy } from './url-policy';

/** fetch's signature: what the SDK's `fetchFn` and the MCP transports take. */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface InstrumentedFetchOptions {
  recorder: TimelineRecorder;
  /** The fetch that goes on the wire (default: `globalThis.fetch`, looked up per call so MSW can patch it). */
  fetch?: FetchLike;
  /** D8: URLs are checked before any request; cross-origin redirects lose their credentials. */
  policy?: Pick<UrlPolicy, 'check'>;
  /** Step-through: every request waits here before it is sent. */
  gate?: StepGate;
  /** The lane requests come from (default 'host'). */
  from?: Lane;
  /**
   * The page's origin when running in a browser (default: `location.origin` when there is a
   * `document`, else null). It decides CORS diagnoses and how redirects are handled.
   */
  pageOrigin?: string | null;
  /** Largest body captured for the timeline, in bytes (default 64 KiB). */
  bodyLimit?: number;
  /**
   * Largest answers handed to the engine's parsers, in bytes (defaults: OAuth 1 MiB, JSON-RPC
   * 32 MiB). Reading past one fails with a `too_large` LabError.
   */
  responseLimits?: ResponseLimits;
  /**
   * Throw what fetch throws (a TypeError for network/CORS failures, the AbortError for an abort),
   * with the LabError diagnosis as `cause` (see `labErrorOf`), for libraries that branch on
   * `instanceof TypeError`, like the MCP SDK's browser CORS fallback. Default false: LabErrors.
   */
  fetchCompatibleErrors?: boolean;
}

/**
 * Whether this code runs in a page, and at which origin (null in Node and workers without a document).
 * @see https://html.spec.whatwg.org/multipage/browsers.html#concept-origin
 */
export function defaultPageOrigin(): string | null {
  const g = globalThis as { document?: unknown; location?: { origin?: unknown } };
  return g.document !== undefined && typeof g.location?.origin === 'string' ? g.location.origin : null;
}

/**
 * Builds the engine's fetch: `fetchFor(to, label?)` returns a fetch whose every call is one
 * timeline `http` event on lane `to` (request, response or failure, with bodies read without
 * consuming or delaying the caller's, and secrets redacted by the recorder, T7), guarded by the URL
 * policy (D8) and the step gate. Answers the engine parses itself (OAuth steps, JSON-RPC that is not
 * an event stream) reach the caller through a size limit enforced while they stream (HX2, HX3).
 *
 * When a policy is given and the caller wants redirects followed, in Node the redirects are
 * followed here (`redirect: 'manual'`): each hop is checked by the policy and recorded, and
 * Authorization, Proxy-Authorization and Cookie are dropped (and the drop recorded) when the origin
 * changes. A browser hides redirect targets (opaque redirects) but strips Authorization across
 * origins itself (Fetch standard, HTTP-redirect fetch step 13); there the final URL is checked.
 * @see spec/behaviour.md D8, T7
 * @see https://fetch.spec.whatwg.org/#http-redirect-fetch
 */
export function createInstrumentedFetch(
  options: InstrumentedFetchOptions,
): (to: Lane, label?: string) => FetchLike {
  const { recorder, policy, gate } = options;
  const from = options.from ?? 'host';
  const wire: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const pageOrigin = options.pageOrigin === undefined ? defaultPageOrigin() : options.pageOrigin;
  const limit = options.bodyLimit ?? BODY_CAPTURE_LIMIT;
  const parseLimits: Record<ParsedResponseKind, number> = {
    oauth: options.responseLimits?.oauth ?? OAUTH_RESPONSE_LIMIT,
    'json-rpc': options.responseLimits?.jsonRpc ?? JSON_RPC_RESPONSE_LIMIT,
  };
  const clock = recorder.clock;

  /** HX2, HX3: the error, and a note on the timeline, when an answer the engine parses is too large. */
  const tooLarge = (kind: ParsedResponseKind, to: Lane, hop: Hop, label: string | undefined): LabError => {
    const e = tooLargeError(kind, safeLocation(hop.url), label, parseLimits[kind]);
    recorder.record({
      lane: from,
      kind: 'decision',
      level: 'error',
      ruleIds: [...e.ruleIds],
      summary: `Stopped reading ${hop.method} ${safeLocation(hop.url)}${label ? ` (${label})` : ''}: larger than ${formatBytes(parseLimits[kind])} (${e.ruleIds.join(', ')})`,
      data: { ...e.details, method: hop.method, to },
    });
    return e;
  };

  const refuse = (e: LabError, to: Lane, hop: Hop, label: string | undefined): never => {
    recorder.record({
      lane: from,
      kind: 'decision',
      level: 'warn',
      ruleIds: ['D8'],
      summary: `Refused ${hop.method} ${safeLocation(hop.url)}${label ? ` (${label})` : ''}: URL policy (D8)`,
      data: { url: hop.url, method: hop.method, to, ...(e.details ?? {}), message: e.message },
    });
    throw e;
  };

  /** Policy check, step gate, then one exchange on the wire: exactly one `http` event. */
  const sendHop = async (
    to: Lane,
    label: string | undefined,
    hop: Hop,
    input: string | URL | Request,
    init: RequestInit | undefined,
  ): Promise<Response> => {
    if (policy) {
      try {
        policy.check(hop.url, label ? `${LANE_TITLES[to]}: ${label}` : LANE_TITLES[to]);
      } catch (e) {
        if (e instanceof LabError) refuse(e, to, hop, label);
        throw e;
      }
    }
    if (gate?.enabled) await passGate(to, label, hop);
    const recordedHeaders = headersRecord(hop.headers);
    const implicit = implicitContentType(init);
    if (implicit && !recordedHeaders['content-type']) recordedHeaders['content-type'] = implicit;
    const request = {
      method: hop.method,
      url: hop.url,
      headers: recordedHeaders,
      ...(hop.bodyText !== undefined ? { body: hop.bodyText } : {}),
    };
    const started = clock.now();
    let response: Response;
    try {
      response = await wire(input, init);
    } catch (e) {
      const lab = diagnoseFetchFailure(e, {
        url: hop.url,
        method: hop.method,
        signal: hop.signal,
        pageOrigin,
      });
      recorder.record({
        lane: to,
        kind: 'http',
        level: lab.code === 'aborted' ? 'warn' : 'error',
        summary: summarize(hop.method, hop.url, `${lab.code === 'cors' ? 'CORS' : lab.code} error`, label),
        http: {
          from,
          to,
          request,
          failure: `${lab.code}: ${lab.message}`,
          durationMs: clock.now() - started,
          ...(label ? { label } : {}),
        },
      });
      throw lab;
    }
    // The timeline copy is read first, from a clone; the caller's copy is then bounded if the
    // engine will parse it (HX1: the capture never waits for the caller; HX2, HX3: the limits).
    const body = await responseBodyText(response, limit);
    // The status code alone: HTTP/2 has no reason phrase, so browser and Node recordings read the same.
    const status = String(response.status);
    recorder.record({
      lane: to,
      kind: 'http',
      ...(response.status >= 400 ? { level: 'warn' as const } : {}),
      summary: summarize(hop.method, hop.url, status, label),
      http: {
        from,
        to,
        request,
        response: {
          status: response.status,
          ...(response.statusText ? { statusText: response.statusText } : {}),
          headers: headersRecord(response.headers),
          ...(body !== undefined ? { body } : {}),
        },
        durationMs: clock.now() - started,
        ...(label ? { label } : {}),
      },
    });
    const kind = parsedResponseKind(to, hop.method, label, response.headers.get('content-type'));
    return kind ? limitBody(response, parseLimits[kind], () => tooLarge(kind, to, hop, label)) : response;
  };

  const passGate = async (to: Lane, label: string | undefined, hop: Hop): Promise<void> => {
    const what = `${hop.method} ${safeLocation(hop.url)}${label ? ` (${label})` : ''}`;
    const explanation = explain(hop.method, hop.url, label);
    recorder.record({
      lane: from,
      kind: 'gate',
      summary: `Paused before ${what}`,
      data: { phase: 'paused', to, explanation },
    });
    try {
      await gate?.pause(
        { method: hop.method, url: hop.url, lane: to, explanation, ...(label ? { label } : {}) },
        hop.signal,
      );
    } catch (e) {
      recorder.record({
        lane: from,
        kind: 'gate',
        level: 'warn',
        summary: `Cancelled while paused: ${what}`,
        data: { phase: 'aborted', to },
      });
      throw diagnoseFetchFailure(e, { url: hop.url, method: hop.method, signal: hop.signal, pageOrigin });
    }
    recorder.record({
      lane: from,
      kind: 'gate',
      summary: `Released ${what}`,
      data: { phase: 'released', to },
    });
  };

  /** D8 in Node: follows redirects one hop at a time, checking each target and dropping credentials across origins. */
  const follow = async (
    to: Lane,
    label: string | undefined,
    first: Hop,
    init: RequestInit,
    body: BodyInit | undefined,
  ) => {
    let hop = first;
    let reqBody = body;
    for (let count = 0; ; count++) {
      const hopInit: RequestInit = { ...init, method: hop.method, headers: hop.headers, redirect: 'manual' };
      if (reqBody === undefined) delete hopInit.body;
      else hopInit.body = reqBody;
      const response = await sendHop(to, label, hop, hop.url, hopInit);
      const step = redirectStep(response.status, response.headers.get('location'), hop);
      if (!step) return response;
      await response.body?.cancel().catch(() => undefined);
      if (count >= MAX_REDIRECTS)
        throw new LabError(
          'network',
          `Failed to reach ${safeLocation(first.url)}: more than ${MAX_REDIRECTS} redirects.`,
          {
            hint: 'The server redirects in a loop; check its configuration.',
          },
        );
      if (step.dropBody) reqBody = undefined;
      if (step.droppedHeaders.length)
        recorder.record({
          lane: from,
          kind: 'decision',
          ruleIds: ['D8'],
          summary: `Dropped ${step.droppedHeaders.join(', ')} on the redirect from ${step.fromOrigin} to ${step.toOrigin} (D8)`,
          data: {
            from: safeLocation(hop.url),
            to: safeLocation(step.next.url),
            dropped: step.droppedHeaders,
          },
        });
      hop = step.next;
    }
  };

  const call = async (
    to: Lane,
    fixedLabel: string | undefined,
    input: string | URL | Request,
    init?: RequestInit,
  ) => {
    const isRequest = typeof Request !== 'undefined' && input instanceof Request;
    const url = isRequest ? input.url : String(input);
    const method = (init?.method ?? (isRequest ? input.method : 'GET')).toUpperCase();
    const headers = new Headers(init?.headers ?? (isRequest ? input.headers : undefined));
    const signal = init?.signal ?? (isRequest ? input.signal : undefined) ?? undefined;
    const redirect = init?.redirect ?? (isRequest ? input.redirect : 'follow');
    const bodyText = await requestBodyText(input, init, limit);
    const label = fixedLabel ?? deriveLabel(method, url, bodyText);
    const hop: Hop = { url, method, headers, bodyText, signal };
    const streamed = typeof ReadableStream !== 'undefined' && init?.body instanceof ReadableStream;
    if (policy && redirect === 'follow' && !pageOrigin && !streamed) {
      const body = init?.body ?? (isRequest && input.body ? await input.clone().arrayBuffer() : undefined);
      const base: RequestInit = { ...init, ...(signal ? { signal } : {}) };
      return follow(to, label, hop, base, body ?? undefined);
    }
    const response = await sendHop(to, label, hop, input, init);
    if (policy && pageOrigin && response.redirected && response.url) {
      try {
        policy.check(response.url, `redirect target of ${LANE_TITLES[to]}`);
      } catch (e) {
        await response.body?.cancel().catch(() => undefined);
        if (e instanceof LabError) refuse(e, to, { ...hop, url: response.url }, label);
        throw e;
      }
    }
    return response;
  };

  return (to, fixedLabel) => async (input, init) => {
    try {
      return await call(to, fixedLabel, input, init);
    } catch (e) {
      throw options.fetchCompatibleErrors && e instanceof LabError ? asFetchError(e) : e;
    }
  };
}

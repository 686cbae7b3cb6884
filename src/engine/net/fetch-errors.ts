import { LabError } from '../errors';
import { safeLocation } from './describe';

/** Where a request ran, for the diagnosis: a page origin means a browser (CORS applies). */
export interface FailureContext {
  url: string;
  method: string;
  signal?: AbortSignal | null;
  /** The page's origin when running in a browser; null or undefined in Node. */
  pageOrigin?: string | null;
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** The deepest readable reason fetch gives for a failure ("getaddrinfo ENOTFOUND x", "connection dropped"). */
function underlyingReason(error: unknown): string | undefined {
  let cause: unknown = error instanceof Error ? error.cause : undefined;
  for (let depth = 0; cause && depth < 4; depth++) {
    // MSW's HttpResponse.error() surfaces as a cause that is a Response of type 'error'.
    if (typeof Response !== 'undefined' && cause instanceof Response && cause.type === 'error')
      return 'the connection was dropped (network error)';
    if (cause instanceof Error && !(cause.cause instanceof Error)) return cause.message;
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return undefined;
}

const isAbort = (e: unknown) => e instanceof Error && (e.name === 'AbortError' || e.name === 'TimeoutError');

/**
 * Turns what `fetch` threw into a LabError with a diagnosis a person can act on (DESIGN.md: say
 * "the server does not allow cross-origin requests", not "Failed to fetch"). In a browser, a
 * cross-origin TypeError is most often CORS (the browser hides which), so it is `cors`; anywhere
 * else it is `network`. An abort is `aborted`, a timeout signal `timeout`.
 * @see https://fetch.spec.whatwg.org/#concept-network-error
 * @see https://fetch.spec.whatwg.org/#http-cors-protocol
 */
export function diagnoseFetchFailure(error: unknown, ctx: FailureContext): LabError {
  if (error instanceof LabError) return error;
  const where = safeLocation(ctx.url);
  const details = { url: where, method: ctx.method };
  if (isAbort(error) || ctx.signal?.aborted) {
    const reason: unknown = ctx.signal?.reason;
    const timedOut =
      (error instanceof Error && error.name === 'TimeoutError') ||
      (reason instanceof Error && reason.name === 'TimeoutError');
    return timedOut
      ? new LabError('timeout', `Failed to reach ${where}: no answer in time; the request was cancelled.`, {
          cause: error,
          details,
        })
      : new LabError('aborted', `Failed to reach ${where}: the request was cancelled.`, {
          cause: error,
          details,
        });
  }
  const target = originOf(ctx.url);
  if (ctx.pageOrigin && target && target !== ctx.pageOrigin) {
    return new LabError(
      'cors',
      `Failed to reach ${where}: the server at ${target} does not allow cross-origin requests from this page (CORS) or is unreachable.`,
      {
        cause: error,
        details: { ...details, pageOrigin: ctx.pageOrigin },
        hint: `The server must answer preflights and send Access-Control-Allow-Origin for ${ctx.pageOrigin} (and expose WWW-Authenticate and Mcp-Session-Id); or run the lab from the command line, where CORS does not apply.`,
      },
    );
  }
  const why = underlyingReason(error) ?? (error instanceof Error ? error.message : String(error));
  return new LabError('network', `Failed to reach ${where}: ${why}.`, {
    cause: error,
    details,
    hint: 'Check the URL and that the server is running and reachable from here.',
  });
}

/**
 * The LabError behind a failure of the instrumented fetch: the error itself, or the `cause` of the
 * TypeError thrown in fetch-compatible mode.
 * @see DESIGN.md (one error catalogue, errors.ts)
 */
export function labErrorOf(e: unknown): LabError | undefined {
  if (e instanceof LabError) return e;
  if (e instanceof Error && e.cause instanceof LabError) return e.cause;
  return undefined;
}

/**
 * The error a fetch-compatible caller expects: a TypeError for network and CORS failures (the MCP
 * SDK falls back on `instanceof TypeError` in the browser), the original error for an abort; the
 * diagnosis rides along as `cause` and in the message.
 * @see https://fetch.spec.whatwg.org/#fetch-method (fetch rejects with a TypeError)
 */
export function asFetchError(lab: LabError): Error {
  if ((lab.code === 'aborted' || lab.code === 'timeout') && lab.cause instanceof Error) return lab.cause;
  return new TypeError(lab.message, { cause: lab });
}

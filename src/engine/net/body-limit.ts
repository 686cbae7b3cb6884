/**
 * Size limits on the answers the engine parses itself. A server chooses how much it sends; without
 * a limit, `response.json()` buffers all of it, then a string of it, then the parsed value: several
 * times the body's size in memory. The limit is enforced while the body streams, so an answer
 * past it is never held whole: the stream errors and the rest of the body is not read.
 */
import { LabError } from '../errors';
import type { Lane } from '../timeline/events';
import { isOAuthLabel } from './describe';

/** Largest OAuth answer the engine reads (PRM, AS metadata, registration, token): 1 MiB. */
export const OAUTH_RESPONSE_LIMIT = 1024 * 1024;

/** Largest JSON-RPC answer (not an event stream) the engine reads from an MCP server: 32 MiB. */
export const JSON_RPC_RESPONSE_LIMIT = 32 * 1024 * 1024;

/** Overrides of the limits above, in bytes. */
export interface ResponseLimits {
  /** Protected resource metadata, AS metadata, registration, token and revocation answers. */
  oauth?: number;
  /** JSON-RPC answers from an MCP server that are not event streams. */
  jsonRpc?: number;
}

export type ParsedResponseKind = 'oauth' | 'json-rpc';

/**
 * Which limit, if any, applies to an answer: OAuth steps by their label, JSON-RPC by a POST to the
 * MCP server. Event streams are read message by message, not buffered by `json()`, so they are
 * left alone.
 */
export function parsedResponseKind(
  to: Lane,
  method: string,
  label: string | undefined,
  contentType: string | null,
): ParsedResponseKind | undefined {
  if (isOAuthLabel(label)) return 'oauth';
  if (to === 'mcp' && method === 'POST' && !/text\/event-stream/i.test(contentType ?? '')) return 'json-rpc';
  return undefined;
}

/** `1 MiB`, `64 KiB`, `1500 bytes`; with `exact`, `1 MiB (1048576 bytes)`. */
export function formatBytes(n: number, options: { exact?: boolean } = {}): string {
  const mib = n / (1024 * 1024);
  const kib = n / 1024;
  const unit = Number.isInteger(mib) ? `${mib} MiB` : Number.isInteger(kib) ? `${kib} KiB` : undefined;
  if (!unit) return `${n} bytes`;
  return options.exact ? `${unit} (${n} bytes)` : unit;
}

/** What an OAuth answer is, for messages: `protected resource metadata`. */
function oauthWhat(label: string | undefined): string {
  if (label?.startsWith('PRM')) return 'protected resource metadata';
  if (label === 'AS metadata') return 'authorization server metadata';
  if (label === 'register' || label === 'registration') return 'registration response';
  if (label === 'revocation') return 'revocation response';
  return label ? `${label} response` : 'OAuth response';
}

/**
 * The error of an answer past its limit: what it was, where from (`where` carries no query: it may
 * hold codes or tokens), the limit, and what to do.
 */
export function tooLargeError(
  kind: ParsedResponseKind,
  where: string,
  label: string | undefined,
  limit: number,
): LabError {
  const size = formatBytes(limit, { exact: true });
  const details = { url: where, ...(label ? { label } : {}), limit, kind };
  if (kind === 'oauth')
    return new LabError(
      'too_large',
      `Failed to read the ${oauthWhat(label)} from ${where}: the answer is larger than ${size}, the most the engine reads for OAuth metadata, registration and token responses.`,
      {
        hint: 'A real authorization server answers in a few kilobytes: check that the URL points at the right endpoint. To accept a larger answer from a server you trust, raise responseLimits.oauth in the engine options.',
        ruleIds: ['HX2'],
        details,
      },
    );
  return new LabError(
    'too_large',
    `Failed to read the ${label ? `${label} ` : ''}answer from ${where}: it is larger than ${size}, the most the engine reads for one JSON-RPC response.`,
    {
      hint: 'Ask the server for less (smaller tools/list pages, smaller tool results), or raise responseLimits.jsonRpc in the engine options.',
      ruleIds: ['HX3'],
      details,
    },
  );
}

/** Statuses whose Response cannot carry a body (Fetch standard, "null body status"). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * A copy of `response` whose body errors with `tooLarge()` once more than `limit` bytes have come.
 * The copy keeps the status, headers, `url`, `redirected` and `type` the caller may look at. Past
 * the limit the pipe cancels the original body, so the rest of it is never downloaded.
 * @see https://streams.spec.whatwg.org/#rs-pipe-through
 */
export function limitBody(response: Response, limit: number, tooLarge: () => Error): Response {
  const body = response.body;
  if (
    !body ||
    body.locked ||
    response.status < 200 ||
    response.status > 599 ||
    NULL_BODY.has(response.status)
  )
    return response;
  const init: ResponseInit = {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  };
  try {
    new Response(null, init);
  } catch {
    // A reason phrase the Response constructor refuses: keep the status, drop the phrase.
    delete init.statusText;
  }
  let seen = 0;
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > limit) controller.error(tooLarge());
      else controller.enqueue(chunk);
    },
  });
  const limited = new Response(body.pipeThrough(counter), init);
  for (const key of ['url', 'redirected', 'type'] as const)
    Object.defineProperty(limited, key, { value: response[key], enumerable: true });
  return limited;
}

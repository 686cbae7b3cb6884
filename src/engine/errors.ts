/**
 * The engine's one error catalogue (DESIGN.md: stable string codes, a structured cause, and a
 * message a person can act on: "Failed to X: why. Hint.").
 */

export const ERROR_CODES = {
  invalid_input: 'A configuration or argument is malformed.',
  network: 'A request could not reach the server.',
  cors: 'The browser blocked a cross-origin response.',
  timeout: 'An operation did not finish in time.',
  aborted: 'An operation was cancelled.',
  http: 'A server answered with an unexpected HTTP status.',
  protocol: 'A server answered something that is not valid MCP or OAuth.',
  url_refused: 'The URL policy (SSRF protection or allow-list) refused a URL.',
  oauth_required: 'The server needs OAuth and no handler took care of it.',
  oauth_failed: 'An OAuth flow failed.',
  reauth_required: 'Stored credentials can no longer be refreshed: the user must authorize again.',
  discovery_failed: 'Protected resource or authorization server metadata could not be used.',
  resource_mismatch: 'The protected resource metadata names another resource.',
  issuer_mismatch: 'An issuer did not match the one expected.',
  pkce_unsupported: 'The authorization server does not advertise PKCE with S256.',
  no_client_identity: 'No way to identify the client to the authorization server.',
  state_mismatch: 'The authorization response does not belong to the pending flow.',
  flow_failed: 'An OAuth flow ended in FAILED.',
  flow_timeout: 'An OAuth flow was not completed in time.',
  store_conflict: 'A conditional write lost a race with another writer.',
  circuit_open: 'Too many connection attempts: the circuit breaker is cooling down.',
  rate_limited: 'The server asked the client to slow down (HTTP 429).',
  obo_failed: 'The on-behalf-of token exchange failed.',
  app_refused: 'An MCP App asked for something the host does not allow.',
  too_large: 'A server sent a larger answer than the engine reads.',
} as const;

export type LabErrorCode = keyof typeof ERROR_CODES;

export interface LabErrorOptions {
  /** What to do about it, as one sentence. */
  hint?: string;
  cause?: unknown;
  /** Structured facts for the timeline (never secrets). */
  details?: Record<string, unknown>;
  /** HTTP status, when the error came from a response. */
  status?: number;
  ruleIds?: readonly string[];
}

/** A typed engine error with a stable `code`. */
export class LabError extends Error {
  override readonly name = 'LabError';
  readonly code: LabErrorCode;
  readonly hint?: string;
  readonly details?: Record<string, unknown>;
  readonly status?: number;
  readonly ruleIds: readonly string[];

  constructor(code: LabErrorCode, message: string, options: LabErrorOptions = {}) {
    super(
      options.hint ? `${message} ${options.hint}` : message,
      options.cause !== undefined ? { cause: options.cause } : undefined,
    );
    this.code = code;
    this.ruleIds = options.ruleIds ?? [];
    if (options.hint !== undefined) this.hint = options.hint;
    if (options.details !== undefined) this.details = options.details;
    if (options.status !== undefined) this.status = options.status;
  }
}

export function isLabError(e: unknown, code?: LabErrorCode): e is LabError {
  return e instanceof LabError && (code === undefined || e.code === code);
}

/** The message of anything thrown. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * The LabError behind an error, following `cause` a few levels: the SDK and the fetch-compatible
 * error mode wrap the engine's own errors (a URL refusal reaches the factory inside a TypeError).
 */
export function labCause(e: unknown, code?: LabErrorCode): LabError | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 6 && cur; i++) {
    if (isLabError(cur, code)) return cur;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

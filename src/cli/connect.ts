import { RealClock } from '../engine/clock';
import { type Authorizer, headlessAuthorizer, mockConsentAuthorizer } from '../engine/connection/authorizers';
import type { McpServerConfig } from '../engine/connection/factory-types';
import { createEngine } from '../engine/engine';
import { LabError, messageOf } from '../engine/errors';
import { createInstrumentedFetch } from '../engine/net/instrumented-fetch';
import type { AuthRevision } from '../engine/oauth/types';
import type { TimelineEvent } from '../engine/timeline/events';
import { formatEventLine } from '../engine/timeline/export-text';
import { TimelineRecorder } from '../engine/timeline/recorder';
import { NodeSecretBox } from './node-secret-box';

export interface ConnectOptions {
  url: string;
  auth: 'headless' | 'mock' | 'none';
  clientId?: string;
  clientSecret?: string;
  clientMetadataUrl?: string;
  scope?: string;
  protocolVersion?: string;
  revision?: AuthRevision;
  headers?: Record<string, string>;
  calls: Array<{ tool: string; args: Record<string, unknown> }>;
  json: boolean;
  listTools: boolean;
  redirectUri: string;
  /** CONNECT_ATTEMPTS (F7). */
  attempts?: number;
  /** Backoff base of connect retries, ms (F7). */
  backoffMs?: number;
}

export interface ConnectOutcome {
  ok: boolean;
  /** One line: why it failed. */
  reason?: string;
  tools?: string[];
  results: Array<{ tool: string; result?: unknown; error?: string }>;
  events: TimelineEvent[];
}

/**
 * The command line's `connect`: the engine, headless, against any MCP server URL. Every timeline
 * event is written as it happens (text or JSON lines), then the result.
 */
export async function runConnect(o: ConnectOptions, write: (line: string) => void): Promise<ConnectOutcome> {
  const clock = new RealClock();
  const recorder = new TimelineRecorder(clock);
  const start = clock.now();
  recorder.subscribe((e) =>
    write(o.json ? JSON.stringify({ type: 'event', ...e }) : formatEventLine(e, start)),
  );
  const fetchFor = createInstrumentedFetch({ recorder, pageOrigin: null });
  const plain = fetchFor('user');
  const authorizer: Authorizer | undefined =
    o.auth === 'headless'
      ? headlessAuthorizer(plain, recorder)
      : o.auth === 'mock'
        ? mockConsentAuthorizer(plain, { decision: 'approve' }, recorder)
        : undefined;
  const engine = createEngine({
    clock,
    recorder,
    fetchFor,
    redirectUri: o.redirectUri,
    secretBox: new NodeSecretBox(),
    timings: {
      ...(o.attempts ? { connectAttempts: o.attempts } : {}),
      ...(o.backoffMs !== undefined ? { connectBackoffMs: o.backoffMs } : {}),
    },
    ...(authorizer
      ? {
          oauthStart: async (url: string) => void (await engine.completeAuthorization(await authorizer(url))),
        }
      : {}),
  });
  const oauth: NonNullable<McpServerConfig['oauth']> = {
    ...(o.revision ? { revision: o.revision } : {}),
    ...(o.clientId ? { clientId: o.clientId } : {}),
    ...(o.clientSecret ? { clientSecret: o.clientSecret } : {}),
    ...(o.clientMetadataUrl ? { clientMetadataUrl: o.clientMetadataUrl } : {}),
    ...(o.scope ? { scope: o.scope } : {}),
    ...(o.clientId && !o.clientSecret ? { tokenEndpointAuthMethod: 'none' as const } : {}),
  };
  // OAuth flags make the server "known to need OAuth" (F5); without them the first 401 tells.
  const server: McpServerConfig = {
    name: new URL(o.url).host,
    url: o.url,
    ...(o.headers ? { headers: o.headers } : {}),
    ...(o.protocolVersion ? { protocolVersion: o.protocolVersion } : {}),
    ...(Object.keys(oauth).length && o.auth !== 'none' ? { oauth } : {}),
  };
  const results: ConnectOutcome['results'] = [];
  const outcome = (ok: boolean, reason?: string, tools?: string[]): ConnectOutcome => ({
    ok,
    results,
    events: recorder.events,
    ...(reason ? { reason } : {}),
    ...(tools ? { tools } : {}),
  });
  let connection: Awaited<ReturnType<typeof engine.connect>>;
  try {
    connection = await engine.connect(
      server,
      { tenant: 'cli', user: { id: 'cli-user' } },
      o.auth === 'none' ? undefined : {},
    );
  } catch (e) {
    return outcome(false, `Failed to connect to ${o.url}: ${messageOf(e)}`);
  }
  try {
    const tools = o.listTools ? (await connection.listTools()).tools.map((t) => t.name) : undefined;
    for (const call of o.calls) {
      try {
        const result = (await connection.callTool(call.tool, call.args)) as {
          isError?: boolean;
          content?: Array<{ text?: string }>;
        };
        results.push({ tool: call.tool, result });
        if (result.isError)
          return outcome(
            false,
            `Tool ${call.tool} returned an error: ${result.content?.map((c) => c.text).join(' ') ?? ''}`,
            tools,
          );
      } catch (e) {
        results.push({ tool: call.tool, error: messageOf(e) });
        return outcome(false, `Failed to call ${call.tool}: ${messageOf(e)}`, tools);
      }
    }
    return outcome(true, undefined, tools);
  } finally {
    await connection.close();
  }
}

/** Parses `--args` JSON with a message that says what was wrong. */
export function parseArgsJson(text: string, tool: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new LabError('invalid_input', `--args for ${tool} is not JSON (${messageOf(e)}): ${text}`, {
      hint: `Example: --call ${tool} --args '{"message":"hi"}'`,
    });
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new LabError('invalid_input', `--args for ${tool} must be a JSON object, got ${text}.`);
  return v as Record<string, unknown>;
}

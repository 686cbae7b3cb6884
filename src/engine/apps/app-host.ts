/**
 * The host end of one MCP App view: ext-apps' `AppBridge`, with the handlers that make it safe
 * (A1, A3, A4, A6) and a transport wrapper that puts every bridge message on the timeline's App lane.
 * Framework-free: the playground gives it a transport over the sandbox proxy; Node tests give it an
 * in-memory one and a real ext-apps `App`.
 *
 * Host behaviour beyond the spec, each with a test:
 * - AH1 `ui/open-link` opens http(s) URLs only, in a new browsing context without an opener
 * - AH2 the tool input and result are delivered after `ui/notifications/initialized`, once
 * - AH3 the host context (theme, size, locale) is sent in `ui/initialize` and changes are notified
 * - AH4 teardown asks the view first (`ui/resource-teardown`, bounded wait), then closes the bridge
 * - AH5 every bridge message is on the App lane, redacted like every other event
 */
import type { Client, JSONRPCMessage, Transport } from '@modelcontextprotocol/client';
import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/client';
import { AppBridge, type McpUiHostContext } from '@modelcontextprotocol/ext-apps/app-bridge';
import type { Clock } from '../clock';
import { sleepWith } from '../clock';
import { messageOf } from '../errors';
import type { TimelineEvent } from '../timeline/events';
import type { TimelineRecorder } from '../timeline/recorder';
import {
  type AdvertisedResources,
  authorizeAppResourceRead,
  authorizeAppToolCall,
  type Verdict,
} from './access';
import { appHostPolicy, safeLink } from './host-policy';
import type { ToolLike } from './ui-meta';

export const HOST_INFO = { name: 'MCP Lab', version: '0.1.0' } as const;
/** AH4: how long a view may take to answer `ui/resource-teardown`. */
export const TEARDOWN_TIMEOUT_MS = 1000;
/** A4: pages of resources/list and resources/templates/list read at most. */
const MAX_LIST_PAGES = 20;

/** What the host needs of an engine connection: requests with the normal OAuth recovery. */
export interface AppConnection {
  run<T>(what: string, op: (client: Client) => Promise<T>): Promise<T>;
  callTool(name: string, args?: Record<string, unknown>): Promise<unknown>;
}

export interface AppHostOptions {
  /** The tool whose result the view shows. */
  tool: ToolLike & { title?: string; description?: string; inputSchema?: unknown };
  resourceUri: string;
  recorder: TimelineRecorder;
  clock: Clock;
  who?: TimelineEvent['who'];
  /** A6: a shared or replayed recording: no handlers, no capabilities. */
  readOnly: boolean;
  /** A1, read at every request: apps may be turned off while a view is open. */
  appsEnabled: () => boolean;
  /** Absent in read-only views. */
  connection?: AppConnection;
  /** The server's tools as last listed (A3); undefined when they could not be listed. */
  tools: () => readonly ToolLike[] | undefined;
  hostContext: McpUiHostContext;
  /** AH1: opens an already vetted http(s) URL without an opener; false when the browser refused. */
  openLink?: (url: string) => boolean;
  onSizeChange?: (size: { width?: number; height?: number }) => void;
  onTeardownRequested?: () => void;
}

type Direction = 'host→app' | 'app→host';

function summarize(message: JSONRPCMessage, direction: Direction, methods: Map<string, string>): string {
  const m = message as {
    id?: string | number;
    method?: string;
    params?: Record<string, unknown>;
    error?: { code?: number; message?: string };
  };
  const arrow = direction === 'host→app' ? 'Host → app' : 'App → host';
  if (typeof m.method === 'string') {
    const detail =
      m.method === 'tools/call' && typeof m.params?.name === 'string'
        ? ` ${m.params.name}`
        : m.method === 'resources/read' && typeof m.params?.uri === 'string'
          ? ` ${m.params.uri}`
          : m.method === 'ui/open-link' && typeof m.params?.url === 'string'
            ? ` ${m.params.url}`
            : '';
    if (m.id !== undefined) methods.set(`${direction}:${m.id}`, m.method);
    return `${arrow}: ${m.method}${detail}${m.id !== undefined ? ` (#${m.id})` : ''}`;
  }
  const asked = direction === 'host→app' ? 'app→host' : 'host→app';
  const method = methods.get(`${asked}:${m.id}`) ?? 'request';
  methods.delete(`${asked}:${m.id}`);
  if (m.error) return `${arrow}: ${method} (#${m.id}) failed: ${m.error.message ?? `error ${m.error.code}`}`;
  return `${arrow}: ${method} (#${m.id}) answered`;
}

/** AH5: a transport that records every message in both directions on the App lane. */
export function recordingTransport(
  inner: Transport,
  record: (direction: Direction, message: JSONRPCMessage, summary: string) => void,
): Transport {
  const methods = new Map<string, string>();
  const outer: Transport = {
    start: () => inner.start(),
    close: () => inner.close(),
    send: (message, options) => {
      record('host→app', message, summarize(message, 'host→app', methods));
      return inner.send(message, options);
    },
  };
  inner.onmessage = (message, extra) => {
    record('app→host', message, summarize(message, 'app→host', methods));
    outer.onmessage?.(message, extra);
  };
  inner.onclose = () => outer.onclose?.();
  inner.onerror = (error) => outer.onerror?.(error);
  return outer;
}

/** The error an app sees when the host refuses: the reason and the rule, as a JSON-RPC error. */
function refusal(verdict: Extract<Verdict, { allowed: false }>): ProtocolError {
  return new ProtocolError(
    ProtocolErrorCode.InvalidRequest,
    `Refused by the host (${verdict.ruleIds.join(', ')}): ${verdict.reason}`,
    { ruleIds: verdict.ruleIds },
  );
}

async function listAll<T>(
  fetchPage: (cursor?: string) => Promise<{ items: T[]; nextCursor?: string | undefined }>,
): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_LIST_PAGES; page++) {
    const { items, nextCursor } = await fetchPage(cursor);
    out.push(...items);
    if (!nextCursor) return out;
    cursor = nextCursor;
  }
  throw new Error(`more than ${MAX_LIST_PAGES} pages`);
}

export class AppHost {
  readonly bridge: AppBridge;
  readonly #o: AppHostOptions;
  #advertised: Promise<AdvertisedResources> | undefined;
  #initialized = false;
  #pending: { input: Record<string, unknown>; result: unknown } | undefined;
  #delivered = false;
  #closed = false;
  #context: McpUiHostContext;

  constructor(options: AppHostOptions) {
    this.#o = options;
    // A6: what a view is offered and answered; a read-only view gets nothing ("method not found").
    const { capabilities, handlers } = appHostPolicy({ appsEnabled: true, readOnly: options.readOnly });
    this.#context = {
      ...options.hostContext,
      toolInfo: { tool: { inputSchema: { type: 'object' }, ...options.tool } as never },
    };
    this.bridge = new AppBridge(null, { ...HOST_INFO }, capabilities, {
      hostContext: this.#context,
    });
    this.bridge.oninitialized = () => {
      this.#initialized = true;
      this.#record(
        'event',
        `The app finished ui/initialize (${this.bridge.getAppVersion()?.name ?? 'unnamed app'})`,
        ['AH2'],
      );
      void this.#deliver();
    };
    this.bridge.onsizechange = (size) => options.onSizeChange?.(size);
    this.bridge.onrequestteardown = () => options.onTeardownRequested?.();
    this.bridge.onloggingmessage = (params) => {
      const level =
        params.level === 'error' ||
        params.level === 'critical' ||
        params.level === 'alert' ||
        params.level === 'emergency'
          ? 'error'
          : params.level === 'warning'
            ? 'warn'
            : 'info';
      const text = typeof params.data === 'string' ? params.data : (JSON.stringify(params.data) ?? '');
      this.#record(
        'app',
        `App log (${params.level}${params.logger ? `, ${params.logger}` : ''}): ${text.slice(0, 200)}`,
        [],
        level,
      );
    };
    if (handlers.toolCall)
      this.bridge.oncalltool = (params) => this.#callTool(params.name, params.arguments ?? {});
    if (handlers.resourceRead) this.#answerResources();
    if (handlers.openLink) this.bridge.onopenlink = async (params) => this.#openLink(params.url);
    if (handlers.message) this.#answerMessages();
  }

  #answerResources(): void {
    this.bridge.onreadresource = (params) => this.#readResource(params.uri);
    this.bridge.onlistresources = async () => {
      this.#guard();
      const { resources } = await this.#advertisedResources();
      if (!resources)
        throw new ProtocolError(
          ProtocolErrorCode.InternalError,
          "The server's resource list could not be read.",
        );
      return { resources: resources.map((uri) => ({ uri, name: uri })) };
    };
  }

  #answerMessages(): void {
    this.bridge.onmessage = async (params) => {
      this.#guard();
      const text = params.content.map((c) => (c.type === 'text' ? c.text : `[${c.type}]`)).join(' ');
      this.#record(
        'app',
        `The app asked to add a message to the conversation: ${text.slice(0, 200)} (MCP Lab has no conversation; shown here only)`,
        [],
      );
      return {};
    };
  }

  #record(
    kind: 'app' | 'decision' | 'event',
    summary: string,
    ruleIds: string[],
    level?: 'info' | 'warn' | 'error',
    data?: Record<string, unknown>,
  ): void {
    this.#o.recorder.record({
      lane: 'app',
      kind,
      summary,
      ruleIds,
      ...(level && level !== 'info' ? { level } : {}),
      ...(data ? { data } : {}),
      ...(this.#o.who ? { who: this.#o.who } : {}),
    });
  }

  /** A1: every request of a view is refused once apps are off (or the view was closed). */
  #guard(): void {
    if (this.#closed) throw new ProtocolError(ProtocolErrorCode.InvalidRequest, 'This view was closed.');
    if (!this.#o.appsEnabled()) {
      const verdict = {
        allowed: false as const,
        reason: 'MCP Apps are turned off: apps cannot act.',
        ruleIds: ['A1'],
      };
      this.#refused('request', verdict);
      throw refusal(verdict);
    }
  }

  #refused(what: string, verdict: Extract<Verdict, { allowed: false }>): void {
    this.#record('decision', `Refused the app's ${what}: ${verdict.reason}`, verdict.ruleIds, 'warn');
  }

  async #callTool(name: string, args: Record<string, unknown>) {
    this.#guard();
    const verdict = authorizeAppToolCall(name, this.#o.tools(), this.#o.appsEnabled());
    if (!verdict.allowed) {
      this.#refused(`tools/call ${name}`, verdict);
      throw refusal(verdict);
    }
    const connection = this.#connection();
    // The engine's connection: a 401 or 403 here recovers like any other call (refresh, step-up).
    return (await connection.callTool(name, args)) as never;
  }

  #connection(): AppConnection {
    const c = this.#o.connection;
    if (!c) throw new ProtocolError(ProtocolErrorCode.InvalidRequest, 'Not connected to the server.');
    return c;
  }

  #advertisedResources(): Promise<AdvertisedResources> {
    this.#advertised ??= (async () => {
      const c = this.#connection();
      const [resources, templates] = await Promise.all([
        listAll(async (cursor) => {
          const r = await c.run('list resources for an app', (client) =>
            client.listResources(cursor ? { cursor } : undefined),
          );
          return { items: r.resources.map((x) => x.uri), nextCursor: r.nextCursor };
        }).catch(() => undefined),
        listAll(async (cursor) => {
          const r = await c.run('list resource templates for an app', (client) =>
            client.listResourceTemplates(cursor ? { cursor } : undefined),
          );
          return { items: r.resourceTemplates.map((x) => x.uriTemplate), nextCursor: r.nextCursor };
        }).catch(() => undefined),
      ]);
      // A4: a list that cannot be read fails closed; the next request tries again.
      if (!resources || !templates) this.#advertised = undefined;
      return { resources, templates };
    })();
    return this.#advertised;
  }

  async #readResource(uri: string) {
    this.#guard();
    const verdict = authorizeAppResourceRead(uri, await this.#advertisedResources(), this.#o.appsEnabled());
    if (!verdict.allowed) {
      this.#refused(`resources/read ${uri}`, verdict);
      throw refusal(verdict);
    }
    return this.#connection().run(`read ${uri} for an app`, (client) => client.readResource({ uri }));
  }

  async #openLink(url: string) {
    this.#guard();
    const safe = safeLink(url);
    if (!safe) {
      const verdict = {
        allowed: false as const,
        reason: `"${url.slice(0, 100)}" is not an http(s) link.`,
        ruleIds: ['AH1'],
      };
      this.#refused('ui/open-link', verdict);
      throw refusal(verdict);
    }
    const opened = this.#o.openLink?.(safe) ?? false;
    this.#record(
      'decision',
      opened ? `Opened ${safe} in a new tab without an opener` : `The browser did not open ${safe}`,
      ['AH1'],
      opened ? 'info' : 'warn',
    );
    return opened ? {} : { isError: true };
  }

  /** Connects the bridge (before the view loads: messages wait in the transport). */
  async connect(transport: Transport): Promise<void> {
    await this.bridge.connect(
      recordingTransport(transport, (direction, message, summary) =>
        this.#record('app', summary, ['AH5'], 'error' in message ? 'warn' : 'info', { direction, message }),
      ),
    );
  }

  /** AH2: the tool input and result, sent once the view is initialized. */
  deliver(input: Record<string, unknown>, result: unknown): Promise<void> {
    this.#pending = { input, result };
    return this.#deliver();
  }

  async #deliver(): Promise<void> {
    if (!this.#initialized || !this.#pending || this.#delivered || this.#closed) return;
    this.#delivered = true;
    const { input, result } = this.#pending;
    await this.bridge.sendToolInput({ arguments: input });
    await this.bridge.sendToolResult(result as never);
  }

  /** AH3: a change of theme, size or locale, sent to the view. */
  setHostContext(change: Partial<McpUiHostContext>): void {
    if (this.#closed) return;
    // The bridge replaces its context and notifies only the fields that changed.
    this.#context = { ...this.#context, ...change };
    this.bridge.setHostContext(this.#context);
  }

  /** AH4: asks the view to tear down (bounded wait), then closes the bridge. */
  async teardown(reason = 'closed by the host'): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#initialized) {
      const ask = this.bridge.teardownResource({}).then(
        () => 'answered',
        (e: unknown) => `failed: ${messageOf(e)}`,
      );
      const timeout = sleepWith(this.#o.clock, TEARDOWN_TIMEOUT_MS).then(() => 'timed out');
      const outcome = await Promise.race([ask, timeout]);
      this.#record(
        'event',
        `View torn down (${reason}); the app ${outcome === 'answered' ? 'acknowledged' : outcome}`,
        ['AH4'],
      );
    } else this.#record('event', `View removed before it initialized (${reason})`, ['AH4']);
    await this.bridge.close();
  }
}

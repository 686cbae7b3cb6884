import { createStore, get, set } from 'idb-keyval';
import type { MockTransport } from '../../../mocks/browser';
import type { MockWorld } from '../../../mocks/world';
import type { AppConnection } from '../../engine/apps/app-host';
import type { ToolLike } from '../../engine/apps/ui-meta';
import { type AppViewSource, loadAppView } from '../../engine/apps/ui-resource';
import type { Connection } from '../../engine/connection/connection';
import { oauthFlowId } from '../../engine/connection/ids';
import { ConnectionManager } from '../../engine/connection/manager';
import { discoverTools } from '../../engine/connection/tool-discovery';
import type { Engine } from '../../engine/engine';
import { LabError, messageOf } from '../../engine/errors';
import type { StepGate } from '../../engine/net/step-gate';
import { UrlPolicy } from '../../engine/net/url-policy';
import type { CredentialKey } from '../../engine/tokens';
import type { SandboxModel } from '../apps/sandbox-host';
import type { TokenActions } from '../tokens/actions';
import { type LabServer, mockServers, referenceServer } from './servers';

export interface ToolInfo {
  name: string;
  title?: string;
  description?: string;
  inputSchema?: Record<string, unknown>;
  _meta?: Record<string, unknown>;
}

/**
 * Where a person's action is: every connect, discover, call and token action gets its own id and
 * moves through these states, shown as `data-state` on the element that carries the id, so a test
 * (or a person) waits for *this* action's end rather than for the page to change.
 */
export type ActionState = 'pending' | 'waiting-for-consent' | 'refreshing' | 'ok' | 'error';

/** How a connect got its authorization: a consent popup, the mock's auto-approve, stored tokens, or none needed. */
export type ConsentPath = 'popup' | 'auto' | 'stored' | 'none';

export interface ActionStatus {
  id: string;
  state: ActionState;
  /** Set once consent was asked for (popup or auto), or when the action ends without it. */
  consent?: ConsentPath;
}

/** Whether an action has ended. */
export const settled = (state: ActionState): boolean => state === 'ok' || state === 'error';

export interface CallResult extends ActionStatus {
  tool: string;
  /** The result (JSON) or the reason it failed; empty while the call is under way. */
  text: string;
}

export interface ConnectionView {
  state: 'idle' | 'connecting' | 'connected' | 'error' | 'disconnected';
  tools?: ToolInfo[];
  error?: string;
  oauthUrl?: string;
  /** The last connect or discover the person started, and where it is. */
  connectAction?: ActionStatus;
  /** The last call the person started, and where it is. */
  lastResult?: CallResult;
  /** The MCP App view of the last result, when its tool has one and apps are on. */
  app?: AppViewSource;
  /** Why the last result's tool UI is not shown (A1 apps off, A2 malformed), or why it failed to load. */
  appNotice?: { text: string; ruleIds: string[] };
}

export interface LabState {
  servers: LabServer[];
  selectedId: string;
  identity: { tenant: string; user: string };
  connections: Record<string, ConnectionView>;
  autoApprove: boolean;
  stepThrough: boolean;
  /** D8: refuse private, loopback and link-local hosts unless a server allow-lists them. */
  ssrfProtection: boolean;
  /** Send requests to servers without CORS through `npm start`'s proxy (dev only, off by default). */
  devProxy: boolean;
  /** A1: MCP Apps on (the default) or off for every server. */
  appsEnabled: boolean;
  /** SBX5: how the sandbox proxy frames views. */
  sandboxModel: SandboxModel;
  /** How the page's requests reach the mock servers: in the page (fast) or through the service worker. */
  mockTransport: MockTransport;
}

/** MCP: a tool result whose `isError` is true reports a failure inside a successful JSON-RPC answer. */
function isErrorResult(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { isError?: unknown }).isError === true;
}

const settings = createStore('mcp-lab-playground', 'kv');

/** An action still under way: which connection view shows it, and which field. */
interface InFlight {
  connKey: string;
  field: 'connectAction' | 'lastResult';
  serverName: string;
  tenant: string;
  user: string;
  consent?: ConsentPath;
}

/**
 * The playground's state and actions, outside React: the engine, the shared mock world, the
 * servers, the identity a person plays, and one connection per (identity, server).
 */
export class LabController implements TokenActions {
  #state: LabState;
  readonly #listeners = new Set<() => void>();
  readonly manager: ConnectionManager;
  readonly #open = new Map<string, Connection>();
  /** Connections this controller already listens to (a reconnect may hand back the same one). */
  readonly #listening = new WeakSet<Connection>();
  readonly #inFlight = new Map<string, InFlight>();
  #actionSeq = 0;

  constructor(
    readonly engine: Engine,
    readonly world: MockWorld | undefined,
    readonly gate: StepGate,
  ) {
    this.manager = new ConnectionManager(engine.deps);
    const servers = world ? mockServers(world.servers) : [];
    this.#state = {
      servers,
      selectedId: servers.find((s) => s.id === 'dcr')?.id ?? servers[0]?.id ?? '',
      identity: { tenant: 'default', user: 'alice' },
      connections: {},
      autoApprove: false,
      stepThrough: false,
      ssrfProtection: true,
      devProxy: false,
      appsEnabled: true,
      sandboxModel: 'opaque',
      mockTransport: 'in-page',
    };
    // F10/F11: a silent refresh for a connection shows as "refreshing" on the actions waiting for it.
    engine.recorder.subscribe((event) => {
      const phase = event.data?.authPhase;
      if (phase !== 'refreshing' && phase !== 'refreshed') return;
      const who = event.who ?? {};
      this.#phaseOf(
        (a) => a.serverName === who.server && a.tenant === who.tenant && a.user === who.user,
        phase === 'refreshing' ? 'refreshing' : 'pending',
      );
    });
  }

  /** A new action id (`connect-3`, `call-7`). */
  #nextId(kind: string): string {
    this.#actionSeq += 1;
    return `${kind}-${this.#actionSeq}`;
  }

  /** Starts tracking an action of this server for the current identity, shown on `field`. */
  #begin(id: string, serverId: string, field: InFlight['field']): InFlight {
    const server = this.server(serverId);
    const a: InFlight = {
      connKey: this.#connKey(serverId),
      field,
      serverName: server?.config.name ?? serverId,
      tenant: this.#state.identity.tenant,
      user: this.#state.identity.user,
    };
    this.#inFlight.set(id, a);
    return a;
  }

  /** Moves every matching action still under way to `state` (the view shows only the latest per field). */
  #phaseOf(match: (a: InFlight) => boolean, state: ActionState, consent?: ConsentPath): void {
    for (const [id, a] of this.#inFlight) {
      if (!match(a)) continue;
      if (consent) a.consent = consent;
      const view = this.#state.connections[a.connKey];
      const shown = view?.[a.field];
      if (!view || shown?.id !== id) continue;
      this.#set({
        connections: {
          ...this.#state.connections,
          [a.connKey]: {
            ...view,
            [a.field]: { ...shown, state, ...(a.consent ? { consent: a.consent } : {}) },
          },
        },
      });
    }
  }

  /**
   * The host's consent step began or ended (the browser engine's `oauthStart`): the actions of the
   * flow's (tenant, user, server) wait for it, then go on.
   */
  consentPhase(phase: 'start' | 'end', via: 'popup' | 'auto', flowId: string): void {
    this.#phaseOf(
      (a) => oauthFlowId({ tenant: a.tenant, userId: a.user }, a.serverName) === flowId,
      phase === 'start' ? 'waiting-for-consent' : 'pending',
      via,
    );
  }

  /** Loads custom servers saved in IndexedDB. */
  async load(): Promise<void> {
    const [saved, reference] = await Promise.all([get<LabServer[]>('servers', settings), referenceServer()]);
    const custom = (saved ?? []).filter((s) => s.source === 'custom');
    const mocks = this.#state.servers.filter((s) => s.source === 'mock');
    this.#set({ servers: [...mocks, ...(reference ? [reference] : []), ...custom] });
  }

  getSnapshot = (): LabState => this.#state;
  subscribe = (fn: () => void): (() => void) => {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  };

  #set(patch: Partial<LabState>): void {
    this.#state = { ...this.#state, ...patch };
    for (const fn of this.#listeners) fn();
  }

  #setConn(id: string, patch: Partial<ConnectionView>): void {
    this.#setConnAt(this.#connKey(id), patch);
  }

  /** Updates the view of one (tenant, user, server), even after the person switched identity. */
  #setConnAt(key: string, patch: Partial<ConnectionView>): void {
    const prev = this.#state.connections[key] ?? { state: 'idle' };
    this.#set({ connections: { ...this.#state.connections, [key]: { ...prev, ...patch } } });
  }

  #connKey(id: string): string {
    const { tenant, user } = this.#state.identity;
    return `${tenant}/${user}/${id}`;
  }

  view(id: string): ConnectionView {
    return this.#state.connections[this.#connKey(id)] ?? { state: 'idle' };
  }

  server(id: string): LabServer | undefined {
    return this.#state.servers.find((s) => s.id === id);
  }

  #identity() {
    return { tenant: this.#state.identity.tenant, user: { id: this.#state.identity.user } };
  }

  select(id: string): void {
    this.#set({ selectedId: id });
  }

  setIdentity(identity: { tenant: string; user: string }): void {
    this.#set({
      identity: { tenant: identity.tenant.trim() || 'default', user: identity.user.trim() || 'alice' },
    });
  }

  setAutoApprove(on: boolean): void {
    this.#set({ autoApprove: on });
  }

  setDevProxy(on: boolean): void {
    this.#set({ devProxy: on });
  }

  setMockTransport(transport: MockTransport): void {
    this.#set({ mockTransport: transport });
  }

  setSsrfProtection(on: boolean): void {
    this.#set({ ssrfProtection: on });
  }

  /** D8 for every request the engine sends: the protection switch and every server's allow-list. */
  readonly policy = {
    check: (url: string | URL, purpose?: string): URL => {
      const allowList = this.#state.servers.flatMap((s) => s.allowList ?? []);
      return new UrlPolicy({ ssrfProtection: this.#state.ssrfProtection, allowList }).check(url, purpose);
    },
  };

  /**
   * A1: turns MCP Apps on or off. Open connections close, so the next connect initializes with (or
   * without) the io.modelcontextprotocol/ui capability; open views stay visible but every request
   * they make is refused while apps are off.
   */
  async setAppsEnabled(on: boolean): Promise<void> {
    if (on === this.#state.appsEnabled) return;
    this.#set({ appsEnabled: on });
    this.engine.recorder.record({
      lane: 'host',
      kind: 'decision',
      summary: on
        ? 'MCP Apps turned on: the next connect advertises io.modelcontextprotocol/ui'
        : 'MCP Apps turned off: open views can no longer act; the next connect does not advertise io.modelcontextprotocol/ui',
      ruleIds: ['A1'],
    });
    await this.manager.closeAll();
    this.#open.clear();
    const connections: Record<string, ConnectionView> = {};
    for (const [key, view] of Object.entries(this.#state.connections))
      connections[key] = view.state === 'connected' ? { ...view, state: 'disconnected' } : view;
    this.#set({ connections });
  }

  /** A1, read live by open views. */
  appsEnabled = (id: string): boolean =>
    this.#state.appsEnabled && this.server(id)?.config.appsEnabled !== false;

  setSandboxModel(model: SandboxModel): void {
    this.#set({ sandboxModel: model });
  }

  /** An app view's way to the server: whatever connection is open when it asks (reconnects included). */
  appConnection(id: string): AppConnection {
    const open = () => {
      const conn = this.#open.get(this.#connKey(id));
      if (!conn) throw new LabError('protocol', 'Not connected to the server: connect again.');
      return conn;
    };
    return {
      run: (what, op) => open().run(what, op),
      callTool: (name, args) => open().callTool(name, args),
    };
  }

  closeApp(id: string): void {
    this.#setConn(id, { app: undefined });
  }

  setStepThrough(on: boolean): void {
    if (on) this.gate.enable();
    else this.gate.runToEnd();
    this.#set({ stepThrough: on });
  }

  async saveServer(server: LabServer): Promise<void> {
    const servers = [...this.#state.servers.filter((s) => s.id !== server.id), server];
    this.#set({ servers, selectedId: server.id });
    await set(
      'servers',
      servers.filter((s) => s.source === 'custom'),
      settings,
    );
  }

  async removeServer(id: string): Promise<void> {
    const servers = this.#state.servers.filter((s) => s.id !== id || s.source === 'mock');
    this.#set({ servers, selectedId: servers[0]?.id ?? '' });
    await set(
      'servers',
      servers.filter((s) => s.source === 'custom'),
      settings,
    );
  }

  /** Connects (or reconnects) to a server; returns the action's id, which the view's `connectAction` carries. */
  async connect(id: string): Promise<string | undefined> {
    const server = this.server(id);
    if (!server) return undefined;
    const actionId = this.#nextId('connect');
    const action = this.#begin(actionId, id, 'connectAction');
    this.#setConn(id, {
      state: 'connecting',
      error: undefined,
      connectAction: { id: actionId, state: 'pending' },
    });
    try {
      const config = { ...server.config, appsEnabled: this.appsEnabled(id) };
      const conn = await this.manager.get(config, this.#identity(), {});
      this.#open.set(action.connKey, conn);
      if (!this.#listening.has(conn)) {
        this.#listening.add(conn);
        conn.on('connectionChange', (state) => this.#setConnAt(action.connKey, { state }));
      }
      const { tools } = await conn.listTools();
      const consent = action.consent ?? (conn.accessToken ? 'stored' : 'none');
      this.#setConnAt(action.connKey, {
        state: 'connected',
        tools: tools as ToolInfo[],
        connectAction: { id: actionId, state: 'ok', consent },
      });
    } catch (e) {
      this.#setConnAt(action.connKey, {
        state: 'error',
        error: messageOf(e),
        connectAction: {
          id: actionId,
          state: 'error',
          ...(action.consent ? { consent: action.consent } : {}),
        },
      });
    } finally {
      this.#inFlight.delete(actionId);
    }
    return actionId;
  }

  async disconnect(id: string): Promise<void> {
    const server = this.server(id);
    if (!server) return;
    await this.manager.close(server.config, this.#identity());
    this.#open.delete(this.#connKey(id));
    this.#setConn(id, { state: 'disconnected' });
  }

  /** F19: lists tools without waiting for a person. */
  async discover(id: string): Promise<string | undefined> {
    const server = this.server(id);
    if (!server) return undefined;
    const actionId = this.#nextId('discover');
    const action = this.#begin(actionId, id, 'connectAction');
    this.#setConn(id, {
      state: 'connecting',
      error: undefined,
      connectAction: { id: actionId, state: 'pending' },
    });
    try {
      const d = await discoverTools(this.engine.deps, server.config, this.#identity(), {});
      if (d.connection) this.#open.set(action.connKey, d.connection);
      const failed = !d.connection && !d.tools.length;
      this.#setConnAt(action.connKey, {
        state: d.connection ? 'connected' : d.tools.length ? 'idle' : 'error',
        tools: d.tools as ToolInfo[],
        ...(d.oauthUrl ? { oauthUrl: d.oauthUrl } : {}),
        ...(d.error && !d.tools.length ? { error: d.error } : {}),
        connectAction: { id: actionId, state: failed ? 'error' : 'ok' },
      });
    } catch (e) {
      this.#setConnAt(action.connKey, {
        state: 'error',
        error: messageOf(e),
        connectAction: { id: actionId, state: 'error' },
      });
    } finally {
      this.#inFlight.delete(actionId);
    }
    return actionId;
  }

  /**
   * Calls a tool `times` times at once; returns the action's id, which the view's `lastResult`
   * carries. A result with `isError: true` counts as an error, like a rejected call.
   */
  async callTool(id: string, tool: string, args: Record<string, unknown>, times = 1): Promise<string> {
    const actionId = this.#nextId('call');
    const action = this.#begin(actionId, id, 'lastResult');
    const key = action.connKey;
    this.#setConnAt(key, {
      lastResult: { id: actionId, tool, state: 'pending', text: '' },
      app: undefined,
      appNotice: undefined,
    });
    const conn = this.#open.get(key);
    try {
      if (!conn) {
        this.#setConnAt(key, {
          lastResult: { id: actionId, tool, state: 'error', text: 'Not connected: connect first.' },
        });
        return actionId;
      }
      const runs = await Promise.allSettled(Array.from({ length: times }, () => conn.callTool(tool, args)));
      const first = runs[0];
      const failed = runs.filter((r) => r.status === 'rejected' || isErrorResult(r.value)).length;
      const text =
        first?.status === 'fulfilled'
          ? JSON.stringify(first.value, null, 2)
          : messageOf(first?.status === 'rejected' ? first.reason : 'no result');
      this.#setConnAt(key, {
        lastResult: {
          id: actionId,
          tool,
          state: failed === 0 ? 'ok' : 'error',
          ...(action.consent ? { consent: action.consent } : {}),
          text: times > 1 ? `${times - failed} of ${times} calls succeeded.\n${text}` : text,
        },
      });
      if (first?.status === 'fulfilled') await this.#showApp(id, conn, tool, args, first.value);
    } finally {
      this.#inFlight.delete(actionId);
    }
    return actionId;
  }

  /** A1, A2: the view of a tool with a UI, read through the engine and kept in the timeline for replays (A6). */
  async #showApp(
    id: string,
    conn: Connection,
    toolName: string,
    args: Record<string, unknown>,
    result: unknown,
  ): Promise<void> {
    const tool: ToolLike = this.view(id).tools?.find((t) => t.name === toolName) ?? { name: toolName };
    const recorder = this.engine.recorder;
    try {
      const found = await loadAppView(conn, tool, args, result, this.appsEnabled(id));
      if (found.kind === 'none') return;
      if (found.kind === 'refused') {
        recorder.record({ lane: 'host', kind: 'decision', summary: found.reason, ruleIds: found.ruleIds });
        this.#setConn(id, { appNotice: { text: found.reason, ruleIds: found.ruleIds } });
        return;
      }
      recorder.record({
        lane: 'host',
        kind: 'event',
        summary: `Showing ${toolName}'s view ${found.view.resourceUri} in the sandbox (${this.#state.sandboxModel} model)`,
        ruleIds: ['A2', 'A5'],
        data: { appView: found.view },
      });
      this.#setConn(id, { app: found.view });
    } catch (e) {
      const text = `The view of ${toolName} could not be read: ${messageOf(e)}`;
      recorder.record({ lane: 'host', kind: 'error', level: 'error', summary: text, ruleIds: ['A2'] });
      this.#setConn(id, { appNotice: { text, ruleIds: ['A2'] } });
    }
  }

  #serverOf(key: CredentialKey): LabServer | undefined {
    return this.#state.servers.find((s) => s.config.name === key.server);
  }

  #connectionOf(key: CredentialKey): Connection | undefined {
    const server = this.#serverOf(key);
    return server ? this.#open.get(`${key.tenant}/${key.user}/${server.id}`) : undefined;
  }

  // TokenActions: each shows its consequence on the next call.
  async expireAccess(key: CredentialKey): Promise<void> {
    await this.engine.tokenStore.expireAccess(key);
    const conn = this.#connectionOf(key);
    const token = conn?.accessToken;
    // At a mock AS the token really expires; elsewhere the connection forgets it, so the next call meets a 401.
    if (token && !this.world?.expireToken(token)) conn?.setAccessToken(undefined);
  }

  async corruptAccess(key: CredentialKey): Promise<void> {
    const corrupted = await this.engine.tokenStore.corruptAccess(key);
    if (corrupted) this.#connectionOf(key)?.setAccessToken(corrupted);
  }

  async deleteRefresh(key: CredentialKey): Promise<void> {
    await this.engine.tokenStore.delete(key, 'refresh');
  }

  /** Revokes the grant at the authorization server (RFC 7009); the client keeps its copies and meets the consequence. */
  async revoke(key: CredentialKey): Promise<void> {
    await this.engine.revoke(key);
  }

  async clearAll(): Promise<void> {
    for (const c of await this.engine.tokenStore.list()) await this.engine.tokenStore.delete(c.key, 'all');
    for (const f of await this.engine.flowStore.list()) await this.engine.flowStore.deleteFlow(f.id, f.type);
  }
}

import { createStore, get, set } from 'idb-keyval';
import type { MockWorld } from '../../../mocks/world';
import type { AppConnection } from '../../engine/apps/app-host';
import type { ToolLike } from '../../engine/apps/ui-meta';
import { type AppViewSource, loadAppView } from '../../engine/apps/ui-resource';
import type { Connection } from '../../engine/connection/connection';
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

export interface ConnectionView {
  state: 'idle' | 'connecting' | 'connected' | 'error' | 'disconnected';
  tools?: ToolInfo[];
  error?: string;
  oauthUrl?: string;
  lastResult?: { tool: string; ok: boolean; text: string };
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
}

const settings = createStore('mcp-lab-playground', 'kv');

/**
 * The playground's state and actions, outside React: the engine, the shared mock world, the
 * servers, the identity a person plays, and one connection per (identity, server).
 */
export class LabController implements TokenActions {
  #state: LabState;
  readonly #listeners = new Set<() => void>();
  readonly manager: ConnectionManager;
  readonly #open = new Map<string, Connection>();

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
    };
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
    const key = this.#connKey(id);
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

  async connect(id: string): Promise<void> {
    const server = this.server(id);
    if (!server) return;
    this.#setConn(id, { state: 'connecting', error: undefined });
    try {
      const config = { ...server.config, appsEnabled: this.appsEnabled(id) };
      const conn = await this.manager.get(config, this.#identity(), {});
      this.#open.set(this.#connKey(id), conn);
      conn.on('connectionChange', (state) => this.#setConn(id, { state }));
      const { tools } = await conn.listTools();
      this.#setConn(id, { state: 'connected', tools: tools as ToolInfo[] });
    } catch (e) {
      this.#setConn(id, { state: 'error', error: messageOf(e) });
    }
  }

  async disconnect(id: string): Promise<void> {
    const server = this.server(id);
    if (!server) return;
    await this.manager.close(server.config, this.#identity());
    this.#open.delete(this.#connKey(id));
    this.#setConn(id, { state: 'disconnected' });
  }

  /** F19: lists tools without waiting for a person. */
  async discover(id: string): Promise<void> {
    const server = this.server(id);
    if (!server) return;
    this.#setConn(id, { state: 'connecting', error: undefined });
    const d = await discoverTools(this.engine.deps, server.config, this.#identity(), {});
    if (d.connection) this.#open.set(this.#connKey(id), d.connection);
    this.#setConn(id, {
      state: d.connection ? 'connected' : d.tools.length ? 'idle' : 'error',
      tools: d.tools as ToolInfo[],
      ...(d.oauthUrl ? { oauthUrl: d.oauthUrl } : {}),
      ...(d.error && !d.tools.length ? { error: d.error } : {}),
    });
  }

  async callTool(id: string, tool: string, args: Record<string, unknown>, times = 1): Promise<void> {
    const conn = this.#open.get(this.#connKey(id));
    if (!conn) {
      this.#setConn(id, { lastResult: { tool, ok: false, text: 'Not connected: connect first.' } });
      return;
    }
    const runs = await Promise.allSettled(Array.from({ length: times }, () => conn.callTool(tool, args)));
    const first = runs[0];
    const failed = runs.filter((r) => r.status === 'rejected').length;
    const text =
      first?.status === 'fulfilled'
        ? JSON.stringify(first.value, null, 2)
        : messageOf(first?.status === 'rejected' ? first.reason : 'no result');
    this.#setConn(id, {
      lastResult: {
        tool,
        ok: failed === 0,
        text: times > 1 ? `${times - failed} of ${times} calls succeeded.\n${text}` : text,
      },
      app: undefined,
      appNotice: undefined,
    });
    if (first?.status === 'fulfilled') await this.#showApp(id, conn, tool, args, first.value);
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

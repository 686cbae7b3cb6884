import type { Connection } from './connection';
import { ConnectionFactory } from './factory';
import type { FactoryDeps, FactoryIdentity, FactoryOAuthOptions, McpServerConfig } from './factory-types';
import { oauthFlowId } from './ids';

/**
 * Connections per (tenant, user, server), cached. Concurrent requests for the same one share one
 * connect; a cached connection keeps its factory's `oauthRequired` listener (F9), so a later 401
 * recovers through silent refresh or F13's re-authentication.
 */
export class ConnectionManager {
  readonly #connections = new Map<string, Promise<ConnectionFactory>>();

  constructor(readonly deps: FactoryDeps) {}

  #key(server: McpServerConfig, identity: FactoryIdentity): string {
    return oauthFlowId({ tenant: identity.tenant, userId: identity.user.id }, server.name);
  }

  /** The user's connection to the server, connecting once. A connection in error is replaced. */
  async get(
    server: McpServerConfig,
    identity: FactoryIdentity,
    oauth?: FactoryOAuthOptions,
  ): Promise<Connection> {
    const key = this.#key(server, identity);
    const cached = this.#connections.get(key);
    if (cached) {
      const factory = await cached.catch(() => undefined);
      if (factory && factory.connection.state === 'connected') return factory.connection;
      if (!factory || factory.connection.state === 'error' || factory.connection.state === 'disconnected')
        this.#connections.delete(key);
      else return factory.connection;
    }
    const pending = (async () => {
      const factory = new ConnectionFactory(this.deps, server, identity, oauth);
      // F13: when a refresh cannot help, the manager brings the person back through the host's oauthStart.
      factory.connection.on('oauthReauthenticationRequired', (event) => void factory.reauthenticate(event));
      await factory.connect();
      return factory;
    })();
    this.#connections.set(key, pending);
    try {
      return (await pending).connection;
    } catch (e) {
      if (this.#connections.get(key) === pending) this.#connections.delete(key);
      throw e;
    }
  }

  /** Closes and forgets one connection (disconnect), or all of a user's. */
  async close(server: McpServerConfig, identity: FactoryIdentity): Promise<void> {
    const key = this.#key(server, identity);
    const pending = this.#connections.get(key);
    this.#connections.delete(key);
    const factory = await pending?.catch(() => undefined);
    await factory?.connection.close();
  }

  async closeAll(): Promise<void> {
    const all = [...this.#connections.values()];
    this.#connections.clear();
    await Promise.all(all.map(async (p) => (await p.catch(() => undefined))?.connection.close()));
  }

  get size(): number {
    return this.#connections.size;
  }
}

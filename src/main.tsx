import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { Connection } from './engine/connection/connection';
import type { Engine } from './engine/engine';
import { App } from './ui/App';
import { handleCallbackPage, popupAuthorizer } from './ui/oauth/popup';
import { type MockStatus, probeMocks } from './ui/servers/mock-status';
import './index.css';

declare global {
  interface Window {
    /** Automation hooks for QA and Playwright (README: automation contract). */
    mcpLab?: {
      world: import('../mocks/world').MockWorld;
      /** Whether this tab hosts the mock world that every tab of this origin shares. */
      isLeader: () => boolean;
      engine: Engine;
      /** Connections opened through `connect`, by server id. */
      connections: Record<string, Connection>;
      connect(serverId: string, identity?: { tenant: string; user: string }): Promise<void>;
      call(serverId: string, tool: string, args?: Record<string, unknown>): Promise<unknown>;
      /** Opens `url` in the consent popup and resolves with what the callback page hands back. */
      authorizeInPopup(url: string): Promise<import('./engine/oauth/types').AuthorizationCallback>;
    };
  }
}

async function boot(): Promise<void> {
  if (handleCallbackPage(window.location)) {
    document.body.textContent = 'Authorization finished. You can close this window.';
    return;
  }
  const root = createRoot(document.getElementById('root') as HTMLElement);
  let status: MockStatus;
  try {
    // The mocks and the engine load as their own chunks, so the first paint does not wait for them.
    const [{ startMockWorker }, { createBrowserEngine }] = await Promise.all([
      import('../mocks/browser'),
      import('./ui/engine'),
    ]);
    const mocks = await startMockWorker();
    const engine = createBrowserEngine();
    const connections: Record<string, Connection> = {};
    window.mcpLab = {
      world: mocks.world,
      isLeader: mocks.isLeader,
      engine,
      connections,
      async connect(serverId, identity = { tenant: 'default', user: 'alice' }) {
        const def = mocks.world.servers.find((s) => s.id === serverId);
        if (!def) throw new Error(`No mock server "${serverId}".`);
        connections[serverId] = await engine.connect(
          { name: serverId, url: def.mcpUrl },
          { tenant: identity.tenant, user: { id: identity.user } },
          {},
        );
      },
      authorizeInPopup: (url) => popupAuthorizer()(url),
      async call(serverId, tool, args = {}) {
        const conn = connections[serverId];
        if (!conn) throw new Error(`Not connected to "${serverId}".`);
        return conn.callTool(tool, args);
      },
    };
    status = await probeMocks(mocks.world);
  } catch (e) {
    status = { state: 'failed', reason: (e as Error).message };
  }
  root.render(
    <StrictMode>
      <App status={status} />
    </StrictMode>,
  );
}

void boot();

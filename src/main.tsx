import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { Connection } from './engine/connection/connection';
import type { Engine } from './engine/engine';
import { StepGate } from './engine/net/step-gate';
import type { Recording } from './engine/timeline/events';
import { App } from './ui/App';
import { ConsentPage } from './ui/consent/ConsentPage';
import { CONSENT_PARAM } from './ui/engine';
import type { LabController } from './ui/lab/controller';
import { popupAuthorizer } from './ui/oauth/popup';
import { RecordingView } from './ui/RecordingView';
import { type MockStatus, probeMocks } from './ui/servers/mock-status';
import { decodeShare } from './ui/timeline/share';
import './index.css';

declare global {
  interface Window {
    /** The benchmark's figure: ms from having the events to the rows on screen (`?bench=N`). */
    __benchRender?: number;
    /** Automation hooks for QA and Playwright (README: automation contract). */
    mcpLab?: {
      world: import('../mocks/world').MockWorld;
      /** Whether this tab hosts the mock world that every tab of this origin shares. */
      isLeader: () => boolean;
      engine: Engine;
      lab: LabController;
      /** Connections opened through `connect`, by server id. */
      connections: Record<string, Connection>;
      connect(serverId: string, identity?: { tenant: string; user: string }): Promise<void>;
      call(serverId: string, tool: string, args?: Record<string, unknown>): Promise<unknown>;
      /** Opens `url` in the consent popup and resolves with what the callback page hands back. */
      authorizeInPopup(url: string): Promise<import('./engine/oauth/types').AuthorizationCallback>;
    };
  }
}

if (matchMedia('(prefers-color-scheme: dark)').matches) document.documentElement.classList.add('dark');

function Playground({ status, lab }: { status: MockStatus; lab: LabController }) {
  const [viewing, setViewing] = useState<Recording>();
  if (viewing) return <RecordingView recording={viewing} onClose={() => setViewing(undefined)} />;
  return <App status={status} lab={lab} onImport={setViewing} />;
}

async function boot(): Promise<void> {
  const root = createRoot(document.getElementById('root') as HTMLElement);
  const bench = Number(new URLSearchParams(location.search).get('bench'));
  if (bench > 0) {
    // The timeline benchmark (npm run bench:timeline): N synthetic events, read-only.
    const { syntheticEvents } = await import('./ui/timeline/synthetic');
    const events = syntheticEvents(bench);
    const t0 = performance.now();
    root.render(
      <RecordingView
        recording={{
          format: 'mcp-lab-timeline',
          version: 1,
          createdAt: new Date().toISOString(),
          title: `${bench} synthetic events`,
          events,
        }}
      />,
    );
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        window.__benchRender = Math.round(performance.now() - t0);
      }),
    );
    return;
  }
  const share = new URLSearchParams(location.hash.slice(1)).get('share');
  if (share) {
    try {
      const recording = await decodeShare(share);
      root.render(<RecordingView recording={recording} />);
    } catch (e) {
      root.render(
        <p role="alert" className="p-6">
          This share link cannot be opened: {(e as Error).message}
        </p>,
      );
    }
    return;
  }
  // The mocks and the engine load as their own chunks, so the first paint does not wait for them.
  const { startMockWorker } = await import('../mocks/browser');
  let mocks: Awaited<ReturnType<typeof startMockWorker>> | undefined;
  let status: MockStatus;
  try {
    mocks = await startMockWorker();
    status = await probeMocks(mocks.world);
  } catch (e) {
    status = { state: 'failed', reason: (e as Error).message };
  }
  const authorizationUrl = new URLSearchParams(location.search).get(CONSENT_PARAM);
  if (authorizationUrl !== null) {
    root.render(
      <StrictMode>
        {authorizationUrl ? (
          <ConsentPage authorizationUrl={authorizationUrl} />
        ) : (
          <p className="p-6">No authorization request.</p>
        )}
      </StrictMode>,
    );
    return;
  }
  const [{ createBrowserEngine }, { LabController }] = await Promise.all([
    import('./ui/engine'),
    import('./ui/lab/controller'),
  ]);
  const gate = new StepGate({ enabled: false });
  let lab: LabController | undefined;
  const engine = createBrowserEngine({
    gate,
    autoApprove: () => lab?.getSnapshot().autoApprove ?? true,
    devProxy: () => lab?.getSnapshot().devProxy ?? false,
    onConsent: (phase, via, flowId) => lab?.consentPhase(phase, via, flowId),
    mockFetch: () => (lab?.getSnapshot().mockTransport === 'service-worker' ? undefined : mocks?.fetchInPage),
    policy: { check: (url, purpose) => (lab ? lab.policy.check(url, purpose) : new URL(url)) },
  });
  lab = new LabController(engine, mocks?.world, gate);
  await lab.load();
  const connections: Record<string, Connection> = {};
  if (mocks) {
    const world = mocks.world;
    const controller = lab;
    window.mcpLab = {
      world,
      isLeader: mocks.isLeader,
      engine,
      lab: controller,
      connections,
      authorizeInPopup: (url) => popupAuthorizer()(url),
      async connect(serverId, identity = { tenant: 'default', user: 'alice' }) {
        const server = controller.server(serverId);
        if (!server) throw new Error(`No server "${serverId}".`);
        connections[serverId] = await engine.connect(
          server.config,
          { tenant: identity.tenant, user: { id: identity.user } },
          {},
        );
      },
      async call(serverId, tool, args = {}) {
        const conn = connections[serverId];
        if (!conn) throw new Error(`Not connected to "${serverId}".`);
        return conn.callTool(tool, args);
      },
    };
    // scenarios panel (issue 7): the catalogue for automation (Playwright, QA), loaded after boot.
    void import('./scenarios/browser').then(({ scenarioHooks }) => {
      window.mcpLabScenarios = scenarioHooks(world);
    });
  }
  root.render(
    <StrictMode>
      <Playground status={status} lab={lab} />
    </StrictMode>,
  );
}

void boot();

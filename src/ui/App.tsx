import { useEffect, useState } from 'react';
import type { Recording } from '../engine/timeline/events';
import { ConnectPanel } from './connect/ConnectPanel';
import { KnobsPanel } from './knobs/KnobsPanel';
import type { LabController } from './lab/controller';
import { StepBanner } from './lab/StepBanner';
import { LabContext, useLab } from './lab/useLab';
import { ScenariosTab, useDeepLinkScenario } from './scenarios/ScenariosTab'; // scenarios panel (issue 7)
import type { MockStatus } from './servers/mock-status';
import { ServersPanel } from './servers/ServersPanel';
import { useMockRequestCount } from './servers/useMockLog';
import { TimelinePanel } from './timeline/TimelinePanel';
import { TokensPanel } from './tokens/TokensPanel';

function WorkerIndicator({ status }: { status: MockStatus }) {
  const count = useMockRequestCount(status.state === 'intercepting' ? status.world : undefined);
  if (status.state === 'failed')
    return (
      <div
        data-testid="mock-worker"
        data-state="failed"
        role="alert"
        className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800"
      >
        Mock servers unavailable: {status.reason}
      </div>
    );
  return (
    <div
      data-testid="mock-worker"
      data-state="intercepting"
      className="flex items-center gap-2 text-xs text-emerald-800 dark:text-emerald-300"
    >
      <span aria-hidden className="inline-flex h-2 w-2 rounded-full bg-emerald-500" />
      Mocks live · <span data-testid="mock-request-count">{count}</span> requests
    </div>
  );
}

function Toggle({
  id,
  label,
  checked,
  onChange,
  title,
}: {
  id: string;
  label: string;
  checked: boolean;
  onChange: (v: boolean) => void;
  title: string;
}) {
  return (
    <label className="flex items-center gap-1.5 text-sm" title={title}>
      <input
        type="checkbox"
        data-testid={id}
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
      />
      {label}
    </label>
  );
}

function Header({ status }: { status: MockStatus }) {
  const [state, lab] = useLab();
  const [dark, setDark] = useState(() => document.documentElement.classList.contains('dark'));
  useEffect(() => {
    document.documentElement.classList.toggle('dark', dark);
  }, [dark]);
  return (
    <header className="flex flex-wrap items-center gap-x-5 gap-y-2 border-b border-slate-200 px-4 py-2 dark:border-slate-800">
      <h1 className="text-lg font-bold">MCP Lab</h1>
      <WorkerIndicator status={status} />
      <fieldset className="flex items-center gap-2 text-sm">
        <legend className="sr-only">Identity</legend>
        <label className="flex items-center gap-1">
          Tenant
          <input
            data-testid="identity-tenant"
            className="w-24 rounded border border-slate-300 px-1 py-0.5 dark:border-slate-600 dark:bg-slate-900"
            value={state.identity.tenant}
            onChange={(e) => lab.setIdentity({ ...state.identity, tenant: e.target.value })}
          />
        </label>
        <label className="flex items-center gap-1">
          User
          <input
            data-testid="identity-user"
            className="w-24 rounded border border-slate-300 px-1 py-0.5 dark:border-slate-600 dark:bg-slate-900"
            value={state.identity.user}
            onChange={(e) => lab.setIdentity({ ...state.identity, user: e.target.value })}
          />
        </label>
      </fieldset>
      <div className="ml-auto flex items-center gap-4">
        <Toggle
          id="auto-approve"
          label="Auto-approve"
          checked={state.autoApprove}
          onChange={(v) => lab.setAutoApprove(v)}
          title="Approve mock consent without the popup (demos and tests)"
        />
        {import.meta.env.DEV && (
          <Toggle
            id="dev-proxy"
            label="Dev proxy"
            checked={state.devProxy}
            onChange={(v) => lab.setDevProxy(v)}
            title="Send requests to servers without CORS through npm start's proxy (private addresses refused unless LAB_PROXY_ALLOW_PRIVATE=1)"
          />
        )}
        <Toggle
          id="apps-enabled"
          label="MCP Apps"
          checked={state.appsEnabled}
          onChange={(v) => void lab.setAppsEnabled(v)}
          title="Render tools' MCP App views in the sandbox (A1). Off: no io.modelcontextprotocol/ui capability, no view fetched, app requests refused"
        />
        {status.state === 'intercepting' && (
          <Toggle
            id="mock-via-worker"
            label="Mocks via worker"
            checked={state.mockTransport === 'service-worker'}
            onChange={(v) => lab.setMockTransport(v ? 'service-worker' : 'in-page')}
            title="Send requests to the mock servers through the service worker (the browser's fetch path) instead of answering them in the page (the same handlers, faster)"
          />
        )}
        <Toggle
          id="ssrf-protection"
          label="SSRF protection"
          checked={state.ssrfProtection}
          onChange={(v) => lab.setSsrfProtection(v)}
          title="Refuse private, loopback and link-local hosts unless a server allow-lists them (D8)"
        />
        <Toggle
          id="step-through"
          label="Step through"
          checked={state.stepThrough}
          onChange={(v) => lab.setStepThrough(v)}
          title="Pause before every request and explain it"
        />
        <button
          type="button"
          data-testid="theme-toggle"
          onClick={() => setDark(!dark)}
          className="rounded px-2 py-1 text-sm hover:bg-slate-100 dark:hover:bg-slate-800"
          aria-label={dark ? 'Use the light theme' : 'Use the dark theme'}
        >
          {dark ? '☀︎' : '☾'}
        </button>
      </div>
    </header>
  );
}

type Tab = 'timeline' | 'tokens' | 'knobs' | 'scenarios'; // scenarios panel (issue 7)

function Workbench({ onImport }: { onImport: (r: Recording) => void }) {
  const [state, lab] = useLab();
  // scenarios panel (issue 7): a ?scenario= deep link opens the Scenarios tab
  const [tab, setTab] = useState<Tab>(useDeepLinkScenario().id ? 'scenarios' : 'timeline');
  const server = lab.server(state.selectedId);
  const tabs: Array<[Tab, string]> = [
    ['timeline', 'Timeline'],
    ['tokens', 'Tokens'],
    ['knobs', 'Fault knobs'],
    ['scenarios', 'Scenarios'], // scenarios panel (issue 7)
  ];
  return (
    <section className="flex min-h-0 flex-1 flex-col">
      <div
        role="tablist"
        aria-label="Views"
        className="flex gap-1 border-b border-slate-200 px-2 dark:border-slate-800"
      >
        {tabs.map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            data-testid={`tab-${id}`}
            aria-selected={tab === id}
            onClick={() => setTab(id)}
            className={`px-3 py-2 text-sm ${tab === id ? 'border-b-2 border-sky-600 font-medium' : 'text-slate-600 dark:text-slate-400'}`}
          >
            {label}
          </button>
        ))}
      </div>
      <div role="tabpanel" className="min-h-0 flex-1 overflow-auto p-2">
        {tab === 'timeline' && <TimelinePanel recorder={lab.engine.recorder} onImport={onImport} />}
        {tab === 'tokens' && <TokensPanel engine={lab.engine} actions={lab} />}
        {/* scenarios panel (issue 7) */}
        {tab === 'scenarios' && lab.world && <ScenariosTab world={lab.world} />}
        {tab === 'knobs' &&
          (lab.world && server?.source === 'mock' ? (
            <KnobsPanel world={lab.world} serverId={server.id} />
          ) : (
            <p className="p-4 text-sm text-slate-600 dark:text-slate-400">
              Fault knobs belong to the mock servers: pick one.
            </p>
          ))}
      </div>
    </section>
  );
}

export function App({
  status,
  lab,
  onImport,
}: {
  status: MockStatus;
  lab: LabController;
  onImport: (r: Recording) => void;
}) {
  return (
    <LabContext.Provider value={lab}>
      <div className="flex h-screen flex-col bg-white text-slate-900 dark:bg-slate-950 dark:text-slate-100">
        <Header status={status} />
        <div className="flex min-h-0 flex-1">
          <aside className="w-60 shrink-0 overflow-auto border-r border-slate-200 p-3 dark:border-slate-800">
            <ServersPanel />
          </aside>
          <section
            aria-label="Connection"
            className="flex w-[26rem] shrink-0 flex-col gap-3 overflow-auto border-r border-slate-200 p-4 dark:border-slate-800"
          >
            <StepBanner />
            <ConnectPanel />
          </section>
          <main className="flex min-w-0 flex-1 flex-col">
            <Workbench onImport={onImport} />
          </main>
        </div>
      </div>
    </LabContext.Provider>
  );
}

import { MOCK_SERVERS } from '../../mocks/presets';
import { MockServerList } from './servers/MockServerList';
import type { MockStatus } from './servers/mock-status';
import { useMockRequestCount } from './servers/useMockLog';

function WorkerIndicator({ status }: { status: MockStatus }) {
  const count = useMockRequestCount(status.state === 'intercepting' ? status.world : undefined);
  if (status.state === 'failed')
    return (
      <div
        data-testid="mock-worker"
        data-state="failed"
        className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800"
      >
        Mock servers unavailable: {status.reason}
      </div>
    );
  return (
    <div
      data-testid="mock-worker"
      data-state="intercepting"
      className="flex items-center gap-2 text-sm text-emerald-800"
    >
      <span className="relative flex h-2.5 w-2.5">
        <span className="absolute inline-flex h-full w-full animate-ping rounded-full bg-emerald-400 opacity-75" />
        <span className="relative inline-flex h-2.5 w-2.5 rounded-full bg-emerald-500" />
      </span>
      Mock worker intercepting · <span data-testid="mock-request-count">{count}</span> requests answered
    </div>
  );
}

export function App({ status }: { status: MockStatus }) {
  return (
    <div className="mx-auto max-w-5xl p-6">
      <header className="mb-6 flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold">MCP Lab</h1>
          <p className="text-slate-600">
            A playground and test harness for MCP connections, OAuth and MCP Apps.
          </p>
        </div>
        <WorkerIndicator status={status} />
      </header>
      <section aria-labelledby="mock-servers-heading">
        <h2 id="mock-servers-heading" className="mb-3 text-lg font-semibold">
          Mock servers
        </h2>
        <p className="mb-4 text-sm text-slate-600">
          Each is an honest MCP server with its own authorization server, answered in this page by a service
          worker. Break them on purpose with fault knobs.
        </p>
        <MockServerList servers={status.state === 'intercepting' ? status.world.servers : MOCK_SERVERS} />
      </section>
    </div>
  );
}

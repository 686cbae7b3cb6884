import type { MockServerDef } from '../../../mocks/presets';

const AUTH_LABEL: Record<MockServerDef['auth'], string> = {
  none: 'no auth',
  oauth: 'OAuth',
  'api-key': 'API key (401)',
};

function ServerCard({ def }: { def: MockServerDef }) {
  return (
    <li
      data-testid={`mock-server-${def.id}`}
      className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
    >
      <div className="flex items-baseline justify-between gap-2">
        <h3 className="font-semibold">{def.title}</h3>
        <span className="rounded bg-slate-100 px-2 py-0.5 text-xs text-slate-600">
          {AUTH_LABEL[def.auth]} · auth spec {def.authSpec}
        </span>
      </div>
      <p className="mt-1 text-sm text-slate-600">{def.description}</p>
      <dl className="mt-3 grid grid-cols-[max-content_1fr] gap-x-3 gap-y-1 text-sm">
        <dt className="text-slate-500">MCP</dt>
        <dd className="font-mono break-all" data-testid="mock-server-url">
          {def.mcpUrl}
        </dd>
        {def.authServer && (
          <>
            <dt className="text-slate-500">AS issuer</dt>
            <dd className="font-mono break-all">{def.authServer.issuer}</dd>
          </>
        )}
      </dl>
    </li>
  );
}

export function MockServerList({ servers }: { servers: readonly MockServerDef[] }) {
  return (
    <ul data-testid="mock-server-list" className="grid gap-3 md:grid-cols-2">
      {servers.map((def) => (
        <ServerCard key={def.id} def={def} />
      ))}
    </ul>
  );
}

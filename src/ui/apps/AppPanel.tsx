import { allowAttribute } from '../../engine/apps/csp';
import { AppView, type AppViewProps, SANDBOX_MODELS } from './AppView';
import type { SandboxModel } from './sandbox-host';

/**
 * An MCP App view with what a person needs to judge it: which tool and resource, the sandbox model
 * (with what it allows), the CSP and permissions it runs under, and whether it may act (A6).
 */
export function AppPanel({
  onModelChange,
  ...view
}: AppViewProps & { onModelChange: (model: SandboxModel) => void }) {
  const { source, model, readOnly } = view;
  const allow = allowAttribute(source.permissions);
  return (
    <section
      data-testid="app-panel"
      aria-label={`MCP App view of ${source.toolName}`}
      className="flex flex-col gap-2 rounded-md border border-violet-200 p-2 text-sm dark:border-violet-900"
    >
      <div className="flex flex-wrap items-baseline gap-x-2">
        <h3 className="font-semibold">
          App view · <span className="font-mono">{source.toolName}</span>
        </h3>
        <span className="font-mono text-xs text-slate-600 dark:text-slate-400">{source.resourceUri}</span>
        {readOnly && (
          <span
            data-testid="app-read-only"
            className="rounded bg-amber-100 px-1.5 text-xs text-amber-900 dark:bg-amber-900 dark:text-amber-100"
          >
            Display only: the app cannot call tools or read resources (A6)
          </span>
        )}
      </div>
      <label className="flex items-center gap-2">
        Sandbox
        <select
          data-testid="sandbox-model"
          value={model}
          onChange={(e) => onModelChange(e.target.value as SandboxModel)}
          className="rounded border border-slate-300 bg-white px-1 py-0.5 dark:border-slate-600 dark:bg-slate-900"
        >
          {(Object.keys(SANDBOX_MODELS) as SandboxModel[]).map((m) => (
            <option key={m} value={m}>
              {SANDBOX_MODELS[m].label}
            </option>
          ))}
        </select>
      </label>
      <p data-testid="sandbox-model-explains" className="text-xs text-slate-600 dark:text-slate-400">
        {SANDBOX_MODELS[model].explains}
      </p>
      <details className="text-xs">
        <summary className="cursor-pointer">Content-Security-Policy and permissions</summary>
        <pre
          data-testid="app-csp"
          className="mt-1 whitespace-pre-wrap break-all rounded bg-slate-100 p-2 font-mono dark:bg-slate-800"
        >
          {source.csp.policy.split('; ').join(';\n')}
        </pre>
        <p className="mt-1">
          Permissions (iframe allow): <span className="font-mono">{allow || 'none'}</span>
        </p>
        {source.csp.dropped.length > 0 && (
          <p className="mt-1 text-amber-800 dark:text-amber-300">
            Dropped CSP entries: <span className="font-mono">{source.csp.dropped.join(', ')}</span>
          </p>
        )}
      </details>
      <AppView {...view} />
    </section>
  );
}

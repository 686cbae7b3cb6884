import { useState } from 'react';
import { uiResourceOf, visibilityOf } from '../../engine/apps/ui-meta';
import { AppPanel } from '../apps/AppPanel';
import {
  type ActionStatus,
  type CallResult,
  type ConsentPath,
  settled,
  type ToolInfo,
} from '../lab/controller';
import { useLab } from '../lab/useLab';
import { diagnose } from './diagnose';

/** A3: who may see and call the tool. */
const visibility = (tool: ToolInfo): string => visibilityOf(tool).join(' + ');

/** A2: whether the tool has a view, or a malformed one (which disables only that view). */
function uiLabel(tool: ToolInfo): string {
  const ui = uiResourceOf(tool);
  return ui.kind === 'ui' ? 'app' : ui.kind === 'invalid' ? 'invalid' : '';
}

/** What a call is doing, or how it ended, in words. */
function callHeadline(r: CallResult): string {
  switch (r.state) {
    case 'pending':
      return `Calling ${r.tool}…`;
    case 'waiting-for-consent':
      return `${r.tool}: waiting for sign-in (${r.consent === 'auto' ? 'auto-approve' : 'the consent window'})…`;
    case 'refreshing':
      return `${r.tool}: refreshing the access token…`;
    case 'ok':
      return `${r.tool} returned`;
    case 'error':
      return `${r.tool} failed`;
  }
}

const CONSENT_WORDS: Record<ConsentPath, string> = {
  popup: 'after consent in a popup',
  auto: 'after auto-approved consent',
  stored: 'with stored tokens',
  none: 'no authorization needed',
};

/** What a connect is doing, or how it ended, in words. */
function connectHeadline(a: ActionStatus): string {
  switch (a.state) {
    case 'pending':
      return 'Connecting…';
    case 'waiting-for-consent':
      return a.consent === 'auto'
        ? 'Approving (auto-approve)…'
        : 'Waiting for sign-in in the consent window…';
    case 'refreshing':
      return 'Refreshing the access token…';
    case 'ok':
      return a.consent ? `Connected (${CONSENT_WORDS[a.consent]})` : 'Done';
    case 'error':
      return 'Failed';
  }
}

/** Example arguments from a tool's input schema: a starting point for the call form. */
function exampleArgs(tool: ToolInfo): string {
  const props = (tool.inputSchema?.properties ?? {}) as Record<string, { type?: string }>;
  const out: Record<string, unknown> = {};
  for (const [k, p] of Object.entries(props))
    out[k] = p.type === 'number' ? 1 : p.type === 'boolean' ? true : 'hello';
  return JSON.stringify(out);
}

export function ConnectPanel() {
  const [state, lab] = useLab();
  const server = lab.server(state.selectedId);
  const view = lab.view(state.selectedId);
  const [tool, setTool] = useState<string>('');
  const [args, setArgs] = useState('{}');
  const [argsError, setArgsError] = useState<string>();
  const [times, setTimes] = useState(1);
  if (!server) return <p className="text-sm text-slate-600 dark:text-slate-400">Pick a server.</p>;
  const busy = view.state === 'connecting';
  const calling = view.lastResult !== undefined && !settled(view.lastResult.state);

  async function call() {
    let parsed: unknown;
    try {
      parsed = JSON.parse(args || '{}');
    } catch (e) {
      return setArgsError(`The arguments are not JSON: ${(e as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      return setArgsError('The arguments must be a JSON object.');
    setArgsError(undefined);
    await lab.callTool(state.selectedId, tool, parsed as Record<string, unknown>, times);
  }

  return (
    <section
      data-testid="connect-panel"
      data-state={view.state}
      aria-labelledby="connect-heading"
      className="flex flex-col gap-3"
    >
      <div className="flex flex-wrap items-baseline gap-x-3">
        <h2 id="connect-heading" className="text-lg font-semibold">
          {server.title}
        </h2>
        <span className="font-mono text-xs text-slate-600 dark:text-slate-400">{server.config.url}</span>
      </div>
      {server.description && (
        <p className="text-sm text-slate-600 dark:text-slate-300">{server.description}</p>
      )}
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          data-testid="connect"
          disabled={busy}
          onClick={() => lab.connect(state.selectedId)}
          className="rounded bg-sky-700 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-50"
        >
          {view.state === 'connected' ? 'Reconnect' : 'Connect'}
        </button>
        <button
          type="button"
          data-testid="disconnect"
          disabled={view.state !== 'connected'}
          onClick={() => lab.disconnect(state.selectedId)}
          className="rounded border border-slate-300 px-3 py-1.5 text-sm disabled:opacity-40 dark:border-slate-600"
        >
          Disconnect
        </button>
        <button
          type="button"
          data-testid="discover"
          disabled={busy}
          onClick={() => lab.discover(state.selectedId)}
          className="rounded border border-slate-300 px-3 py-1.5 text-sm dark:border-slate-600"
          title="List tools without waiting for consent (F19)"
        >
          Discover tools
        </button>
        <span
          data-testid="connection-state"
          className="self-center text-sm text-slate-600 dark:text-slate-400"
        >
          {view.state}
        </span>
        {view.connectAction && (
          <span
            data-testid="connect-status"
            data-action-id={view.connectAction.id}
            data-state={view.connectAction.state}
            data-consent={view.connectAction.consent ?? ''}
            role="status"
            className="self-center text-sm text-slate-600 dark:text-slate-400"
          >
            {connectHeadline(view.connectAction)}
          </span>
        )}
      </div>
      {view.error && (
        <p
          role="alert"
          data-testid="connection-error"
          className="rounded-md bg-red-50 p-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200"
        >
          {diagnose(view.error, server.config.url)}
        </p>
      )}
      {view.oauthUrl && view.state !== 'connected' && (
        <p className="text-sm">
          This server needs authorization.{' '}
          <button
            type="button"
            className="text-sky-700 underline dark:text-sky-300"
            onClick={() => lab.connect(state.selectedId)}
          >
            Connect to authorize
          </button>
        </p>
      )}
      {view.tools && (
        <table data-testid="tools-table" className="w-full text-left text-sm">
          <caption className="sr-only">Tools</caption>
          <thead className="text-xs uppercase text-slate-600 dark:text-slate-400">
            <tr>
              <th className="py-1">Tool</th>
              <th>Visible to</th>
              <th>UI</th>
              <th>
                <span className="sr-only">Call</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {view.tools.map((t) => (
              <tr
                key={t.name}
                data-testid={`tool-${t.name}`}
                className="border-t border-slate-100 dark:border-slate-800"
              >
                <td className="py-1">
                  <span className="font-mono">{t.name}</span>
                  <span className="block text-xs text-slate-600 dark:text-slate-400">{t.description}</span>
                </td>
                <td className="text-xs">{visibility(t)}</td>
                <td className="text-xs">{uiLabel(t)}</td>
                <td>
                  <button
                    type="button"
                    data-testid={`tool-pick-${t.name}`}
                    onClick={() => {
                      setTool(t.name);
                      setArgs(exampleArgs(t));
                    }}
                    className="rounded px-2 py-0.5 text-sky-700 hover:bg-sky-50 dark:text-sky-300 dark:hover:bg-slate-800"
                  >
                    Call…
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {tool && (
        <div
          data-testid="call-form"
          className="flex flex-col gap-2 rounded-md border border-slate-200 p-3 dark:border-slate-700"
        >
          <label className="flex flex-col gap-1 text-sm">
            <span>
              Arguments for <span className="font-mono">{tool}</span> (JSON)
            </span>
            <textarea
              data-testid="call-args"
              rows={3}
              value={args}
              onChange={(e) => setArgs(e.target.value)}
              className="rounded border border-slate-300 bg-white p-2 font-mono text-sm dark:border-slate-600 dark:bg-slate-900"
            />
          </label>
          {argsError && (
            <p role="alert" className="text-sm text-red-700">
              {argsError}
            </p>
          )}
          <div className="flex items-center gap-2 text-sm">
            <button
              type="button"
              data-testid="call-run"
              disabled={calling}
              onClick={call}
              className="rounded bg-emerald-700 px-3 py-1.5 font-medium text-white disabled:opacity-50"
            >
              Call {tool}
            </button>
            <label className="flex items-center gap-1">
              at once ×
              <input
                data-testid="call-times"
                type="number"
                min={1}
                max={200}
                value={times}
                onChange={(e) => setTimes(Math.max(1, Math.min(200, Number(e.target.value) || 1)))}
                className="w-16 rounded border border-slate-300 px-1 dark:border-slate-600 dark:bg-slate-900"
              />
            </label>
          </div>
        </div>
      )}
      {view.lastResult && (
        <div
          data-testid="call-result"
          data-call-id={view.lastResult.id}
          data-state={view.lastResult.state}
          data-consent={view.lastResult.consent ?? ''}
          aria-busy={!settled(view.lastResult.state)}
          className="text-sm"
        >
          <p className="font-medium" role="status">
            {callHeadline(view.lastResult)}
          </p>
          {settled(view.lastResult.state) && (
            <pre
              // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable result must be reachable by keyboard (axe: scrollable-region-focusable)
              tabIndex={0}
              className="max-h-48 overflow-auto rounded bg-slate-100 p-2 text-xs dark:bg-slate-800"
            >
              {view.lastResult.text}
            </pre>
          )}
        </div>
      )}
      {view.appNotice && (
        <p
          data-testid="app-notice"
          data-rule-ids={view.appNotice.ruleIds.join(' ')}
          className="rounded-md bg-amber-50 p-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100"
        >
          {view.appNotice.text}
        </p>
      )}
      {view.app && (
        <AppPanel
          source={view.app}
          model={state.sandboxModel}
          onModelChange={(m) => lab.setSandboxModel(m)}
          readOnly={false}
          recorder={lab.engine.recorder}
          clock={lab.engine.clock}
          tool={view.tools?.find((t) => t.name === view.app?.toolName) ?? { name: view.app.toolName }}
          connection={lab.appConnection(state.selectedId)}
          tools={() => lab.view(state.selectedId).tools}
          appsEnabled={() => lab.appsEnabled(state.selectedId)}
          who={{ tenant: state.identity.tenant, user: state.identity.user, server: server.config.name }}
          onClose={() => lab.closeApp(state.selectedId)}
        />
      )}
    </section>
  );
}

import { useState } from 'react';
import { useLab } from '../lab/useLab';
import { ServerEditor } from './ServerEditor';

const STATE_DOT: Record<string, string> = {
  connected: 'bg-emerald-500',
  connecting: 'bg-amber-400 animate-pulse',
  error: 'bg-red-500',
  idle: 'bg-slate-300 dark:bg-slate-600',
  disconnected: 'bg-slate-300 dark:bg-slate-600',
};

/** The server list: mock presets and custom servers, with their connection state for the current identity. */
export function ServersPanel() {
  const [state, lab] = useLab();
  const [editing, setEditing] = useState(false);
  return (
    <section data-testid="servers-panel" aria-labelledby="servers-heading" className="flex flex-col gap-2">
      <div className="flex items-center justify-between">
        <h2
          id="servers-heading"
          className="text-sm font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400"
        >
          Servers
        </h2>
        <button
          type="button"
          data-testid="server-add"
          onClick={() => setEditing(true)}
          className="rounded px-2 py-1 text-sm text-sky-700 hover:bg-sky-50 dark:text-sky-300 dark:hover:bg-slate-800"
        >
          + Add
        </button>
      </div>
      {editing && <ServerEditor onClose={() => setEditing(false)} />}
      <ul className="flex flex-col gap-1" aria-label="Servers">
        {state.servers.map((s) => {
          const view = lab.view(s.id);
          const selected = s.id === state.selectedId;
          return (
            <li key={s.id}>
              <button
                type="button"
                data-testid={`server-${s.id}`}
                data-state={view.state}
                aria-pressed={selected}
                onClick={() => lab.select(s.id)}
                className={`w-full rounded-md border px-3 py-2 text-left text-sm ${selected ? 'border-sky-500 bg-sky-50 dark:bg-slate-800' : 'border-transparent hover:bg-slate-100 dark:hover:bg-slate-800'}`}
              >
                <span className="flex items-center gap-2">
                  <span
                    aria-hidden
                    className={`inline-block h-2 w-2 rounded-full ${STATE_DOT[view.state] ?? STATE_DOT.idle}`}
                  />
                  <span className="font-medium">{s.title}</span>
                  {s.source === 'mock' && (
                    <span className="ml-auto rounded bg-slate-100 px-1.5 text-xs text-slate-700 dark:bg-slate-700 dark:text-slate-300">
                      mock
                    </span>
                  )}
                </span>
                <span className="mt-0.5 block truncate font-mono text-xs text-slate-600 dark:text-slate-400">
                  {s.config.url}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

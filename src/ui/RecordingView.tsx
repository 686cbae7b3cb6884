import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { storedView } from '../engine/apps/ui-resource';
import { RealClock } from '../engine/clock';
import type { Recording } from '../engine/timeline/events';
import { TimelineRecorder } from '../engine/timeline/recorder';
import { AppPanel } from './apps/AppPanel';
import type { SandboxModel } from './apps/sandbox-host';
import { TimelinePanel } from './timeline/TimelinePanel';

const button = 'rounded border border-slate-300 px-2 py-1 disabled:opacity-40 dark:border-slate-600';

/**
 * A shared or imported recording, read-only: nothing in it can act (no connections, no tokens).
 * It replays step by step: one event at a time, or played at a reading pace.
 */
export function RecordingView({ recording, onClose }: { recording: Recording; onClose?: () => void }) {
  const total = recording.events.length;
  const [shown, setShown] = useState(total);
  const [playing, setPlaying] = useState(false);
  useEffect(() => {
    if (!playing) return;
    if (shown >= total) {
      setPlaying(false);
      return;
    }
    const t = setTimeout(() => setShown((n) => Math.min(total, n + 1)), 700);
    return () => clearTimeout(t);
  }, [playing, shown, total]);
  return (
    <div
      data-testid="recording-view"
      data-state="read-only"
      className="flex h-screen flex-col bg-white text-slate-900 dark:bg-slate-950 dark:text-slate-100"
    >
      <header className="flex flex-wrap items-center gap-3 border-b border-slate-200 px-4 py-2 text-sm dark:border-slate-800">
        <h1 className="text-lg font-bold">MCP Lab</h1>
        <span className="rounded bg-amber-100 px-2 py-0.5 text-amber-900 dark:bg-amber-900 dark:text-amber-100">
          Read-only recording
        </span>
        <span className="truncate text-slate-600 dark:text-slate-400">
          {recording.title ?? 'Untitled'} · {total} events · {recording.createdAt}
        </span>
        <fieldset className="flex items-center gap-1">
          <legend className="sr-only">Replay</legend>
          <button
            type="button"
            className={button}
            data-testid="replay-start"
            onClick={() => setShown(0)}
            disabled={shown === 0}
          >
            Start
          </button>
          <button
            type="button"
            className={button}
            data-testid="replay-back"
            onClick={() => setShown((n) => Math.max(0, n - 1))}
            disabled={shown === 0}
          >
            ◀ Step back
          </button>
          <button
            type="button"
            className={button}
            data-testid="replay-step"
            onClick={() => setShown((n) => Math.min(total, n + 1))}
            disabled={shown >= total}
          >
            Step ▶
          </button>
          <button
            type="button"
            className={button}
            data-testid="replay-play"
            onClick={() => setPlaying(!playing)}
            disabled={shown >= total && !playing}
          >
            {playing ? 'Pause' : 'Play'}
          </button>
          <button
            type="button"
            className={button}
            data-testid="replay-all"
            onClick={() => setShown(total)}
            disabled={shown >= total}
          >
            Show all
          </button>
          <span
            data-testid="replay-position"
            className="ml-1 tabular-nums text-slate-600 dark:text-slate-400"
          >
            {shown} / {total}
          </span>
        </fieldset>
        {onClose && (
          <button
            type="button"
            data-testid="recording-close"
            onClick={onClose}
            className={`ml-auto ${button}`}
          >
            Back to the playground
          </button>
        )}
      </header>
      <div className="flex min-h-0 flex-1">
        <ReplayedApp recording={recording} shown={shown} />
        <div className="min-h-0 min-w-0 flex-1 overflow-auto p-2">
          <TimelinePanel
            events={recording.events.slice(0, shown)}
            readOnly
            title={recording.title ?? 'Recording'}
          />
        </div>
      </div>
    </div>
  );
}

const clock = new RealClock();

/**
 * A6: the latest app view up to the replay position, rendered display-only: the stored result, no
 * handlers, no capabilities, no connection. What the app tries is listed from a recorder of its own.
 */
function ReplayedApp({ recording, shown }: { recording: Recording; shown: number }) {
  const source = useMemo(() => {
    for (let i = Math.min(shown, recording.events.length) - 1; i >= 0; i--) {
      const view = storedView(recording.events[i]?.data);
      if (view) return view;
    }
    return undefined;
  }, [recording, shown]);
  const recorder = useMemo(() => new TimelineRecorder(clock), []);
  const [model, setModel] = useState<SandboxModel>('opaque');
  const events = useSyncExternalStore(
    (fn) => recorder.subscribe(fn),
    () => recorder.events.length,
  );
  if (!source) return null;
  return (
    <aside
      aria-label="Replayed app view"
      className="flex w-[26rem] shrink-0 flex-col gap-2 overflow-auto border-r border-slate-200 p-3 dark:border-slate-800"
    >
      <AppPanel
        source={source}
        model={model}
        onModelChange={setModel}
        readOnly
        recorder={recorder}
        clock={clock}
        tool={{ name: source.toolName }}
        tools={() => undefined}
        appsEnabled={() => true}
      />
      <section aria-label="What the replayed app did" className="text-xs">
        <h3 className="font-semibold">The replayed app's messages ({events})</h3>
        <ol data-testid="replay-app-lane" className="mt-1 flex flex-col gap-0.5 font-mono">
          {recorder.events.slice(-50).map((e) => (
            <li key={e.id} className={e.level === 'warn' ? 'text-amber-800 dark:text-amber-300' : ''}>
              {e.summary}
            </li>
          ))}
        </ol>
      </section>
    </aside>
  );
}

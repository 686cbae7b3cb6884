import { useEffect, useState } from 'react';
import type { Recording } from '../engine/timeline/events';
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
      <div className="min-h-0 flex-1 overflow-auto p-2">
        <TimelinePanel
          events={recording.events.slice(0, shown)}
          readOnly
          title={recording.title ?? 'Recording'}
        />
      </div>
    </div>
  );
}

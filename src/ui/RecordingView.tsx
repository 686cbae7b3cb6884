import type { Recording } from '../engine/timeline/events';
import { TimelinePanel } from './timeline/TimelinePanel';

/** A shared or imported recording, read-only: it can be stepped through, not acted on. */
export function RecordingView({ recording, onClose }: { recording: Recording; onClose?: () => void }) {
  return (
    <div
      data-testid="recording-view"
      data-state="read-only"
      className="flex h-screen flex-col bg-white text-slate-900 dark:bg-slate-950 dark:text-slate-100"
    >
      <header className="flex items-center gap-3 border-b border-slate-200 px-4 py-2 text-sm dark:border-slate-800">
        <h1 className="text-lg font-bold">MCP Lab</h1>
        <span className="rounded bg-amber-100 px-2 py-0.5 text-amber-900 dark:bg-amber-900 dark:text-amber-100">
          Read-only recording
        </span>
        <span className="truncate text-slate-600 dark:text-slate-400">
          {recording.title ?? 'Untitled'} · {recording.events.length} events · {recording.createdAt}
        </span>
        {onClose && (
          <button
            type="button"
            data-testid="recording-close"
            onClick={onClose}
            className="ml-auto rounded border border-slate-300 px-2 py-1 dark:border-slate-600"
          >
            Back to the playground
          </button>
        )}
      </header>
      <div className="min-h-0 flex-1 overflow-auto p-2">
        <TimelinePanel events={recording.events} readOnly />
      </div>
    </div>
  );
}

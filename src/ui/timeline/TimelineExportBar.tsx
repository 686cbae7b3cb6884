import { useState } from 'react';
import { messageOf } from '../../engine/errors';
import type { Recording, TimelineEvent } from '../../engine/timeline/events';
import { parseRecording, toRecording } from '../../engine/timeline/export-json';
import { buildExport, downloadFile, EXPORT_FORMATS, EXPORT_LABELS } from './export-files';
import { shareUrl } from './share';

export interface TimelineExportBarProps {
  events: readonly TimelineEvent[];
  title?: string;
  onImport(recording: Recording): void;
}

type ShareState =
  | { state: 'idle' }
  | { state: 'working' }
  | { state: 'copied'; url: string }
  | { state: 'manual'; url: string }
  | { state: 'too-large' }
  | { state: 'failed'; message: string };

const button =
  'rounded border border-slate-300 bg-white px-2 py-1 text-sm hover:bg-slate-50 disabled:opacity-50 dark:border-slate-600 dark:bg-slate-900 dark:hover:bg-slate-800 focus-visible:outline-2 focus-visible:outline-blue-500';

function shareMessage(share: ShareState): string {
  switch (share.state) {
    case 'working':
      return 'Making the link…';
    case 'copied':
      return 'Link copied. Anyone who opens it sees this timeline (secrets were already redacted).';
    case 'manual':
      return 'Copy this link:';
    case 'too-large':
      return 'This timeline is too large for a link: export the file instead (Export JSON).';
    case 'failed':
      return `Failed to make a link: ${share.message}`;
    default:
      return '';
  }
}

/** Export files, import a recording, copy a share link. */
export function TimelineExportBar({ events, title, onImport }: TimelineExportBarProps) {
  const [share, setShare] = useState<ShareState>({ state: 'idle' });
  const [importError, setImportError] = useState<string>();
  const empty = events.length === 0;

  async function copyLink() {
    setShare({ state: 'working' });
    try {
      const url = await shareUrl(toRecording(events, title), location.href);
      if (!url) return setShare({ state: 'too-large' });
      try {
        await navigator.clipboard.writeText(url);
        setShare({ state: 'copied', url });
      } catch {
        setShare({ state: 'manual', url });
      }
    } catch (e) {
      setShare({ state: 'failed', message: messageOf(e) });
    }
  }

  async function importFile(file: File | undefined) {
    if (!file) return;
    try {
      const recording = parseRecording(await file.text());
      setImportError(undefined);
      onImport(recording);
    } catch (e) {
      setImportError(messageOf(e));
    }
  }

  return (
    <div className="flex flex-wrap items-center gap-1.5 border-b border-slate-200 p-2 dark:border-slate-700">
      <span className="text-xs text-slate-500 dark:text-slate-400">Export</span>
      {EXPORT_FORMATS.map((format) => (
        <button
          key={format}
          type="button"
          data-testid={`timeline-export-${format}`}
          aria-label={`Export ${EXPORT_LABELS[format].label}: ${EXPORT_LABELS[format].description}`}
          title={EXPORT_LABELS[format].description}
          disabled={empty}
          onClick={() => downloadFile(buildExport(format, events, title !== undefined ? { title } : {}))}
          className={button}
        >
          {EXPORT_LABELS[format].label}
        </button>
      ))}
      <label
        className={`${button} cursor-pointer has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-blue-500`}
      >
        Import JSON
        <input
          type="file"
          accept=".json,application/json"
          data-testid="timeline-import"
          aria-label="Import JSON: open a recording exported by MCP Lab"
          className="sr-only"
          onChange={(e) => {
            void importFile(e.currentTarget.files?.[0]);
            e.currentTarget.value = '';
          }}
        />
      </label>
      <button
        type="button"
        data-testid="timeline-share"
        data-state={share.state}
        disabled={empty || share.state === 'working'}
        onClick={() => void copyLink()}
        className={button}
      >
        Copy share link
      </button>
      <span
        role="status"
        data-testid="timeline-share-status"
        className="text-xs text-slate-600 dark:text-slate-300"
      >
        {shareMessage(share)}
      </span>
      {share.state === 'manual' && (
        <input
          readOnly
          aria-label="Share link"
          data-testid="timeline-share-url"
          value={share.url}
          onFocus={(e) => e.currentTarget.select()}
          className="min-w-64 flex-1 rounded border border-slate-300 bg-white px-2 py-1 font-mono text-xs dark:border-slate-600 dark:bg-slate-900"
        />
      )}
      {importError && (
        <p
          role="alert"
          data-testid="timeline-import-error"
          className="w-full rounded bg-red-50 p-2 text-sm text-red-800 dark:bg-red-950/50 dark:text-red-200"
        >
          {importError}
        </p>
      )}
    </div>
  );
}

import type { TimelineEvent } from '../../engine/timeline/events';
import { serializeHar, toHar } from '../../engine/timeline/export-har';
import { serializeRecording, toRecording } from '../../engine/timeline/export-json';
import { toMermaid } from '../../engine/timeline/export-mermaid';
import { toText } from '../../engine/timeline/export-text';

/**
 * The timeline's export files, built by the engine's exporters (one API per format) and named
 * after the moment of export. Pure, so the file names and contents are tested in Node.
 */

export const EXPORT_FORMATS = ['json', 'mermaid', 'har', 'text'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_LABELS: Record<ExportFormat, { label: string; description: string }> = {
  json: { label: 'JSON', description: 'Recording that MCP Lab can open again (Import JSON)' },
  mermaid: { label: 'Mermaid', description: 'Sequence diagram for Markdown, issues or mermaid.live' },
  har: { label: 'HAR', description: 'HTTP archive for browser DevTools and HAR viewers' },
  text: { label: 'Text', description: 'One line per event, for logs and bug reports' },
};

export interface ExportFile {
  filename: string;
  mimeType: string;
  text: string;
}

const EXTENSIONS: Record<ExportFormat, [string, string]> = {
  json: ['json', 'application/json'],
  mermaid: ['mmd', 'text/vnd.mermaid'],
  har: ['har', 'application/json'],
  text: ['txt', 'text/plain'],
};

/** `mcp-lab-timeline-2026-01-01T09-00-00.json`: sortable and safe on every file system. */
export function exportFilename(format: ExportFormat, at: Date): string {
  const stamp = at.toISOString().slice(0, 19).replace(/:/g, '-');
  return `mcp-lab-timeline-${stamp}.${EXTENSIONS[format][0]}`;
}

/** The file for one format; events are exported in time order. */
export function buildExport(
  format: ExportFormat,
  events: readonly TimelineEvent[],
  options: { title?: string; at?: Date } = {},
): ExportFile {
  const at = options.at ?? new Date();
  const sorted = [...events].sort((a, b) => a.t - b.t);
  const text =
    format === 'json'
      ? serializeRecording(toRecording(sorted, options.title, at))
      : format === 'mermaid'
        ? toMermaid(sorted, options.title ? { title: options.title } : {})
        : format === 'har'
          ? serializeHar(toHar(sorted))
          : `${toText(sorted)}\n`;
  return { filename: exportFilename(format, at), mimeType: EXTENSIONS[format][1], text };
}

/** Saves text as a file through a temporary object URL and an `<a download>` click. */
export function downloadFile(file: ExportFile): void {
  const url = URL.createObjectURL(new Blob([file.text], { type: file.mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file.filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // Some browsers start the download after the click returns; revoke once it had its chance.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

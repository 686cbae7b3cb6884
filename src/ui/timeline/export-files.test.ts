// Test IDs of the timeline panel's export buttons (no spec rule covers the UI):
// UI-TL11 each export button's file: JSON re-imports to the same events, Mermaid, HAR and text come from
//         the engine's exporters, in time order, with a sortable file name and the right MIME type.
import { describe, expect, it } from 'vitest';
import { parseRecording } from '../../engine/timeline/export-json';
import { sampleEvents } from '../../engine/timeline/testing';
import { buildExport, EXPORT_FORMATS, exportFilename } from './export-files';

const at = new Date('2026-01-01T09:08:07.654Z');

describe('export files', () => {
  it('UI-TL11: file names are sortable, file-system safe and carry the format', () => {
    expect(exportFilename('json', at)).toBe('mcp-lab-timeline-2026-01-01T09-08-07.json');
    expect(EXPORT_FORMATS.map((f) => exportFilename(f, at).split('.').pop())).toEqual([
      'json',
      'mmd',
      'har',
      'txt',
    ]);
  });

  it('UI-TL11: the JSON file is a recording that imports back to the same events, sorted by time', () => {
    const events = sampleEvents();
    const file = buildExport('json', [...events].reverse(), { title: 'Demo', at });
    expect(file.mimeType).toBe('application/json');
    const recording = parseRecording(file.text);
    expect(recording.title).toBe('Demo');
    expect(recording.createdAt).toBe(at.toISOString());
    expect(recording.events).toEqual(events);
  });

  it('UI-TL11: Mermaid, HAR and text exports hold what their formats promise', () => {
    const events = sampleEvents();
    const mermaid = buildExport('mermaid', events, { title: 'Demo', at });
    expect(mermaid.text).toMatch(/^sequenceDiagram\n {2}title Demo\n/);
    const har = JSON.parse(buildExport('har', events, { at }).text);
    expect(har.log.version).toBe('1.2');
    expect(har.log.entries).toHaveLength(events.filter((e) => e.kind === 'http').length);
    const text = buildExport('text', events, { at });
    expect(text.mimeType).toBe('text/plain');
    expect(text.text.trimEnd().split('\n')).toHaveLength(events.length);
    expect(text.text).toMatch(/^\+0\.000s/);
  });
});

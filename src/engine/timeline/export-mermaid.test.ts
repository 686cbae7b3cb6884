// TL4: requirement ID of the Mermaid export (no spec/behaviour.md rule covers exporters).
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { escapeMermaid, toMermaid } from './export-mermaid';
import { TimelineRecorder } from './recorder';
import { sampleEvents } from './testing';

describe('Mermaid export', () => {
  it('TL4: one participant per lane used, in lane order, with the lane titles', () => {
    const text = toMermaid(sampleEvents());
    const participants = text.split('\n').filter((l) => /^\s+(participant|actor) /.test(l));
    expect(participants).toEqual([
      '  participant Host as Host',
      '  participant Factory as Connection factory',
      '  participant TokenStore as Token store',
      '  participant MCP as MCP server',
      '  participant AuthServer as Authorization server',
    ]);
    expect(text.startsWith('sequenceDiagram\n')).toBe(true);
  });

  it('TL4: each HTTP exchange is a request arrow and a response arrow (or a failure cross)', () => {
    const lines = toMermaid(sampleEvents()).split('\n');
    expect(lines).toContain('  Host->>MCP: POST /mcp (initialize)');
    expect(lines).toContain('  MCP-->>Host: 401 · 15 ms');
    expect(lines).toContain('  Host->>AuthServer: GET /.well-known/oauth-authorization-server (AS metadata)');
    expect(lines).toContain('  AuthServer-->>Host: 200 OK · 30 ms');
    expect(lines).toContain('  Host->>MCP: POST /mcp (tools/call)');
    expect(lines).toContain(
      '  MCP--xHost: ✖ network: Failed to reach https://dcr.mock.test/mcp: the connection was dropped.',
    );
    expect(lines.filter((l) => /^\s+\w+->>/.test(l)).length).toBe(4);
    expect(lines.filter((l) => /^\s+\w+-->>/.test(l)).length).toBe(3);
  });

  it('TL4: decisions and errors are notes over their lane with their rule IDs; spans are left out', () => {
    const text = toMermaid(sampleEvents());
    expect(text).toContain('  Note over Factory: ⚖ [F8 D3] Auth error#59; emit oauthRequired');
    expect(text).toContain(
      '  Note over TokenStore: ✖ [T5] Refresh failed#59; credentials kept #lt;T5#gt;#59; see #35;2',
    );
    expect(text).not.toContain('Connect to dcr');
    expect(text).not.toContain('FlowStore');
    expect(toMermaid(sampleEvents(), { kinds: ['span'] })).toContain(
      'Note over FlowStore: [S2] Flow PENDING',
    );
  });

  it('TL4: characters Mermaid chokes on are escaped, line breaks flattened', () => {
    expect(escapeMermaid('a;b#c<d>e"f%%g{h}\nnext')).toBe(
      'a#59;b#35;c#lt;d#gt;e#quot;f#37;#37;g#123;h#125; next',
    );
    const r = new TimelineRecorder(new ManualClock());
    r.record({ lane: 'host', kind: 'decision', summary: 'end; Note over MCP: injected\nparticipant X' });
    const lines = toMermaid(r.events).split('\n');
    expect(lines).toEqual([
      'sequenceDiagram',
      '  participant Host as Host',
      '  Note over Host: ⚖ end#59; Note over MCP: injected participant X',
      '',
    ]);
  });

  it('TL4: a title and autonumber are optional', () => {
    const text = toMermaid(sampleEvents(), { title: 'OAuth; run #1', autonumber: true });
    expect(text.split('\n').slice(0, 3)).toEqual([
      'sequenceDiagram',
      '  title OAuth#59; run #35;1',
      '  autonumber',
    ]);
  });
});

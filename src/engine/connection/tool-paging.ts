import type { Clock } from '../clock';
import type { ToolListCaps } from './types';

export interface ToolPage {
  tools: Array<{ name: string; [k: string]: unknown }>;
  nextCursor?: string;
}

export interface ToolList {
  tools: ToolPage['tools'];
  pages: number;
  /** Why paging stopped early, when it did (D7). */
  truncated?: 'pages' | 'tools' | 'bytes' | 'time' | 'repeated-cursor';
}

/**
 * D7: follows `nextCursor` until the server says it is done, or a cap is hit (pages, tools, bytes,
 * time, or a cursor seen before), and returns what it has.
 */
export async function listAllTools(
  fetchPage: (cursor?: string) => Promise<ToolPage>,
  clock: Clock,
  caps: ToolListCaps = {},
): Promise<ToolList> {
  const maxPages = caps.maxPages ?? 100;
  const maxTools = caps.maxTools ?? 2000;
  const maxBytes = caps.maxBytes ?? 4 * 1024 * 1024;
  const maxMs = caps.maxMs ?? 60_000;
  const start = clock.now();
  const seen = new Set<string>();
  const tools: ToolPage['tools'] = [];
  let bytes = 0;
  let pages = 0;
  let cursor: string | undefined;
  for (;;) {
    const page = await fetchPage(cursor);
    pages++;
    bytes += JSON.stringify(page.tools).length;
    tools.push(...page.tools);
    cursor = page.nextCursor;
    if (!cursor) return { tools, pages };
    if (tools.length >= maxTools) return { tools: tools.slice(0, maxTools), pages, truncated: 'tools' };
    if (pages >= maxPages) return { tools, pages, truncated: 'pages' };
    if (bytes >= maxBytes) return { tools, pages, truncated: 'bytes' };
    if (clock.now() - start >= maxMs) return { tools, pages, truncated: 'time' };
    if (seen.has(cursor)) return { tools, pages, truncated: 'repeated-cursor' };
    seen.add(cursor);
  }
}

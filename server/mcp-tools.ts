import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { sampleAppHtml } from '../mocks/apps';

/** Which tools need which scope beyond the defaults (403 `insufficient_scope` otherwise: step-up). */
export const TOOL_SCOPES: Readonly<Record<string, string>> = { write_note: 'notes:write' };

const text = (value: string, structuredContent?: Record<string, unknown>): CallToolResult => ({
  content: [{ type: 'text', text: value }],
  ...(structuredContent ? { structuredContent } : {}),
});

/** The MCP App of show_card: the sample card built from mocks/apps/src/card.ts by scripts/build-apps.mjs. */
export const CARD_URI = 'ui://reference/card.html';
const APP_MIME_TYPE = 'text/html;profile=mcp-app';
const CARD_UI_META = {
  csp: { connectDomains: [], resourceDomains: [] },
  permissions: { clipboardWrite: {} },
  prefersBorder: true,
};

/** Tool input errors are results with `isError` (MCP 2025-11-25), so a model can read them. */
const inputError = (value: string): CallToolResult => ({
  content: [{ type: 'text', text: value }],
  isError: true,
});

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      reject(signal.reason);
    });
  });

/**
 * One MCP server (one per session) with the tools of the mock servers: echo, add (structured
 * output), slow (progress), whoami (who the token belongs to), write_note (needs notes:write) and
 * show_card (an MCP App, with its ui:// resource). Notes are shared by every session of the process.
 */
export function buildMcpServer(notes: Map<string, string>): McpServer {
  const server = new McpServer({ name: 'mcp-lab-reference', version: '1.0.0' });
  server.registerTool(
    'echo',
    {
      title: 'Echo',
      description: 'Returns the message (or text) it is given.',
      inputSchema: { message: z.string().optional(), text: z.string().optional() },
    },
    async ({ message, text: alt }) => {
      const value = message ?? alt;
      return value === undefined
        ? inputError('Send the text to echo as "message" (or "text").')
        : text(value);
    },
  );
  server.registerTool(
    'add',
    {
      title: 'Add',
      description: 'Adds two numbers.',
      inputSchema: { a: z.number(), b: z.number() },
      outputSchema: { sum: z.number() },
    },
    async ({ a, b }) => text(String(a + b), { sum: a + b }),
  );
  server.registerTool(
    'slow',
    {
      title: 'Slow operation',
      description:
        'Waits the given number of seconds (default 3, at most 60), reporting progress each second.',
      inputSchema: { seconds: z.number().min(0).max(60).optional() },
    },
    async ({ seconds = 3 }, extra) => {
      const steps = Math.ceil(seconds);
      const progressToken = extra._meta?.progressToken;
      for (let i = 1; i <= steps; i++) {
        await sleep((Math.min(i, seconds) - (i - 1)) * 1000, extra.signal);
        if (progressToken !== undefined)
          await extra.sendNotification({
            method: 'notifications/progress',
            params: { progressToken, progress: i, total: steps, message: `${i} of ${steps} s` },
          });
      }
      return text(`Waited ${seconds} s.`);
    },
  );
  server.registerTool(
    'whoami',
    {
      title: 'Who am I',
      description: 'Tells who the access token belongs to and what it allows.',
      inputSchema: {},
    },
    async (_args, extra) => {
      const auth = extra.authInfo;
      if (!auth) return text('This request carried no token.', { authenticated: false });
      const subject = typeof auth.extra?.subject === 'string' ? auth.extra.subject : '(unknown)';
      return text(`${subject} via ${auth.clientId}; scope: ${auth.scopes.join(' ') || '(none)'}`, {
        authenticated: true,
        subject,
        clientId: auth.clientId,
        scope: auth.scopes,
        expiresAt: auth.expiresAt ?? null,
      });
    },
  );
  server.registerTool(
    'write_note',
    {
      title: 'Write a note',
      description: 'Stores a note. Needs the notes:write scope (step-up).',
      inputSchema: { id: z.string().regex(/^[a-z0-9-]{1,40}$/), text: z.string() },
    },
    async ({ id, text: note }) => {
      notes.set(id, note);
      return text(`Saved note ${id}.`);
    },
  );
  server.registerTool(
    'show_card',
    {
      title: 'Show card',
      description: 'Shows its result as a card (an MCP App), with what the sandbox allows the card.',
      inputSchema: { title: z.string().optional(), value: z.number().optional() },
      _meta: { ui: { resourceUri: CARD_URI } },
    },
    async ({ title = 'Reference card', value = 42 }) =>
      text(`${title}: ${value}`, { title, value, server: 'reference' }),
  );
  server.registerResource(
    'card',
    CARD_URI,
    { title: 'Card app', mimeType: APP_MIME_TYPE, _meta: { ui: CARD_UI_META } },
    async (uri) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: APP_MIME_TYPE,
          text: await sampleAppHtml('card'),
          _meta: { ui: CARD_UI_META },
        },
      ],
    }),
  );
  return server;
}

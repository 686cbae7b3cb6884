import { sampleAppHtml } from '../apps';
import { INVALID_PARAMS, RESOURCE_NOT_FOUND, RpcError } from './jsonrpc';

/** What a tool sees of the request that called it. */
export interface ToolContext {
  sleep(ms: number): Promise<void>;
  /** Sends a progress notification when the caller asked for progress (and the response is a stream). */
  progress(progress: number, total: number, message: string): void;
  /** Who the token belongs to, when the server is protected. */
  auth?: { subject: string; clientId: string; scope: string[]; expiresAt: number | null };
  serverId: string;
  /** The server's notes (per server, cleared by a reset). */
  notes: Map<string, string>;
}

export interface ToolResult {
  content: Array<{ type: 'text'; text: string }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

export interface MockTool {
  name: string;
  title: string;
  description: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
  _meta?: Record<string, unknown>;
  run(args: Record<string, unknown>, ctx: ToolContext): Promise<ToolResult>;
}

export const APP_MIME_TYPE = 'text/html;profile=mcp-app';
export const DASHBOARD_URI = 'ui://mock/dashboard.html';
export const CARD_URI = 'ui://mock/card.html';
export const HOSTILE_URI = 'ui://mock/hostile.html';

const textResult = (text: string, structuredContent?: Record<string, unknown>): ToolResult => ({
  content: [{ type: 'text', text }],
  ...(structuredContent ? { structuredContent } : {}),
});

/** Tool input errors are tool results with isError (MCP 2025-11-25), so a model can read and correct them. */
const inputError = (text: string): ToolResult => ({ content: [{ type: 'text', text }], isError: true });

const obj = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});

export function initialNotes(): Map<string, string> {
  return new Map([['welcome', 'Welcome to MCP Lab. This note is served by a mock MCP server.']]);
}

export const TOOLS: readonly MockTool[] = [
  {
    name: 'echo',
    title: 'Echo',
    description: 'Returns the message (or text) it is given.',
    inputSchema: obj({
      message: { type: 'string', description: 'Text to echo back' },
      text: { type: 'string', description: 'Same as message' },
    }),
    async run(args) {
      const value = args.message ?? args.text;
      if (typeof value !== 'string') return inputError('Send the text to echo as "message" (or "text").');
      return textResult(value);
    },
  },
  {
    name: 'add',
    title: 'Add',
    description: 'Adds two numbers.',
    inputSchema: obj({ a: { type: 'number' }, b: { type: 'number' } }, ['a', 'b']),
    outputSchema: obj({ sum: { type: 'number' } }, ['sum']),
    async run(args) {
      if (typeof args.a !== 'number' || typeof args.b !== 'number')
        return inputError('a and b must be numbers.');
      const sum = args.a + args.b;
      return textResult(String(sum), { sum });
    },
  },
  {
    name: 'slow',
    title: 'Slow operation',
    description: 'Waits the given number of seconds (default 3, at most 60), reporting progress each second.',
    inputSchema: obj({ seconds: { type: 'number', minimum: 0, maximum: 60 } }),
    async run(args, ctx) {
      const seconds = args.seconds === undefined ? 3 : args.seconds;
      if (typeof seconds !== 'number' || seconds < 0 || seconds > 60)
        return inputError('seconds must be a number from 0 to 60.');
      const steps = Math.ceil(seconds);
      for (let i = 1; i <= steps; i++) {
        await ctx.sleep((Math.min(i, seconds) - (i - 1)) * 1000);
        ctx.progress(i, steps, `${i} of ${steps} s`);
      }
      return textResult(`Waited ${seconds} s.`);
    },
  },
  {
    name: 'whoami',
    title: 'Who am I',
    description: 'Tells who the access token belongs to and what it allows.',
    inputSchema: obj({}),
    async run(_args, ctx) {
      if (!ctx.auth) return textResult('This server does not use tokens.', { authenticated: false });
      const { subject, clientId, scope, expiresAt } = ctx.auth;
      return textResult(`${subject} via ${clientId}; scope: ${scope.join(' ') || '(none)'}`, {
        authenticated: true,
        subject,
        clientId,
        scope,
        expiresAt,
      });
    },
  },
  {
    name: 'write_note',
    title: 'Write a note',
    description: 'Stores a note. On protected servers this needs the notes:write scope (step-up).',
    inputSchema: obj({ id: { type: 'string', pattern: '^[a-z0-9-]{1,40}$' }, text: { type: 'string' } }, [
      'id',
      'text',
    ]),
    async run(args, ctx) {
      if (typeof args.id !== 'string' || !/^[a-z0-9-]{1,40}$/.test(args.id))
        return inputError('id must be 1-40 of a-z, 0-9, -.');
      if (typeof args.text !== 'string') return inputError('text must be a string.');
      ctx.notes.set(args.id, args.text);
      return textResult(`Saved note ${args.id}; read it as lab://notes/${args.id}.`);
    },
  },
  {
    name: 'show_dashboard',
    title: 'Show dashboard',
    description: 'Shows a small dashboard as an MCP App.',
    inputSchema: obj({ title: { type: 'string' } }),
    _meta: { ui: { resourceUri: DASHBOARD_URI } },
    async run(args, ctx) {
      const title = typeof args.title === 'string' ? args.title : 'Mock dashboard';
      return textResult(`Dashboard "${title}" for server ${ctx.serverId}.`, {
        title,
        server: ctx.serverId,
        notes: ctx.notes.size,
      });
    },
  },
  {
    name: 'show_card',
    title: 'Show card',
    description: 'Shows its result as a card (an MCP App), with what the sandbox allows the card.',
    inputSchema: obj({ title: { type: 'string' }, value: { type: 'number' } }),
    _meta: { ui: { resourceUri: CARD_URI } },
    async run(args, ctx) {
      if (args.title !== undefined && typeof args.title !== 'string')
        return inputError('title must be a string.');
      if (args.value !== undefined && typeof args.value !== 'number')
        return inputError('value must be a number.');
      const title = args.title ?? 'Mock card';
      const value = args.value ?? 42;
      return textResult(`${title}: ${value}`, { title, value, server: ctx.serverId });
    },
  },
  {
    name: 'hostile_app',
    title: 'Red-team app',
    description: 'An MCP App that tries to escape its sandbox; every attempt should be blocked.',
    inputSchema: obj({}),
    _meta: { ui: { resourceUri: HOSTILE_URI } },
    async run() {
      return textResult('The red-team app is running; watch its attempts.');
    },
  },
  {
    name: 'dashboard_refresh',
    title: 'Refresh dashboard (app only)',
    description: 'Called by the dashboard app to refresh its data; hidden from the model.',
    inputSchema: obj({}),
    _meta: { ui: { resourceUri: DASHBOARD_URI, visibility: ['app'] } },
    async run(_args, ctx) {
      return textResult('refreshed', { server: ctx.serverId, notes: ctx.notes.size });
    },
  },
  {
    name: 'summarize_notes',
    title: 'Summarize notes (model only)',
    description: 'Lists the note ids; apps may not call it.',
    inputSchema: obj({}),
    _meta: { ui: { visibility: ['model'] } },
    async run(_args, ctx) {
      return textResult([...ctx.notes.keys()].join(', '));
    },
  },
];

export interface MockResource {
  uri: string;
  name: string;
  title: string;
  mimeType: string;
  _meta?: Record<string, unknown>;
  read(): Promise<string>;
}

/** The _meta.ui of the sample apps' resources (on resources/read contents and the list entry). */
const NO_DOMAINS = { connectDomains: [], resourceDomains: [] };
const CARD_UI_META = { csp: NO_DOMAINS, permissions: { clipboardWrite: {} }, prefersBorder: true };
const DASHBOARD_UI_META = { csp: NO_DOMAINS, prefersBorder: true };
const HOSTILE_UI_META = { csp: {} };

export const RESOURCES: readonly MockResource[] = [
  {
    uri: CARD_URI,
    name: 'card',
    title: 'Card app',
    mimeType: APP_MIME_TYPE,
    _meta: { ui: CARD_UI_META },
    read: () => sampleAppHtml('card'),
  },
  {
    uri: DASHBOARD_URI,
    name: 'dashboard',
    title: 'Dashboard app',
    mimeType: APP_MIME_TYPE,
    _meta: { ui: DASHBOARD_UI_META },
    read: () => sampleAppHtml('dashboard'),
  },
  {
    uri: HOSTILE_URI,
    name: 'hostile',
    title: 'Red-team app',
    mimeType: APP_MIME_TYPE,
    _meta: { ui: HOSTILE_UI_META },
    read: () => sampleAppHtml('hostile'),
  },
  {
    uri: 'lab://docs/readme',
    name: 'readme',
    title: 'About this server',
    mimeType: 'text/markdown',
    read: async () => '# Mock MCP server\n\nAn honest MCP server served by MSW for MCP Lab.',
  },
];

export const RESOURCE_TEMPLATES = [
  { uriTemplate: 'lab://notes/{id}', name: 'note', title: 'A note', mimeType: 'text/plain' },
] as const;

/** Reads a listed resource or a note through the template. */
export async function readResource(
  uri: string,
  notes: Map<string, string>,
): Promise<{ uri: string; mimeType: string; text: string; _meta?: Record<string, unknown> }> {
  const r = RESOURCES.find((x) => x.uri === uri);
  if (r) return { uri, mimeType: r.mimeType, text: await r.read(), ...(r._meta ? { _meta: r._meta } : {}) };
  const m = /^lab:\/\/notes\/([a-z0-9-]{1,40})$/.exec(uri);
  const note = m?.[1] ? notes.get(m[1]) : undefined;
  if (note !== undefined) return { uri, mimeType: 'text/plain', text: note };
  throw new RpcError(RESOURCE_NOT_FOUND, `Resource not found: ${uri}`, { uri });
}

export const PROMPTS = [
  {
    name: 'explain_oauth',
    title: 'Explain MCP OAuth',
    description: 'Asks for an explanation of one step of the MCP authorization flow.',
    arguments: [{ name: 'step', description: 'e.g. discovery, registration, PKCE, refresh', required: true }],
  },
] as const;

export function getPrompt(name: string, args: Record<string, unknown>) {
  if (name !== 'explain_oauth') throw new RpcError(INVALID_PARAMS, `Unknown prompt: ${name}`);
  if (typeof args.step !== 'string') throw new RpcError(INVALID_PARAMS, 'Argument "step" is required.');
  return {
    messages: [
      {
        role: 'user',
        content: { type: 'text', text: `Explain the "${args.step}" step of MCP authorization.` },
      },
    ],
  };
}

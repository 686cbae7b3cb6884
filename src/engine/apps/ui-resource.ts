/**
 * A1, A2: fetching the view of a tool that has a UI. Apps off → nothing is fetched; a malformed
 * `resourceUri` or a resource that is not `text/html;profile=mcp-app` disables that tool's UI only.
 * The result is plain data (it goes into recordings, so a replay can render it display-only, A6).
 */
import type { AppConnection } from './app-host';
import { type BuiltCsp, buildCsp, type UiCsp } from './csp';
import { isAppMimeType, type ToolLike, uiResourceOf } from './ui-meta';

/** Everything needed to render one view, live or from a recording. */
export interface AppViewSource {
  toolName: string;
  resourceUri: string;
  html: string;
  /** `_meta.ui.csp` as the server sent it, and the policy built from it (A5). */
  cspMeta: UiCsp | undefined;
  csp: BuiltCsp;
  /** `_meta.ui.permissions` as the server sent it. */
  permissions: Record<string, unknown> | undefined;
  prefersBorder: boolean;
  input: Record<string, unknown>;
  result: unknown;
}

export type ViewLookup =
  | { kind: 'none' }
  | { kind: 'view'; view: AppViewSource }
  | { kind: 'refused'; reason: string; ruleIds: string[] };

const record = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

function decodeBlob(base64: string): string {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** A2: the tool's view, read through the engine connection (so a 401 recovers like any request). */
export async function loadAppView(
  connection: AppConnection,
  tool: ToolLike,
  input: Record<string, unknown>,
  result: unknown,
  appsEnabled: boolean,
): Promise<ViewLookup> {
  const ui = uiResourceOf(tool);
  if (ui.kind === 'none') return { kind: 'none' };
  if (ui.kind === 'invalid') return { kind: 'refused', reason: ui.reason, ruleIds: ['A2'] };
  if (!appsEnabled)
    return {
      kind: 'refused',
      reason: `MCP Apps are off: ${tool.name}'s view ${ui.uri} is not fetched; the result is shown as text.`,
      ruleIds: ['A1'],
    };
  const read = await connection.run(`read the view ${ui.uri}`, (client) =>
    client.readResource({ uri: ui.uri }),
  );
  const content = read.contents.find((c) => c.uri === ui.uri) ?? read.contents[0];
  if (!content)
    return {
      kind: 'refused',
      reason: `${ui.uri} came back empty: the view cannot be shown.`,
      ruleIds: ['A2'],
    };
  if (!isAppMimeType(content.mimeType))
    return {
      kind: 'refused',
      reason: `${ui.uri} is ${content.mimeType ?? 'untyped'}, not text/html;profile=mcp-app: the view is not shown.`,
      ruleIds: ['A2'],
    };
  const html =
    'text' in content && typeof content.text === 'string'
      ? content.text
      : 'blob' in content && typeof content.blob === 'string'
        ? decodeBlob(content.blob)
        : undefined;
  if (html === undefined)
    return { kind: 'refused', reason: `${ui.uri} has neither text nor blob.`, ruleIds: ['A2'] };
  const meta = record(record(content._meta)?.ui);
  const cspMeta = record(meta?.csp) as UiCsp | undefined;
  return {
    kind: 'view',
    view: {
      toolName: tool.name,
      resourceUri: ui.uri,
      html,
      cspMeta,
      csp: buildCsp(cspMeta),
      permissions: record(meta?.permissions),
      prefersBorder: meta?.prefersBorder === true,
      input,
      result,
    },
  };
}

/** A6: a view stored in a recording, checked like any input (recordings are files people share). */
export function storedView(data: unknown): AppViewSource | undefined {
  const v = record(record(data)?.appView);
  if (!v) return undefined;
  if (typeof v.toolName !== 'string' || typeof v.resourceUri !== 'string' || typeof v.html !== 'string')
    return undefined;
  if (!v.resourceUri.startsWith('ui://')) return undefined;
  const cspMeta = record(v.cspMeta) as UiCsp | undefined;
  return {
    toolName: v.toolName,
    resourceUri: v.resourceUri,
    html: v.html,
    cspMeta,
    // Rebuilt, never taken from the file: a replay has no live data to fetch, so only the declared
    // resource domains (scripts, styles, images) stay; connect, frame and base-uri are 'none'.
    csp: buildCsp({ resourceDomains: cspMeta?.resourceDomains }),
    permissions: record(v.permissions),
    prefersBorder: v.prefersBorder === true,
    input: record(v.input) ?? {},
    result: v.result ?? { content: [] },
  };
}

/**
 * A2: which UI resource a tool shows, and which resources are MCP Apps views.
 * @see https://github.com/modelcontextprotocol/ext-apps (SEP-1865, `_meta.ui`)
 */

export const APP_MIME_TYPE = 'text/html;profile=mcp-app';
/** The older flat key some servers still send. */
export const LEGACY_RESOURCE_URI_KEY = 'ui/resourceUri';

export type Visibility = 'model' | 'app';

export interface ToolLike {
  name: string;
  _meta?: Record<string, unknown> | undefined;
}

export type UiResourceOf =
  | { kind: 'none' }
  | { kind: 'ui'; uri: string }
  /** A malformed value disables this tool's UI only (A2). */
  | { kind: 'invalid'; reason: string };

function uiMeta(tool: ToolLike): Record<string, unknown> | undefined {
  const ui = tool._meta?.ui;
  return ui && typeof ui === 'object' && !Array.isArray(ui) ? (ui as Record<string, unknown>) : undefined;
}

/** A2: `_meta.ui.resourceUri`, else the flat `ui/resourceUri`; it must be a `ui://` URI. */
export function uiResourceOf(tool: ToolLike): UiResourceOf {
  const value = uiMeta(tool)?.resourceUri ?? tool._meta?.[LEGACY_RESOURCE_URI_KEY];
  if (value === undefined) return { kind: 'none' };
  if (typeof value !== 'string')
    return { kind: 'invalid', reason: `${tool.name}: _meta.ui.resourceUri is not a string.` };
  if (!value.startsWith('ui://') || value.length <= 'ui://'.length)
    return { kind: 'invalid', reason: `${tool.name}: "${value}" is not a ui:// URI; its UI is disabled.` };
  return { kind: 'ui', uri: value };
}

/** A2: whether a resource's mime type is an MCP App view (parameters in any case and spacing). */
export function isAppMimeType(mime: string | undefined): boolean {
  if (!mime) return false;
  const [type, ...params] = mime.split(';').map((p) => p.trim().toLowerCase());
  return type === 'text/html' && params.some((p) => p.replace(/\s+/g, '') === 'profile=mcp-app');
}

/** A3: who may see and call a tool; missing means both, an explicit list only what it names. */
export function visibilityOf(tool: ToolLike): Visibility[] {
  const v = uiMeta(tool)?.visibility;
  if (!Array.isArray(v)) return ['model', 'app'];
  return v.filter((x): x is Visibility => x === 'model' || x === 'app');
}

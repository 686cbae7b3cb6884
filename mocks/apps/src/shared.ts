// Helpers shared by the sample MCP Apps (browser code, bundled into each app's HTML by
// scripts/build-apps.mjs). Nothing here may load anything from a URL: the views run under a CSP
// that allows inline script and style only.
import type { App, McpUiHostContext } from '@modelcontextprotocol/ext-apps';

type Child = Node | string;

/** Creates an element with attributes and children (text or nodes). */
export function el(tag: string, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

/** The element with this id; the apps build their own DOM, so a missing one is a bug. */
export function byId(id: string): HTMLElement {
  const node = document.getElementById(id);
  if (!node) throw new Error(`#${id} is missing`);
  return node;
}

/** Puts the host's theme on <html> as the class `light` or `dark` (the stylesheet does the rest). */
export function applyTheme(ctx: Partial<McpUiHostContext> | undefined): void {
  const theme = ctx?.theme;
  if (theme !== 'light' && theme !== 'dark') return;
  document.documentElement.classList.remove('light', 'dark');
  document.documentElement.classList.add(theme);
}

/**
 * Follows the host's theme: call before connect(); `onContext` also sees every change.
 * Call `applyTheme(app.getHostContext())` after connect() for the initial context.
 */
export function followHostContext(app: App, onContext?: (ctx: McpUiHostContext) => void): void {
  app.onhostcontextchanged = (changed) => {
    applyTheme(changed);
    const full = app.getHostContext();
    if (onContext && full) onContext(full);
  };
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.name && e.name !== 'Error' ? `${e.name}: ${e.message}` : e.message;
  return String(e);
}

/** Rejects after `ms` so that no attempt or button can hang the view. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The text of the first text item of a tool result (or resource contents), '' when there is none. */
export function firstText(content: readonly unknown[] | undefined): string {
  for (const item of content ?? []) {
    if (item && typeof item === 'object' && 'text' in item && typeof item.text === 'string') return item.text;
  }
  return '';
}

export const pretty = (value: unknown): string => JSON.stringify(value, null, 2);

/** Sets an output element's state (`data-state`) and text. */
export function show(node: HTMLElement, state: string, text: string): void {
  node.dataset.state = state;
  node.textContent = text;
}

/** Answers the host's ui/resource-teardown: the view says so and stops (call before connect()). */
export function acknowledgeTeardown(app: App): void {
  app.onteardown = () => {
    const status = document.getElementById('app-status');
    if (status) status.textContent = 'torn down';
    return {};
  };
}

/**
 * Host side of the MCP Apps sandbox proxy (spec A5; issue 5), framework-free.
 *
 * The host frames `public/sandbox-proxy.html` from a second origin (dev: localhost <-> 127.0.0.1 on
 * the same port), waits for the proxy's `ui/notifications/sandbox-proxy-ready`, sends the view's
 * HTML with the CSP built by `buildCsp`, the permissions and the sandbox model, then relays JSON-RPC
 * both ways. Every message from the proxy is checked for source and origin.
 *
 * Rule IDs beyond the spec, used by the tests (A5 covers CSP and origins):
 * - SBX1 the proxy origin is derived from the host origin (or configured) and never equals it
 * - SBX2 only JSON-RPC 2.0 objects are relayed
 * - SBX3 `ui/notifications/sandbox-*` messages are the proxy's own and are never relayed
 * - SBX4 messages are accepted only from the expected window and origin
 * - SBX5 two sandbox models: "opaque" (allow-scripts) and "same-origin" (+ allow-same-origin)
 * - SBX6 the proxy rate-limits messages from the view and warns the host once per burst
 * - SBX7 a CSP with line breaks is refused, by the host and by the proxy
 * - SBX8 a view that navigates away from its document is removed
 */
import { allowAttribute, type BuiltCsp } from '../../engine/apps/csp';

export const PROXY_READY = 'ui/notifications/sandbox-proxy-ready';
export const RESOURCE_READY = 'ui/notifications/sandbox-resource-ready';
export const PROXY_WARNING = 'ui/notifications/sandbox-proxy-warning';
const SANDBOX_PREFIX = 'ui/notifications/sandbox-';

export type SandboxModel = 'opaque' | 'same-origin';

export type JsonRpcId = string | number;
export interface JsonRpcMessage {
  jsonrpc: '2.0';
  id?: JsonRpcId;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: unknown;
}

export interface ProxyWarning {
  message: string;
  data?: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** SBX2: a JSON-RPC 2.0 request, notification or response object (batches are not relayed). */
export function isJsonRpcMessage(value: unknown): value is JsonRpcMessage {
  if (!isRecord(value) || value.jsonrpc !== '2.0') return false;
  if (typeof value.method === 'string') return true;
  const idOk = typeof value.id === 'string' || typeof value.id === 'number';
  return idOk && ('result' in value || 'error' in value);
}

/** SBX3: the proxy's own control messages, never relayed between host and view. */
export function isSandboxControl(message: JsonRpcMessage): boolean {
  return typeof message.method === 'string' && message.method.startsWith(SANDBOX_PREFIX);
}

function originOf(value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

/**
 * SBX1: the proxy origin for a host page. A configured origin (`VITE_LAB_SANDBOX_ORIGIN`, for static
 * hosting) wins; otherwise localhost <-> 127.0.0.1 on the same port. Undefined when none can be
 * derived or when it would equal the host origin.
 */
export function defaultProxyOrigin(
  location: Pick<Location, 'protocol' | 'hostname' | 'port'>,
  configured: string | undefined = import.meta.env.VITE_LAB_SANDBOX_ORIGIN,
): string | undefined {
  const port = location.port ? `:${location.port}` : '';
  const hostOrigin = `${location.protocol}//${location.hostname}${port}`;
  if (configured) {
    const origin = originOf(configured);
    return origin && origin !== hostOrigin ? origin : undefined;
  }
  const swapped =
    location.hostname === 'localhost' ? '127.0.0.1' : location.hostname === '127.0.0.1' ? 'localhost' : '';
  if (!swapped) return undefined;
  return `${location.protocol}//${swapped}${port}`;
}

/** The proxy page URL, telling it which origin may frame it and talk to it. */
export function proxyUrl(proxyOrigin: string, hostOrigin: string): string {
  return `${proxyOrigin}/sandbox-proxy.html?host=${encodeURIComponent(hostOrigin)}`;
}

/** SBX5: the inner frame's sandbox attribute for each model. */
export function sandboxAttribute(model: SandboxModel): string {
  return model === 'same-origin' ? 'allow-scripts allow-same-origin' : 'allow-scripts';
}

/** A5, SBX7: the policy string sent to the proxy; a policy with line breaks is refused. */
export function policyString(csp: BuiltCsp | string): string {
  const policy = typeof csp === 'string' ? csp : csp.policy;
  if (/[\r\n]/.test(policy) || policy.trim() === '')
    throw new Error('The CSP must be a single-line, non-empty policy');
  return policy;
}

/** SBX4: whether a message event really comes from the proxy frame. */
export function fromProxy(
  event: Pick<MessageEvent, 'origin' | 'source'>,
  proxyOrigin: string,
  proxyWindow: Window | null,
): boolean {
  return proxyWindow !== null && event.source === proxyWindow && event.origin === proxyOrigin;
}

export interface SandboxFrameOptions {
  container: HTMLElement;
  proxyOrigin: string;
  hostOrigin: string;
  html: string;
  csp: BuiltCsp | string;
  /** `_meta.ui.permissions`; camera, microphone, geolocation and clipboardWrite are honoured. */
  permissions?: unknown;
  model: SandboxModel;
  /** Messages from the view, relayed by the proxy. */
  onMessage: (message: JsonRpcMessage) => void;
  /** The proxy's own warnings (rate limit hit, refused resource, view navigated away). */
  onWarning?: (warning: ProxyWarning) => void;
}

export interface SandboxFrame {
  iframe: HTMLIFrameElement;
  /** Resolves once the proxy is ready and the resource was sent. */
  ready: Promise<void>;
  post(message: JsonRpcMessage): void;
  destroy(): void;
}

export function createSandboxFrame(options: SandboxFrameOptions): SandboxFrame {
  const { proxyOrigin, hostOrigin } = options;
  if (originOf(proxyOrigin) !== proxyOrigin || originOf(hostOrigin) !== hostOrigin)
    throw new Error('proxyOrigin and hostOrigin must be http(s) origins');
  if (proxyOrigin === hostOrigin) throw new Error('The sandbox proxy must run on a different origin');
  const policy = policyString(options.csp);

  const iframe = document.createElement('iframe');
  iframe.setAttribute('sandbox', 'allow-scripts allow-same-origin');
  const allow = allowAttribute(options.permissions);
  // The outer frame must delegate a feature for the proxy to delegate it to the view.
  if (allow) iframe.setAttribute('allow', allow);
  iframe.setAttribute('title', 'MCP App');
  iframe.src = proxyUrl(proxyOrigin, hostOrigin);

  let proxyReady = false;
  let destroyed = false;
  const queue: JsonRpcMessage[] = [];
  let resolveReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    resolveReady = resolve;
  });

  const send = (message: JsonRpcMessage) => iframe.contentWindow?.postMessage(message, proxyOrigin);

  const listener = (event: MessageEvent) => {
    if (!fromProxy(event, proxyOrigin, iframe.contentWindow)) return;
    const message: unknown = event.data;
    if (!isJsonRpcMessage(message)) return;
    if (message.method === PROXY_READY) {
      if (proxyReady) return;
      proxyReady = true;
      send({
        jsonrpc: '2.0',
        method: RESOURCE_READY,
        params: {
          html: options.html,
          csp: policy,
          sandbox: sandboxAttribute(options.model),
          permissions: isRecord(options.permissions) ? options.permissions : {},
        },
      });
      for (const queued of queue.splice(0)) send(queued);
      resolveReady();
      return;
    }
    if (message.method === PROXY_WARNING) {
      const params = isRecord(message.params) ? message.params : {};
      options.onWarning?.({
        message: typeof params.message === 'string' ? params.message : 'sandbox proxy warning',
        data: params.data,
      });
      return;
    }
    if (isSandboxControl(message)) return;
    options.onMessage(message);
  };
  window.addEventListener('message', listener);
  options.container.appendChild(iframe);

  return {
    iframe,
    ready,
    post(message) {
      if (destroyed || !isJsonRpcMessage(message) || isSandboxControl(message)) return;
      if (proxyReady) send(message);
      else queue.push(message);
    },
    destroy() {
      destroyed = true;
      window.removeEventListener('message', listener);
      iframe.remove();
    },
  };
}

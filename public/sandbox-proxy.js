/*
 * MCP Lab sandbox proxy (spec A5; issue 5). Plain browser JS: public/ is not bundled.
 *
 * Served from a different origin than the host (dev: host on localhost:PORT, this page on
 * 127.0.0.1:PORT). The host frames this page with `?host=<host origin>`; this page frames the view
 * (an MCP App's HTML) in an inner srcdoc iframe under the CSP the host built (buildCsp), with
 * `allow-scripts` and, only in the "same-origin" model, `allow-same-origin`.
 *
 * Checks, in order: it is framed; `?host=` is a valid origin other than its own; the framing page
 * has that origin (location.ancestorOrigins where available); it cannot reach the top window.
 * Then every message is checked both ways (event.source and event.origin), must be a JSON-RPC 2.0
 * object, and is relayed, except this proxy's own `ui/notifications/sandbox-*` messages. Messages
 * from the view are rate-limited so a flood cannot freeze the host.
 */
(() => {
  const SANDBOX_PREFIX = 'ui/notifications/sandbox-';
  const PROXY_READY = 'ui/notifications/sandbox-proxy-ready';
  const RESOURCE_READY = 'ui/notifications/sandbox-resource-ready';
  /** The proxy's own warnings to the host; views cannot forge them (sandbox-* from views are dropped). */
  const PROXY_WARNING = 'ui/notifications/sandbox-proxy-warning';
  /** SBX6: at most this many messages per second from the view are relayed. */
  const VIEW_RATE_LIMIT = 200;
  const RATE_WINDOW_MS = 1000;
  /** JSON-RPC error code of a request the proxy refused for the rate limit (implementation-defined range). */
  const RATE_LIMITED = -32029;
  /** Same value as buildCsp(undefined).policy in src/engine/apps/csp.ts: used when the host sends none. */
  const DEFAULT_POLICY =
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; " +
    "font-src data:; media-src data: blob:; connect-src 'none'; frame-src 'none'; base-uri 'none'; " +
    "form-action 'none'; object-src 'none'";
  const PERMISSIONS = {
    camera: 'camera',
    microphone: 'microphone',
    geolocation: 'geolocation',
    clipboardWrite: 'clipboard-write',
  };

  const status = document.getElementById('sandbox-status');
  function refuse(reason) {
    if (status) {
      status.textContent = `MCP Lab sandbox proxy: ${reason}`;
      status.hidden = false;
    }
  }

  if (window.parent === window) {
    refuse('this page only works inside the MCP Lab host; it does nothing when opened directly.');
    return;
  }

  const ownOrigin = window.location.origin;
  let hostOrigin;
  try {
    const raw = new URLSearchParams(window.location.search).get('host');
    const parsed = raw ? new URL(raw) : undefined;
    if (parsed && (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.origin === raw)
      hostOrigin = parsed.origin;
  } catch {
    hostOrigin = undefined;
  }
  if (!hostOrigin) {
    refuse('missing or malformed ?host=<origin>.');
    return;
  }
  if (hostOrigin === ownOrigin) {
    refuse('the host and the proxy share an origin; the proxy must be served from a different origin.');
    return;
  }
  const ancestors = window.location.ancestorOrigins;
  if (ancestors && ancestors.length > 0 && ancestors[0] !== hostOrigin) {
    refuse('framed by a page whose origin is not the declared host.');
    return;
  }
  try {
    // Reading the top document must fail: if it does not, the proxy is same-origin with the host.
    void window.top.document.title;
    refuse('the proxy can reach the top window; it must be served from a different origin.');
    return;
  } catch {
    // expected: cross-origin
  }

  function isPlainObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  }

  function isJsonRpc(value) {
    if (!isPlainObject(value) || value.jsonrpc !== '2.0') return false;
    if (typeof value.method === 'string') return true;
    const idOk = typeof value.id === 'string' || typeof value.id === 'number';
    return idOk && ('result' in value || 'error' in value);
  }

  function warnHost(message, data) {
    window.parent.postMessage(
      {
        jsonrpc: '2.0',
        method: PROXY_WARNING,
        params: { level: 'warning', logger: 'sandbox-proxy', message, data },
      },
      hostOrigin,
    );
  }

  function escapeAttribute(text) {
    return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  }

  /**
   * The CSP meta goes before any other markup (after a leading doctype only), so it is the first
   * element the parser puts in <head>: no comment or attribute in the view can hide it.
   */
  function injectCsp(html, policy) {
    const meta = `<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(policy)}">`;
    const doctype = /^\s*<!doctype[^>]*>/i.exec(html);
    if (doctype) return doctype[0] + meta + html.slice(doctype[0].length);
    return meta + html;
  }

  function allowFrom(permissions) {
    if (!isPlainObject(permissions)) return '';
    return Object.keys(permissions)
      .filter((key) => Object.hasOwn(PERMISSIONS, key))
      .map((key) => PERMISSIONS[key])
      .join('; ');
  }

  let inner; // the view's iframe
  let sameOriginModel = false;
  let innerLoaded = false;
  const pendingToView = [];
  let windowStart = 0;
  let windowCount = 0;
  let windowWarned = false;

  /**
   * Target for messages to the view. Same-origin model: this proxy's own origin. Opaque model: the
   * view's origin is opaque ("null"), which no postMessage target can name, so "*" is the only
   * target that delivers; it is used only for the inner frame this proxy created, and only while
   * that frame still holds the srcdoc document (a second load, i.e. a navigation, removes it).
   */
  function viewTarget() {
    return sameOriginModel ? ownOrigin : '*';
  }

  function postToView(message) {
    if (!inner?.contentWindow) return;
    if (!innerLoaded) {
      pendingToView.push(message);
      return;
    }
    inner.contentWindow.postMessage(message, viewTarget());
  }

  function createView(params) {
    if (inner) {
      warnHost('a second sandbox-resource-ready was ignored');
      return;
    }
    if (!isPlainObject(params) || typeof params.html !== 'string') {
      warnHost('sandbox-resource-ready without html was ignored');
      return;
    }
    let policy = DEFAULT_POLICY;
    if (params.csp !== undefined) {
      if (typeof params.csp !== 'string' || /[\r\n]/.test(params.csp) || params.csp.trim() === '') {
        warnHost('refused a resource whose CSP is not a single-line policy string');
        return;
      }
      policy = params.csp;
    }
    const tokens = typeof params.sandbox === 'string' ? params.sandbox.split(/\s+/).filter(Boolean) : [];
    const ignored = tokens.filter((t) => t !== 'allow-scripts' && t !== 'allow-same-origin');
    if (ignored.length) warnHost('ignored sandbox tokens outside the two sandbox models', { ignored });
    sameOriginModel = tokens.includes('allow-same-origin');

    const frame = document.createElement('iframe');
    frame.setAttribute('sandbox', sameOriginModel ? 'allow-scripts allow-same-origin' : 'allow-scripts');
    const allow = allowFrom(params.permissions);
    if (allow) frame.setAttribute('allow', allow);
    frame.setAttribute('title', 'MCP App view');
    let loads = 0;
    frame.addEventListener('load', () => {
      loads += 1;
      if (loads === 1) {
        innerLoaded = true;
        for (const message of pendingToView.splice(0)) postToView(message);
        return;
      }
      // SBX8: the view navigated away from the srcdoc document: stop talking to it.
      warnHost('the view navigated away from its document; it was removed');
      frame.remove();
      inner = undefined;
      innerLoaded = false;
    });
    frame.srcdoc = injectCsp(params.html, policy);
    inner = frame;
    document.body.appendChild(frame);
  }

  function fromView(event) {
    const expectedOrigin = sameOriginModel ? ownOrigin : 'null';
    if (event.origin !== expectedOrigin) return;
    const message = event.data;
    if (!isJsonRpc(message)) return;
    if (typeof message.method === 'string' && message.method.startsWith(SANDBOX_PREFIX)) return;
    const now = Date.now();
    if (now - windowStart >= RATE_WINDOW_MS) {
      windowStart = now;
      windowCount = 0;
      windowWarned = false;
    }
    windowCount += 1;
    if (windowCount > VIEW_RATE_LIMIT) {
      if (!windowWarned) {
        windowWarned = true;
        warnHost(`the view sent more than ${VIEW_RATE_LIMIT} messages in a second; the excess is dropped`, {
          limit: VIEW_RATE_LIMIT,
        });
      }
      // A request over the limit is answered with an error rather than silently dropped, so the view
      // can tell "slow down" from "no answer" and retry later (notifications and answers just go).
      if (message.id !== undefined && message.id !== null && typeof message.method === 'string')
        postToView({
          jsonrpc: '2.0',
          id: message.id,
          error: {
            code: RATE_LIMITED,
            message: `Rate limited by the sandbox proxy: more than ${VIEW_RATE_LIMIT} messages in a second. Retry in a second.`,
          },
        });
      return;
    }
    window.parent.postMessage(message, hostOrigin);
  }

  function fromHost(event) {
    if (event.origin !== hostOrigin) return;
    const message = event.data;
    if (!isJsonRpc(message)) return;
    if (message.method === RESOURCE_READY) {
      createView(message.params);
      return;
    }
    if (typeof message.method === 'string' && message.method.startsWith(SANDBOX_PREFIX)) return;
    postToView(message);
  }

  window.addEventListener('message', (event) => {
    if (event.source === window.parent) fromHost(event);
    else if (inner && event.source === inner.contentWindow) fromView(event);
    // anything else (other windows, the view's own child frames) is ignored
  });

  window.parent.postMessage({ jsonrpc: '2.0', method: PROXY_READY, params: {} }, hostOrigin);
})();

/**
 * MCP Apps sandbox proxy (spec A5; issue 5, "Sandbox proxy"), in Chromium against the built app.
 *
 * The real host module (src/ui/apps/sandbox-host.ts, bundled here with esbuild) frames the real
 * proxy page (public/sandbox-proxy.html) from the other origin (localhost <-> 127.0.0.1), which
 * frames a test view. Views report what they could do with `test/report` messages.
 * IDs beyond the spec are named in sandbox-host.ts: SBX3 sandbox-* messages are the proxy's own,
 * SBX4 source/origin checks, SBX5 the two sandbox models, SBX6 rate limit, SBX7 single-line CSP.
 */
import { expect, type Page, test } from '@playwright/test';
import { buildSync } from 'esbuild';
import { buildCsp } from '../src/engine/apps/csp';
import { BUDGET } from './fixture';

const hostBundle = buildSync({
  entryPoints: ['src/ui/apps/sandbox-host.ts'],
  bundle: true,
  format: 'iife',
  globalName: 'LabSandbox',
  write: false,
  target: 'es2022',
  define: { 'import.meta.env.VITE_LAB_SANDBOX_ORIGIN': 'undefined' },
}).outputFiles.map((f) => f.text)[0];
if (!hostBundle) throw new Error('esbuild produced no bundle for sandbox-host.ts');

interface Report {
  kind: string;
  data: unknown;
}
interface Harness {
  reports: Report[];
  others: unknown[];
  warnings: { message: string }[];
  raw: unknown[];
  frame?: { post(message: unknown): void; destroy(): void; ready: Promise<void> };
}
interface LabSandboxGlobal {
  createSandboxFrame(options: Record<string, unknown>): NonNullable<Harness['frame']>;
  defaultProxyOrigin(location: Location): string | undefined;
}
type TestWindow = Window & { LabSandbox: LabSandboxGlobal; harness: Harness };

/** A view: `report(kind, data)` posts to the proxy; `test/ping` is answered with `test/pong`. */
function view(body: string, head = ''): string {
  return `<!doctype html><html><head>${head}<script>
    function report(kind, data) {
      window.parent.postMessage({ jsonrpc: '2.0', method: 'test/report', params: { kind, data } }, '*');
    }
    document.addEventListener('securitypolicyviolation', (e) =>
      report('csp-violation', { blockedURI: e.blockedURI, directive: e.effectiveDirective }));
    window.addEventListener('message', (e) => {
      if (e.data && e.data.method === 'test/ping') report('pong', e.data.params);
    });
  </script></head><body>${body}</body></html>`;
}

async function openHost(page: Page): Promise<{ hostOrigin: string; proxyOrigin: string }> {
  await page.goto('/');
  await page.addScriptTag({ content: hostBundle });
  return page.evaluate(() => {
    const w = window as unknown as TestWindow;
    w.harness = { reports: [], others: [], warnings: [], raw: [] };
    window.addEventListener('message', (e) => w.harness.raw.push(e.data));
    const proxyOrigin = w.LabSandbox.defaultProxyOrigin(window.location);
    if (!proxyOrigin) throw new Error('no proxy origin');
    return { hostOrigin: window.location.origin, proxyOrigin };
  });
}

async function mount(
  page: Page,
  input: string | { html: string; csp?: string; model?: 'opaque' | 'same-origin'; permissions?: unknown },
): Promise<void> {
  const options = typeof input === 'string' ? { html: input } : input;
  await page.evaluate(
    async ({ html, csp, model, permissions }) => {
      const w = window as unknown as TestWindow;
      const h = w.harness;
      h.frame = w.LabSandbox.createSandboxFrame({
        container: document.body,
        proxyOrigin: w.LabSandbox.defaultProxyOrigin(window.location),
        hostOrigin: window.location.origin,
        html,
        csp,
        model,
        permissions,
        onMessage: (m: { method?: string; params?: Report }) => {
          if (m.method === 'test/report' && m.params) h.reports.push(m.params);
          else h.others.push(m);
        },
        onWarning: (warning: { message: string }) => h.warnings.push(warning),
      });
      await h.frame.ready;
    },
    {
      html: options.html,
      csp: options.csp ?? buildCsp(undefined).policy,
      model: options.model ?? 'opaque',
      permissions: options.permissions ?? {},
    },
  );
}

async function report(page: Page, kind: string): Promise<unknown> {
  await expect
    .poll(
      () =>
        page.evaluate(
          (k) => (window as unknown as TestWindow).harness.reports.some((r) => r.kind === k),
          kind,
        ),
      { timeout: BUDGET.action },
    )
    .toBe(true);
  return page.evaluate(
    (k) => (window as unknown as TestWindow).harness.reports.find((r) => r.kind === k)?.data,
    kind,
  );
}

test('A5: the view runs on a different origin from the host and cannot reach the top or parent document', async ({
  page,
}) => {
  const { hostOrigin, proxyOrigin } = await openHost(page);
  expect(proxyOrigin).not.toBe(hostOrigin);
  await mount(
    page,
    view(`<script>
      const tryRead = (f) => { try { f(); return 'read'; } catch (e) { return e.name; } };
      report('origins', {
        origin: self.origin,
        top: tryRead(() => window.top.document.title),
        parent: tryRead(() => window.parent.document.title),
      });
    </script>`),
  );
  expect(await report(page, 'origins')).toEqual({
    origin: 'null',
    top: 'SecurityError',
    parent: 'SecurityError',
  });
  const proxyFrame = page.frames().find((f) => f.url().startsWith(`${proxyOrigin}/sandbox-proxy.html`));
  expect(await proxyFrame?.evaluate(() => self.origin)).toBe(proxyOrigin);
});

test("A5: the view cannot read the host's localStorage, IndexedDB or cookies", async ({ page, baseURL }) => {
  await openHost(page);
  await page.context().addCookies([{ name: 'hostsecret', value: 'hunter2', url: baseURL }]);
  expect(await page.evaluate(() => document.cookie)).toContain('hostsecret');
  await page.evaluate(async () => {
    localStorage.setItem('host-secret', 'hunter2');
    await new Promise((resolve, reject) => {
      const req = indexedDB.open('host-secret-db');
      req.onsuccess = () => {
        req.result.close();
        resolve(undefined);
      };
      req.onerror = () => reject(req.error);
    });
  });
  const probe = `<script>
    (async () => {
      const attempt = async (f) => { try { return await f(); } catch (e) { return 'threw ' + e.name; } };
      report('storage', {
        localStorage: await attempt(() => localStorage.getItem('host-secret')),
        cookie: await attempt(() => document.cookie),
        idb: await attempt(async () => (await indexedDB.databases()).map((d) => d.name)),
      });
    })();
  </script>`;
  await mount(page, { html: view(probe), model: 'opaque' });
  expect(await report(page, 'storage')).toEqual({
    localStorage: 'threw SecurityError',
    cookie: 'threw SecurityError',
    idb: 'threw SecurityError',
  });
  await page.evaluate(() => {
    const h = (window as unknown as TestWindow).harness;
    h.frame?.destroy();
    h.reports = [];
  });
  await mount(page, { html: view(probe), model: 'same-origin' });
  // Whatever the proxy origin's storage gives the view here (denied or empty), it is not the host's.
  const sameOrigin = JSON.stringify(await report(page, 'storage'));
  expect(sameOrigin).not.toMatch(/hunter2|hostsecret|host-secret-db/);
});

test('A5: a script and a fetch to undeclared domains are blocked by the CSP', async ({ page, baseURL }) => {
  await openHost(page);
  const undeclared = `${baseURL}/index.html`;
  await mount(
    page,
    view(`<script src="${baseURL}/sandbox-proxy.js"></script><script>
      fetch(${JSON.stringify(undeclared)}).then(() => report('fetch', 'ok'), (e) => report('fetch', e.name));
    </script>`),
  );
  await expect
    .poll(() =>
      page.evaluate(() =>
        (window as unknown as TestWindow).harness.reports
          .filter((r) => r.kind === 'csp-violation')
          .map((r) => r.data as { directive: string; blockedURI: string })
          .map((d) => `${d.directive} ${d.blockedURI}`)
          .sort(),
      ),
    )
    .toEqual([`connect-src ${baseURL}/index.html`, `script-src-elem ${baseURL}/sandbox-proxy.js`]);
  expect(await report(page, 'fetch')).toBe('TypeError');
});

test('A5: a declared connect domain is in the enforced policy and its fetch is not blocked by CSP', async ({
  page,
  baseURL,
}) => {
  const { proxyOrigin } = await openHost(page);
  const csp = buildCsp({ connectDomains: [proxyOrigin, 'https://evil.test; script-src *'] });
  expect(csp.dropped).toEqual(['https://evil.test; script-src *']);
  await mount(page, {
    csp: csp.policy,
    model: 'opaque',
    html: view(`<script>
      report('policy', document.querySelector('meta[http-equiv="Content-Security-Policy"]').content);
      fetch(${JSON.stringify(`${proxyOrigin}/sandbox-proxy.html`)}).then(
        (r) => report('declared', r.status), (e) => report('declared', e.name));
      fetch(${JSON.stringify(`${baseURL}/index.html`)}).then(() => report('undeclared', 'ok'), (e) => report('undeclared', e.name));
    </script>`),
  });
  expect(await report(page, 'policy')).toBe(csp.policy);
  expect(csp.policy).toContain(`connect-src ${proxyOrigin}`);
  await report(page, 'declared');
  await report(page, 'undeclared');
  const violations = await page.evaluate(() =>
    (window as unknown as TestWindow).harness.reports
      .filter((r) => r.kind === 'csp-violation')
      .map((r) => (r.data as { blockedURI: string }).blockedURI),
  );
  expect(violations).toEqual([`${baseURL}/index.html`]);
});

test('A5: the view cannot navigate the top window', async ({ page }) => {
  await openHost(page);
  const before = page.url();
  await mount(
    page,
    view(`<script>
      let outcome = 'no error';
      try { window.top.location.href = ${JSON.stringify(`${before}?navigated=1`)}; } catch (e) { outcome = e.name; }
      report('navigate', outcome);
    </script>`),
  );
  expect(await report(page, 'navigate')).toBe('SecurityError');
  await page.waitForTimeout(300);
  expect(page.url()).toBe(before);
  expect(await page.evaluate(() => (window as unknown as TestWindow).harness.reports.length)).toBeGreaterThan(
    0,
  );
});

test('A5: the view cannot open popups', async ({ page, context }) => {
  await openHost(page);
  await mount(
    page,
    view(`<script>
      let opened;
      try { opened = window.open('about:blank', '_blank') === null ? 'null' : 'window'; } catch (e) { opened = e.name; }
      report('popup', opened);
    </script>`),
  );
  expect(await report(page, 'popup')).toBe('null');
  expect(context.pages()).toHaveLength(1);
});

test('SBX4: a sandbox-resource-ready posted from another window of the host origin is not acted on', async ({
  page,
}) => {
  const { hostOrigin, proxyOrigin } = await openHost(page);
  const resource = (html: string) => ({
    jsonrpc: '2.0',
    method: 'ui/notifications/sandbox-resource-ready',
    params: { html, csp: buildCsp(undefined).policy, sandbox: 'allow-scripts' },
  });
  await page.evaluate(
    async ({ hostOrigin, proxyOrigin, fake }) => {
      const w = window as unknown as TestWindow;
      const outer = document.createElement('iframe');
      outer.id = 'outer';
      outer.setAttribute('sandbox', 'allow-scripts allow-same-origin');
      outer.src = `${proxyOrigin}/sandbox-proxy.html?host=${encodeURIComponent(hostOrigin)}`;
      const ready = new Promise<void>((resolve) =>
        window.addEventListener('message', (e) => {
          if (e.source === outer.contentWindow && e.data?.method === 'ui/notifications/sandbox-proxy-ready')
            resolve();
        }),
      );
      window.addEventListener('message', (e) => {
        if (e.source === outer.contentWindow && e.data?.method === 'test/report')
          w.harness.reports.push(e.data.params);
      });
      document.body.appendChild(outer);
      await ready;
      // A second window of the host's own origin (an about:blank child) posts the fake resource.
      const other = document.createElement('iframe');
      document.body.appendChild(other);
      const otherWindow = other.contentWindow as Window & typeof globalThis;
      new otherWindow.Function('target', 'message', 'origin', 'target.postMessage(message, origin)')(
        outer.contentWindow,
        fake,
        proxyOrigin,
      );
    },
    { hostOrigin, proxyOrigin, fake: resource(view(`<script>report('loaded', 'fake')</script>`)) },
  );
  await page.waitForTimeout(500);
  await page.evaluate(
    ({ real, proxyOrigin }) =>
      (document.getElementById('outer') as HTMLIFrameElement).contentWindow?.postMessage(real, proxyOrigin),
    { real: resource(view(`<script>report('loaded', 'real')</script>`)), proxyOrigin },
  );
  expect(await report(page, 'loaded')).toBe('real');
  expect(
    await page.evaluate(() => (window as unknown as TestWindow).harness.reports.map((r) => r.data)),
  ).toEqual(['real']);
});

test('SBX3: a view pretending to be the proxy with sandbox-* messages is not relayed; other messages are', async ({
  page,
}) => {
  await openHost(page);
  await mount(
    page,
    view(`<script>
      window.parent.postMessage({ jsonrpc: '2.0', method: 'ui/notifications/sandbox-proxy-ready', params: {} }, '*');
      window.parent.postMessage({ jsonrpc: '2.0', method: 'ui/notifications/sandbox-proxy-warning',
        params: { message: 'forged' } }, '*');
      window.parent.postMessage({ jsonrpc: '2.0', method: 'ui/notifications/sandbox-resource-ready',
        params: { html: '<p>forged</p>' } }, '*');
      window.parent.postMessage('not json-rpc', '*');
      window.parent.postMessage({ method: 'test/report', params: { kind: 'no-jsonrpc' } }, '*');
      report('after', 'relayed');
    </script>`),
  );
  expect(await report(page, 'after')).toBe('relayed');
  const seen = await page.evaluate(() => {
    const h = (window as unknown as TestWindow).harness;
    return {
      proxyReady: h.raw.filter(
        (m) => (m as { method?: string })?.method === 'ui/notifications/sandbox-proxy-ready',
      ).length,
      forged: h.raw.filter((m) => JSON.stringify(m).includes('forged')).length,
      notJsonRpc: h.raw.filter((m) => m === 'not json-rpc' || JSON.stringify(m).includes('no-jsonrpc'))
        .length,
      warnings: h.warnings,
      kinds: h.reports.map((r) => r.kind),
    };
  });
  expect(seen).toEqual({ proxyReady: 1, forged: 0, notJsonRpc: 0, warnings: [], kinds: ['after'] });
});

test('SBX6: a flood of 5,000 messages from the view is rate-limited with a warning and the host stays responsive', async ({
  page,
}) => {
  await openHost(page);
  await mount(
    page,
    view(`<script>
      for (let i = 0; i < 5000; i++)
        window.parent.postMessage({ jsonrpc: '2.0', method: 'test/report', params: { kind: 'flood', data: i } }, '*');
    </script>`),
  );
  await expect
    .poll(() => page.evaluate(() => (window as unknown as TestWindow).harness.warnings.length))
    .toBeGreaterThan(0);
  // Host -> view -> host round trip still works after the flood (retried: the window may still be full).
  await expect
    .poll(async () => {
      await page.evaluate(() =>
        (window as unknown as TestWindow).harness.frame?.post({
          jsonrpc: '2.0',
          method: 'test/ping',
          params: 1,
        }),
      );
      return page.evaluate(() =>
        (window as unknown as TestWindow).harness.reports.some((r) => r.kind === 'pong'),
      );
    })
    .toBe(true);
  const counts = await page.evaluate(() => {
    const h = (window as unknown as TestWindow).harness;
    return { flood: h.reports.filter((r) => r.kind === 'flood').length, warnings: h.warnings };
  });
  // At most the limit per one-second window; a 5,000-message burst spans at most a few windows.
  expect(counts.flood).toBeGreaterThanOrEqual(200);
  expect(counts.flood).toBeLessThanOrEqual(600);
  expect(counts.warnings.length).toBeLessThanOrEqual(3);
  expect(counts.warnings[0]?.message).toContain('more than 200 messages in a second');
});

/*
 * SBX5: what each model allows. Opaque: the view has the opaque origin, no storage at all and no
 * access to the proxy document. Same-origin: the view has the proxy's origin (not the host's), so
 * it can script the proxy document (the documented cost of this model) and uses the proxy origin's
 * storage, which this Chromium denies to a third-party frame (Playwright turns storage
 * partitioning off; a partitioned browser gives it the proxy origin's partitioned storage). Never
 * the host's.
 */
test('SBX5: opaque model: opaque origin, no storage; same-origin model: the proxy origin, never the host storage', async ({
  page,
}) => {
  const { hostOrigin, proxyOrigin } = await openHost(page);
  await page.evaluate(() => localStorage.setItem('host-secret', 'hunter2'));
  const probe = view(`<script>
    let storage;
    try {
      localStorage.setItem('view-key', 'v');
      storage = { wrote: localStorage.getItem('view-key'), hostSecret: localStorage.getItem('host-secret') };
    } catch (e) { storage = e.name + ': ' + e.message; }
    let proxyDocument;
    try { proxyDocument = window.parent.document.title; } catch (e) { proxyDocument = e.name; }
    report('model', { origin: self.origin, storage, proxyDocument });
  </script>`);
  await mount(page, { html: probe, model: 'opaque' });
  const opaque = (await report(page, 'model')) as { origin: string; storage: unknown; proxyDocument: string };
  expect(opaque.origin).toBe('null');
  expect(opaque.storage).toMatch(/^SecurityError: .*sandboxed/);
  expect(opaque.proxyDocument).toBe('SecurityError');
  await page.evaluate(() => {
    const h = (window as unknown as TestWindow).harness;
    h.frame?.destroy();
    h.reports = [];
  });
  await mount(page, { html: probe, model: 'same-origin' });
  const sameOrigin = (await report(page, 'model')) as {
    origin: string;
    storage: unknown;
    proxyDocument: string;
  };
  expect(sameOrigin.origin).toBe(proxyOrigin);
  expect(sameOrigin.origin).not.toBe(hostOrigin);
  expect(sameOrigin.proxyDocument).toBe('MCP Lab sandbox proxy');
  expect(JSON.stringify(sameOrigin.storage)).not.toMatch(/sandboxed|hunter2/);
  expect(await page.evaluate(() => localStorage.getItem('view-key'))).toBeNull();
});

test('SBX6: a request over the rate limit is answered with a rate-limit error, never dropped silently; notifications are dropped', async ({
  page,
}) => {
  await openHost(page);
  await mount(
    page,
    view(`<script>
      // Reported once the proxy's one-second window has passed: the report itself is a message.
      window.addEventListener('message', (e) => {
        if (e.data && e.data.error && e.data.id === 'late') setTimeout(() => report('refused', e.data.error), 1100);
      });
      for (let i = 0; i < 300; i++)
        window.parent.postMessage({ jsonrpc: '2.0', method: 'test/report', params: { kind: 'burst', data: i } }, '*');
      window.parent.postMessage({ jsonrpc: '2.0', id: 'late', method: 'tools/call', params: { name: 'echo' } }, '*');
    </script>`),
  );
  const refused = (await report(page, 'refused')) as { code: number; message: string };
  expect(refused.code).toBe(-32029);
  expect(refused.message).toContain('Rate limited by the sandbox proxy');
  const relayed = await page.evaluate(() => {
    const h = (window as unknown as TestWindow).harness;
    return {
      burst: h.reports.filter((r) => r.kind === 'burst').length,
      late: h.others.filter((m) => (m as { id?: unknown }).id === 'late').length,
    };
  });
  expect(relayed.burst).toBeLessThanOrEqual(200);
  expect(relayed.late).toBe(0);
});

test('SBX7: the proxy refuses a CSP containing a line break and renders nothing', async ({ page }) => {
  const { hostOrigin, proxyOrigin } = await openHost(page);
  const outcome = await page.evaluate(
    async ({ hostOrigin, proxyOrigin }) => {
      const outer = document.createElement('iframe');
      outer.setAttribute('sandbox', 'allow-scripts allow-same-origin');
      outer.src = `${proxyOrigin}/sandbox-proxy.html?host=${encodeURIComponent(hostOrigin)}`;
      const seen: string[] = [];
      const ready = new Promise<void>((resolve) =>
        window.addEventListener('message', (e) => {
          if (e.source !== outer.contentWindow) return;
          seen.push(e.data?.method === 'test/report' ? 'view rendered' : e.data?.method);
          if (e.data?.method === 'ui/notifications/sandbox-proxy-ready') resolve();
        }),
      );
      document.body.appendChild(outer);
      await ready;
      outer.contentWindow?.postMessage(
        {
          jsonrpc: '2.0',
          method: 'ui/notifications/sandbox-resource-ready',
          params: {
            html: `<script>parent.postMessage({jsonrpc:'2.0',method:'test/report',params:{}},'*')</script>`,
            csp: "default-src 'none'\nscript-src 'unsafe-inline'",
            sandbox: 'allow-scripts',
          },
        },
        proxyOrigin,
      );
      await new Promise((r) => setTimeout(r, 500));
      return seen;
    },
    { hostOrigin, proxyOrigin },
  );
  expect(outcome).toEqual(['ui/notifications/sandbox-proxy-ready', 'ui/notifications/sandbox-proxy-warning']);
});

test('SBX8: a view that navigates away from its document is removed and the host is warned', async ({
  page,
}) => {
  const { proxyOrigin } = await openHost(page);
  await mount(
    page,
    view(`<script>
      report('before', 'navigating');
      setTimeout(() => { location.href = ${JSON.stringify(`${proxyOrigin}/oauth-callback.html`)}; }, 100);
    </script>`),
  );
  await report(page, 'before');
  await expect
    .poll(() => page.evaluate(() => (window as unknown as TestWindow).harness.warnings.map((w) => w.message)))
    .toEqual(['the view navigated away from its document; it was removed']);
  const proxyFrame = page.frames().find((f) => f.url().startsWith(`${proxyOrigin}/sandbox-proxy.html`));
  expect(await proxyFrame?.evaluate(() => document.querySelectorAll('iframe').length)).toBe(0);
});

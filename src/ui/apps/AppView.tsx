import { useEffect, useRef, useState } from 'react';
import { type AppConnection, AppHost } from '../../engine/apps/app-host';
import type { ToolLike } from '../../engine/apps/ui-meta';
import type { AppViewSource } from '../../engine/apps/ui-resource';
import type { Clock } from '../../engine/clock';
import type { TimelineEvent } from '../../engine/timeline/events';
import type { TimelineRecorder } from '../../engine/timeline/recorder';
import { createSandboxFrame, defaultProxyOrigin, type SandboxFrame, type SandboxModel } from './sandbox-host';
import { SandboxTransport } from './sandbox-transport';

/** What each sandbox model allows, for the switch (SBX5). */
export const SANDBOX_MODELS: Record<SandboxModel, { label: string; explains: string }> = {
  opaque: {
    label: 'Opaque origin (default)',
    explains:
      'The view runs with an opaque origin ("null"): no cookies, localStorage or IndexedDB, and it cannot touch the proxy page.',
  },
  'same-origin': {
    label: 'Same origin as the proxy',
    explains:
      "The view shares the sandbox proxy's origin: it gets that origin's storage, and it can script the proxy page and so skip the proxy's checks. It still cannot reach this page: the host checks every message itself.",
  },
};

const MIN_HEIGHT = 80;
const MAX_HEIGHT = 900;

/** The page's theme (the `dark` class on <html>). */
const pageTheme = (): 'light' | 'dark' =>
  document.documentElement.classList.contains('dark') ? 'dark' : 'light';

/** The page's theme, followed as it changes. */
function useTheme(): 'light' | 'dark' {
  const [theme, setTheme] = useState(pageTheme);
  useEffect(() => {
    const observer = new MutationObserver(() => setTheme(pageTheme()));
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['class'] });
    return () => observer.disconnect();
  }, []);
  return theme;
}

export interface AppViewProps {
  source: AppViewSource;
  model: SandboxModel;
  /** A6: a shared or replayed recording. */
  readOnly: boolean;
  recorder: TimelineRecorder;
  clock: Clock;
  tool: ToolLike;
  connection?: AppConnection;
  tools: () => readonly ToolLike[] | undefined;
  appsEnabled: () => boolean;
  who?: TimelineEvent['who'];
  onClose?: () => void;
}

interface MountedView {
  host: AppHost;
  /** Hides the frame and tears the view down (AH4); closing the bridge then removes the frame. */
  dispose(): void;
}

/** Creates the bridge, connects it, then frames the view through the sandbox proxy (A5). */
function mountView(
  box: HTMLElement,
  proxyOrigin: string,
  /** What the view is mounted for: a change mounts a new one. */
  { source, model, readOnly, recorder }: Pick<AppViewProps, 'source' | 'model' | 'readOnly' | 'recorder'>,
  /** The latest props, for what may change while the view lives (apps on/off, tools, onClose). */
  latest: { current: AppViewProps },
  setState: (state: 'loading' | 'initialized') => void,
): MountedView {
  const p = latest.current;
  let frame: SandboxFrame | undefined;
  let disposed = false;
  const transport = new SandboxTransport();
  const host = new AppHost({
    tool: p.tool,
    resourceUri: source.resourceUri,
    recorder,
    clock: p.clock,
    readOnly,
    appsEnabled: () => latest.current.appsEnabled(),
    ...(p.connection ? { connection: p.connection } : {}),
    tools: () => latest.current.tools(),
    ...(p.who ? { who: p.who } : {}),
    hostContext: {
      theme: pageTheme(),
      displayMode: 'inline',
      availableDisplayModes: ['inline'],
      containerDimensions: { width: box.clientWidth || 400, maxHeight: MAX_HEIGHT },
      locale: navigator.language,
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      platform: 'web',
      userAgent: 'MCP Lab',
    },
    openLink: (url) => {
      // AH1: a new browsing context with no opener and no referrer. With noopener, window.open
      // returns null whether or not a tab opened, so there is nothing more to learn from it.
      window.open(url, '_blank', 'noopener,noreferrer');
      return true;
    },
    onSizeChange: ({ height }) => {
      if (frame && typeof height === 'number' && Number.isFinite(height))
        frame.iframe.style.height = `${Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, Math.ceil(height)))}px`;
    },
    onTeardownRequested: () => latest.current.onClose?.(),
  });
  host.bridge.addEventListener('initialized', () => setState('initialized'));
  setState('loading');
  void (async () => {
    await host.connect(transport);
    if (disposed) return;
    frame = createSandboxFrame({
      container: box,
      proxyOrigin,
      hostOrigin: location.origin,
      html: source.html,
      csp: source.csp,
      permissions: source.permissions,
      model,
      onMessage: (m) => transport.receive(m),
      onWarning: (w) =>
        recorder.record({
          lane: 'app',
          kind: 'decision',
          level: 'warn',
          summary: `Sandbox proxy: ${w.message}`,
          ruleIds: /messages in a second/.test(w.message)
            ? ['SBX6']
            : /navigated away/.test(w.message)
              ? ['SBX8']
              : ['A5'],
        }),
    });
    frame.iframe.dataset.testid = 'app-frame';
    frame.iframe.dataset.model = model;
    frame.iframe.className = 'block w-full rounded border-0';
    frame.iframe.style.height = '160px';
    transport.attach(frame);
    await host.deliver(source.input, source.result);
  })();
  return {
    host,
    dispose() {
      disposed = true;
      if (frame) frame.iframe.style.display = 'none';
      void host.teardown(readOnly ? 'replay closed' : 'view replaced or closed');
    },
  };
}

/**
 * One MCP App view in the sandbox proxy (A5), with its AppBridge connected before the frame loads.
 * The frames live in a container React never re-renders: a view that is replaced (new result, other
 * sandbox model) is hidden and torn down (AH4) while the next one loads.
 */
export function AppView(props: AppViewProps) {
  const { source, model, readOnly, recorder } = props;
  const container = useRef<HTMLDivElement>(null);
  const hostRef = useRef<AppHost | undefined>(undefined);
  const latest = useRef(props);
  latest.current = props;
  const theme = useTheme();
  const [state, setState] = useState<'loading' | 'initialized' | 'closing'>('loading');
  const proxyOrigin = defaultProxyOrigin(location);

  useEffect(() => {
    const box = container.current;
    if (!box || !proxyOrigin) return;
    let view: MountedView | undefined;
    // Started on the next task: React's development double mount (mount, unmount, mount) then
    // creates one bridge and one frame, not a first one torn down before it loaded.
    const start = setTimeout(() => {
      view = mountView(box, proxyOrigin, { source, model, readOnly, recorder }, latest, setState);
      hostRef.current = view.host;
    }, 0);
    return () => {
      clearTimeout(start);
      if (!view) return;
      if (hostRef.current === view.host) hostRef.current = undefined;
      view.dispose();
    };
  }, [source, model, readOnly, recorder, proxyOrigin]);

  // AH3: theme changes reach the view.
  useEffect(() => {
    hostRef.current?.setHostContext({ theme });
  }, [theme]);

  if (!proxyOrigin)
    return (
      <p
        role="alert"
        className="rounded bg-red-50 p-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200"
      >
        MCP Apps need a sandbox origin different from this page. Open the playground on localhost or 127.0.0.1
        (each serves the other as the sandbox), or build it with VITE_LAB_SANDBOX_ORIGIN.
      </p>
    );

  return (
    <div
      data-testid="app-view"
      data-state={state}
      data-tool={source.toolName}
      data-read-only={readOnly ? 'true' : 'false'}
      className={`flex flex-col gap-1 ${source.prefersBorder ? 'rounded-md border border-slate-200 p-1 dark:border-slate-700' : ''}`}
    >
      <div ref={container} />
      {props.onClose && (
        <button
          type="button"
          data-testid="app-close"
          disabled={state === 'closing'}
          onClick={async () => {
            setState('closing');
            await hostRef.current?.teardown('closed by the person');
            latest.current.onClose?.();
          }}
          className="self-start rounded border border-slate-300 px-2 py-0.5 text-xs dark:border-slate-600"
        >
          Close view
        </button>
      )}
    </div>
  );
}

/**
 * A1, A6: what a host gives an app. Apps off → nothing is rendered and every request is refused.
 * A read-only view (a shared or replayed transcript) shows the stored result and gets no tool,
 * resource or message handlers, and no such capabilities, so it cannot act with the viewer's
 * credentials.
 */
export interface AppHostPolicy {
  render: boolean;
  /** Host capabilities offered to the view in ui/initialize. */
  capabilities: {
    serverTools?: Record<string, never>;
    serverResources?: Record<string, never>;
    message?: Record<string, never>;
    openLinks?: Record<string, never>;
    logging?: Record<string, never>;
  };
  handlers: { toolCall: boolean; resourceRead: boolean; message: boolean; openLink: boolean };
}

export function appHostPolicy(options: { appsEnabled: boolean; readOnly: boolean }): AppHostPolicy {
  if (!options.appsEnabled)
    return {
      render: false,
      capabilities: {},
      handlers: { toolCall: false, resourceRead: false, message: false, openLink: false },
    };
  if (options.readOnly)
    return {
      render: true,
      capabilities: {},
      handlers: { toolCall: false, resourceRead: false, message: false, openLink: false },
    };
  return {
    render: true,
    capabilities: { serverTools: {}, serverResources: {}, message: {}, openLinks: {}, logging: {} },
    handlers: { toolCall: true, resourceRead: true, message: true, openLink: true },
  };
}

/** `ui/open-link`: http(s) only; opened in a new tab without an opener. */
export function safeLink(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A5: the Content-Security-Policy and permissions a view runs under, built from the resource's
 * `_meta.ui.csp` and `_meta.ui.permissions` and enforced by the sandbox proxy. Entries that could
 * break out of a directive (containing `;`, quotes, commas or whitespace) are dropped.
 */

export interface UiCsp {
  connectDomains?: unknown;
  resourceDomains?: unknown;
  frameDomains?: unknown;
  baseUriDomains?: unknown;
}

export interface BuiltCsp {
  policy: string;
  /** Entries refused, with why. */
  dropped: string[];
}

const SAFE_SOURCE = /^(?:https?|wss?):\/\/(?:\*\.)?[A-Za-z0-9.-]+(?::\d{1,5})?(?:\/[^\s;'",]*)?$/;

function sources(list: unknown, dropped: string[]): string[] {
  if (!Array.isArray(list)) return [];
  const out: string[] = [];
  for (const entry of list) {
    if (typeof entry === 'string' && SAFE_SOURCE.test(entry)) out.push(entry);
    else dropped.push(String(entry));
  }
  return out;
}

export function buildCsp(csp: UiCsp | undefined): BuiltCsp {
  const dropped: string[] = [];
  const connect = sources(csp?.connectDomains, dropped);
  const resource = sources(csp?.resourceDomains, dropped);
  const frame = sources(csp?.frameDomains, dropped);
  const base = sources(csp?.baseUriDomains, dropped);
  const list = (extra: string[]) => extra.join(' ');
  const directives = [
    "default-src 'none'",
    `script-src 'unsafe-inline' ${list(resource)}`.trim(),
    `style-src 'unsafe-inline' ${list(resource)}`.trim(),
    `img-src data: blob: ${list(resource)}`.trim(),
    `font-src data: ${list(resource)}`.trim(),
    `media-src data: blob: ${list(resource)}`.trim(),
    connect.length ? `connect-src ${list(connect)}` : "connect-src 'none'",
    frame.length ? `frame-src ${list(frame)}` : "frame-src 'none'",
    base.length ? `base-uri ${list(base)}` : "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
  ];
  return { policy: directives.join('; '), dropped };
}

const PERMISSIONS: Record<string, string> = {
  camera: 'camera',
  microphone: 'microphone',
  geolocation: 'geolocation',
  clipboardWrite: 'clipboard-write',
};

/** A5: the iframe `allow` attribute for the permissions a resource asks for (unknown ones ignored). */
export function allowAttribute(permissions: unknown): string {
  if (!permissions || typeof permissions !== 'object') return '';
  return Object.keys(permissions)
    .filter((k) => k in PERMISSIONS)
    .map((k) => PERMISSIONS[k])
    .join('; ');
}

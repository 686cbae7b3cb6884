import { MOCK_CLIENT_METADATA_URL, type MockServerDef } from '../../../mocks/presets';
import type { McpServerConfig } from '../../engine/connection/factory-types';
import { LabError } from '../../engine/errors';
import { UrlPolicy } from '../../engine/net/url-policy';
import type { AuthRevision } from '../../engine/oauth/types';

/** A server in the playground's list: a mock preset or one a person added. */
export interface LabServer {
  id: string;
  title: string;
  description?: string;
  source: 'mock' | 'custom' | 'real';
  config: McpServerConfig;
  /** D8: private or loopback hosts this server may reach although SSRF protection is on. */
  allowList?: string[];
}

/** The presets: each mock server, configured the way its authorization server expects. */
export function mockServers(defs: readonly MockServerDef[]): LabServer[] {
  return defs.map((def) => {
    const oauth: McpServerConfig['oauth'] =
      def.id === 'prereg'
        ? { clientId: 'mcp-lab-public', tokenEndpointAuthMethod: 'none' }
        : def.id === 'cimd'
          ? { clientMetadataUrl: MOCK_CLIENT_METADATA_URL }
          : def.authSpec === '2025-03-26'
            ? { revision: '2025-03-26' }
            : undefined;
    return {
      id: def.id,
      title: def.title,
      description: def.description,
      source: 'mock',
      config: { name: def.id, url: def.mcpUrl, ...(oauth ? { oauth } : {}) },
    };
  });
}

export interface ServerForm {
  /** The server's id (test ids, credential keys); empty: one is made up. */
  id: string;
  title: string;
  url: string;
  transport: 'streamable-http' | 'sse';
  revision: AuthRevision;
  clientMode: 'auto' | 'preregistered' | 'cimd';
  clientId: string;
  clientSecret: string;
  clientMetadataUrl: string;
  scope: string;
  headers: string;
  appsEnabled: boolean;
  /** Hosts allowed despite SSRF protection, comma or space separated. */
  allowList: string;
}

export const EMPTY_FORM: ServerForm = {
  id: '',
  title: '',
  url: '',
  transport: 'streamable-http',
  revision: '2025-11-25',
  clientMode: 'auto',
  clientId: '',
  clientSecret: '',
  clientMetadataUrl: '',
  scope: '',
  headers: '',
  appsEnabled: true,
  allowList: '',
};

/** Field → reason, for inline errors. */
export type FormErrors = Partial<Record<keyof ServerForm, string>>;

/** Parses "Name: value" lines; returns the headers or the first bad line's reason. */
export function parseHeaders(text: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*:\s*(.*)$/.exec(line);
    if (!m?.[1]) return `Line ${i + 1} is not "Name: value".`;
    if (m[1].toLowerCase() === 'authorization')
      return 'Authorization is set by the OAuth flow; use the client settings instead.';
    if (/[\r\n]/.test(m[2] ?? '')) return `Line ${i + 1} has a line break in its value.`;
    out[m[1]] = m[2] ?? '';
  }
  return out;
}

const SERVER_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Validates a server form; returns the server or the reasons, field by field. The form's id, when
 * given, must be free of `reserved` ids (the built-in servers); else `fallbackId` is used.
 */
export function serverFromForm(
  form: ServerForm,
  fallbackId: string,
  reserved: ReadonlySet<string> = new Set(),
): LabServer | FormErrors {
  const errors: FormErrors = {};
  const id = form.id.trim() || fallbackId;
  if (!SERVER_ID.test(id))
    errors.id = 'An id is 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit.';
  else if (reserved.has(id)) errors.id = `"${id}" is a built-in server's id: pick another.`;
  let url: URL | undefined;
  try {
    url = new URL(form.url.trim());
  } catch {
    errors.url = 'Enter an absolute URL, like https://example.com/mcp.';
  }
  if (url && url.protocol !== 'https:' && url.protocol !== 'http:')
    errors.url = `A ${url.protocol} URL cannot be an MCP server: use https (or http on localhost).`;
  const headers = parseHeaders(form.headers);
  if (typeof headers === 'string') errors.headers = headers;
  if (form.clientMode === 'preregistered' && !form.clientId.trim())
    errors.clientId = 'Enter the client id registered with the authorization server.';
  if (form.clientMode === 'cimd') {
    try {
      const u = new URL(form.clientMetadataUrl.trim());
      if (u.protocol !== 'https:' || u.pathname.length < 2)
        errors.clientMetadataUrl = 'A Client ID Metadata Document URL is https with a path.';
    } catch {
      errors.clientMetadataUrl = 'Enter the https URL of the client metadata document.';
    }
  }
  const allowList = form.allowList.split(/[\s,]+/).filter(Boolean);
  try {
    new UrlPolicy({ allowList });
  } catch (e) {
    errors.allowList = (e as Error).message;
  }
  if (Object.keys(errors).length || !url || typeof headers === 'string') return errors;
  // An oauth block makes the server "known to need OAuth" (F5: authorize before the first request),
  // so it is written only when the person set something; otherwise the first 401 tells.
  const oauth: NonNullable<McpServerConfig['oauth']> = {
    ...(form.revision !== EMPTY_FORM.revision ? { revision: form.revision } : {}),
    ...(form.scope.trim() ? { scope: form.scope.trim() } : {}),
    ...(form.clientMode === 'preregistered'
      ? {
          clientId: form.clientId.trim(),
          ...(form.clientSecret
            ? { clientSecret: form.clientSecret }
            : { tokenEndpointAuthMethod: 'none' as const }),
        }
      : {}),
    ...(form.clientMode === 'cimd' ? { clientMetadataUrl: form.clientMetadataUrl.trim() } : {}),
  };
  return {
    id,
    title: form.title.trim() || url.host,
    source: 'custom',
    ...(allowList.length ? { allowList } : {}),
    config: {
      name: id,
      url: url.href,
      transport: form.transport,
      ...(Object.keys(headers).length ? { headers } : {}),
      appsEnabled: form.appsEnabled,
      ...(Object.keys(oauth).length ? { oauth } : {}),
    },
  };
}

export function isServer(v: LabServer | FormErrors): v is LabServer {
  return 'config' in v;
}

export function assertServer(v: LabServer | FormErrors): LabServer {
  if (!isServer(v))
    throw new LabError('invalid_input', `Failed to save the server: ${Object.values(v).join(' ')}`);
  return v;
}

/** Where the reference real stack (`npm run server`) serves MCP; a build can point elsewhere. */
export const REFERENCE_MCP_URL: string =
  import.meta.env.VITE_LAB_REFERENCE_URL ?? 'http://localhost:3002/mcp';

/**
 * The "Reference server (real)" preset, when that server answers: its PRM names the AS, and both
 * loopback hosts are allow-listed (SSRF protection refuses loopback otherwise).
 */
export async function referenceServer(
  url = REFERENCE_MCP_URL,
  timeoutMs = 1500,
): Promise<LabServer | undefined> {
  const u = new URL(url);
  try {
    const res = await fetch(`${u.origin}/.well-known/oauth-protected-resource${u.pathname}`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) return undefined;
    const prm = (await res.json()) as { authorization_servers?: string[] };
    const hosts = [u.host, ...(prm.authorization_servers ?? []).map((a) => new URL(a).host)];
    return {
      id: 'reference',
      title: 'Reference server (real)',
      description:
        'oidc-provider + the official SDK server, started by npm start / npm run server. Sign in as alice / wonderland.',
      source: 'real',
      allowList: [...new Set(hosts)],
      config: { name: 'reference', url },
    };
  } catch {
    return undefined;
  }
}

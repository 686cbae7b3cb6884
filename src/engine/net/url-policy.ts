import { LabError } from '../errors';
import { classifyHost, normalizeHost } from './ip-address';

/**
 * The URL policy (D8): which URLs the engine may fetch. In the browser it cannot see which address
 * a name resolves to, so it is a policy on the URL itself, checked before any request is sent;
 * refusals are recorded on the timeline by the instrumented fetch.
 * @see spec/behaviour.md D8
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/security_best_practices (SSRF)
 */
export interface UrlPolicyOptions {
  /** Refuse private, loopback, link-local and unspecified addresses unless allow-listed (default true). */
  ssrfProtection?: boolean;
  /**
   * Hosts that may be reached even when SSRF protection would refuse them. Each entry is a hostname
   * (`localhost`, any port), a wildcard (`*.corp.example`), a host and port (`127.0.0.1:8080`,
   * `[::1]:3000`) or an origin (`http://localhost:5173`).
   */
  allowList?: readonly string[];
  /** URL schemes that may be fetched at all (default `https:` and `http:`). */
  allowedSchemes?: readonly string[];
}

interface AllowEntry {
  raw: string;
  scheme?: string;
  host?: string;
  suffix?: string;
  port?: number;
}

const DEFAULT_PORTS: Record<string, number> = { 'https:': 443, 'http:': 80 };

const effectivePort = (u: URL): number => (u.port ? Number(u.port) : (DEFAULT_PORTS[u.protocol] ?? 0));

const bare = (host: string) => host.replace(/\.$/, '');

function parseAllowEntry(raw: string): AllowEntry {
  const entry = raw.trim().toLowerCase();
  const bad = () =>
    new LabError(
      'invalid_input',
      `Failed to read the URL allow-list: "${raw}" is not a host, host:port or origin.`,
      {
        hint: 'Write entries like "localhost", "*.corp.example", "127.0.0.1:8080" or "http://localhost:5173".',
        ruleIds: ['D8'],
      },
    );
  if (entry.includes('://')) {
    try {
      const u = new URL(entry);
      if (u.pathname !== '/' || u.search || u.hash || u.username) throw bad();
      return { raw, scheme: u.protocol, host: bare(u.hostname), port: effectivePort(u) };
    } catch {
      throw bad();
    }
  }
  if (entry.startsWith('*.')) {
    const suffix = normalizeHost(entry.slice(2));
    if (!suffix) throw bad();
    return { raw, suffix: bare(suffix) };
  }
  const withPort = /^(\[[^\]]+\]|[^:[\]]+):(\d{1,5})$/.exec(entry);
  const host = normalizeHost(withPort?.[1] ?? entry);
  if (!host || /[/?#@]/.test(entry)) throw bad();
  return { raw, host: bare(host), ...(withPort ? { port: Number(withPort[2]) } : {}) };
}

/** What a refused URL looks like in a message: no query (it may hold codes), and not endless. */
function shown(u: URL): string {
  const base = u.protocol === 'http:' || u.protocol === 'https:' ? `${u.origin}${u.pathname}` : u.href;
  return base.length > 120 ? `${base.slice(0, 117)}…` : base;
}

/**
 * D8: a URL policy with SSRF protection, an allow-list and allowed schemes.
 * @see spec/behaviour.md D8
 * @see https://www.rfc-editor.org/rfc/rfc6890
 */
export class UrlPolicy {
  readonly ssrfProtection: boolean;
  readonly allowedSchemes: readonly string[];
  readonly allowList: readonly string[];
  readonly #entries: readonly AllowEntry[];

  constructor(options: UrlPolicyOptions = {}) {
    this.ssrfProtection = options.ssrfProtection ?? true;
    this.allowedSchemes = (options.allowedSchemes ?? ['https:', 'http:']).map((s) =>
      s.toLowerCase().endsWith(':') ? s.toLowerCase() : `${s.toLowerCase()}:`,
    );
    this.allowList = [...(options.allowList ?? [])];
    this.#entries = this.allowList.map(parseAllowEntry);
  }

  /** Whether the URL's host (and port, for entries that name one) is on the allow-list. */
  isAllowListed(url: URL): boolean {
    const host = bare(url.hostname);
    const port = effectivePort(url);
    return this.#entries.some((e) => {
      if (e.scheme && e.scheme !== url.protocol) return false;
      if (e.port !== undefined && e.port !== port) return false;
      if (e.suffix) return host === e.suffix || host.endsWith(`.${e.suffix}`);
      return e.host === host;
    });
  }

  /**
   * D8: returns the parsed URL when it may be fetched; otherwise throws LabError `url_refused`
   * saying which rule refused it and how to allow it. `purpose` says what the URL is for
   * ("MCP server", "token endpoint", "redirect"), for the message.
   * @see spec/behaviour.md D8
   */
  check(url: string | URL, purpose = 'request'): URL {
    let u: URL;
    try {
      u = typeof url === 'string' ? new URL(url) : url;
    } catch (e) {
      throw new LabError(
        'invalid_input',
        `Failed to fetch "${String(url).slice(0, 120)}" (${purpose}): it is not a URL.`,
        {
          cause: e,
          hint: 'Give an absolute URL such as https://example.com/mcp.',
        },
      );
    }
    if (!this.allowedSchemes.includes(u.protocol)) {
      throw new LabError(
        'url_refused',
        `Refused to fetch ${shown(u)} (${purpose}): the scheme "${u.protocol}" is not allowed (D8 URL policy).`,
        {
          hint: `Only ${this.allowedSchemes.join(', ')} URLs can be fetched; use an https: URL.`,
          ruleIds: ['D8'],
          details: { rule: 'scheme', scheme: u.protocol, purpose },
        },
      );
    }
    if (!this.ssrfProtection || this.isAllowListed(u)) return u;
    const verdict = classifyHost(u.hostname);
    if (!verdict) return u;
    const host = bare(u.hostname);
    throw new LabError(
      'url_refused',
      `Refused to fetch ${shown(u)} (${purpose}): ${verdict.reason}, and SSRF protection is on (D8).`,
      {
        hint: `To allow it, add "${host}" (any port) or "${host}:${effectivePort(u)}" to the allow-list, or turn SSRF protection off for trusted local servers.`,
        ruleIds: ['D8'],
        details: { rule: verdict.kind, host, purpose },
      },
    );
  }
}

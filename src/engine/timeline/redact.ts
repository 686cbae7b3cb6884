/**
 * Redaction at the source (T7): secrets never enter the timeline. A secret is shown as its first six
 * characters and a short hash (`eyJhbG…#3fa91c`), so a person can still tell two tokens apart.
 * Two mechanisms: names that always hold secrets (headers, form and JSON fields, URL parameters),
 * and values registered as secret when the engine sees them (then replaced wherever they appear).
 */

const SECRET_FIELDS = new Set([
  'access_token',
  'refresh_token',
  'id_token',
  'code',
  'code_verifier',
  'client_secret',
  'assertion',
  'subject_token',
  'actor_token',
  'password',
  'registration_access_token',
  'device_code',
]);

const SECRET_HEADERS = new Set([
  'authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'proxy-authorization',
  'dpop',
]);

const FIELD_NAMES = [...SECRET_FIELDS].join('|');
/** `?code=…` / `&refresh_token=…` / `#access_token=…` inside any text (a masked value is left alone). */
const FIELD_IN_URL = new RegExp(`([?&#](?:${FIELD_NAMES})=)([^&#\\s"'<>]+(?:#[0-9a-f]{6})?)`, 'g');
/** `"access_token": "…"` inside any text, also with JSON-escaped quotes. */
const FIELD_IN_JSON = new RegExp(`(\\\\?"(?:${FIELD_NAMES})\\\\?"\\s*:\\s*\\\\?")([^"\\\\]+)`, 'g');

function maskMatch(_all: string, prefix: string, value: string): string {
  return value.includes('…#') ? `${prefix}${value}` : `${prefix}${mask(value)}`;
}

/** FNV-1a, 24 bits: a display fingerprint, not a security hash. */
function fingerprint(value: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return (h & 0xffffff).toString(16).padStart(6, '0');
}

/** How a secret is shown: a prefix that identifies its kind, and a fingerprint. */
export function mask(value: string): string {
  if (value.length <= 8) return `…#${fingerprint(value)}`;
  return `${value.slice(0, 6)}…#${fingerprint(value)}`;
}

export class Redactor {
  readonly #secrets = new Set<string>();

  /** Registers values that must never appear in the clear (tokens, codes, verifiers, secrets). */
  addSecret(...values: Array<string | undefined | null>): void {
    for (const v of values) if (v && v.length >= 6) this.#secrets.add(v);
  }

  /**
   * Replaces every registered secret inside a string, and masks secret fields that appear in free
   * text before the engine could register them: URL parameters (`…?code=abc`, a redirect URL inside
   * a JSON body) and JSON members (`"access_token":"…"` in a truncated body or an error message).
   */
  text(value: string): string {
    let out = value;
    for (const s of this.#secrets) if (out.includes(s)) out = out.split(s).join(mask(s));
    return out.replace(FIELD_IN_URL, maskMatch).replace(FIELD_IN_JSON, maskMatch);
  }

  /** A URL with secret query parameters masked (`?code=…`). */
  url(value: string): string {
    try {
      const u = new URL(value);
      for (const [k, v] of [...u.searchParams]) if (SECRET_FIELDS.has(k)) u.searchParams.set(k, mask(v));
      return this.text(u.href.replace(/%E2%80%A6/g, '…').replace(/%23/g, '#'));
    } catch {
      return this.text(value);
    }
  }

  headers(headers: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(headers)) {
      const lower = k.toLowerCase();
      if (SECRET_HEADERS.has(lower)) {
        const m = /^(\w+)\s+(.+)$/.exec(v);
        out[k] = m?.[1] && m[2] ? `${m[1]} ${mask(m[2])}` : mask(v);
      } else out[k] = this.text(v);
    }
    return out;
  }

  /** A request or response body: JSON and form bodies have their secret fields masked. */
  body(body: string, contentType = ''): string {
    const type = contentType.toLowerCase();
    if (
      type.includes('application/x-www-form-urlencoded') ||
      (!type && /^[\w.-]+=[^&]*(&[\w.-]+=[^&]*)*$/.test(body))
    ) {
      const form = new URLSearchParams(body);
      for (const [k, v] of [...form]) if (SECRET_FIELDS.has(k)) form.set(k, mask(v));
      return this.text(decodeURIComponent(form.toString().replace(/\+/g, ' ')));
    }
    if (type.includes('json') || /^\s*[[{]/.test(body)) {
      try {
        return JSON.stringify(this.value(JSON.parse(body)));
      } catch {
        /* not JSON after all */
      }
    }
    return this.text(body);
  }

  /** Any JSON-like value, with secret fields masked at any depth. */
  value(v: unknown): unknown {
    if (typeof v === 'string') return this.text(v);
    if (Array.isArray(v)) return v.map((x) => this.value(x));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        if (SECRET_FIELDS.has(k) && typeof x === 'string') out[k] = mask(x);
        else if (SECRET_HEADERS.has(k.toLowerCase()) && typeof x === 'string') out[k] = mask(x);
        else out[k] = this.value(x);
      }
      return out;
    }
    return v;
  }
}

/**
 * Address classification for the URL policy (D8): which hosts are private, loopback, link-local or
 * unspecified. Hosts are first normalized the way a URL parser does, so `0x7f.1`, `2130706433`,
 * `0177.0.0.1` and `[::ffff:127.0.0.1]` are all seen as the loopback address they reach.
 * @see spec/behaviour.md D8
 * @see https://www.rfc-editor.org/rfc/rfc6890 (special-purpose address registries)
 */

export type AddressClass = 'private' | 'loopback' | 'link-local' | 'unspecified';

export interface AddressVerdict {
  kind: AddressClass;
  /** Why, for a person: "127.0.0.1 is a loopback address (127.0.0.0/8)". */
  reason: string;
}

interface Range4 {
  base: number;
  bits: number;
  kind: AddressClass;
  cidr: string;
}

const ip4 = (a: number, b: number, c: number, d: number) => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;

const RANGES_4: readonly Range4[] = [
  { base: ip4(0, 0, 0, 0), bits: 8, kind: 'unspecified', cidr: '0.0.0.0/8' },
  { base: ip4(10, 0, 0, 0), bits: 8, kind: 'private', cidr: '10.0.0.0/8' },
  { base: ip4(100, 64, 0, 0), bits: 10, kind: 'private', cidr: '100.64.0.0/10 (shared address space)' },
  { base: ip4(127, 0, 0, 0), bits: 8, kind: 'loopback', cidr: '127.0.0.0/8' },
  { base: ip4(169, 254, 0, 0), bits: 16, kind: 'link-local', cidr: '169.254.0.0/16' },
  { base: ip4(172, 16, 0, 0), bits: 12, kind: 'private', cidr: '172.16.0.0/12' },
  { base: ip4(192, 168, 0, 0), bits: 16, kind: 'private', cidr: '192.168.0.0/16' },
];

/**
 * Normalizes a hostname as the WHATWG URL parser does: lower case, IPv4 in dotted decimal (from
 * decimal, hex or octal forms), IPv6 compressed in brackets. Returns undefined when it is no host.
 * @see https://url.spec.whatwg.org/#host-parsing
 */
export function normalizeHost(host: string): string | undefined {
  const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  try {
    return new URL(`http://${h}/`).hostname;
  } catch {
    return undefined;
  }
}

/**
 * A dotted-decimal IPv4 address as a 32-bit number, or undefined.
 * @see https://www.rfc-editor.org/rfc/rfc791#section-3.2
 */
export function parseIPv4(host: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  const [a = 0, b = 0, c = 0, d = 0] = parts;
  return ip4(a, b, c, d);
}

/**
 * An IPv6 address (with or without brackets, with an optional dotted IPv4 tail) as eight 16-bit groups.
 * @see https://www.rfc-editor.org/rfc/rfc4291#section-2.2
 */
export function parseIPv6(host: string): number[] | undefined {
  let s = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  s = s.split('%')[0] ?? '';
  if (!s.includes(':')) return undefined;
  const tail = /(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/.exec(s);
  if (tail?.[1]) {
    const v4 = parseIPv4(tail[1]);
    if (v4 === undefined) return undefined;
    s = `${s.slice(0, -tail[1].length)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const split = (x: string | undefined) => (x ? x.split(':') : []);
  const head = split(halves[0]);
  const rest = split(halves[1]);
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 1 ? 0 : missing).fill('0'), ...rest];
  if (groups.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  return groups.map((g) => Number.parseInt(g, 16));
}

const dotted = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

/**
 * Classifies a 32-bit IPv4 address (D8).
 * @see https://www.rfc-editor.org/rfc/rfc6890#section-2.2.2
 */
export function classifyIPv4(n: number): AddressVerdict | undefined {
  for (const r of RANGES_4) {
    const mask = r.bits === 0 ? 0 : (~0 << (32 - r.bits)) >>> 0;
    if ((n & mask) >>> 0 === r.base)
      return { kind: r.kind, reason: `${dotted(n)} is ${article(r.kind)} ${r.kind} address (${r.cidr})` };
  }
  return undefined;
}

function article(kind: AddressClass): string {
  return kind === 'unspecified' ? 'an' : 'a';
}

/**
 * Classifies eight IPv6 groups (D8), looking through IPv4-mapped, IPv4-compatible and NAT64 forms.
 * @see https://www.rfc-editor.org/rfc/rfc6890#section-2.2.3
 * @see https://www.rfc-editor.org/rfc/rfc6052#section-2.1 (64:ff9b::/96)
 */
export function classifyIPv6(g: readonly number[]): AddressVerdict | undefined {
  const text = `[${g.map((x) => x.toString(16)).join(':')}]`;
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  const g0 = g[0] ?? 0;
  const embedded = (((g[6] ?? 0) << 16) | (g[7] ?? 0)) >>> 0;
  if (zeros(0, 8)) return { kind: 'unspecified', reason: `${text} is the unspecified address (::)` };
  if (zeros(0, 7) && g[7] === 1) return { kind: 'loopback', reason: `${text} is the loopback address (::1)` };
  const through = (form: string) => {
    const inner = classifyIPv4(embedded);
    return inner && { kind: inner.kind, reason: `${text} is ${form} of ${inner.reason}` };
  };
  if (zeros(0, 5) && g[5] === 0xffff) return through('an IPv4-mapped IPv6 address (::ffff:0:0/96)');
  if (zeros(0, 6)) return through('an IPv4-compatible IPv6 address (::/96)');
  if (g0 === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return through('a NAT64 address (64:ff9b::/96)');
  if ((g0 & 0xfe00) === 0xfc00)
    return { kind: 'private', reason: `${text} is a unique local address (fc00::/7)` };
  if ((g0 & 0xffc0) === 0xfe80)
    return { kind: 'link-local', reason: `${text} is a link-local address (fe80::/10)` };
  if ((g0 & 0xffc0) === 0xfec0)
    return { kind: 'private', reason: `${text} is a site-local address (fec0::/10, deprecated)` };
  return undefined;
}

/**
 * Whether a host (as it appears in a URL, or any spelling a URL parser accepts) is private,
 * loopback, link-local or unspecified; undefined for a public address or an ordinary name.
 * Names are not resolved: `localhost` and `*.localhost` are loopback by definition (RFC 6761 §6.3);
 * other names are judged by the address literal only (a browser cannot resolve DNS).
 * @see https://www.rfc-editor.org/rfc/rfc6761#section-6.3
 */
export function classifyHost(host: string): AddressVerdict | undefined {
  const normalized = normalizeHost(host);
  if (normalized === undefined) return undefined;
  const name = normalized.replace(/\.$/, '');
  if (name === 'localhost' || name.endsWith('.localhost'))
    return { kind: 'loopback', reason: `${name} is a loopback name (RFC 6761)` };
  const v4 = parseIPv4(name);
  if (v4 !== undefined) return classifyIPv4(v4);
  const v6 = parseIPv6(name);
  return v6 ? classifyIPv6(v6) : undefined;
}
